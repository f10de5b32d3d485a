"""What each role's home page shows: "what needs me now".

Reads only, composed from the selectors of the boards and dashboards (the cycle board, the
assessments' progress, the stored findings), never a second copy of their rules. Each
function runs a fixed number of queries whatever the number of missions and quarters, except
``respondent_tasks`` and ``focal_point_missions``, which grow with the user's own memberships
(a handful), not with the portfolio.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Action
from actions.selectors import action_is_overdue, open_actions_for_mission
from assessments.models import (
    Assessment,
    AssessmentStatus,
    DimensionTarget,
    IndicatorBandOverride,
    ResponseStatus,
)
from assessments.selectors import (
    assessment_expected_components,
    assessment_is_overdue,
    assessment_previous,
    assessment_progress,
    questionnaire_has_bands,
    scope_label,
)
from dashboards.selectors.common import missions_for, period_latest_scored, previous_quarter
from dashboards.selectors.portfolio import cycle_board
from dashboards.types import CycleBoard, PeriodRef
from exports.models import ExportJob, ExportStatus
from exports.selectors import export_jobs_of_user
from missions.models import Membership, MembershipRole, Mission, Period
from missions.periods import quarter_of
from missions.roles import ANALYST_GROUP, Account, User
from missions.selectors import mission_list_visible_to, period_current
from notifications.models import EmailState, Notification
from questionnaires.applicability import applies_to_component
from questionnaires.models import Dimension, Indicator
from questionnaires.selectors import texts_by_code
from scoring.confidentiality import indicator_values_shown, reader_restrictions
from scoring.flags import OVER_INTEGRATION, SHORTFALL
from scoring.method import LIVE_METHOD_LABELS
from scoring.models import IndicatorScore, ScoreSet
from scoring.results import newest_result

# How far back "recent" reaches on the home pages.
RECENT_EXPORTS = datetime.timedelta(days=14)
FAILED_JOBS_WINDOW = datetime.timedelta(days=7)
# A submitted assessment still without a result this long after submission: scoring failed
# (the sweeper re-sends lost requests within minutes).
SCORING_OVERDUE_AFTER = datetime.timedelta(hours=1)
# How many of the largest alignment changes the analyst's home lists.
TOP_CHANGES = 5


def roles_in_words(
    *, memberships: Sequence[Membership], is_administrator: bool, is_analyst: bool
) -> list[str]:
    """What the user is, in words, for the greeting: "Focal point, Mission A",
    "Respondent for the political component, Mission B", "HQ analyst"."""
    words = []
    for membership in memberships:
        mission = membership.mission.name
        if membership.component:
            words.append(
                _("Respondent for the %(component)s component, %(mission)s")
                % {"component": membership.get_component_display().lower(), "mission": mission}
            )
        elif membership.role == MembershipRole.FOCAL_POINT:
            words.append(_("Focal point, %(mission)s") % {"mission": mission})
        else:
            words.append(
                _("%(role)s, %(mission)s")
                % {"role": membership.get_role_display(), "mission": mission}
            )
    if is_analyst:
        words.append(_("HQ analyst"))
    if is_administrator:
        words.append(_("Administrator"))
    return words


def _days_left(due_on: datetime.date, today: datetime.date) -> int:
    return (due_on - today).days


# --- Respondent -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseTask:
    """One component response of the user's, in an open assessment."""

    assessment: Assessment
    component: str
    component_label: str
    answered: int
    total: int
    complete: bool
    due_on: datetime.date
    days_left: int
    overdue: bool
    next_dimension: Dimension | None

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def respondent_tasks(*, user: Account, today: datetime.date | None = None) -> list[ResponseTask]:
    """Every component the user answers for, in each open assessment of their missions,
    with its progress, due date and the next dimension with an unanswered indicator."""
    today = today or timezone.localdate()
    components: dict[int, list[str]] = {}
    for mission_id, component in Membership.objects.filter(
        user=user, role=MembershipRole.RESPONDENT
    ).values_list("mission_id", "component"):
        components.setdefault(mission_id, []).append(component)
    if not components:
        return []
    assessments = Assessment.objects.filter(
        mission_id__in=components, status=AssessmentStatus.OPEN
    ).select_related("mission", "period", "questionnaire")
    tasks = []
    for assessment in assessments.order_by("period__year", "period__quarter", "mission__code"):
        for progress in assessment_progress(
            assessment=assessment, components=sorted(components[assessment.mission_id])
        ):
            complete = bool(
                progress.response and progress.response.status == ResponseStatus.COMPLETE
            )
            next_dimension = next((d.dimension for d in progress.dimensions if not d.done), None)
            tasks.append(
                ResponseTask(
                    assessment=assessment,
                    component=progress.component,
                    component_label=scope_label(progress.component),
                    answered=progress.answered,
                    total=progress.total,
                    complete=complete,
                    due_on=assessment.period.closes_on,
                    days_left=_days_left(assessment.period.closes_on, today),
                    overdue=not complete and assessment_is_overdue(assessment, today=today),
                    next_dimension=next_dimension,
                )
            )
    return tasks


