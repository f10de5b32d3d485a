"""Visiting a page never writes: the response row is created by the first save."""

import pytest
from django.urls import reverse

from assessments.models import AssessmentStatus, Response

pytestmark = pytest.mark.django_db


def _urls(assessment):
    args = [assessment.pk, "political"]
    return [
        reverse("assessments:response", args=args),
        reverse("assessments:answer", args=[*args, "LEAD"]),
        reverse("assessments:answer", args=[*args, "HUM"]),
        reverse("assessments:complete", args=args),
    ]


@pytest.mark.parametrize("status", [AssessmentStatus.OPEN, AssessmentStatus.APPROVED])
def test_respondent_get_creates_no_response_row(client, personas, assessment_a, status):
    assessment_a.responses.all().delete()
    assessment_a.status = status
    assessment_a.save()
    client.force_login(personas.respondent_a)
    for url in _urls(assessment_a):
        assert client.get(url, follow=True).status_code == 200, url
    assert not Response.objects.filter(assessment=assessment_a).exists()


def test_page_of_a_component_without_a_row_is_editable_and_the_first_save_creates_it(
    client, personas, assessment_a
):
    assessment_a.responses.all().delete()
    client.force_login(personas.respondent_a)
    answer_url = reverse("assessments:answer", args=[assessment_a.pk, "political", "LEAD"])
    html = client.get(answer_url).content.decode()
    assert 'id="LEAD-01-choice-3"' in html and "disabled" not in html
    assert "data-autosave-url" in html
    complete = client.get(reverse("assessments:complete", args=[assessment_a.pk, "political"]))
    assert "3 indicators have no answer yet" in complete.content.decode()
    saved = client.post(
        reverse("assessments:autosave", args=[assessment_a.pk, "political", "LEAD"]),
        {"LEAD-01-choice": "3", "LEAD-01-revision": "0", "LEAD-02-revision": "0"},
    )
    assert saved.status_code == 200
    assert assessment_a.responses.get().answers.get().choice == "3"


def test_approved_assessment_without_a_row_is_read_only(client, personas, assessment_a):
    assessment_a.responses.all().delete()
    assessment_a.status = AssessmentStatus.APPROVED
    assessment_a.save()
    client.force_login(personas.respondent_a)
    html = client.get(
        reverse("assessments:answer", args=[assessment_a.pk, "political", "LEAD"])
    ).content.decode()
    assert "Read-only" in html and "data-autosave-url" not in html
