"""Issue 25, item 3: peer figures cannot be differenced across quarters.

With 6 peers in one quarter and the same peers less one in the next, the exact medians give
the missing peer's score (``2 × median₁ − median₂``). Mission staff's peer figures are
rounded to 10-point bins, come only from approved assessments of closed quarters, and so the
attack replayed through the profile's CSV pins nothing closer than ±5: two sets of peer
scores that publish the same figures differ by 26 points on the missing peer.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentStatus
from dashboards.disclosure import MISSION_STAFF, coarsened
from tests.dashboards.conftest import score_set
from tests.factories import MissionFactory, PeriodFactory

pytestmark = pytest.mark.django_db

# Two worlds of peer scores, the fourth peer missing from the second quarter in each.
WORLD_A = [10.0, 20.0, 33.0, 37.0, 60.0, 70.0]  # missing peer: 37
WORLD_B = [10.0, 20.0, 26.0, 63.0, 70.0, 80.0]  # missing peer: 63
MISSING = 3


def _medians(user, client, mission, periods) -> list[float | None]:
    """The peer median of each quarter, as the profile's index-trend CSV gives it."""
    client.force_login(user)
    url = reverse("dashboards:profile", args=[mission.pk])
    text = client.get(f"{url}?period={periods[-1].pk}&format=csv&chart=index_trend").content
    rows = list(csv.DictReader(io.StringIO(text.decode())))
    by_quarter = {row["Quarter"]: row.get("Peer median", "") for row in rows}
    return [float(v) if (v := by_quarter.get(p.label, "")) else None for p in periods]


def _exact_medians(scores: list[float]) -> tuple[float, float]:
    first = sorted(scores)
    second = sorted(s for i, s in enumerate(scores) if i != MISSING)
    return (first[2] + first[3]) / 2, second[2]


def _world(personas, questionnaire, scores, *, year: int):
    first = PeriodFactory(year=year, quarter=1)
    second = PeriodFactory(year=year, quarter=2)
    for position, score in enumerate(scores):
        peer = MissionFactory(code=f"P{year}-{position}")
        score_set(peer, first, questionnaire, index=score)
        if position != MISSING:
            score_set(peer, second, questionnaire, index=score)
    for period in (first, second):
        score_set(personas.mission_a, period, questionnaire, index=50.0)
    return [first, second]


@pytest.mark.parametrize(("scores", "year"), [(WORLD_A, 2021), (WORLD_B, 2022)])
def test_differencing_two_quarters_does_not_give_the_missing_peer(
    client, personas, questionnaire, scores, year
):
    periods = _world(personas, questionnaire, scores, year=year)
    # On exact medians the attack works (it is the right attack).
    exact = _exact_medians(scores)
    assert 2 * exact[0] - exact[1] == pytest.approx(scores[MISSING])
    # Mission staff see the same published figures in both worlds: 40 and 30.
    shown = _medians(personas.respondent_a, client, personas.mission_a, periods)
    assert shown == [40.0, 30.0]
    guess = 2 * shown[0] - shown[1]
    assert abs(guess - scores[MISSING]) > 5


def test_the_same_figures_fit_missing_peers_26_points_apart():
    """The error bound: both worlds publish identical figures, so no reading of them places
    the missing peer within ±5 of both 37 and 63."""

    def published(scores):
        return tuple(coarsened(m, rule=MISSION_STAFF) for m in _exact_medians(scores))

    assert published(WORLD_A) == published(WORLD_B) == (40.0, 30.0)
    assert abs(WORLD_A[MISSING] - WORLD_B[MISSING]) > 2 * 5


def test_open_quarters_and_unapproved_assessments_never_reach_mission_staff(
    client, personas, questionnaire
):
    today = timezone.localdate()
    open_quarter = PeriodFactory(
        year=today.year + 1,
        quarter=1,
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=80),
    )
    closed = PeriodFactory(year=2020, quarter=4)
    for position in range(6):
        peer = MissionFactory(code=f"OPEN-{position}")
        score_set(peer, open_quarter, questionnaire, index=10.0 * position)
        score_set(
            peer, closed, questionnaire, index=10.0 * position, status=AssessmentStatus.SUBMITTED
        )
    for period in (closed, open_quarter):
        score_set(personas.mission_a, period, questionnaire, index=50.0)
    periods = [closed, open_quarter]
    assert _medians(personas.respondent_a, client, personas.mission_a, periods) == [None, None]
    # Analysts (who see every mission anyway) still get both quarters' exact figures.
    assert None not in _medians(personas.analyst, client, personas.mission_a, periods)
