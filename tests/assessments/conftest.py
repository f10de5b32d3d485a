import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.services import assessment_open
from missions.models import Period
from questionnaires.models import Questionnaire
from tests.factories import MembershipFactory, PeriodFactory, UserFactory
from tests.questionnaires.conftest import SMALL, indicator  # noqa: F401 (re-exported data)

ALL_INDICATORS = ["LEAD-01", "LEAD-02", "HUM-01"]


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


@pytest.fixture
def current_period(db) -> Period:
    year, quarter = quarter_of(timezone.localdate())
    return PeriodFactory(year=year, quarter=quarter)


@pytest.fixture
def previous_period(db, current_period) -> Period:
    year, quarter = current_period.year, current_period.quarter
    year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return PeriodFactory(year=year, quarter=quarter)


@pytest.fixture
def questionnaire(db, tmp_path) -> Questionnaire:
    import yaml

    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(SMALL, sort_keys=False))
    call_command("questionnaire_load", str(path), "--publish")
    return Questionnaire.objects.get(code="TEST")


@pytest.fixture
def assessment_a(personas, questionnaire, current_period):
    return assessment_open(mission=personas.mission_a, period=current_period)


@pytest.fixture
def assessment_b(personas, questionnaire, current_period):
    return assessment_open(mission=personas.mission_b, period=current_period)


@pytest.fixture
def second_political_respondent_a(personas):
    """Another respondent for mission A's political component (two people, one response)."""
    user = UserFactory(username="respondent_a2")
    MembershipFactory(
        user=user, mission=personas.mission_a, role="respondent", component="political"
    )
    return user
