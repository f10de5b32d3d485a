"""Issue 25, item 3: peer figures cannot be differenced across quarters.

With 6 peers in one quarter and the same peers less one in the next, exact medians give the
missing peer's score (``2 × median₁ − median₂``). Mission staff's peer figures come only from
a snapshot frozen when the quarter closed (approved assessments, never changed afterwards),
rounded to 10-point bins.

The proof replays the attack as a respondent of another mission through every surface that
shows them peer figures (the profile page's charts for each ``?period=``, each chart's CSV,
the scorecard PDF and the API), in two worlds of peer scores whose missing peers are 23.5
points apart. Everything the respondent receives is identical in both worlds, so no
combination of the figures (across quarters, filters, page, CSV, PDF and API) can place the
missing peer within ±5 of its score in both; the naive ``2 × median₁ − median₂`` is more than 5
off in each.
"""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import Assessment, AssessmentStatus
from dashboards.disclosure import MISSION_STAFF, coarsened
from dashboards.models import PeerSnapshot
from missions.models import Mission, MissionKind, Region
from scoring.models import ScoreSet
from tests.api.conftest import bearer, token_for
from tests.dashboards.conftest import peer_figures_freeze, score_set
from tests.dashboards.test_disclosure import _figure, _figure_peers
from tests.dashboards.test_disclosure import no_browser as no_browser  # the fixture
from tests.factories import MissionFactory, PeriodFactory

pytestmark = pytest.mark.django_db

# Six peers; the third (WORLD_A) or fourth (WORLD_B) in order is missing from the second
# quarter. A: the missing peer is below the median; B: above it.
WORLD_A = [10.0, 12.0, 19.5, 31.0, 70.0, 80.0]
WORLD_B = [10.0, 12.0, 26.0, 43.0, 70.0, 80.0]
MISSING_A, MISSING_B = 2, 3
CHARTS = ("index_trend", "alignment_trend")


def _exact_medians(scores: list[float], missing: int) -> tuple[float, float]:
    first = sorted(scores)
    second = sorted(s for i, s in enumerate(scores) if i != missing)
    return (first[2] + first[3]) / 2, second[2]


def _with_alignment(result: ScoreSet, value: float) -> None:
    """A method-2 result: the alignment beside the integration level, nothing lost."""
    ScoreSet.objects.filter(pk=result.pk).update(
        alignment=value,
        shortfall=0.0,
        over_integration=0.0,
        shortfall_count=0,
        over_integration_count=0,
    )


def _build_world(personas, questionnaire, scores, missing, periods) -> None:
    """The six peers, scored on the index and the alignment (same values) in both quarters
    but the missing one in the second; the respondent's own mission at 50 in both."""
    first, second = periods
    for position, score in enumerate(scores):
        peer = MissionFactory(code=f"PEER-{position}")
        for period in (first, second) if position != missing else (first,):
            result = score_set(peer, period, questionnaire, index=score)
            _with_alignment(result, score)
    peer_figures_freeze()


def _clear_world(personas) -> None:
    PeerSnapshot.objects.all().delete()
    Assessment.objects.filter(mission__code__startswith="PEER-").delete()
    Mission.objects.filter(code__startswith="PEER-").delete()


def _pdf(client, mission, period, drawn) -> dict:
    drawn.clear()
    response = client.post(reverse("exports:mission_scorecard", args=[mission.pk, period.pk]))
    assert response.status_code == 302
    download = client.get(response["Location"])
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    figures = [
        _figure_peers(json.loads(figure.to_json()))
        for figure in drawn
        if any("Peer" in str(trace.name) for trace in figure.data)
    ]
    peer_lines = [line for line in text.splitlines() if "peer" in line.lower()]
    return {"figures": figures, "peer_lines": peer_lines}


