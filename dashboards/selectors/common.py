"""Helpers shared by the dashboard selectors: references, quarters, dimensions, peers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from assessments.models import AssessmentStatus
from dashboards.disclosure import PeerGroup, PeerRule, peer_point, peer_points_from_values
from dashboards.models import PeerSnapshotValue
from dashboards.types import (
    INSUFFICIENT,
    NO_RESULT,
    ContextChange,
    DimensionInfo,
    MissionRef,
    PeerPoint,
    PeriodRef,
    QuarterVersion,
)
from imp_assess.typography import labelled
from missions.models import Mission, Period
from missions.periods import quarter_previous
from missions.roles import User
from missions.selectors import context_profile_histories, mission_list_visible_to
from questionnaires.models import (
    Dimension,
    DimensionTag,
    Questionnaire,
    QuestionnaireStatus,
    TagKind,
)
from questionnaires.selectors import texts_by_code
from scoring.models import ScoreSet

MISSION_FIELDS = ("id", "code", "name", "kind", "region", "is_demo")


def mission_ref(values: Mapping[str, Any]) -> MissionRef:
    return MissionRef(**{field: values[field] for field in MISSION_FIELDS})


def missions_for(
    user: User, kind: str | None = None, region: str | None = None
) -> QuerySet[Mission]:
    """The user's visible missions, filtered by kind and region when given."""
    missions = mission_list_visible_to(user=user)
    if kind:
        missions = missions.filter(kind=kind)
    if region:
        missions = missions.filter(region=region)
    return missions


def period_list() -> list[PeriodRef]:
    """Every quarter, oldest first (one query; a few dozen rows)."""
    return [
        PeriodRef(*row)
        for row in Period.objects.order_by("year", "quarter").values_list("id", "year", "quarter")
    ]


def period_latest_scored() -> Period | None:
    """The most recent quarter with any stored score."""
    scored = ScoreSet.objects.filter(period=OuterRef("pk"))
    return Period.objects.filter(Exists(scored)).order_by("-year", "-quarter").first()


def period_key(period: PeriodRef) -> tuple[int, int]:
    return (period.year, period.quarter)


def previous_quarter(period: PeriodRef, periods: list[PeriodRef]) -> PeriodRef | None:
    """The calendar quarter before ``period``, if it exists (not merely the previous row)."""
    key = quarter_previous(period.year, period.quarter)
    return next((p for p in periods if period_key(p) == key), None)


def dimension_catalogue() -> tuple[DimensionInfo, ...]:
    """Dimensions of the latest published questionnaire, in questionnaire order."""
    latest = Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).order_by(
        F("published_at").desc(nulls_last=True), "-version"
    )
    dimensions = Dimension.objects.filter(questionnaire=Subquery(latest.values("pk")[:1]))
    titles = texts_by_code(dimensions.order_by("order"), "title")  # in the reader's language
    return tuple(DimensionInfo(code, title) for code, title in titles.items())


def with_unknown_codes(
    catalogue: tuple[DimensionInfo, ...], codes: Iterable[str]
) -> tuple[DimensionInfo, ...]:
    """Scores of dimensions missing from the latest questionnaire still get a column."""
    known = {d.code for d in catalogue}
    extra = sorted(set(codes) - known)
    return catalogue + tuple(DimensionInfo(code, code) for code in extra)


def tag_labels() -> dict[str, str]:
    """Tag code -> label; codes are stable across versions and the newest wording wins."""
    tags = DimensionTag.objects.order_by(
        F("dimension__questionnaire__published_at").asc(nulls_first=True),
        "dimension__questionnaire__version",
    )
    return texts_by_code(tags, "label")  # in the reader's language


def barrier_choices() -> list[tuple[str, str]]:
    """(code, "DIMENSION: label") of every barrier tag, newest wording, for a filter."""
    tags = (
        DimensionTag.objects.filter(kind=TagKind.BARRIER)
        .select_related("dimension")
        .order_by(
            "dimension__order",
            "order",
            F("dimension__questionnaire__published_at").asc(nulls_first=True),
        )
    )
    # In the reader's language, like every questionnaire text.
    found = {tag.code: labelled(tag.dimension.code, tag.text("label")) for tag in tags}
    return list(found.items())


def plotted(score: float | None, sufficient: bool) -> float | None:
    """The value a chart may draw: a score counts only when the method found it sufficient."""
    return score if sufficient and score is not None else None


def plotted_row(row: Mapping[str, Any] | None, field: str = "score") -> float | None:
    return plotted(row[field], row["sufficient"]) if row else None


def missing_reason(row: Mapping[str, Any] | None, field: str = "score") -> str:
    """ "" when the row's value is plotted, else why not: no result, or insufficient data."""
    if row is None:
        return NO_RESULT
    return "" if plotted_row(row, field) is not None else INSUFFICIENT


