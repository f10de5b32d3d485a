"""Reads about actions: the board's panel, the notes beside indicators, the follow-up per
mission, the analysts' portfolio, the data export, and the lists other apps use
(``open_actions_for_mission``, ``overdue_actions``). Each runs a fixed number of queries,
whatever the number of actions, missions or quarters.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db.models import Field, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from actions import permissions
from actions.models import CLOSED_STATUSES, Action, ActionNote, ActionStatus
from assessments.models import Assessment
from missions.models import Membership, Mission
from missions.periods import quarter_label, quarter_of
from missions.roles import User
from missions.selectors import mission_list_visible_to
from questionnaires.models import Dimension, DimensionTag, Indicator, TagKind
from scoring.confidentiality import (
    dimension_values_shown,
    indicator_values_shown,
    reader_restrictions,
)
from scoring.flags import OVER_INTEGRATION, SHORTFALL, flag_key, flag_style
from scoring.models import DimensionScore, IndicatorScore
from scoring.results import newest_result

Quarter = tuple[int, int]


def _today_quarter(today: datetime.date | None) -> Quarter:
    return quarter_of(today or timezone.localdate())


def _actions() -> QuerySet[Action]:
    return Action.objects.select_related("mission", "assessment__period", "owner_user").order_by(
        "mission__code", "assessment__period__year", "assessment__period__quarter", "pk"
    )


def _open() -> Q:
    return ~Q(status__in=CLOSED_STATUSES)


def _due_before(quarter: Quarter) -> Q:
    year, number = quarter
    return Q(due_year__lt=year) | Q(due_year=year, due_quarter__lt=number)


def _agreed_up_to(quarter: Quarter) -> Q:
    year, number = quarter
    return Q(assessment__period__year__lt=year) | Q(
        assessment__period__year=year, assessment__period__quarter__lte=number
    )


def action_is_overdue(action: Action, *, today: datetime.date | None = None) -> bool:
    """Its due quarter has passed and it is not closed (done or dropped)."""
    return action.is_open and (action.due_year, action.due_quarter) < _today_quarter(today)


def agreed_label(action: Action) -> str:
    """The quarter the action was agreed in ("2026-Q3")."""
    return action.assessment.period.label


# --- lists other apps use (weekly digest, home pages) -------------------------------------


def open_actions_for_mission(
    *, mission: Mission | int, up_to: Quarter | None = None
) -> list[Action]:
    """The mission's open actions (planned or in progress), agreed in ``up_to`` or before
    (every quarter when None), oldest agreement first. One query."""
    mission_id = mission if isinstance(mission, int) else mission.pk
    qs = _actions().filter(_open(), mission_id=mission_id)
    if up_to is not None:
        qs = qs.filter(_agreed_up_to(up_to))
    return list(qs)


def overdue_actions(
    *,
    mission_ids: Iterable[int] | None = None,
    user: User | None = None,
    today: datetime.date | None = None,
) -> list[Action]:
    """Open actions whose due quarter has passed, by mission then due quarter. ``mission_ids``
    narrows to those missions; ``user`` to the missions the user may see (None: all). One
    query (two when ``user`` is mission staff)."""
    qs = _actions().filter(_open(), _due_before(_today_quarter(today)))
    if mission_ids is not None:
        qs = qs.filter(mission_id__in=list(mission_ids))
    if user is not None:
        qs = qs.filter(mission_id__in=_visible_mission_ids(user))
    return list(qs.order_by("mission__code", "due_year", "due_quarter", "pk"))


def _visible_mission_ids(user: User) -> QuerySet[Mission, Any]:
    return mission_list_visible_to(user=user).values("pk")


# --- the board and the answering pages ------------------------------------------------------


@dataclass(frozen=True)
class ActionLine:
    """An action as the board, the answering page and the follow-up show it."""

    action: Action
    agreed: str  # quarter label
    due: str
    overdue: bool
    status_label: str
    carried_forward: bool  # agreed in an earlier quarter than the page's

    @property
    def url(self) -> str:
        return reverse("actions:detail", args=[self.action.pk])


@dataclass(frozen=True)
class FlaggedIndicator:
    code: str
    dimension_code: str
    value: float | None
    band_min: int
    band_max: int
    flag: str
    style: Any  # scoring.flags.FlagStyle


@dataclass(frozen=True)
class BoardActions:
    """The board's actions panel."""

    agreed_here: list[ActionLine]
    carried: list[ActionLine]  # open actions agreed in earlier quarters
    flagged: list[FlaggedIndicator]
    can_record: bool
    can_edit: bool
    by_indicator: dict[str, list[ActionLine]] = field(default_factory=dict)
    record_url: str = ""
    followup_url: str = ""


