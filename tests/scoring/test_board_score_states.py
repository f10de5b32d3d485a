"""The board's score panel says what is true in each state: nothing to score yet (a draft no
component has completed), scoring (asked for, not computed yet), or the results."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from scoring.selectors import assessment_scores

pytestmark = pytest.mark.django_db

SCORING = "Scoring…"
NOTHING_YET = "Nothing to score yet"


def _board(client, user, assessment) -> str:
    client.force_login(user)
    return client.get(reverse("assessments:board", args=[assessment.pk])).content.decode()


def test_draft_board_says_nothing_to_score_yet_not_scoring(client, personas, assessment_a):
    scores = assessment_scores(assessment=assessment_a)
    assert (scores.score_set, scores.pending, scores.nothing_to_score) == (None, False, True)
    html = _board(client, personas.focal_point_a, assessment_a)
    assert NOTHING_YET in html
    assert SCORING not in html


def test_board_says_scoring_once_scoring_was_asked_for(client, personas, assessment_a):
    Assessment.objects.filter(pk=assessment_a.pk).update(scoring_requested_at=timezone.now())
    assessment_a.refresh_from_db()
    scores = assessment_scores(assessment=assessment_a)
    assert (scores.pending, scores.nothing_to_score) == (True, False)
    html = _board(client, personas.focal_point_a, assessment_a)
    assert SCORING in html
    assert NOTHING_YET not in html
