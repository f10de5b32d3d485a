"""Barriers and enablers counted across missions and quarters, and the notes behind them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet, Sum, TextField
from django.db.models.functions import Cast

from assessments.models import Answer, ResponseStatus
from dashboards.selectors.common import (
    MISSION_FIELDS,
    dimension_catalogue,
    mission_ref,
    missions_for,
    period_key,
    period_list,
    tag_labels,
    with_unknown_codes,
)
from dashboards.types import (
    BarrierCounts,
    DimensionTagTotals,
    EvidenceNote,
    PeriodRef,
    TagCountRow,
)
from missions.models import Component, Period
from missions.roles import User
from questionnaires.models import Indicator
from scoring.models import ScoreSet, TagCount
from scoring.results import newest_result

EVIDENCE_PER_PAGE = 25


def _period_window(
    period_from_id: int | None, period_to_id: int | None
) -> tuple[PeriodRef | None, PeriodRef | None, list[int]]:
    """The two ends (either may be open) and the ids of the quarters between them."""
    periods = period_list()
    by_id = {p.id: p for p in periods}
    for period_id in (period_from_id, period_to_id):
        if period_id is not None and period_id not in by_id:
            raise Period.DoesNotExist(f"no period {period_id}")
    start = by_id.get(period_from_id) if period_from_id else None
    end = by_id.get(period_to_id) if period_to_id else None
    ids = [
        p.id
        for p in periods
        if (start is None or period_key(start) <= period_key(p))
        and (end is None or period_key(p) <= period_key(end))
    ]
    return start, end, ids


def barrier_counts(
    *,
    user: User,
    period_from_id: int | None = None,
    period_to_id: int | None = None,
    kind: str | None = None,
    region: str | None = None,
    dimension: str | None = None,
    tag_kind: str | None = None,
) -> BarrierCounts:
    """Tag counts per dimension and per tag, summed over the visible missions (by kind and
    region) and the quarters between ``period_from_id`` and ``period_to_id`` (inclusive).

    ``dimension`` narrows the per-tag rows to one dimension; ``tag_kind`` (``"barrier"`` or
    ``"enabler"``) to one kind. Reads the stored ``TagCount`` rows: four queries.
    """
    start, end, period_ids = _period_window(period_from_id, period_to_id)
    # Version-safe: each assessment's tags once, from its current-method result or, for a
    # quarter never rescored, from the result it has (tags do not depend on the method).
    counts = TagCount.objects.filter(
        newest_result("score_set__"),
        score_set__period_id__in=period_ids,
        score_set__mission__in=missions_for(user, kind, region),
    )
    if tag_kind:
        counts = counts.filter(kind=tag_kind)
    # Summed per mission in SQL (a hash aggregate), then per tag here: a distinct count of
    # missions in SQL would sort every row.
    per_tag: dict[tuple[str, str, str], dict[str, int]] = {}
    per_mission = counts.values("dimension_code", "tag_code", "kind", "score_set__mission_id")
    for row in per_mission.annotate(total=Sum("count")):
        key = (row["dimension_code"], row["tag_code"], row["kind"])
        tag = per_tag.setdefault(key, {"total": 0, "missions": 0})
        tag["total"] += row["total"]
        tag["missions"] += 1
    rows: list[dict[str, Any]] = [
        {"dimension_code": d, "tag_code": t, "kind": k, **values}
        for (d, t, k), values in per_tag.items()
    ]
    labels = tag_labels()
    catalogue = with_unknown_codes(dimension_catalogue(), (r["dimension_code"] for r in rows))
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for tag_row in rows:
        totals[(tag_row["dimension_code"], tag_row["kind"])] += tag_row["total"]
    order = {d.code: position for position, d in enumerate(catalogue)}
    tags = sorted(
        (
            TagCountRow(
                dimension_code=row["dimension_code"],
                code=row["tag_code"],
                label=labels.get(row["tag_code"], row["tag_code"]),
                kind=row["kind"],
                count=row["total"],
                missions=row["missions"],
            )
            for row in rows
            if not dimension or row["dimension_code"] == dimension
        ),
        key=lambda t: (order.get(t.dimension_code, 99), t.kind, -t.count, t.code),
    )
    return BarrierCounts(
        period_from=start,
        period_to=end,
        kind=kind or None,
        region=region or None,
        dimension=dimension or None,
        tag_kind=tag_kind or None,
        dimensions=tuple(
            DimensionTagTotals(
                d.code, d.title, totals[(d.code, "barrier")], totals[(d.code, "enabler")]
            )
            for d in catalogue
        ),
        tags=tuple(tags),
    )


def _with_tag(answers: QuerySet[Answer], tag: str) -> QuerySet[Answer]:
    """The answers whose tag codes (a JSON list) hold ``tag``. On PostgreSQL by JSON
    containment, which the GIN index of ``assessments`` migration 0007 answers without reading
    the other answers (a tag is on about one answer in a thousand); elsewhere by the quoted
    code in the list's text, which cannot match a longer code."""
    if connection.vendor == "postgresql":
        return answers.filter(tag_codes__contains=[tag])
    return answers.annotate(tag_text=Cast("tag_codes", TextField())).filter(
        tag_text__contains=f'"{tag}"'
    )


def barrier_evidence(
    *,
    user: User,
    dimension: str,
    tag: str,
    period_from_id: int | None = None,
    period_to_id: int | None = None,
    kind: str | None = None,
    region: str | None = None,
    page: int | str = 1,
    per_page: int = EVIDENCE_PER_PAGE,
) -> Page[EvidenceNote]:
    """The answers tagged ``tag`` on ``dimension`` (complete, scored responses of the visible
    missions in the window), newest quarter first, as a page of ``EvidenceNote``.

    The one dashboard read of raw answers: filtered to one dimension and tag, and paginated.
    """
    _start, _end, period_ids = _period_window(period_from_id, period_to_id)
    indicators = list(
        Indicator.objects.filter(dimension__code=dimension).values_list("pk", flat=True)
    )
    answers = (
        _with_tag(
            Answer.objects.filter(
                indicator_id__in=indicators,
                response__status=ResponseStatus.COMPLETE,
                response__assessment__period_id__in=period_ids,
                response__assessment__mission__in=missions_for(user, kind, region),
            ).filter(Exists(ScoreSet.objects.filter(assessment=OuterRef("response__assessment")))),
            tag,
        )
        .order_by(
            "-response__assessment__period__year",
            "-response__assessment__period__quarter",
            "response__assessment__mission__code",
            "response__component",
            "indicator__order",
        )
        .values(
            *(f"response__assessment__mission__{field}" for field in MISSION_FIELDS),
            period_id=F("response__assessment__period_id"),
            year=F("response__assessment__period__year"),
            quarter=F("response__assessment__period__quarter"),
            component=F("response__component"),
            indicator_code=F("indicator__code"),
            note=F("evidence"),
            other=F("other_tags"),
        )
    )
    result = Paginator(answers, per_page).get_page(page)
    labels = dict(Component.choices)
    prefix = "response__assessment__mission__"
    result.object_list = [
        EvidenceNote(
            mission=mission_ref({field: row[prefix + field] for field in MISSION_FIELDS}),
            period=PeriodRef(row["period_id"], row["year"], row["quarter"]),
            component=row["component"],
            component_label=str(labels.get(row["component"], row["component"])),
            indicator_code=row["indicator_code"],
            evidence=row["note"],
            other_tags=row["other"],
        )
        for row in result.object_list
    ]
    return result