def _line(action: Action, *, page_quarter: Quarter, today_quarter: Quarter) -> ActionLine:
    period = action.assessment.period
    return ActionLine(
        action=action,
        agreed=period.label,
        due=action.due_label,
        overdue=action.is_open and (action.due_year, action.due_quarter) < today_quarter,
        status_label=str(action.get_status_display()),
        carried_forward=(period.year, period.quarter) < page_quarter,
    )


def assessment_flagged_indicators(
    *, assessment: Assessment, user: User | None
) -> list[FlaggedIndicator]:
    """The indicators the current scoring method flagged in this assessment (shortfall or
    over-integration with enough answers), in questionnaire order, with the values ``user``
    may see (``scoring.confidentiality``; None: for HQ). One query (two for a user)."""
    rows = indicator_values_shown(
        IndicatorScore.objects.filter(
            newest_result("score_set__"),
            score_set__assessment=assessment,
            sufficient=True,
            flag__in=(SHORTFALL, OVER_INTEGRATION),
        ),
        reader_restrictions(user=user, mission_id=assessment.mission_id),
    ).values_list("indicator_code", "dimension_code", "shown_value", "band_min", "band_max", "flag")
    order = {
        code: i
        for i, code in enumerate(
            Indicator.objects.filter(questionnaire_id=assessment.questionnaire_id)
            .order_by("dimension__order", "order")
            .values_list("code", flat=True)
        )
    }
    flagged = [
        FlaggedIndicator(code, dim, value, low, high, flag, flag_style(flag_key(flag)))
        for code, dim, value, low, high, flag in rows
    ]
    return sorted(flagged, key=lambda f: order.get(f.code, len(order)))


def actions_for_quarter(
    *, mission_id: int, quarter: Quarter, today: datetime.date | None = None
) -> list[ActionLine]:
    """The actions a quarter's pages show: those agreed in it (any status) and the open ones
    agreed before it (carried forward). One query."""
    page_quarter = quarter
    agreed_in = Q(assessment__period__year=quarter[0], assessment__period__quarter=quarter[1])
    qs = (
        _actions()
        .filter(mission_id=mission_id)
        .filter(agreed_in | (_open() & _agreed_up_to(page_quarter)))
    )
    today_quarter = _today_quarter(today)
    return [_line(a, page_quarter=page_quarter, today_quarter=today_quarter) for a in qs]


def _page_lines(assessment: Assessment, *, today: datetime.date | None) -> list[ActionLine]:
    period = assessment.period
    return actions_for_quarter(
        mission_id=assessment.mission_id, quarter=(period.year, period.quarter), today=today
    )


def _by_indicator(lines: list[ActionLine]) -> dict[str, list[ActionLine]]:
    found: dict[str, list[ActionLine]] = {}
    for line in lines:
        for code in line.action.indicator_codes:
            found.setdefault(code, []).append(line)
    return found


