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
    # The navigation's flags and the header's unread notifications count are among them.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("questionnaire_detail", args=[published.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "LEAD-01: Statement of LEAD-01." in html and "Guidance for HUM-01." in html


@pytest.fixture
def published_v2(write_yaml, small_v2_data):
    call_command("questionnaire_load", str(write_yaml(small_v2_data)), "--publish")
    return Questionnaire.objects.get(version=2)


def test_read_page_shows_who_answers_the_band_and_the_source_of_each_indicator(
    client, personas, published_v2
):
    client.force_login(personas.respondent_a)
    response = client.get(reverse("questionnaire_detail", args=[published_v2.pk]))
    html = response.content.decode()
    assert "Political, Military" in html
    assert "The focal point, once for the whole mission" in html  # LEAD-02
    assert "Every component" in html  # HUM-01
    assert "steps 3–4" in html and "step 2<" in html and "steps 1–2" in html
    assert "<q>form follows function</q>" in html
    assert "Delegation of authority since 2019." in html and "Practice" in html
    assert "<q>absence of a methodical attempt" in html  # the tag's quote
    assert reverse("questionnaires:version_glossary", args=[published_v2.pk]) in html
    assert "Dimension summary of the indicators' target bands" in html


def test_read_page_of_a_v1_version_shows_the_dimension_step_as_the_band(
    client, personas, published
):
    client.force_login(personas.respondent_a)
    html = client.get(reverse("questionnaire_detail", args=[published.pk])).content.decode()
    assert "step 4 (the dimension&#x27;s default target)" in html
    assert "Default target step" in html
    assert "Every component" in html
    assert reverse("questionnaires:version_glossary", args=[published.pk]) not in html


def test_v2_read_page_query_count_stays_flat(
    client, personas, published_v2, django_assert_max_num_queries
):
    client.force_login(personas.respondent_a)
    # The navigation's flags and the header's unread notifications count are among them.
    with django_assert_max_num_queries(14):
        client.get(reverse("questionnaire_detail", args=[published_v2.pk]))


@pytest.mark.parametrize("persona", ["respondent_a", "focal_point_b", "analyst", "admin"])
def test_every_logged_in_user_reads_the_current_glossary(client, personas, published_v2, persona):
    client.force_login(personas.all()[persona])
    response = client.get(reverse("questionnaires:glossary"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "DSRSG/RC/HC" in html and "<q>the triple-hatted DSRSG/RC/HC</q>" in html
    assert "IMTF" in html and "Introduced by the 2006 IMPP guidelines" in html
    assert "version 2" in html


def test_current_glossary_is_the_latest_published_version(
    client, personas, published, published_v2
):
    client.force_login(personas.respondent_a)
    html = client.get(reverse("questionnaires:glossary")).content.decode()
    assert "version 2" in html and "IMTF" in html


def test_glossary_page_before_anything_is_published_says_so(client, personas):
    client.force_login(personas.respondent_a)
    response = client.get(reverse("questionnaires:glossary"))
    assert response.status_code == 200
    assert "No questionnaire has been published yet." in response.content.decode()


def test_version_glossary_of_a_draft_is_for_administrators_only(client, personas, published_v2):
    draft = questionnaire_clone(questionnaire=published_v2)
    url = reverse("questionnaires:version_glossary", args=[draft.pk])
    client.force_login(personas.analyst)
    assert client.get(url).status_code == 404
    client.force_login(personas.admin)
    response = client.get(url)
    assert response.status_code == 200 and "IMTF" in response.content.decode()


def test_glossary_is_sent_to_login_for_anonymous_visitors(client, published_v2):
    assert client.get(reverse("questionnaires:glossary")).status_code == 302
    url = reverse("questionnaires:version_glossary", args=[published_v2.pk])
    assert client.get(url).status_code == 302


def test_v1_version_glossary_says_it_has_none(client, personas, published):
    client.force_login(personas.respondent_a)
    url = reverse("questionnaires:version_glossary", args=[published.pk])
    assert "This version has no glossary." in client.get(url).content.decode()
