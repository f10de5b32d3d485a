"""A hand-built mission over four quarters: three scored (method 2 rows written directly, with
known values) and the current one open. Mission A of the personas, the tests' small
questionnaire (LEAD: LEAD-01, LEAD-02, barrier LEAD-B-ROLES; HUM: HUM-01)."""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus
from missions.models import Period
from missions.periods import quarter_of, quarter_previous
from scoring.method import METHODS
from scoring.models import DimensionScore, IndicatorScore, ScoreSet
from tests.assessments.conftest import questionnaire  # noqa: F401 (fixture)
from tests.factories import PeriodFactory

# Per scored quarter (oldest first): indicator -> (value, flag); dimension -> alignment.
INDICATOR_VALUES = [
    {"LEAD-01": (1.5, "shortfall"), "LEAD-02": (4.5, "over_integration"), "HUM-01": (2.0, "")},
    {"LEAD-01": (2.0, "shortfall"), "LEAD-02": (4.0, "over_integration"), "HUM-01": (2.0, "")},
    {"LEAD-01": (3.0, ""), "LEAD-02": (4.0, "over_integration"), "HUM-01": (1.0, "shortfall")},
]
DIMENSION_ALIGNMENT = [{"LEAD": 40.0, "HUM": 100.0}, {"LEAD": 55.0, "HUM": 100.0},
                       {"LEAD": 70.0, "HUM": 75.0}]  # fmt: skip


def scores(assessment: Assessment, indicators: dict, dimensions: dict) -> ScoreSet:
    score_set = ScoreSet.objects.create(
        assessment=assessment,
        mission=assessment.mission,
        period=assessment.period,
        method_version=METHODS[2].label,  # a method-2-shaped result
        computed_at=timezone.now(),
        completeness=1.0,
        sufficient=True,
        alignment=50.0,
    )
    for code, (value, flag) in indicators.items():
        IndicatorScore.objects.create(
            score_set=score_set,
            indicator_code=code,
            dimension_code=code.split("-")[0],
            applicable=True,
            value=value,
            band_min=3,
            band_max=3,
            distance=0,
            flag=flag,
            counted=2,
            expected=2,
            sufficient=True,
        )
    for code, alignment in dimensions.items():
        DimensionScore.objects.create(
            score_set=score_set,
            dimension_code=code,
            completeness=1.0,
            sufficient=True,
            alignment=alignment,
        )
    return score_set


@dataclass
class Quarters:
    periods: list[Period]  # oldest first; the last is the current quarter
    assessments: list[Assessment]

    @property
    def current(self) -> Assessment:
        return self.assessments[-1]


@pytest.fixture
def quarters(personas, questionnaire) -> Quarters:  # noqa: F811
    year, quarter = quarter_of(timezone.localdate())
    labels = [(year, quarter)]
    for _i in range(3):
        labels.insert(0, quarter_previous(*labels[0]))
    periods = [PeriodFactory(year=y, quarter=q) for y, q in labels]
    statuses = [
        AssessmentStatus.APPROVED,
        AssessmentStatus.APPROVED,
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.OPEN,
    ]
    assessments = [
        Assessment.objects.create(
            mission=personas.mission_a, period=period, questionnaire=questionnaire, status=status
        )
        for period, status in zip(periods, statuses, strict=True)
    ]
    for assessment, indicators, dimensions in zip(
        assessments, INDICATOR_VALUES, DIMENSION_ALIGNMENT, strict=False
    ):
        scores(assessment, indicators, dimensions)
    return Quarters(periods=periods, assessments=assessments)