def _everything_seen(client, personas, periods, drawn) -> dict:
    """Every peer figure a respondent of mission A is shown, on every surface, for every
    quarter they can ask for."""
    user, mission = personas.respondent_a, personas.mission_a
    client.force_login(user)
    seen: dict = {}
    url = reverse("dashboards:profile", args=[mission.pk])
    for period in [None, *periods]:
        query = f"?period={period.pk}" if period else "?"
        page = client.get(url + query)
        assert page.status_code == 200
        for chart in CHARTS:
            seen[(str(period), chart, "page")] = _figure_peers(
                _figure(page.content.decode(), chart)
            )
            response = client.get(f"{url}{query}&format=csv&chart={chart}")
            assert response.status_code == 200
            seen[(str(period), chart, "csv")] = response.content.decode()
        if period is not None:
            seen[(str(period), "pdf")] = _pdf(client, mission, period, drawn)
    key = token_for(user)
    peers = reverse("api:mission_peers", args=[mission.code])
    api = client.get(peers, **bearer(key))
    assert api.status_code == 200
    seen["api"] = api.json()["results"]
    api_csv = client.get(peers + "?format=csv", **bearer(key))
    assert api_csv.status_code == 200
    seen["api_csv"] = api_csv.content.decode()
    return seen


def _medians_from_csv(text: str, periods) -> list[float | None]:
    rows = list(csv.DictReader(io.StringIO(text)))
    by_quarter = {row["Quarter"]: row.get("Peer median", "") for row in rows}
    return [float(v) if (v := by_quarter.get(p.label, "")) else None for p in periods]


def test_differencing_the_frozen_figures_pins_no_peer_within_5_points(
    client, personas, questionnaire, no_browser
):
    periods = [PeriodFactory(year=2021, quarter=1), PeriodFactory(year=2021, quarter=2)]
    for period in periods:
        result = score_set(personas.mission_a, period, questionnaire, index=50.0)
        _with_alignment(result, 50.0)

    worlds = {}
    for name, scores, missing in (("A", WORLD_A, MISSING_A), ("B", WORLD_B, MISSING_B)):
        # On exact medians the attack works (it is the right attack).
        exact = _exact_medians(scores, missing)
        assert 2 * exact[0] - exact[1] == pytest.approx(scores[missing])
        _build_world(personas, questionnaire, scores, missing, periods)
        worlds[name] = _everything_seen(client, personas, periods, no_browser)
        _clear_world(personas)

    seen = worlds["A"]
    # The respondent is shown peer figures (the attack has material) ...
    shown = _medians_from_csv(seen[(str(periods[-1]), "index_trend", "csv")], periods)
    assert shown == [30.0, 30.0]
    assert [row["median"] for row in seen["api"]] == [30.0, 30.0, 30.0, 30.0]
    assert any(seen[(str(periods[-1]), "pdf")]["figures"])
    # ... but not the count, nor quartiles (6 peers < 10).
    assert all(row["missions"] is None and row["q1"] is None for row in seen["api"])
    # Both worlds give the respondent exactly the same thing, on every surface.
    assert worlds["A"] == worlds["B"]
    missing_a, missing_b = WORLD_A[MISSING_A], WORLD_B[MISSING_B]
    assert abs(missing_a - missing_b) > 2 * 5
    # So any reading of the figures is more than 5 points off in one world at least; the
    # classic one is off in both.
    guess = 2 * shown[0] - shown[1]
    assert abs(guess - missing_a) > 5 and abs(guess - missing_b) > 5


def test_both_worlds_publish_the_same_coarsened_figures():
    """The arithmetic behind the HTTP test: identical published medians, missing peers 23.5
    points apart."""

    def published(scores, missing):
        return tuple(coarsened(m, rule=MISSION_STAFF) for m in _exact_medians(scores, missing))

    assert published(WORLD_A, MISSING_A) == published(WORLD_B, MISSING_B) == (30.0, 30.0)


def _index_medians(client, user, mission, periods) -> list[float | None]:
    client.force_login(user)
    url = reverse("dashboards:profile", args=[mission.pk])
    text = client.get(f"{url}?period={periods[-1].pk}&format=csv&chart=index_trend").content
    return _medians_from_csv(text.decode(), periods)


