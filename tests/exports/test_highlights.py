"""The focal point's highlights of the quarter, printed on the scorecard."""

import pytest
from django.urls import reverse

from assessments.models import HIGHLIGHTS_MAX_LENGTH, Assessment, AssessmentStatus

pytestmark = pytest.mark.django_db


def _post(client, assessment, text):
    return client.post(
        reverse("assessments:highlights", args=[assessment.pk]), {"highlights": text}
    )


def test_focal_point_writes_the_highlights_and_the_board_shows_them_escaped(client, known_data):
    assessment = known_data.assessment("A", "current")
    client.force_login(known_data.personas.focal_point_a)
    response = _post(client, assessment, "Joint cell <b>set up</b>.")
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.highlights == "Joint cell <b>set up</b>."
    board = client.get(reverse("assessments:board", args=[assessment.pk]))
    assert b"Joint cell &lt;b&gt;set up&lt;/b&gt;." in board.content
    assert assessment.history.first().highlights == "Joint cell <b>set up</b>."


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("respondent_a", 403), ("analyst", 403), ("focal_point_b", 404), ("respondent_b", 404)],
)
def test_only_the_missions_focal_point_or_an_administrator_writes_highlights(
    client, known_data, persona, expected
):
    assessment = known_data.assessment("A", "current")
    client.force_login(known_data.personas.all()[persona])
    assert _post(client, assessment, "tampering").status_code == expected
    assert Assessment.objects.get(pk=assessment.pk).highlights == ""


def test_highlights_are_limited_in_length_and_locked_once_approved(client, known_data):
    assessment = known_data.assessment("A", "current")
    client.force_login(known_data.personas.focal_point_a)
    assert _post(client, assessment, "x" * (HIGHLIGHTS_MAX_LENGTH + 1)).status_code == 400
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.APPROVED)
    assert _post(client, assessment, "late").status_code == 400
    assert Assessment.objects.get(pk=assessment.pk).highlights == ""
