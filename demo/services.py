"""Synthetic demo data: fictional missions, recent periods, demo users and their answers.

Everything made here is marked as demo (``Mission.is_demo``) and every mission
name says it is fictional. Running it again changes nothing that exists.
"""

import dataclasses
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from actions.models import Action, ActionStatus
from actions.selectors import assessment_flagged_indicators
from actions.services import action_create, action_note_add, action_update
from assessments.models import Assessment
from dashboards.services import peer_snapshots_take_due
from demo.scenario import V2_QUARTERS, DemoMission, demo_missions, demo_person_name, login_name
from demo.synthetic import SafeguardBands, SyntheticAnswers, SyntheticHistory
from missions.models import Component, Membership, MembershipRole, Mission, Period
from missions.periods import (
    quarter_end,
    quarter_next,
    quarter_of,
    quarter_previous,
    quarter_start,
)
from missions.roles import ANALYST_GROUP, Account
from missions.selectors import context_profiles_for
from missions.services import context_profile_set
from questionnaires.context import indicator_band
from questionnaires.formats import spec_from_file
from questionnaires.models import Indicator, Questionnaire, QuestionnaireStatus
from questionnaires.services import questionnaire_load
from scoring.services import assessment_scores_compute

DEMO_PASSWORD = "demo"  # noqa: S105 (documented demo login, demo data only)
# Loaded in this order, as `make demo` does: the older quarters answer v1, the latest v2.
_DATA = Path(__file__).resolve().parent.parent / "questionnaires" / "data"
DEMO_QUESTIONNAIRE_FILES = (
    _DATA / "imp-core-v1.yaml",
    _DATA / "imp-core-v2.yaml",
    _DATA / "imp-core-v3.yaml",
)


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


def demo_questionnaires_ensure() -> list[Questionnaire]:
    """IMP-CORE v1, v2 and v3, loaded and published in that order (so v3, published last, is
    the version new quarters use, and the one method 3 reads the demo's v1 and v2 answers on,
    mapped by code); a version already published is left as it is."""
    questionnaires = []
    for path in DEMO_QUESTIONNAIRE_FILES:
        spec = spec_from_file(path)
        questionnaire = Questionnaire.objects.filter(
            code=spec.code,
            version=spec.version,
            status__in=[QuestionnaireStatus.PUBLISHED, QuestionnaireStatus.RETIRED],
        ).first()
        if questionnaire is None:
            questionnaire = questionnaire_load(spec=spec, publish=True).questionnaire
        questionnaires.append(questionnaire)
    return questionnaires


def demo_seed(
    *, missions: int = 6, quarters: int = 8, answers: bool = True, score: bool = True
) -> list[DemoLogin]:
    """Create (or keep) demo missions, periods, users and synthetic answers.

    Past quarters are complete (the last one submitted, older ones approved) and
    scored; the current quarter is open and partly filled. The latest ``V2_QUARTERS``
    quarters, the current one included, are answered on IMP-CORE v2, the older ones on
    v1; IMP-CORE v3 is published too, so scoring (method 3) reads both on it, and a quarter
    opened after the demo's current one is asked on it. Returns the logins.
    """
    periods = demo_periods_ensure(quarters=quarters)
    logins = _demo_people(missions=missions)
    _demo_profiles(periods, {scenario.code: scenario for scenario in demo_missions(missions)})
    if answers:
        v1, v2, v3 = demo_questionnaires_ensure()
        questionnaire_of = {
            period.pk: v2 if age < V2_QUARTERS else v1
            for age, period in enumerate(reversed(periods))
        }
        versions = {q.pk: SyntheticAnswers(q) for q in (v1, v2)}
        to_score = []
        scenarios = {scenario.code: scenario for scenario in demo_missions(missions)}
        for mission in Mission.objects.filter(is_demo=True, code__in=scenarios).order_by("code"):
            to_score += SyntheticHistory(
                mission,
                scenarios[mission.code],
                versions,
                safeguard_bands=_safeguard_bands(mission, periods, v3),
            ).write(periods, questionnaire_of, current=periods[-1])
        if score:
            for assessment_id in to_score:
                assessment_scores_compute(assessment_id=assessment_id)
            _demo_actions(periods, scenarios)
            # The past quarters are closed: freeze their peer figures now, as the hourly task
            # would (quarters frozen already are kept as they are).
            peer_snapshots_take_due()
    return logins


