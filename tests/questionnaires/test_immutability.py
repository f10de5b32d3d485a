"""A published version never changes, whether through services or the admin."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from questionnaires.models import Dimension, DimensionTag, Indicator, Questionnaire
from questionnaires.selectors import questionnaire_spec
from questionnaires.services import (
    QuestionnaireLocked,
    questionnaire_clone,
    questionnaire_publish,
    questionnaire_retire,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(write_yaml, small_data):
    call_command("questionnaire_load", str(write_yaml(small_data)), "--publish")
    return Questionnaire.objects.get(code="TEST", version=1)


def test_publishing_twice_is_refused(published):
    with pytest.raises(QuestionnaireLocked):
        questionnaire_publish(questionnaire=published)


def test_clone_makes_a_new_draft_with_the_same_content(published):
    draft = questionnaire_clone(questionnaire=published)
    assert (draft.version, draft.status) == (2, "draft")
    before = questionnaire_spec(questionnaire=published)
    after = questionnaire_spec(questionnaire=draft)
    assert after.model_copy(update={"version": 1}) == before


def test_retire_only_applies_to_published_versions(published):
    draft = questionnaire_clone(questionnaire=published)
    with pytest.raises(QuestionnaireLocked):
        questionnaire_retire(questionnaire=draft)
    assert questionnaire_retire(questionnaire=published).status == "retired"


def test_admin_shows_a_published_version_read_only(client, personas, published):
    client.force_login(personas.admin)
    url = reverse("admin:questionnaires_questionnaire_change", args=[published.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="title"' not in response.content.decode()  # no editable field


def test_admin_refuses_a_post_that_edits_a_published_version(client, personas, published):
    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:questionnaires_questionnaire_change", args=[published.pk]),
        {"code": "TEST", "version": 1, "title": "Hacked"},
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title == "Test questionnaire"


def test_admin_refuses_to_edit_an_indicator_of_a_published_version(client, personas, published):
    client.force_login(personas.admin)
    indicator = Indicator.objects.get(code="LEAD-01")
    response = client.post(
        reverse("admin:questionnaires_indicator_change", args=[indicator.pk]),
        {"statement": "Hacked"},
    )
    assert response.status_code == 403
    indicator.refresh_from_db()
    assert indicator.statement == "Statement of LEAD-01."


def test_admin_refuses_to_delete_a_dimension_of_a_published_version(client, personas, published):
    client.force_login(personas.admin)
    dimension = Dimension.objects.get(questionnaire=published, code="HUM")
    response = client.post(
        reverse("admin:questionnaires_dimension_delete", args=[dimension.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Dimension.objects.filter(pk=dimension.pk).exists()


def test_admin_edits_a_draft_indicator(client, personas, published):
    draft = questionnaire_clone(questionnaire=published)
    indicator = Indicator.objects.get(questionnaire=draft, code="LEAD-01")
    client.force_login(personas.admin)
    url = reverse("admin:questionnaires_indicator_change", args=[indicator.pk])
    data = {
        "dimension": indicator.dimension_id,
        "code": "LEAD-01",
        "coherence_level": "policy_strategic",
        "statement": "Clearer statement.",
        "guidance": indicator.guidance,
        "weight": "1",
        "source": indicator.source,
        "basis": "report",
        "order": 1,
        **{f"rubric_{s}": getattr(indicator, f"rubric_{s}") for s in range(1, 6)},
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    indicator.refresh_from_db()
    assert indicator.statement == "Clearer statement."
    assert Indicator.objects.get(questionnaire=published, code="LEAD-01").statement == (
        "Statement of LEAD-01."
    )


def test_admin_publish_action_publishes_a_draft(client, personas, published):
    draft = questionnaire_clone(questionnaire=published)
    client.force_login(personas.admin)
    client.post(
        reverse("admin:questionnaires_questionnaire_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == "published"


def test_clone_copies_applicability_bands_sources_and_glossary(write_yaml, small_v2_data):
    call_command("questionnaire_load", str(write_yaml(small_v2_data)), "--publish")
    published_v2 = Questionnaire.objects.get(code="TEST", version=2)
    draft = questionnaire_clone(questionnaire=published_v2)
    assert draft.version == 3
    after = questionnaire_spec(questionnaire=draft)
    assert after.model_copy(update={"version": 2}) == questionnaire_spec(questionnaire=published_v2)
    lead02 = Indicator.objects.get(questionnaire=draft, code="LEAD-02")
    assert (lead02.applies_to, lead02.target_min, lead02.target_max) == (["mission"], 2, 2)
    assert (lead02.basis, lead02.basis_note) == ("practice", "Delegation of authority since 2019.")
    assert list(draft.glossary.values_list("term", "basis")) == [
        ("DSRSG/RC/HC", "report"),
        ("IMTF", "practice"),
    ]
    tag = DimensionTag.objects.get(dimension__questionnaire=draft, code="LEAD-B-COHESION")
    assert tag.quote.startswith("absence of a methodical attempt")
