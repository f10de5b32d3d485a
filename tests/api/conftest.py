"""Stored scores for four missions (the dashboards' small data set) and tokens for personas."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from actions.models import Action
from api.services import api_token_create
from assessments.models import Assessment
from scoring.models import CoherenceLevelScore, IndicatorScore, ScoreSet
from tests.dashboards.conftest import questionnaire  # noqa: F401 (fixture)
from tests.dashboards.conftest import small as dashboards_small

PERSONAS = ["respondent_a", "focal_point_a", "respondent_b", "focal_point_b", "analyst", "admin"]
ALL_MISSIONS = {"MSN-A", "MSN-B", "MSN-C", "MSN-D"}
VISIBLE = {
    "respondent_a": {"MSN-A"},
    "focal_point_a": {"MSN-A"},
    "respondent_b": {"MSN-B"},
    "focal_point_b": {"MSN-B"},
    "analyst": ALL_MISSIONS,
    "admin": ALL_MISSIONS,
}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


# The rationale a focal point typed starts like a formula: CSV cells must neutralise it.
FORMULA_RATIONALE = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def small(personas, questionnaire):  # noqa: F811
    """The dashboards' small data set, plus method-2 indicator findings for 2024-Q4."""
    data = dashboards_small.__wrapped__(personas, questionnaire)
    for score_set in ScoreSet.objects.filter(period=data.p3):
        for number, (value, flag) in enumerate([(2.0, "shortfall"), (3.0, "")], start=1):
            IndicatorScore.objects.create(
                score_set=score_set,
                indicator_code=f"LEAD-0{number}",
                dimension_code="LEAD",
                applicable=True,
                value=value,
                band_min=3,
                band_max=4,
                band_overridden=number == 1,
                rationale=FORMULA_RATIONALE if number == 1 else "",
                distance=-1.0 if flag else 0.0,
                flag=flag,
                counted=2,
                expected=2,
                sufficient=True,
                spread=1,
            )
    for mission in (data.a, data.b):
        Action.objects.create(
            mission=mission,
            assessment=Assessment.objects.get(mission=mission, period=data.p3),
            description=f"Joint planning cell for {mission.code}",
            dimension_code="LEAD",
            owner="Office of the SRSG",
            due_year=2025,
            due_quarter=2,
            created_by=personas.focal_point_a,
        )
    CoherenceLevelScore.objects.create(
        score_set=ScoreSet.objects.get(mission=data.b, period=data.p3),
        level="policy_strategic",
        score=4.0,
        completeness=1.0,
        sufficient=True,
    )
    return data


def token_for(user, name: str = "BI tool", *, second_factor_verified: bool = False) -> str:
    _token, key = api_token_create(
        user=user,
        name=name,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        second_factor_verified=second_factor_verified,
    )
    return key


@pytest.fixture
def tokens(personas) -> dict[str, str]:
    return {name: token_for(user) for name, user in personas.all().items()}


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