@dataclass(frozen=True)
class Change:
    """Something that happened to one of the user's assessments since their last visit."""

    when: datetime.datetime
    assessment_id: int
    mission: str
    period: str
    status: str
    reason: str

    @property
    def status_label(self) -> str:
        return str(AssessmentStatus(self.status).label)


def changes_since(*, user: Account, since: datetime.datetime | None) -> list[Change]:
    """Status changes (reopened, submitted, approved) of the user's missions' assessments
    since ``since``, newest first; a reopening carries its reason. Two queries."""
    if since is None:
        return []
    mission_ids = Membership.objects.filter(user=user).values("mission_id")
    history = Assessment.history.model
    before = history.objects.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    ).order_by("-history_date", "-history_id")
    records = (
        history.objects.filter(mission_id__in=mission_ids, history_date__gt=since)
        .annotate(status_before=Subquery(before.values("status")[:1]))
        .select_related("mission", "period")
    )
    changes = [
        Change(
            when=record.history_date,
            assessment_id=record.id,
            mission=record.mission.code,
            period=record.period.label,
            status=record.status,
            reason=record.status_reason if record.status == AssessmentStatus.OPEN else "",
        )
        for record in records
        if record.history_type == "~" and record.status_before not in (None, record.status)
    ]
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes


@dataclass(frozen=True)
class ActionAgreed:
    action: Action
    indicator_codes: tuple[str, ...]  # those the user answers


def actions_agreed_since(*, user: Account, since: datetime.datetime | None) -> list[ActionAgreed]:
    """Actions agreed since ``since`` in the user's missions on indicators their components
    answer (a dimension-wide action counts when the dimension asks them anything). Three
    queries."""
    if since is None:
        return []
    components: dict[int, set[str]] = {}
    for mission_id, component in Membership.objects.filter(
        user=user, role=MembershipRole.RESPONDENT
    ).values_list("mission_id", "component"):
        components.setdefault(mission_id, set()).add(component)
    if not components:
        return []
    actions = list(
        Action.objects.filter(mission_id__in=components, created_at__gt=since)
        .select_related("mission", "assessment__period")
        .order_by("-created_at")
    )
    asked: dict[tuple[int, str], list[tuple[str, list[str]]]] = {}
    for questionnaire_id, code, dimension_code, applies_to in Indicator.objects.filter(
        questionnaire_id__in={a.assessment.questionnaire_id for a in actions}
    ).values_list("questionnaire_id", "code", "dimension__code", "applies_to"):
        asked.setdefault((questionnaire_id, dimension_code), []).append((code, applies_to))
    agreed = []
    for action in actions:
        indicators = asked.get((action.assessment.questionnaire_id, action.dimension_code), [])
        theirs = tuple(
            code
            for code, applies_to in indicators
            if any(applies_to_component(applies_to, c) for c in components[action.mission_id])
            and (not action.indicator_codes or code in action.indicator_codes)
        )
        if theirs:
            agreed.append(ActionAgreed(action=action, indicator_codes=theirs))
    return agreed