def board_actions_panel(
    *, assessment: Assessment, user: User, today: datetime.date | None = None
) -> BoardActions | None:
    """The board's actions panel, or None for a user who may not see the mission's actions."""
    if not permissions.can_view_mission_actions(user, assessment.mission_id):
        return None
    lines = _page_lines(assessment, today=today)
    return BoardActions(
        agreed_here=[line for line in lines if not line.carried_forward],
        carried=[line for line in lines if line.carried_forward],
        flagged=assessment_flagged_indicators(assessment=assessment, user=user),
        can_record=permissions.can_record_action(user, assessment),
        can_edit=permissions.can_edit_mission_actions(user, assessment.mission_id),
        by_indicator=_by_indicator(lines),
        record_url=reverse("actions:create", args=[assessment.pk]),
        followup_url=reverse("actions:followup", args=[assessment.mission_id]),
    )


@dataclass(frozen=True)
class IndicatorActions:
    """Open actions agreed in earlier quarters, beside the indicators of an answering page
    (``by_indicator``) or at the top of its dimension (``by_dimension``, no indicator)."""

    by_indicator: dict[str, list[ActionLine]]
    by_dimension: dict[str, list[ActionLine]]


def actions_beside_indicators(
    *, assessment: Assessment, user: User, today: datetime.date | None = None
) -> IndicatorActions | None:
    """What respondents should know was tried: the mission's open actions agreed in an
    earlier quarter (the ones of this quarter are agreed after its answers). One query."""
    if not permissions.can_view_mission_actions(user, assessment.mission_id):
        return None
    lines = [line for line in _page_lines(assessment, today=today) if line.carried_forward]
    by_dimension: dict[str, list[ActionLine]] = {}
    for line in lines:
        if not line.action.indicator_codes:
            by_dimension.setdefault(line.action.dimension_code, []).append(line)
    return IndicatorActions(by_indicator=_by_indicator(lines), by_dimension=by_dimension)


# --- one action ------------------------------------------------------------------------------


def action_get_for_user(*, user: User, action_id: int) -> Action:
    """The action, if the user may see its mission; Action.DoesNotExist otherwise."""
    action = _actions().select_related("assessment__questionnaire").get(pk=action_id)
    if not permissions.can_view_action(user, action):
        raise Action.DoesNotExist
    return action


def mission_get_for_user(*, user: User, mission_id: int) -> Mission:
    """The mission, if the user may see it; Mission.DoesNotExist otherwise."""
    return mission_list_visible_to(user=user).get(pk=mission_id)


def action_notes(*, action: Action) -> list[ActionNote]:
    return list(action.notes.select_related("created_by").order_by("-noted_on", "-pk"))


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: str
    subject: str
    changes: list[tuple[str, str, str]]


_TRACKED: tuple[Field[Any, Any], ...] = tuple(
    cast("Field[Any, Any]", Action._meta.get_field(name))
    for name in (
        "description",
        "owner",
        "owner_user",
        "due_year",
        "due_quarter",
        "status",
        "dropped_reason",
    )
)


