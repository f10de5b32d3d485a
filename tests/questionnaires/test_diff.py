"""What changed between two versions, by stable code."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from questionnaires.diff import ChangeKind, questionnaire_diff
from questionnaires.models import Questionnaire
from questionnaires.spec import spec_from_data
from tests.questionnaires.conftest import indicator


def test_identical_versions_have_no_changes(small_data):
    spec = spec_from_data(small_data)
    assert questionnaire_diff(spec, spec) == []


def test_added_removed_reworded_moved_and_reweighted_indicators_are_listed(small_data):
    old = spec_from_data(small_data)
    lead, hum = small_data["dimensions"]
    lead["indicators"][0]["statement"] = "New wording."
    lead["indicators"][0]["rubric"][5] = "New step five."
    moved = lead["indicators"].pop(1)  # LEAD-02 goes to HUM? codes stay stable
    moved["coherence_level"] = "policy_strategic"
    hum["indicators"].append(moved)
    hum["indicators"][0]["weight"] = 2
    lead["indicators"].append(indicator("LEAD-03"))
    hum["default_target_step"] = 1
    new = spec_from_data(small_data)

    changes = {(c.code, c.kind): c.detail for c in questionnaire_diff(old, new)}
    assert changes == {
        ("LEAD-01", ChangeKind.REWORDED): "statement, step 5",
        ("LEAD-02", ChangeKind.MOVED): (
            "dimension LEAD → HUM; coherence level administrative → policy_strategic"
        ),
        ("HUM-01", ChangeKind.REWEIGHTED): "0.5 → 2",
        ("LEAD-03", ChangeKind.ADDED): "in LEAD: Statement of LEAD-03.",
        ("HUM", ChangeKind.DIMENSION_TARGET_CHANGED): "2 → 1",
    }


def test_removed_indicator_and_dimension_are_listed(small_data):
    old = spec_from_data(small_data)
    small_data["dimensions"].pop(1)
    small_data["dimensions"][0]["indicators"].pop(0)
    changes = {(c.code, c.kind) for c in questionnaire_diff(old, spec_from_data(small_data))}
    assert changes == {
        ("HUM", ChangeKind.DIMENSION_REMOVED),
        ("HUM-01", ChangeKind.REMOVED),
        ("LEAD-01", ChangeKind.REMOVED),
    }


@pytest.fixture
def two_versions(db, write_yaml, small_data):
    call_command("questionnaire_load", str(write_yaml(small_data)), "--publish")
    small_data["version"] = 2
    small_data["dimensions"][0]["indicators"][0]["guidance"] = "Better guidance."
    call_command("questionnaire_load", str(write_yaml(small_data)))
    return Questionnaire.objects.get(version=1), Questionnaire.objects.get(version=2)


def test_diff_command_lists_the_changes(two_versions, capsys):
    call_command("questionnaire_diff", "TEST", "1", "2")
    out = capsys.readouterr().out
    assert "LEAD-01" in out and "indicator reworded" in out and "guidance" in out
    assert "1 change(s)." in out


def test_compare_page_shows_the_changes_to_administrators(client, personas, two_versions):
    old, new = two_versions
    client.force_login(personas.admin)
    response = client.get(reverse("questionnaire_compare"), {"old": old.pk, "new": new.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "LEAD-01" in html and "indicator reworded" in html


def test_compare_page_is_hidden_from_mission_staff(client, personas, two_versions):
    client.force_login(personas.focal_point_a)
    assert client.get(reverse("questionnaire_compare")).status_code == 404


def test_compare_page_with_bad_ids_says_what_to_do(client, personas, two_versions):
    client.force_login(personas.analyst)
    response = client.get(reverse("questionnaire_compare"), {"old": "x", "new": "999"})
    assert response.status_code == 400
    assert "Choose two existing versions" in response.content.decode()


def test_applicability_band_and_source_changes_are_listed(small_v2_data):
    old = spec_from_data(small_v2_data)
    lead01, lead02 = small_v2_data["dimensions"][0]["indicators"]
    lead01["applies_to"] = ["political"]
    lead01["target"] = {"min": 2, "max": 4}
    lead01["source"] = "Executive summary, para. 6"
    lead01["quote"] = "a different passage"
    lead02.update(basis="report", source="1.3", quote="integration is not an end in itself")
    del lead02["note"]
    hum01 = small_v2_data["dimensions"][1]["indicators"][0]
    hum01["applies_to"] = ["mission"]
    new = spec_from_data(small_v2_data)

    changes = {(c.code, c.kind): c.detail for c in questionnaire_diff(old, new)}
    assert changes == {
        ("LEAD-01", ChangeKind.APPLICABILITY_CHANGED): "political, military → political",
        ("LEAD-01", ChangeKind.BAND_CHANGED): "3–4 → 2–4",
        ("LEAD-01", ChangeKind.RESOURCED): (
            "source '1.2 Defining integration' → 'Executive summary, para. 6'; quote"
        ),
        ("LEAD-02", ChangeKind.RESOURCED): "basis practice → report; source '—' → '1.3'; "
        "quote; note",
        ("HUM-01", ChangeKind.APPLICABILITY_CHANGED): "every component → mission",
        # LEAD's derived step follows the bands: midpoints 2 and 3.5 (2.75 → 3) become
        # 2 and 3 (2.5 → 2).
        ("LEAD", ChangeKind.DIMENSION_TARGET_CHANGED): "3 → 2",
    }


def test_v1_to_v2_lists_bands_applicability_sources_tags_and_glossary(small_data, small_v2_data):
    changes = {
        (c.code, c.kind): c.detail
        for c in questionnaire_diff(spec_from_data(small_data), spec_from_data(small_v2_data))
    }
    assert changes[("LEAD-01", ChangeKind.BAND_CHANGED)] == "none (dimension target) → 3–4"
    assert changes[("LEAD-02", ChangeKind.BAND_CHANGED)] == "none (dimension target) → 2"
    assert changes[("LEAD-01", ChangeKind.APPLICABILITY_CHANGED)] == (
        "every component → political, military"
    )
    assert changes[("LEAD-01", ChangeKind.RESOURCED)] == "quote"
    assert changes[("LEAD", ChangeKind.DIMENSION_TARGET_CHANGED)] == "4 → 3"
    assert changes[("TEST", ChangeKind.QUESTIONNAIRE_CHANGED)] == "description"
    assert changes[("LEAD-B-ROLES", ChangeKind.TAG_REMOVED)] == "barrier from LEAD: Unclear roles"
    assert changes[("LEAD-B-COHESION", ChangeKind.TAG_ADDED)].startswith("barrier in LEAD:")
    assert changes[("IMTF", ChangeKind.GLOSSARY_ADDED)].startswith("Integrated Mission Task")


def test_tag_and_glossary_changes_are_listed(small_v2_data):
    old = spec_from_data(small_v2_data)
    lead = small_v2_data["dimensions"][0]
    barrier = lead["barrier_tags"][0]
    barrier["label"] = "No cohesive senior leadership group"
    barrier["source"] = "Introduction"
    enabler = lead["enabler_tags"].pop()
    lead["barrier_tags"].append(enabler)
    glossary = small_v2_data["glossary"]
    glossary[0]["definition"] = "The triple-hatted deputy."
    glossary.pop(1)
    new = spec_from_data(small_v2_data)
    changes = {(c.code, c.kind): c.detail for c in questionnaire_diff(old, new)}
    assert changes == {
        ("LEAD-B-COHESION", ChangeKind.TAG_RELABELLED): (
            "Leadership group not built as a cohesive unit → No cohesive senior leadership group"
        ),
        ("LEAD-B-COHESION", ChangeKind.TAG_RESOURCED): (
            "source 'Executive summary, para. 6' → 'Introduction'"
        ),
        ("LEAD-E-DELEGATION", ChangeKind.TAG_MOVED): "LEAD enabler → LEAD barrier",
        ("DSRSG/RC/HC", ChangeKind.GLOSSARY_CHANGED): "definition",
        ("IMTF", ChangeKind.GLOSSARY_REMOVED): "Integrated Mission Task Force at headquarters.",
    }


def test_diff_command_lists_v2_changes(db, write_yaml, small_data, small_v2_data, capsys):
    call_command("questionnaire_load", str(write_yaml(small_data, "v1.yaml")), "--publish")
    call_command("questionnaire_load", str(write_yaml(small_v2_data, "v2.yaml")))
    call_command("questionnaire_diff", "TEST", "1", "2")
    out = capsys.readouterr().out
    for expected in (
        "indicator applicability changed",
        "target band changed",
        "indicator source changed",
        "tag added",
        "glossary term added",
    ):
        assert expected in out


def test_compare_page_shows_band_and_applicability_changes(
    client, personas, write_yaml, small_data, small_v2_data
):
    call_command("questionnaire_load", str(write_yaml(small_data, "v1.yaml")), "--publish")
    call_command("questionnaire_load", str(write_yaml(small_v2_data, "v2.yaml")), "--publish")
    old, new = Questionnaire.objects.get(version=1), Questionnaire.objects.get(version=2)
    client.force_login(personas.analyst)
    response = client.get(reverse("questionnaire_compare"), {"old": old.pk, "new": new.pk})
    html = response.content.decode()
    assert "target band changed" in html and "none (dimension target) → 3–4" in html
    assert "glossary term added" in html


def test_listing_the_same_components_in_another_order_is_no_change(small_v2_data):
    old = spec_from_data(small_v2_data)
    small_v2_data["dimensions"][0]["indicators"][0]["applies_to"] = ["military", "political"]
    assert questionnaire_diff(old, spec_from_data(small_v2_data)) == []
