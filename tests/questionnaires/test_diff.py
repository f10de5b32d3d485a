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
