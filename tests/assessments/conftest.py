import copy
import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.services import assessment_open
from missions.models import Period
from questionnaires.models import Indicator, Questionnaire
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
    return Questionnaire.objects.get(code="TEST", version=1)


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


# IMP-CORE v2-like content: who answers each indicator, and a default target band.
# (applies_to, target_min, target_max) per indicator code.
V2_APPLICABILITY = {
    "LEAD-01": (["political", "military"], 3, 4),
    "LEAD-02": (["political"], 2, 3),  # not asked of the military
    "HUM-01": ([], 1, 2),  # every component
    "MS-01": (["mission"], 2, 3),  # answered once, by the focal point
    "MS-04": (["mission"], 1, 2),
}
V2_INDICATORS = list(V2_APPLICABILITY)


def _v2_data() -> dict:
    data = copy.deepcopy(SMALL)
    data["version"] = 2
    data["dimensions"].append(
        {
            "code": "MS",
            "title": "Member State coherence",
            "description": "Member States and intergovernmental bodies.",
            "default_target_step": 2,
            "weight": 1,
            "barrier_tags": [],
            "enabler_tags": [],
            "indicators": [indicator("MS-01"), indicator("MS-04", "administrative")],
        }
    )
    return data


@pytest.fixture
def questionnaire_v2(db, tmp_path) -> Questionnaire:
    """Version 2 of TEST with applicability and default bands set on its indicators."""
    import yaml

    path = tmp_path / "small-v2.yaml"
    path.write_text(yaml.safe_dump(_v2_data(), sort_keys=False))
    call_command("questionnaire_load", str(path), "--publish")
    questionnaire = Questionnaire.objects.get(code="TEST", version=2)
    for code, (applies_to, low, high) in V2_APPLICABILITY.items():
        Indicator.objects.filter(questionnaire=questionnaire, code=code).update(
            applies_to=applies_to, target_min=low, target_max=high
        )
    return questionnaire


@pytest.fixture
def military_respondent_a(personas):
    """A respondent for mission A's military component."""
    user = UserFactory(username="military_a")
    MembershipFactory(
        user=user, mission=personas.mission_a, role="respondent", component="military"
    )
    return user


@pytest.fixture
def assessment_a_v2(personas, military_respondent_a, questionnaire_v2, current_period):
    """Mission A's assessment on v2: political and military respond, the focal point answers
    the mission-level indicators."""
    return assessment_open(
        mission=personas.mission_a, period=current_period, questionnaire=questionnaire_v2
    )