# --- Focal point ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentState:
    component: str
    label: str
    answered: int
    total: int
    complete: bool
    respondents: tuple[str, ...]
    late: bool


@dataclass(frozen=True)
class IndicatorFinding:
    code: str
    dimension_code: str
    flag: str
    value: float | None
    band_min: int
    band_max: int
    distance: float | None
    # The indicator's statement in the active language, so a finding reads as more than a code.
    statement: str = ""


@dataclass(frozen=True)
class ActionDue:
    action: Action
    overdue: bool


@dataclass
class FocalPointMission:
    mission: Mission
    assessment: Assessment | None
    due_on: datetime.date | None = None
    days_left: int | None = None
    overdue: bool = False
    components: list[ComponentState] = field(default_factory=list)
    bands_total: int = 0
    bands_set: int = 0
    uses_bands: bool = True
    ready_to_submit: bool = False
    blocked_by: list[str] = field(default_factory=list)
    previous_period: str = ""
    previous_findings: list[IndicatorFinding] = field(default_factory=list)
    # Open actions due this quarter or earlier (overdue), oldest agreement first.
    actions_due: list[ActionDue] = field(default_factory=list)

    @property
    def bands_at_default(self) -> int:
        return self.bands_total - self.bands_set

    @property
    def shortfalls(self) -> list[IndicatorFinding]:
        return [f for f in self.previous_findings if f.flag == SHORTFALL]

    @property
    def over_integrations(self) -> list[IndicatorFinding]:
        return [f for f in self.previous_findings if f.flag == OVER_INTEGRATION]


def _latest_assessment(mission: Mission, period: Period | None) -> Assessment | None:
    """The current quarter's assessment, else the mission's latest one still open."""
    assessments = Assessment.objects.filter(mission=mission).select_related(
        "mission", "period", "questionnaire"
    )
    if period is not None:
        current = assessments.filter(period=period).first()
        if current is not None:
            return current
    return (
        assessments.filter(status=AssessmentStatus.OPEN)
        .order_by("-period__year", "-period__quarter")
        .first()
    )


def _previous_findings(assessment: Assessment, user: Account) -> tuple[str, list[IndicatorFinding]]:
    """The previous quarter's flagged indicators, with the figures ``user`` may see
    (``scoring.confidentiality``)."""
    previous = assessment_previous(mission_id=assessment.mission_id, period=assessment.period)
    if previous is None:
        return "", []
    rows = indicator_values_shown(
        IndicatorScore.objects.filter(
            newest_result("score_set__"),
            score_set__assessment=previous,
            sufficient=True,
            flag__in=(SHORTFALL, OVER_INTEGRATION),
        ),
        reader_restrictions(user=user, mission_id=assessment.mission_id),
    ).order_by("dimension_code", "indicator_code")
    statements = texts_by_code(
        Indicator.objects.filter(questionnaire_id=previous.questionnaire_id), "statement"
    )
    return previous.period.label, [
        IndicatorFinding(
            statement=statements.get(r.indicator_code, ""),
            code=r.indicator_code,
            dimension_code=r.dimension_code,
            flag=r.flag,
            value=r.shown_value,
            band_min=r.band_min,
            band_max=r.band_max,
            distance=r.shown_distance,
        )
        for r in rows
    ]


