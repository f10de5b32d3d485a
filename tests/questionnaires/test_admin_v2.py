"""The admin edits applicability, bands, sources and the glossary of a draft by the rules of
the file format; a published version shows them read-only; publishing checks the whole draft."""

import pytest
from django.core.management import call_command
from django.forms import JSONField
from django.urls import reverse

from questionnaires.models import GlossaryTerm, Indicator, Questionnaire
from questionnaires.services import questionnaire_clone

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_v2(write_yaml, small_v2_data):
    call_command("questionnaire_load", str(write_yaml(small_v2_data)), "--publish")
    return Questionnaire.objects.get(version=2)


@pytest.fixture
def draft_v3(published_v2):
    return questionnaire_clone(questionnaire=published_v2)


def _form_data(response) -> dict:
    """What the browser would post back unchanged: main form, inlines, management forms."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {
            management.add_prefix(name): management[name].value() for name in management.fields
        }
        forms += list(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(item) for item in value]
            elif isinstance(field, JSONField) and isinstance(value, str):
                data[form.add_prefix(name)] = value  # already the text the page shows
            else:
                data[form.add_prefix(name)] = field.prepare_value(value)
    return data


def _indicator_change(client, indicator: Indicator, **changes):
    url = reverse("admin:questionnaires_indicator_change", args=[indicator.pk])
    data = _form_data(client.get(url)) | changes
    return client.post(url, {key: value for key, value in data.items() if value is not None})


def test_admin_edits_applicability_band_and_basis_of_a_draft_indicator(client, personas, draft_v3):
    client.force_login(personas.admin)
    indicator = Indicator.objects.get(questionnaire=draft_v3, code="LEAD-01")
    response = _indicator_change(
        client,
        indicator,
        applies_to=["humanitarian", "human_rights"],
        target_min="2",
        target_max="3",
        basis="practice",
        quote="",
        source="",
        basis_note="Post-2007 practice.",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    indicator.refresh_from_db()
    assert indicator.applies_to == ["humanitarian", "human_rights"]
    assert (indicator.target_min, indicator.target_max) == (2, 3)
    assert (indicator.basis, indicator.quote, indicator.basis_note) == (
        "practice",
        "",
        "Post-2007 practice.",
    )


def test_admin_refuses_a_band_whose_min_is_above_its_max(client, personas, draft_v3):
    client.force_login(personas.admin)
    indicator = Indicator.objects.get(questionnaire=draft_v3, code="LEAD-01")
    response = _indicator_change(client, indicator, target_min="4", target_max="2")
    assert response.status_code == 200
    assert "min 4 is above max 2" in response.content.decode()
    indicator.refresh_from_db()
    assert (indicator.target_min, indicator.target_max) == (3, 4)


def test_admin_refuses_half_a_band_and_a_missing_band_in_a_version_with_bands(
    client, personas, draft_v3
):
    client.force_login(personas.admin)
    indicator = Indicator.objects.get(questionnaire=draft_v3, code="LEAD-01")
    response = _indicator_change(client, indicator, target_min="2", target_max="")
    assert "Give both ends of the target band, or neither." in response.content.decode()
    response = _indicator_change(client, indicator, target_min="", target_max="")
    assert "once one indicator has a target band" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.target_min == 3


def test_admin_refuses_mission_beside_components(client, personas, draft_v3):
    client.force_login(personas.admin)
    indicator = Indicator.objects.get(questionnaire=draft_v3, code="LEAD-01")
    response = _indicator_change(client, indicator, applies_to=["mission", "political"])
    assert "it stands alone" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.applies_to == ["political", "military"]


def test_admin_refuses_a_practice_indicator_with_a_quote_or_a_report_one_without(
    client, personas, draft_v3
):
    client.force_login(personas.admin)
    indicator = Indicator.objects.get(questionnaire=draft_v3, code="LEAD-01")
    html = _indicator_change(client, indicator, basis="practice").content.decode()
    assert "a practice item cannot quote the report" in html
    assert "a practice item says in note what it rests on" in html
    html = _indicator_change(client, indicator, quote="").content.decode()
    assert "a report-based item quotes the passage" in html
    indicator.refresh_from_db()
    assert indicator.quote == "form follows function"


def test_admin_adds_a_glossary_term_to_a_draft(client, personas, draft_v3):
    client.force_login(personas.admin)
    url = reverse("admin:questionnaires_questionnaire_change", args=[draft_v3.pk])
    data = _form_data(client.get(url))
    data |= {
        "glossary-TOTAL_FORMS": "3",
        "glossary-2-term": "ISF",
        "glossary-2-definition": "Integrated Strategic Framework.",
        "glossary-2-order": "3",
        "glossary-2-basis": "practice",
        "glossary-2-basis_note": "Replaced the IMPP planning products from 2010.",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    term = GlossaryTerm.objects.get(questionnaire=draft_v3, term="ISF")
    assert term.basis_note.startswith("Replaced the IMPP")


def test_admin_refuses_a_report_glossary_term_without_its_quote(client, personas, draft_v3):
    client.force_login(personas.admin)
    url = reverse("admin:questionnaires_questionnaire_change", args=[draft_v3.pk])
    data = _form_data(client.get(url)) | {
        "glossary-TOTAL_FORMS": "3",
        "glossary-2-term": "SRSG",
        "glossary-2-definition": "Head of mission.",
        "glossary-2-order": "3",
        "glossary-2-basis": "report",
        "glossary-2-source": "Executive summary",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "a report-based item quotes the passage" in response.content.decode()
    assert not GlossaryTerm.objects.filter(term="SRSG").exists()


def test_published_version_shows_glossary_and_new_fields_read_only(client, personas, published_v2):
    client.force_login(personas.admin)
    url = reverse("admin:questionnaires_questionnaire_change", args=[published_v2.pk])
    html = client.get(url).content.decode()
    assert "DSRSG/RC/HC" in html and 'name="glossary-0-term"' not in html
    indicator = Indicator.objects.get(questionnaire=published_v2, code="LEAD-01")
    url = reverse("admin:questionnaires_indicator_change", args=[indicator.pk])
    html = client.get(url).content.decode()
    assert "form follows function" in html and 'name="quote"' not in html
    response = client.post(url, {"quote": "Hacked"})
    assert response.status_code == 403
    indicator.refresh_from_db()
    assert indicator.quote == "form follows function"


def test_draft_glossary_is_editable_in_the_admin(client, personas, draft_v3):
    client.force_login(personas.admin)
    url = reverse("admin:questionnaires_questionnaire_change", args=[draft_v3.pk])
    assert 'name="glossary-0-term"' in client.get(url).content.decode()


def test_publishing_a_draft_whose_bands_are_incomplete_is_refused(
    client, personas, write_yaml, small_data
):
    call_command("questionnaire_load", str(write_yaml(small_data)))
    draft = Questionnaire.objects.get()
    Indicator.objects.filter(code="LEAD-01").update(target_min=2, target_max=3)
    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:questionnaires_questionnaire_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "LEAD-02 › target: missing: once one indicator has a target band" in html
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_admin_edits_the_v3_context_rules_safeguard_and_external_context(
    client, personas, draft_v3
):
    client.force_login(personas.admin)
    indicator = Indicator.objects.get(questionnaire=draft_v3, code="HUM-01")
    rules = (
        '{"applies_when": {"humanitarian_operation": true}, "target_by_phase": '
        '{"start_up": {"min": 1, "max": 2}}}'
    )
    response = _indicator_change(
        client,
        indicator,
        rules=rules,
        safeguard="on",
        voice=["humanitarian"],
        voice_rationale="Access depends on perceived neutrality.",
        is_external="on",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    indicator.refresh_from_db()
    assert indicator.rules["applies_when"] == {"humanitarian_operation": True}
    assert indicator.safeguard and indicator.voice == ["humanitarian"] and indicator.is_external


def test_admin_refuses_an_unknown_profile_key_and_a_safeguard_without_voice(
    client, personas, draft_v3
):
    client.force_login(personas.admin)
    indicator = Indicator.objects.get(questionnaire=draft_v3, code="HUM-01")
    response = _indicator_change(
        client, indicator, rules='{"applies_when": {"deputy": "none"}}', safeguard="on"
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert any("unknown profile key 'deputy'" in error for error in errors["rules"])
    assert "voice" in errors
    indicator.refresh_from_db()
    assert indicator.rules == {} and not indicator.safeguard
