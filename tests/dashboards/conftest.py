"""A small hand-built data set of stored scores, and a bulk builder for query-count tests.

Score rows are written directly with known values (no answers, no scoring run), so every
number a selector returns can be checked by hand. The questionnaire is the tests' small one:
dimensions LEAD and HUM, tags LEAD-B-ROLES (barrier) and LEAD-E-RETREAT (enabler).
"""

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Answer, Assessment, AssessmentStatus, Response, ResponseStatus
from missions.models import Mission, MissionKind, Period, Region
from questionnaires.models import Indicator
from scoring.method import METHODS
from scoring.models import (
    CoherenceLevelScore,
    ComponentDimensionScore,
    DimensionScore,
    ScoreSet,
    TagCount,
)
from tests.assessments.conftest import questionnaire  # noqa: F401 (fixture)
from tests.factories import MissionFactory, PeriodFactory

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def peer_figures_freeze() -> str:
    """Close the books as the hourly task does: freeze every closed quarter's peer values
    (``manage.py peer_figures_freeze``); mission staff see peer figures only from these."""
    out = io.StringIO()
    call_command("peer_figures_freeze", stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _cold_cache():
    cache.clear()
    yield
    cache.clear()


def score_set(
    mission: Mission,
    period: Period,
    questionnaire_version,
    *,
    index: float | None,
    sufficient: bool = True,
    dims: dict | None = None,
    levels: dict | None = None,
    components: dict | None = None,
    tags: dict | None = None,
    status: str = AssessmentStatus.APPROVED,
) -> ScoreSet:
    """One stored result. ``dims``: code -> (score, target, sufficient[, divergence_flag]);
    ``levels``: level -> (score, sufficient); ``components``: component -> {code: score};
    ``tags``: (dimension, tag code, kind) -> count."""
    assessment, _created = Assessment.objects.get_or_create(
        mission=mission,
        period=period,
        defaults={"questionnaire": questionnaire_version, "status": status},
    )
    result = ScoreSet.objects.create(
        assessment=assessment,
        mission=mission,
        period=period,
        method_version=METHODS[2].label,  # a method-2-shaped result
        computed_at=timezone.now(),
        index=index,
        score=None if index is None else index / 25 + 1,
        stage="Coordination" if sufficient else "",
        completeness=1.0 if sufficient else 0.3,
        sufficient=sufficient,
    )
    for code, (score, target, enough, *flag) in (dims or {}).items():
        gap = None if score is None else target - score
        DimensionScore.objects.create(
            score_set=result,
            dimension_code=code,
            score=score,
            completeness=1.0 if enough else 0.25,
            sufficient=enough,
            target=target,
            gap=gap,
            gap_flag=("shortfall" if gap >= 1 else "over_integration" if gap < 0 else "")
            if gap is not None
            else "",
            divergence=2.0 if flag and flag[0] else 0.5,
            divergence_flag=bool(flag and flag[0]),
        )
    for level, (score, enough) in (levels or {}).items():
        CoherenceLevelScore.objects.create(
            score_set=result,
            level=level,
            score=score,
            completeness=1.0 if enough else 0.2,
            sufficient=enough,
        )
    for component, scores in (components or {}).items():
        for code, score in scores.items():
            ComponentDimensionScore.objects.create(
                score_set=result,
                component=component,
                dimension_code=code,
                score=score,
                completeness=1.0,
            )
    for (dimension, code, kind), count in (tags or {}).items():
        TagCount.objects.create(
            score_set=result, dimension_code=dimension, tag_code=code, kind=kind, count=count
        )
    return result


@dataclass
class SmallData:
    a: Mission
    b: Mission
    c: Mission
    d: Mission
    p1: Period
    p2: Period
    p3: Period


@pytest.fixture
def small(personas, questionnaire) -> SmallData:  # noqa: F811
    """Four missions, three closed quarters (2024-Q2 to Q4); see the numbers inline."""
    a, b = personas.mission_a, personas.mission_b  # peacekeeping, Africa
    c = MissionFactory(
        code="MSN-C", kind=MissionKind.SPECIAL_POLITICAL, region=Region.EUROPE, is_demo=True
    )
    d = MissionFactory(code="MSN-D", kind=MissionKind.SPECIAL_POLITICAL, region=Region.MIDDLE_EAST)
    p1, p2, p3 = (PeriodFactory(year=2024, quarter=q) for q in (2, 3, 4))
    q = questionnaire

    # 2024-Q2: A's result is insufficient; B 60, C 10, D 50.
    score_set(a, p1, q, index=30, sufficient=False, tags={("LEAD", "LEAD-E-RETREAT", "enabler"): 4})
    score_set(b, p1, q, index=60)
    score_set(c, p1, q, index=10)
    score_set(d, p1, q, index=50)
    # 2024-Q3: A 40, B 70, C 20, D 60.
    score_set(
        a,
        p2,
        q,
        index=40,
        dims={"LEAD": (2.5, 4, True), "HUM": (2.0, 2, True)},
        levels={
            "policy_strategic": (3.0, True),
            "operational_programmatic": (2.6, True),
            "administrative": (2.0, True),
        },
        tags={("LEAD", "LEAD-B-ROLES", "barrier"): 2},
    )
    score_set(b, p2, q, index=70)
    score_set(c, p2, q, index=20)
    score_set(d, p2, q, index=60)
    # 2024-Q4: A 50, B 75, C 25; D has no result (and no assessment).
    score_set(
        a,
        p3,
        q,
        index=50,
        dims={"LEAD": (3.0, 4, True, True), "HUM": (2.5, 2, True)},
        levels={
            "policy_strategic": (3.2, True),
            "operational_programmatic": (2.8, True),
            "administrative": (1.0, False),
        },
        components={"political": {"LEAD": 2.0, "HUM": 3.0}, "military": {"LEAD": 4.0}},
        tags={("LEAD", "LEAD-B-ROLES", "barrier"): 3, ("LEAD", "LEAD-E-RETREAT", "enabler"): 1},
    )
    score_set(
        b,
        p3,
        q,
        index=75,
        dims={"LEAD": (4.5, 4, True), "HUM": (1.0, 2, False)},
        tags={("LEAD", "LEAD-B-ROLES", "barrier"): 5},
        status=AssessmentStatus.SUBMITTED,
    )
    score_set(
        c,
        p3,
        q,
        index=25,
        dims={"LEAD": (2.0, 4, True), "HUM": (2.0, 2, True)},
        status=AssessmentStatus.OPEN,
    )
    return SmallData(a=a, b=b, c=c, d=d, p1=p1, p2=p2, p3=p3)


def tagged_answer(assessment: Assessment, component: str, indicator_code: str, **fields) -> Answer:
    response, _created = Response.objects.get_or_create(
        assessment=assessment, component=component, defaults={"status": ResponseStatus.COMPLETE}
    )
    indicator = Indicator.objects.get(code=indicator_code)
    return Answer.objects.create(response=response, indicator=indicator, **fields)


@pytest.fixture
def build_many(questionnaire):  # noqa: F811
    """build_many(missions=N, quarters=Q): N missions × Q quarters of stored scores, in bulk."""

    def build(*, missions: int, quarters: int) -> list[Mission]:
        """Idempotent: a second call with more missions or quarters adds only what is new."""
        created = [
            MissionFactory(code=f"BULK-{n:03d}", kind=MissionKind.PEACEKEEPING)
            for n in range(missions)
        ]
        periods = []
        for n in range(quarters):
            year, quarter = 2015 + n // 4, n % 4 + 1
            periods.append(
                PeriodFactory(
                    year=year,
                    quarter=quarter,
                    opens_on=datetime.date(year, 3 * quarter - 2, 1),
                    closes_on=datetime.date(year, 3 * quarter - 2, 28),
                )
            )
        existing = set(
            Assessment.objects.filter(mission__in=created).values_list("mission_id", "period_id")
        )
        assessments = Assessment.objects.bulk_create(
            Assessment(
                mission=m, period=p, questionnaire=questionnaire, status=AssessmentStatus.APPROVED
            )
            for m in created
            for p in periods
            if (m.pk, p.pk) not in existing
        )
        now = timezone.now()
        sets = ScoreSet.objects.bulk_create(
            ScoreSet(
                assessment=a,
                mission_id=a.mission_id,
                period_id=a.period_id,
                method_version=METHODS[2].label,  # a method-2-shaped result
                computed_at=now,
                index=40.0 + (a.pk % 7),
                score=2.6,
                stage="Coordination",
                completeness=1.0,
                sufficient=True,
            )
            for a in assessments
        )
        DimensionScore.objects.bulk_create(
            DimensionScore(
                score_set=s,
                dimension_code=code,
                score=2.5,
                completeness=1.0,
                sufficient=True,
                target=3,
                gap=0.5,
            )
            for s in sets
            for code in ("LEAD", "HUM")
        )
        CoherenceLevelScore.objects.bulk_create(
            CoherenceLevelScore(
                score_set=s, level=level, score=2.5, completeness=1.0, sufficient=True
            )
            for s in sets
            for level in ("policy_strategic", "operational_programmatic", "administrative")
        )
        ComponentDimensionScore.objects.bulk_create(
            ComponentDimensionScore(
                score_set=s, component="political", dimension_code="LEAD", score=2.0, completeness=1
            )
            for s in sets
        )
        TagCount.objects.bulk_create(
            TagCount(
                score_set=s,
                dimension_code="LEAD",
                tag_code="LEAD-B-ROLES",
                kind="barrier",
                count=1,
            )
            for s in sets
        )
        return created

    return build