def focal_point_missions(
    *, user: Account, today: datetime.date | None = None
) -> list[FocalPointMission]:
    """For each mission the user is focal point of: the current quarter at a glance."""
    today = today or timezone.localdate()
    period = period_current(today=today)
    missions = Mission.objects.filter(
        memberships__user=user, memberships__role=MembershipRole.FOCAL_POINT
    ).order_by("code")
    result = []
    for mission in missions:
        assessment = _latest_assessment(mission, period)
        entry = FocalPointMission(mission=mission, assessment=assessment)
        result.append(entry)
        if assessment is None:
            continue
        entry.due_on = assessment.period.closes_on
        entry.days_left = _days_left(entry.due_on, today)
        entry.overdue = assessment_is_overdue(assessment, today=today)
        respondents: dict[str, list[str]] = {}
        for component, first, last, username in Membership.objects.filter(
            mission=mission, role=MembershipRole.RESPONDENT
        ).values_list("component", "user__first_name", "user__last_name", "user__username"):
            respondents.setdefault(component, []).append(f"{first} {last}".strip() or username)
        # The mission-wide response (the focal point's own) counts like any component.
        components = assessment_expected_components(assessment=assessment)
        for progress in assessment_progress(assessment=assessment, components=components):
            complete = bool(
                progress.response and progress.response.status == ResponseStatus.COMPLETE
            )
            entry.components.append(
                ComponentState(
                    component=progress.component,
                    label=scope_label(progress.component),
                    answered=progress.answered,
                    total=progress.total,
                    complete=complete,
                    respondents=tuple(sorted(respondents.get(progress.component, []))),
                    late=not complete and entry.overdue,
                )
            )
        entry.uses_bands = questionnaire_has_bands(questionnaire=assessment.questionnaire)
        if entry.uses_bands:
            entry.bands_total = Indicator.objects.filter(
                questionnaire_id=assessment.questionnaire_id
            ).count()
            entry.bands_set = IndicatorBandOverride.objects.filter(assessment=assessment).count()
        else:
            entry.bands_total = Dimension.objects.filter(
                questionnaire_id=assessment.questionnaire_id
            ).count()
            entry.bands_set = DimensionTarget.objects.filter(assessment=assessment).count()
        if assessment.status == AssessmentStatus.OPEN:
            entry.blocked_by = [c.label for c in entry.components if not c.complete]
            entry.ready_to_submit = not entry.blocked_by and bool(entry.components)
        entry.previous_period, entry.previous_findings = _previous_findings(assessment, user)
        entry.actions_due = [
            ActionDue(action=action, overdue=action_is_overdue(action, today=today))
            for action in open_actions_for_mission(mission=mission)
            if (action.due_year, action.due_quarter) <= quarter_of(today)
        ]
    return result


# --- Analyst and administrator --------------------------------------------------------------


@dataclass(frozen=True)
class AlignmentChange:
    mission: Mission
    before: float | None
    after: float | None
    new_over_integration: tuple[str, ...]

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class Findings:
    period: Period | None
    previous: PeriodRef | None
    changes: tuple[AlignmentChange, ...]


def cycle_now(*, user: User, today: datetime.date | None = None) -> CycleBoard | None:
    """The cycle board (the dashboards' own selector) for the current quarter."""
    period = period_current(today=today)
    if period is None:
        return None
    return cycle_board(user=user, period_id=period.pk, today=today)


def new_findings(*, user: User) -> Findings:
    """Missions whose target alignment moved most between the two latest scored quarters,
    and the indicators newly flagged over-integrated. Four queries."""
    period = period_latest_scored()
    if period is None:
        return Findings(period=None, previous=None, changes=())
    current = PeriodRef(period.pk, period.year, period.quarter)
    earlier = [
        PeriodRef(*row)
        for row in Period.objects.filter(
            Q(year__lt=period.year) | Q(year=period.year, quarter__lt=period.quarter)
        )
        .order_by("year", "quarter")
        .values_list("id", "year", "quarter")
    ]
    previous = previous_quarter(current, [*earlier, current])
    missions = {m.pk: m for m in missions_for(user)}
    period_ids = [current.id] + ([previous.id] if previous else [])
    sets = ScoreSet.objects.filter(
        newest_result(), period_id__in=period_ids, mission_id__in=missions
    ).values_list("mission_id", "period_id", "alignment", "sufficient")
    alignment: dict[tuple[int, int], float | None] = {
        (m, p): (a if ok else None) for m, p, a, ok in sets
    }
    over: dict[tuple[int, int], set[str]] = {}
    for mission_id, period_id, code in IndicatorScore.objects.filter(
        newest_result("score_set__"),
        score_set__period_id__in=period_ids,
        score_set__mission_id__in=missions,
        sufficient=True,
        flag=OVER_INTEGRATION,
    ).values_list("score_set__mission_id", "score_set__period_id", "indicator_code"):
        over.setdefault((mission_id, period_id), set()).add(code)
    changes = []
    for mission_id, mission in missions.items():
        if (mission_id, current.id) not in alignment:
            continue
        before = alignment.get((mission_id, previous.id)) if previous else None
        new_over = over.get((mission_id, current.id), set()) - (
            over.get((mission_id, previous.id), set()) if previous else set()
        )
        changes.append(
            AlignmentChange(
                mission=mission,
                before=before,
                after=alignment[(mission_id, current.id)],
                new_over_integration=tuple(sorted(new_over)),
            )
        )
    changes.sort(key=lambda c: (-(abs(c.delta) if c.delta is not None else -1), c.mission.code))
    notable = [c for c in changes if c.delta or c.new_over_integration][:TOP_CHANGES]
    return Findings(period=period, previous=previous, changes=tuple(notable))