def _api_medians(client, user, mission) -> list:
    response = client.get(
        reverse("api:mission_peers", args=[mission.code]), **bearer(token_for(user))
    )
    assert response.status_code == 200
    return [(row["quarter"], row["measure"], row["median"]) for row in response.json()["results"]]


def test_frozen_figures_never_move(client, personas, questionnaire):
    """After the freeze: a rescoring, a late approval, a mission changing kind or region, a
    deleted assessment and a second freezing run change nothing mission staff see."""
    period = PeriodFactory(year=2021, quarter=3)
    score_set(personas.mission_a, period, questionnaire, index=50.0)
    peers = [MissionFactory(code=f"FROZEN-{i}") for i in range(7)]
    results = [
        score_set(peer, period, questionnaire, index=21.0 + 10 * i)
        for i, peer in enumerate(peers[:6])
    ]
    late = score_set(peers[6], period, questionnaire, index=95.0, status=AssessmentStatus.SUBMITTED)
    out = peer_figures_freeze()
    assert f"Froze the peer figures of {period}." in out
    before = _index_medians(client, personas.respondent_a, personas.mission_a, [period])
    api_before = _api_medians(client, personas.respondent_a, personas.mission_a)
    assert before == [50.0]  # the median of 21, 31, … 71 is 46, coarsened to 50

    ScoreSet.objects.filter(pk__in=[r.pk for r in results[:3]]).update(index=99.0)
    Assessment.objects.filter(pk=late.assessment_id).update(
        status=AssessmentStatus.APPROVED, approved_at=timezone.now()
    )
    Mission.objects.filter(pk=peers[0].pk).update(
        kind=MissionKind.SPECIAL_POLITICAL, region=Region.EUROPE, is_demo=True
    )
    Assessment.objects.filter(mission=peers[5]).delete()
    assert "0 quarter(s) frozen" in peer_figures_freeze()

    assert _index_medians(client, personas.respondent_a, personas.mission_a, [period]) == before
    assert _api_medians(client, personas.respondent_a, personas.mission_a) == api_before
    # Analysts read the live rows (exact, with the count): they see the change.
    assert _index_medians(client, personas.analyst, personas.mission_a, [period]) != before


def test_closed_but_unfrozen_and_open_quarters_show_no_peer_figure(client, personas, questionnaire):
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
        score_set(peer, open_quarter, questionnaire, index=10.0 * position + 1)
        score_set(peer, closed, questionnaire, index=10.0 * position + 1)
    for period in (closed, open_quarter):
        score_set(personas.mission_a, period, questionnaire, index=50.0)
    periods = [closed, open_quarter]
    # Closed, approved, but not frozen yet: nothing; open: nothing, whatever ?period= asks.
    for period in periods:
        assert _index_medians(client, personas.respondent_a, personas.mission_a, [period]) == [None]
    assert all(
        m is None for _q, _m, m in _api_medians(client, personas.respondent_a, personas.mission_a)
    )
    # The freeze takes the closed quarter only.
    peer_figures_freeze()
    assert PeerSnapshot.objects.filter(period=closed).exists()
    assert not PeerSnapshot.objects.filter(period=open_quarter).exists()
    assert _index_medians(client, personas.respondent_a, personas.mission_a, periods) == [
        30.0,
        None,
    ]
    # Analysts (who see every mission anyway) still get both quarters' exact figures.
    assert None not in _index_medians(client, personas.analyst, personas.mission_a, periods)


def test_unapproved_assessments_are_not_frozen(client, personas, questionnaire):
    closed = PeriodFactory(year=2020, quarter=3)
    for position in range(6):
        peer = MissionFactory(code=f"SUB-{position}")
        score_set(
            peer, closed, questionnaire, index=10.0 * position, status=AssessmentStatus.SUBMITTED
        )
    score_set(personas.mission_a, closed, questionnaire, index=50.0)
    peer_figures_freeze()
    assert _index_medians(client, personas.respondent_a, personas.mission_a, [closed]) == [None]