class Percentile(Aggregate):
    """PostgreSQL's ``percentile_cont``: linear interpolation, as ``statistics.quantiles``
    with ``method="inclusive"``."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        if fraction not in (0.25, 0.5, 0.75):  # a literal in the SQL: only these three
            raise ValueError("fraction must be 0.25, 0.5 or 0.75")
        super().__init__(expression, fraction=fraction, **extra)


def peer_rows_eligible(rule: PeerRule, prefix: str = "") -> Q:
    """The stored results that may make up ``rule``'s peer distributions (``prefix`` leads
    from the rows to their ``ScoreSet``): for mission staff, approved assessments of quarters
    already closed, so that no figure moves while a quarter is open and ``?period=`` reaches
    no open quarter's peers."""
    if not rule.closed_approved_only:
        return Q()
    return Q(
        **{
            f"{prefix}assessment__status": AssessmentStatus.APPROVED,
            f"{prefix}period__closes_on__lt": timezone.localdate(),
        }
    )


def frozen_peer_values(
    periods: list[PeriodRef],
    *,
    measure: str,
    group: PeerGroup,
    cut: tuple[str, str] | None = None,
) -> QuerySet[PeerSnapshotValue]:
    """The frozen values of ``measure`` (``dashboards.models``) that make up ``group``'s
    distributions in ``periods``: a quarter without a snapshot (still open, or closed since
    the last freezing run) has none. ``cut``: ("kind" or "region", value), the missions' kind
    or region as they were when the quarter was frozen."""
    rows = PeerSnapshotValue.objects.filter(
        period_id__in=[p.id for p in periods], measure=measure, is_demo=group.demo
    )
    if cut is not None:
        rows = rows.filter(**{cut[0]: cut[1]})
    if group.excluded_mission_ids:
        rows = rows.exclude(mission_id__in=group.excluded_mission_ids)
    return rows


def peer_points_sql(
    rows: QuerySet[Any], field: str, periods: list[PeriodRef], *, rule: PeerRule
) -> tuple[PeerPoint, ...]:
    """The peer figures per quarter of ``rows`` (grouped by ``period_id``) that ``rule`` lets
    show, aggregated by the database where it can (PostgreSQL): a few dozen rows back whatever
    the number of missions."""
    if connection.vendor != "postgresql":
        values: dict[int, list[float]] = {}
        for period_id, value in rows.values_list("period_id", field):
            values.setdefault(period_id, []).append(value)
        return peer_points_from_values(rule=rule, values=values, periods=periods)
    stats = {
        row["period_id"]: row
        for row in rows.values("period_id").annotate(
            n=Count("*"),
            q1=Percentile(field, 0.25),
            median=Percentile(field, 0.5),
            q3=Percentile(field, 0.75),
        )
    }
    points = []
    for period in periods:
        row = stats.get(period.id) or {"n": 0, "median": None, "q1": None, "q3": None}
        points.append(
            peer_point(
                rule=rule,
                period=period,
                count=row["n"],
                median=row["median"],
                q1=row["q1"],
                q3=row["q3"],
            )
        )
    return tuple(points)


def quarter_versions(
    sets: Mapping[int, Mapping[str, Any]], shown: list[PeriodRef]
) -> tuple[QuarterVersion | None, ...]:
    """Which method and questionnaire version gave each shown quarter's result (None: no
    result), from one mission's result rows by period id (``method_version``,
    ``assessment__questionnaire__code`` and ``__version``); ``changed`` marks the quarters
    where either differs from the quarter before with a result, where trends draw a marker."""
    versions: list[QuarterVersion | None] = []
    before = None
    for period in shown:
        row = sets.get(period.id)
        if row is None:
            versions.append(None)
            continue
        code = row["assessment__questionnaire__code"]
        key = (row["method_version"], f"{code} v{row['assessment__questionnaire__version']}")
        versions.append(QuarterVersion(period, *key, changed=before is not None and key != before))
        before = key
    return tuple(versions)


def context_changes(
    missions: Mapping[int, str], shown: list[PeriodRef]
) -> tuple[ContextChange, ...]:
    """The recordings that changed a context profile of ``missions`` (id -> code) in a quarter
    of ``shown`` after its first (a change before the trend starts has no "before" to mark),
    oldest first. One query."""
    positions = {period.id: position for position, period in enumerate(shown)}
    found = []
    for mission_id, records in context_profile_histories(mission_ids=list(missions)).items():
        for record in records:
            position = positions.get(record.period.pk)
            if not record.changed or not position:
                continue
            found.append(
                ContextChange(
                    period=shown[position],
                    mission_code=missions[mission_id],
                    changed=tuple((key, record.profile.value(key)) for key in record.changed),
                    reason=record.reason,
                )
            )
    found.sort(key=lambda change: (positions[change.period.id], change.mission_code))
    return tuple(found)