def recent_exports(*, user: User, now: datetime.datetime | None = None) -> QuerySet[ExportJob]:
    """The user's exports that finished in the last two weeks, newest first."""
    now = now or timezone.now()
    return export_jobs_of_user(user=user).filter(
        status=ExportStatus.DONE, finished_at__gte=now - RECENT_EXPORTS
    )[:5]


@dataclass(frozen=True)
class AdministratorTodo:
    awaiting_approval: list[Assessment]
    periods_to_open: Sequence[tuple[Period, int]]
    users_without_mission: list[Account]
    failed_exports: list[ExportJob]
    scoring_overdue: list[Assessment]
    failed_emails: list[Notification]

    @property
    def empty(self) -> bool:
        return not (
            self.awaiting_approval
            or self.periods_to_open
            or self.users_without_mission
            or self.failed_exports
            or self.scoring_overdue
            or self.failed_emails
        )


def administrator_todo(
    *, user: User, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> AdministratorTodo:
    """What needs an administrator. Six queries."""
    now = now or timezone.now()
    today = today or timezone.localdate()
    missions = mission_list_visible_to(user=user)
    awaiting = list(
        Assessment.objects.filter(mission__in=missions, status=AssessmentStatus.SUBMITTED)
        .select_related("mission", "period")
        .order_by("submitted_at")
    )
    # Quarters already open for entry whose assessments are not all opened yet.
    opened = Assessment.objects.filter(period=OuterRef("pk")).values("period")
    periods = []
    mission_count = missions.count()
    for period in Period.objects.filter(opens_on__lte=today, closes_on__gte=today).annotate(
        opened=Exists(opened)
    ):
        have = period.assessments.filter(mission__in=missions).count() if period.opened else 0
        if have < mission_count:
            periods.append((period, mission_count - have))
    users = list(
        Account.objects.filter(is_active=True, is_superuser=False, mission_memberships__isnull=True)
        .exclude(groups__name=ANALYST_GROUP)
        .order_by("username")
    )
    failed = list(
        ExportJob.objects.filter(
            status=ExportStatus.FAILED, created_at__gte=now - FAILED_JOBS_WINDOW
        )
        .select_related("created_by")
        .order_by("-created_at")
    )
    scored = ScoreSet.objects.filter(
        assessment=OuterRef("pk"), method_version__in=LIVE_METHOD_LABELS
    )
    scoring_overdue = list(
        Assessment.objects.filter(
            mission__in=missions,
            status__in=(AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED),
            submitted_at__lt=now - SCORING_OVERDUE_AFTER,
            submitted_at__gte=now - FAILED_JOBS_WINDOW,
        )
        .exclude(Exists(scored))
        .select_related("mission", "period")
    )
    failed_emails = list(
        Notification.objects.filter(
            email_state=EmailState.FAILED, created_at__gte=now - FAILED_JOBS_WINDOW
        )
        .select_related("user")
        .order_by("-created_at")
    )
    return AdministratorTodo(
        failed_emails=failed_emails,
        awaiting_approval=awaiting,
        periods_to_open=periods,
        users_without_mission=users,
        failed_exports=failed,
        scoring_overdue=scoring_overdue,
    )
