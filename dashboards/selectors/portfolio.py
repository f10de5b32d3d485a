"""The portfolio: missions × dimensions in one quarter, and the quarter's cycle board."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.db.models import Exists, OuterRef
from django.utils import timezone

from assessments.models import Answer, Assessment, AssessmentStatus, Response, ResponseStatus
from dashboards.selectors.common import (
    MISSION_FIELDS,
    dimension_catalogue,
    missing_reason,
    mission_ref,
    missions_for,
    plotted,
    with_unknown_codes,
)
from dashboards.types import (
    APPROVED,
    CYCLE_STATES,
    IN_PROGRESS,
    INSUFFICIENT,
    NO_RESULT,
    NOT_STARTED,
    OUTSIDE_ALIGNMENT,
    SUBMITTED,
    CycleBoard,
    CycleCount,
    CycleRow,
    DimensionInfo,
    PeriodRef,
    Portfolio,
    PortfolioCell,
    PortfolioRow,
)
from missions.models import Period
from missions.roles import User
from scoring.headline import ScoreHeadline, headlines_for_period
from scoring.method import METHODS
from scoring.models import DimensionScore, ScoreSet
from scoring.results import newest_result
from scoring.selectors import insufficient_because

PORTFOLIO_FIXED_SORTS = ("mission", "critical", "index", "alignment")
ALIGNMENT_FIELDS = (
    "alignment",
    "shortfall",
    "over_integration",
    "shortfall_count",
    "over_integration_count",
)

METHOD_3_LABEL = METHODS[3].label


def portfolio(
    *,
    user: User,
    period_id: int,
    kind: str | None = None,
    region: str | None = None,
    sort: str | None = None,
    by_alignment: bool = False,
) -> Portfolio:
    """Every visible mission (filtered by kind and region) × every dimension in one quarter.

    Missions without a stored result still get a row, with every cell missing. ``sort`` is
    ``"mission"``, ``"critical"`` (method v3's critical findings), ``"index"``, ``"alignment"``
    or a dimension code, with a leading ``-`` for
    descending; missions without a plotted value sort last either way. Six queries, whatever
    the numbers of missions and quarters. With ``by_alignment``, dimension columns sort by
    their target alignment instead of their score. Raises ``Period.DoesNotExist`` for an
    unknown quarter and ``ValueError`` for an unknown sort column.
    """
    period = PeriodRef(*Period.objects.values_list("id", "year", "quarter").get(pk=period_id))
    missions = missions_for(user, kind, region)
    mission_rows = list(missions.order_by("code").values(*MISSION_FIELDS))
    sets: dict[int, Mapping[str, Any]] = {
        row["mission_id"]: row
        for row in ScoreSet.objects.filter(
            newest_result(), period_id=period_id, mission__in=missions
        ).values(
            "mission_id",
            "index",
            "stage",
            "completeness",
            "sufficient",
            "method_version",
            *ALIGNMENT_FIELDS,
        )
    }
    cells: dict[tuple[int, str], Mapping[str, Any]] = {}
    for row in DimensionScore.objects.filter(
        newest_result("score_set__"),
        score_set__period_id=period_id,
        score_set__mission__in=missions,
    ).values(
        "score_set__mission_id",
        "dimension_code",
        "score",
        "sufficient",
        "target",
        "gap",
        "gap_flag",
        "completeness",
        "alignment",
        "shortfall_count",
        "over_integration_count",
    ):
        cells[(row["score_set__mission_id"], row["dimension_code"])] = row
    dimensions = with_unknown_codes(dimension_catalogue(), (code for _m, code in cells))
    headlines = headlines_for_period(period_id=period_id, missions=missions)
    rows = []
    for mission in mission_rows:
        score_set = sets.get(mission["id"])
        enough = bool(score_set and score_set["sufficient"])
        alignment: dict[str, Any] = {
            field: score_set[field] if score_set and enough else None for field in ALIGNMENT_FIELDS
        }
        rows.append(
            PortfolioRow(
                mission=mission_ref(mission),
                index=plotted(score_set["index"], score_set["sufficient"]) if score_set else None,
                stage=score_set["stage"] if score_set and score_set["sufficient"] else "",
                completeness=score_set["completeness"] if score_set else None,
                missing=missing_reason(score_set, "index"),
                insufficient_because=insufficient_because(
                    completeness=score_set["completeness"], sufficient=score_set["sufficient"]
                )
                if score_set
                else "",
                cells=tuple(
                    _cell(
                        cells.get((mission["id"], d.code)),
                        has_result=score_set is not None,
                        method_3=score_set is not None
                        and score_set["method_version"] == METHOD_3_LABEL,
                    )
                    for d in dimensions
                ),
                **alignment,
                headline=headlines.get(mission["id"]),
            )
        )
    sort = sort or "mission"
    return Portfolio(
        period=period,
        dimensions=dimensions,
        rows=tuple(_sorted_rows(rows, sort, dimensions, by_alignment)),
        kind=kind or None,
        region=region or None,
        sort=sort,
    )


def portfolio_headline_rows(result: Portfolio) -> list[PortfolioRow]:
    """The rows with a method v3 headline, most critical findings first (then unverified
    safeguards, then mission code): the summary above the heatmap."""
    return sorted(
        (row for row in result.rows if row.headline is not None),
        key=lambda row: (
            -cast(ScoreHeadline, row.headline).critical_count,
            -cast(ScoreHeadline, row.headline).unverified_count,
            row.mission.code,
        ),
    )


def _cell(
    row: Mapping[str, Any] | None, *, has_result: bool, method_3: bool = False
) -> PortfolioCell:
    if row is None:
        # Method 3 stores no row for a dimension outside its alignment (external context).
        missing = OUTSIDE_ALIGNMENT if method_3 else INSUFFICIENT if has_result else NO_RESULT
        return PortfolioCell(None, None, None, "", None, missing)
    sufficient = bool(row["sufficient"] and row["score"] is not None)
    return PortfolioCell(
        score=row["score"] if sufficient else None,
        gap=row["gap"] if sufficient else None,
        target=row["target"],
        gap_flag=row["gap_flag"] if sufficient else "",
        completeness=row["completeness"],
        missing="" if sufficient else INSUFFICIENT,
        alignment=row["alignment"] if sufficient else None,
        shortfall_count=row["shortfall_count"] if sufficient else None,
        over_integration_count=row["over_integration_count"] if sufficient else None,
    )


def portfolio_sort_keys(dimensions: Iterable[DimensionInfo]) -> list[str]:
    """Every valid ``sort``: mission, index, each dimension code, and each descending."""
    keys = [*PORTFOLIO_FIXED_SORTS, *(d.code for d in dimensions)]
    return keys + [f"-{key}" for key in keys]


def _sorted_rows(
    rows: list[PortfolioRow],
    sort: str,
    dimensions: tuple[DimensionInfo, ...],
    by_alignment: bool = False,
) -> list[PortfolioRow]:
    descending = sort.startswith("-")
    column = sort.removeprefix("-")
    if column == "mission":
        return sorted(rows, key=lambda r: r.mission.code, reverse=descending)
    if column in ("index", "alignment", "critical"):
        attribute = "critical_count" if column == "critical" else column

        def value(row: PortfolioRow) -> float | None:
            figure: float | None = getattr(row, attribute)
            return figure

    else:
        position = next((i for i, d in enumerate(dimensions) if d.code == column), None)
        if position is None:
            raise ValueError(f"unknown sort column {sort!r}")

        def value(row: PortfolioRow) -> float | None:
            cell = row.cells[position]
            return cell.alignment if by_alignment else cell.score

    present = sorted((r for r in rows if value(r) is not None), key=lambda r: r.mission.code)
    # stable: ties stay in mission-code order (and every value here is a number)
    present.sort(key=lambda r: cast(float, value(r)), reverse=descending)
    absent = sorted((r for r in rows if value(r) is None), key=lambda r: r.mission.code)
    return present + absent


def cycle_board(
    *,
    user: User,
    period_id: int,
    kind: str | None = None,
    region: str | None = None,
    today: datetime.date | None = None,
) -> CycleBoard:
    """Which missions have not started, are in progress, submitted or approved in a quarter,
    and which are overdue (not yet submitted after the quarter closed).

    Reads assessment and response statuses, and whether any answer was given; never the
    answers' values. Four queries.
    """
    today = today or timezone.localdate()
    period_row = Period.objects.values("id", "year", "quarter", "closes_on").get(pk=period_id)
    period = PeriodRef(period_row["id"], period_row["year"], period_row["quarter"])
    missions = missions_for(user, kind, region)
    assessments: dict[int, dict[str, Any]] = {
        row["mission_id"]: {**row, "responses": 0, "complete": 0, "started": False}
        for row in Assessment.objects.filter(period_id=period_id, mission__in=missions).values(
            "mission_id", "status"
        )
    }
    # Whether any answer was given, per response: an index lookup on the answer's response.
    answered = Answer.objects.filter(response=OuterRef("pk")).exclude(choice="")
    for row in (
        Response.objects.filter(assessment__period_id=period_id, assessment__mission__in=missions)
        .annotate(answered=Exists(answered))
        .values("assessment__mission_id", "status", "answered")
    ):
        assessment = assessments[row["assessment__mission_id"]]
        assessment["responses"] += 1
        assessment["complete"] += row["status"] == ResponseStatus.COMPLETE
        assessment["started"] = assessment["started"] or row["answered"]
    closed = today > period_row["closes_on"]
    rows = []
    for mission in missions.order_by("code").values(*MISSION_FIELDS):
        found = assessments.get(mission["id"])
        state = _cycle_state(found)
        rows.append(
            CycleRow(
                mission=mission_ref(mission),
                state=state,
                overdue=closed and state in (NOT_STARTED, IN_PROGRESS),
                responses=found["responses"] if found else 0,
                complete_responses=found["complete"] if found else 0,
            )
        )
    counts = tuple(
        CycleCount(
            state=state,
            on_time=sum(1 for r in rows if r.state == state and not r.overdue),
            overdue=sum(1 for r in rows if r.state == state and r.overdue),
        )
        for state in CYCLE_STATES
    )
    return CycleBoard(period=period, rows=tuple(rows), counts=counts)


def _cycle_state(assessment: dict[str, Any] | None) -> str:
    if assessment is None:
        return NOT_STARTED
    if assessment["status"] == AssessmentStatus.APPROVED:
        return APPROVED
    if assessment["status"] == AssessmentStatus.SUBMITTED:
        return SUBMITTED
    if assessment["started"] or assessment["complete"]:
        return IN_PROGRESS
    return NOT_STARTED