def _safeguard_bands(
    mission: Mission, periods: list[Period], questionnaire: Questionnaire
) -> SafeguardBands:
    """Each quarter's band of every safeguard indicator of ``questionnaire`` (IMP-CORE v3) under
    the mission's context profile that quarter, with its voice components (one query for the
    profiles; the indicators are read once per mission)."""
    safeguards = list(Indicator.objects.filter(questionnaire=questionnaire, safeguard=True))
    profiles = context_profiles_for(pairs=[(mission.pk, period) for period in periods])
    bands: SafeguardBands = {}
    for period in periods:
        profile = profiles[(mission.pk, period.pk)]
        for indicator in safeguards:
            band = indicator_band(indicator, profile)
            if band is not None:
                bands.setdefault(period.pk, {})[indicator.code] = (
                    tuple(indicator.voice),
                    band.band_min,
                    band.band_max,
                )
    return bands


def _demo_profiles(periods: list[Period], scenarios: dict[str, DemoMission]) -> None:
    """Each mission's context profile from the first quarter on, and the scenario's phase
    change where it has one (a change marker with its reason); kept if recorded."""
    for mission in Mission.objects.filter(is_demo=True, code__in=scenarios).order_by("code"):
        scenario = scenarios[mission.code]
        profile = scenario.profile
        if scenario.phase_change is not None:
            age, phase, reason = scenario.phase_change
            before = dataclasses.replace(profile, phase=str(phase))
            context_profile_set(
                mission=mission, period=periods[0], profile=before, reason="", by=None
            )
            changed_in = periods[-1 - age]
            context_profile_set(
                mission=mission, period=changed_in, profile=profile, reason=reason, by=None
            )
            continue
        context_profile_set(mission=mission, period=periods[0], profile=profile, reason="", by=None)


def _demo_actions(periods: list[Period], scenarios: dict[str, DemoMission]) -> None:
    """The scenario's actions, agreed on scored past quarters; kept if they exist."""
    for mission in Mission.objects.filter(is_demo=True, code__in=scenarios).order_by("code"):
        for planned in scenarios[mission.code].actions:
            if Action.objects.filter(mission=mission, description=planned.description).exists():
                continue
            period = periods[-1 - planned.agreed_age]
            assessment = Assessment.objects.filter(mission=mission, period=period).first()
            if assessment is None:
                continue
            flagged = {
                f.code for f in assessment_flagged_indicators(assessment=assessment, user=None)
            }
            on_indicator = planned.indicator_code in flagged
            due = (period.year, period.quarter)
            for _i in range(planned.due_after):
                due = quarter_next(*due)
            action = action_create(
                assessment=assessment,
                by=None,
                description=planned.description,
                owner=planned.owner,
                indicator_codes=[planned.indicator_code] if on_indicator else [],
                dimension_code="" if on_indicator else planned.dimension_code,
                due=due,
            )
            if planned.note:
                action_note_add(action=action, by=None, text=planned.note)
            if planned.status != ActionStatus.PLANNED:
                action_update(
                    action=action,
                    by=None,
                    description=action.description,
                    owner=action.owner,
                    due=due,
                    status=planned.status,
                    dropped_reason=planned.dropped_reason,
                )


@transaction.atomic
def _demo_people(*, missions: int) -> list[DemoLogin]:
    password_hash = make_password(DEMO_PASSWORD)
    logins: list[DemoLogin] = []

    def user(username: str, **extra: object) -> Account:
        first_name, last_name = demo_person_name(len(logins))
        account, created = Account.objects.get_or_create(
            username=username,
            defaults={
                "password": password_hash,
                "first_name": first_name,
                "last_name": last_name,
                **extra,
            },
        )
        return account

    user("admin", is_staff=True, is_superuser=True)
    logins.append(DemoLogin("admin", "administrator"))
    analyst = user("analyst")
    analyst.groups.add(Group.objects.get_or_create(name=ANALYST_GROUP)[0])
    logins.append(DemoLogin("analyst", "HQ analyst (all missions, read-only)"))

    for scenario in demo_missions(missions):
        mission, _created = Mission.objects.get_or_create(
            code=scenario.code,
            defaults={
                "name": f"{scenario.name} (fictional)",
                "kind": scenario.kind,
                "region": scenario.region,
                "is_demo": True,
            },
        )
        staff = [(f"{scenario.slug}-focal", MembershipRole.FOCAL_POINT, "")] + [
            (login_name(scenario.slug, component), MembershipRole.RESPONDENT, component)
            for component in scenario.components
        ]
        for username, role, component in staff:
            account = user(username)
            Membership.objects.get_or_create(
                user=account, mission=mission, role=role, component=component
            )
            label = str(MembershipRole(role).label)
            if component:
                label = f"{label}, {Component(component).label}"
            logins.append(DemoLogin(username, f"{label} — {mission.code}"))
    return logins