def _shown(value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if value in ActionStatus.values:
        return str(ActionStatus(value).label)
    return str(value)


def action_history(*, action: Action) -> list[HistoryEntry]:
    """Every change to the action and its notes, newest first, from django-simple-history.
    Three queries."""
    entries: list[HistoryEntry] = []
    previous: Any = None
    records = list(
        Action.history.filter(id=action.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    owners: dict[Any, str] = dict(
        get_user_model()
        .objects.filter(pk__in={r.owner_user_id for r in records if r.owner_user_id})
        .values_list("pk", "username")
    )
    for record in records:
        changes = []
        for model_field in _TRACKED:
            attname = model_field.attname
            after = getattr(record, attname)
            before = getattr(previous, attname) if previous is not None else None
            if attname == "owner_user_id":
                after, before = owners.get(after), owners.get(before)
            if previous is None or before != after:
                if previous is None and after in (None, ""):
                    continue
                changes.append((str(model_field.verbose_name), _shown(before), _shown(after)))
        if changes:
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=str(record.history_user or "—"),
                    subject=str(Action._meta.verbose_name),
                    changes=changes,
                )
            )
        previous = record
    for note in ActionNote.history.filter(action_id=action.pk).select_related("history_user"):
        entries.append(
            HistoryEntry(
                when=note.history_date,
                who=str(note.history_user or "—"),
                subject=str(ActionNote._meta.verbose_name),
                changes=[(str(note.noted_on), "—" if note.history_type == "+" else "", note.text)],
            )
        )
    return sorted(entries, key=lambda e: e.when, reverse=True)


def mission_members(*, mission_id: int) -> QuerySet[Any]:
    """Users of the mission who may own an action."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(mission_id=mission_id).values("user_id"),
        )
        .order_by("username")
    )


def barrier_tags(*, questionnaire_id: int) -> list[DimensionTag]:
    return list(
        DimensionTag.objects.filter(
            dimension__questionnaire_id=questionnaire_id, kind=TagKind.BARRIER
        )
        .select_related("dimension")
        .order_by("dimension__order", "order")
    )


def dimensions_of(*, questionnaire_id: int) -> list[Dimension]:
    return list(Dimension.objects.filter(questionnaire_id=questionnaire_id).order_by("order"))


# --- follow-up per mission ------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesPoint:
    quarter: str
    value: float | None
    flag: str  # scoring.flags display key, "" when no stored score
    # A stored value the user may not see (``scoring.confidentiality``).
    withheld: bool = False


@dataclass(frozen=True)
class FollowUpSeries:
    """One indicator's value (or, for a dimension-level action, the dimension's target
    alignment) each scored quarter from the one the action was agreed in to the latest."""

    code: str
    measure: str  # "value" (mean step, 1-5) or "alignment" (0-100)
    points: list[SeriesPoint]

    @property
    def is_alignment(self) -> bool:
        return self.measure == "alignment"

    @property
    def first(self) -> float | None:
        return self.points[0].value if self.points else None

    @property
    def last(self) -> float | None:
        return self.points[-1].value if self.points else None

    @property
    def change(self) -> float | None:
        """Last minus first; None unless both are known."""
        if self.first is None or self.last is None or len(self.points) < 2:
            return None
        return round(self.last - self.first, 6)


@dataclass(frozen=True)
class FollowUpRow:
    line: ActionLine
    series: list[FollowUpSeries]


def action_followup(
    *, mission_id: int, user: User | None, today: datetime.date | None = None
) -> list[FollowUpRow]:
    """Each of the mission's actions with its indicators' values from the quarter it was
    agreed in to the latest scored quarter, as ``user`` may see them
    (``scoring.confidentiality``; None: for HQ). Three queries (four for a user)."""
    actions = list(_actions().filter(mission_id=mission_id))
    if not actions:
        return []
    restrictions = reader_restrictions(user=user, mission_id=mission_id)
    indicator_rows = indicator_values_shown(
        IndicatorScore.objects.filter(
            newest_result("score_set__"), score_set__mission_id=mission_id
        ),
        restrictions,
    ).values_list(
        "indicator_code",
        "score_set__period__year",
        "score_set__period__quarter",
        "shown_value",
        "flag",
        "sufficient",
        "value",
    )
    indicators: dict[str, list[tuple[Quarter, float | None, str, bool]]] = {}
    for code, year, quarter, value, flag, sufficient, stored in indicator_rows:
        indicators.setdefault(code, []).append(
            (
                (year, quarter),
                value,
                flag_key(flag, sufficient=sufficient),
                value is None and stored is not None,
            )
        )
    dimension_rows = dimension_values_shown(
        DimensionScore.objects.filter(
            newest_result("score_set__"), score_set__mission_id=mission_id
        ),
        restrictions,
    ).values_list(
        "dimension_code",
        "score_set__period__year",
        "score_set__period__quarter",
        "shown_alignment",
        "sufficient",
        "alignment",
    )
    dimensions: dict[str, list[tuple[Quarter, float | None, str, bool]]] = {}
    for code, year, quarter, alignment, sufficient, stored in dimension_rows:
        dimensions.setdefault(code, []).append(
            (
                (year, quarter),
                alignment if sufficient else None,
                "",
                bool(sufficient and alignment is None and stored is not None),
            )
        )
    today_quarter = _today_quarter(today)
    rows = []
    for action in actions:
        period = action.assessment.period
        since = (period.year, period.quarter)
        line = _line(action, page_quarter=today_quarter, today_quarter=today_quarter)
        if action.indicator_codes:
            sources = [(code, "value", indicators.get(code, [])) for code in action.indicator_codes]
        else:
            code = action.dimension_code
            sources = [(code, "alignment", dimensions.get(code, []))]
        series = [
            FollowUpSeries(
                code=code,
                measure=measure,
                points=[
                    SeriesPoint(quarter_label(*quarter), value, flag, withheld)
                    for quarter, value, flag, withheld in sorted(found)
                    if quarter >= since
                ],
            )
            for code, measure, found in sources
        ]
        rows.append(FollowUpRow(line=line, series=series))
    return rows


# --- the analysts' portfolio and the data export --------------------------------------------


@dataclass(frozen=True)
class PortfolioFilters:
    mission_id: int | None = None
    dimension: str = ""
    barrier: str = ""
    status: str = ""
    overdue: bool = False


def action_portfolio(
    *, user: User | None, filters: PortfolioFilters, today: datetime.date | None = None
) -> list[ActionLine]:
    """Every action of the missions the user may see, filtered. One query (two for mission
    staff)."""
    today_quarter = _today_quarter(today)
    qs = _actions()
    if user is not None:
        qs = qs.filter(mission_id__in=_visible_mission_ids(user))
    if filters.mission_id is not None:
        qs = qs.filter(mission_id=filters.mission_id)
    if filters.dimension:
        qs = qs.filter(dimension_code=filters.dimension)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(_open(), _due_before(today_quarter))
    lines = [_line(a, page_quarter=today_quarter, today_quarter=today_quarter) for a in qs]
    if filters.barrier:  # a JSON list: filtered here, the same on SQLite and PostgreSQL
        lines = [line for line in lines if filters.barrier in line.action.barrier_codes]
    return lines


def action_export_rows(
    *, mission_ids: Iterable[int] | None, today: datetime.date | None = None
) -> Iterator[tuple[Any, ...]]:
    """The data export's ``actions`` table: one row per action, plain values."""
    qs = _actions()
    if mission_ids is not None:
        qs = qs.filter(mission_id__in=list(mission_ids))
    today_quarter = _today_quarter(today)
    latest_note: dict[int, tuple[datetime.date, str]] = {}
    for action_id, noted_on, text in (
        ActionNote.objects.filter(action__in=qs)
        .order_by("action_id", "noted_on", "pk")
        .values_list("action_id", "noted_on", "text")
    ):
        latest_note[action_id] = (noted_on, text)
    for action in qs:
        note = latest_note.get(action.pk)
        yield (
            action.pk,
            action.mission.code,
            action.assessment.period.label,
            action.dimension_code,
            ", ".join(action.indicator_codes) or None,
            ", ".join(action.barrier_codes) or None,
            action.description,
            action.owner,
            action.owner_user.get_username() if action.owner_user else None,
            action.due_label,
            action.status,
            action.dropped_reason or None,
            action.is_open and (action.due_year, action.due_quarter) < today_quarter,
            note[0].isoformat() if note else None,
            note[1] if note else None,
        )


def action_export_count(*, mission_ids: Iterable[int] | None) -> int:
    qs = Action.objects.all()
    if mission_ids is not None:
        qs = qs.filter(mission_id__in=list(mission_ids))
    return qs.count()
