"""Synthetic demo data: fictional missions, recent periods and demo users.

Everything made here is marked as demo (``Mission.is_demo``) and every mission
name says it is fictional. Running it again changes nothing that exists.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from demo.synthetic import SyntheticAnswers
from missions.models import (
    Component,
    Membership,
    MembershipRole,
    Mission,
    MissionKind,
    Period,
    Region,
)
from missions.periods import quarter_end, quarter_of, quarter_previous, quarter_start
from missions.roles import ANALYST_GROUP
from questionnaires.formats import spec_from_file
from questionnaires.models import Questionnaire, QuestionnaireStatus
from questionnaires.services import questionnaire_load
from scoring.services import assessment_scores_compute

DEMO_PASSWORD = "demo"  # noqa: S105 (documented demo login, demo data only)

# Fictional countries; no real mission, place or acronym.
DEMO_MISSIONS = [
    ("arv", "Integrated Mission in Aravia", MissionKind.PEACEKEEPING, Region.AFRICA),
    ("bor", "Stabilization Mission in Borlandia", MissionKind.PEACEKEEPING, Region.AFRICA),
    ("cor", "Political Office for Corvania", MissionKind.SPECIAL_POLITICAL, Region.MIDDLE_EAST),
    ("das", "Assistance Mission in Dastria", MissionKind.SPECIAL_POLITICAL, Region.ASIA_PACIFIC),
    ("esk", "Peacekeeping Force in Eskeria", MissionKind.PEACEKEEPING, Region.EUROPE),
    ("fen", "Support Mission in Fendral", MissionKind.PEACEKEEPING, Region.AMERICAS),
]
_KINDS = list(MissionKind)
_REGIONS = list(Region)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str


def demo_periods_ensure(*, quarters: int, today: datetime.date | None = None) -> list[Period]:
    """The current quarter and the ``quarters`` before it, oldest first."""
    today = today or timezone.localdate()
    year, quarter = quarter_of(today)
    wanted = []
    for _ in range(quarters + 1):
        wanted.append((year, quarter))
        year, quarter = quarter_previous(year, quarter)
    periods = []
    for year, quarter in reversed(wanted):
        period, _created = Period.objects.get_or_create(
            year=year,
            quarter=quarter,
            defaults={
                "opens_on": quarter_start(year, quarter),
                "closes_on": quarter_end(year, quarter),
            },
        )
        periods.append(period)
    return periods


def _demo_mission_definitions(count: int) -> list[tuple[str, str, str, str]]:
    definitions = list(DEMO_MISSIONS[:count])
    for number in range(len(definitions) + 1, count + 1):
        definitions.append(
            (
                f"d{number:03d}",
                f"Synthetic Mission {number:03d}",
                _KINDS[number % len(_KINDS)],
                _REGIONS[number % len(_REGIONS)],
            )
        )
    return definitions


DEFAULT_QUESTIONNAIRE = (
    Path(__file__).resolve().parent.parent / "questionnaires/data/imp-core-v1.yaml"
)


def _questionnaire() -> Questionnaire:
    published = Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED)
    questionnaire = published.order_by("-published_at", "-version").first()
    if questionnaire is None:
        questionnaire = questionnaire_load(
            spec=spec_from_file(DEFAULT_QUESTIONNAIRE), publish=True
        ).questionnaire
    return questionnaire


def demo_seed(
    *, missions: int = 6, quarters: int = 8, answers: bool = True, score: bool = True
) -> list[DemoLogin]:
    """Create (or keep) demo missions, periods, users and synthetic answers.

    Past quarters are complete (the last one submitted, older ones approved) and
    scored; the current quarter is open and partly filled. Returns the logins.
    """
    periods = demo_periods_ensure(quarters=quarters)
    logins = _demo_people(missions=missions)
    if answers:
        questionnaire = _questionnaire()
        writer = SyntheticAnswers(questionnaire)
        to_score = []
        for mission in Mission.objects.filter(is_demo=True).order_by("code")[:missions]:
            to_score += writer.mission_history(mission, periods, current=periods[-1])
        if score:
            for assessment_id in to_score:
                assessment_scores_compute(assessment_id=assessment_id)
    return logins


@transaction.atomic
def _demo_people(*, missions: int) -> list[DemoLogin]:
    User = get_user_model()
    password_hash = make_password(DEMO_PASSWORD)
    logins: list[DemoLogin] = []

    def user(username: str, **extra) -> "User":
        account, created = User.objects.get_or_create(
            username=username, defaults={"password": password_hash, **extra}
        )
        return account

    user("admin", is_staff=True, is_superuser=True, first_name="Demo", last_name="Administrator")
    logins.append(DemoLogin("admin", "administrator"))
    analyst = user("analyst", first_name="Demo", last_name="Analyst")
    analyst.groups.add(Group.objects.get_or_create(name=ANALYST_GROUP)[0])
    logins.append(DemoLogin("analyst", "HQ analyst (all missions, read-only)"))

    for slug, name, kind, region in _demo_mission_definitions(missions):
        mission, _created = Mission.objects.get_or_create(
            code=f"DEMO-{slug.upper()}",
            defaults={
                "name": f"{name} (fictional)",
                "kind": kind,
                "region": region,
                "is_demo": True,
            },
        )
        staff = [
            (f"{slug}-focal", MembershipRole.FOCAL_POINT, ""),
            (f"{slug}-respondent", MembershipRole.RESPONDENT, Component.POLITICAL),
            (f"{slug}-humanitarian", MembershipRole.RESPONDENT, Component.HUMANITARIAN),
        ]
        for username, role, component in staff:
            account = user(username, first_name="Demo", last_name=f"{mission.code} {role}")
            Membership.objects.get_or_create(
                user=account, mission=mission, role=role, component=component
            )
            label = MembershipRole(role).label
            if component:
                label = f"{label}, {Component(component).label}"
            logins.append(DemoLogin(username, f"{label} — {mission.code}"))
    return logins
