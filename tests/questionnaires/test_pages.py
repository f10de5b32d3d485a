"""Any logged-in user reads the published questionnaire; drafts stay with administrators."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from questionnaires.models import Questionnaire
from questionnaires.services import questionnaire_clone

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(write_yaml, small_data):
    call_command("questionnaire_load", str(write_yaml(small_data)), "--publish")
    return Questionnaire.objects.get()


@pytest.mark.parametrize("persona", ["respondent_a", "focal_point_b", "analyst", "admin"])
def test_every_logged_in_user_reads_the_published_questionnaire(
    client, personas, published, persona
):
    client.force_login(personas.all()[persona])
    response = client.get(reverse("questionnaire_detail", args=[published.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "LEAD-01: Statement of LEAD-01." in html
    assert "Guidance for HUM-01." in html
    assert "Full integration: one plan, one budget" in html
    assert "Unclear roles" in html


def test_anonymous_visitor_is_sent_to_login(client, published):
    response = client.get(reverse("questionnaire_detail", args=[published.pk]))
    assert response.status_code == 302


def test_drafts_are_visible_to_administrators_only(client, personas, published):
    draft = questionnaire_clone(questionnaire=published)
    url = reverse("questionnaire_detail", args=[draft.pk])
    client.force_login(personas.respondent_a)
    assert client.get(url).status_code == 404
    client.force_login(personas.admin)
    assert client.get(url).status_code == 200


def test_questionnaire_read_page_query_count_does_not_grow_with_indicators(
    client, personas, published, django_assert_max_num_queries
):
    client.force_login(personas.respondent_a)
    with django_assert_max_num_queries(12):
        client.get(reverse("questionnaire_detail", args=[published.pk]))
