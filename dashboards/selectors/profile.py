"""One mission's profile: a quarter against its targets, its history and its peers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Sum

from dashboards.disclosure import PeerGroup, PeerRule, peer_group, peer_rule, withheld_notes
from dashboards.selectors.common import (
    MISSION_FIELDS,
    context_changes,
    dimension_catalogue,
    frozen_peer_values,
    missing_reason,
    mission_ref,
    peer_points_sql,
    peer_rows_eligible,
    period_key,
    period_list,
    plotted,
    plotted_row,
    previous_quarter,
    quarter_versions,
    tag_labels,
    with_unknown_codes,
)
from dashboards.types import (
    INSUFFICIENT,
    NO_RESULT,
    WITHHELD,
    ComponentView,
    DimensionInfo,
    DimensionRow,
    DimensionTrend,
    IndicatorFlag,
    LevelScore,
    MissionProfile,
    MissionRef,
    PeerPoint,
    PeriodRef,
    TagRow,
)
from missions.models import Component, MissionPhase, Period
from missions.roles import User, user_sees_all_missions
from missions.selectors import answer_components_readable_by, mission_list_visible_to
from questionnaires.models import CoherenceLevel
from scoring.confidentiality import (
    COHERENCE_VALUE_FIELDS,
    DIMENSION_VALUE_FIELDS,
    HEADLINE_VALUE_FIELDS,
    INDICATOR_VALUE_FIELDS,
    coherence_values_shown,
    dimension_values_shown,
    figure_restrictions,
    headline_values_shown,
    indicator_values_shown,
)
from scoring.flags import flag_key
from scoring.method import COHERENCE_LEVELS
from scoring.models import (
    CoherenceLevelScore,
    ComponentDimensionScore,
    DimensionScore,
    IndicatorScore,
    ScoreSet,
    TagCount,
)
from scoring.results import newest_result
from scoring.selectors import INDICATOR_SCORE_FIELDS

# The most frequent barriers and enablers: the last year up to the profiled quarter.
TAGS_QUARTERS = 4
TOP_TAGS = 5
DIMENSION_FIELDS = (
    "score_set__period_id",
    "dimension_code",
    "score",
    "sufficient",
    "target",
    "gap",
    "gap_flag",
    "completeness",
    "divergence",
    "divergence_flag",
    "alignment",
    "shortfall_count",
    "over_integration_count",
)
SET_FIELDS = (
    "id",
    "period_id",
    "method_version",
    "index",
    "stage",
    "completeness",
    "sufficient",
    "alignment",
    "shortfall",
    "over_integration",
    "shortfall_count",
    "over_integration_count",
    "assessment__phase",
    "assessment__questionnaire__code",
    "assessment__questionnaire__version",
)
ALIGNMENT_FIELDS = (
    "alignment",
    "shortfall",
    "over_integration",
    "shortfall_count",
    "over_integration_count",
)


def _preferred_sets(rows: Iterable[Mapping[str, Any]]) -> dict[int, dict[str, Any]]:
    """One stored result per quarter: the newest method's (``scoring.results``; a quarter never
    rescored keeps its older result, and trends mark the change)."""
    chosen: dict[int, dict[str, Any]] = {}
    for row in rows:
        rank = row["method_version"]
        held = chosen.get(row["period_id"])
        if held is None or rank > held["_rank"]:
            chosen[row["period_id"]] = {**row, "_rank": rank}
    return chosen


def mission_profile(*, user: User, mission_id: int, period_id: int | None = None) -> MissionProfile:
    """One mission in a quarter (default: its latest scored one) with its history and peers.

    Raises ``Mission.DoesNotExist`` outside the user's missions and ``Period.DoesNotExist`` for
    an unknown quarter. Reads this mission's stored scores only, plus one index per mission and
    quarter for the anonymous peer distributions (integration level and alignment): twelve
    queries in all.

    Each quarter shows its newest method's result (``scoring.results``: the current method's
    once scored with it); ``versions`` says which, and marks the quarters where the method or the
    questionnaire version changed.
    """
    mission = mission_ref(
        mission_list_visible_to(user=user).values(*MISSION_FIELDS).get(pk=mission_id)
    )
    periods = period_list()
    if period_id is not None and not any(p.id == period_id for p in periods):
        raise Period.DoesNotExist(f"no period {period_id}")
    # A command (no user) writes for HQ, like an analyst.
    own = None if user is None else answer_components_readable_by(user=user, mission_id=mission_id)
    restrictions = figure_restrictions(None if own is None else [(mission_id, own)])
    sets = _preferred_sets(
        _shown_row(row)
        for row in headline_values_shown(
            ScoreSet.objects.filter(mission_id=mission_id), restrictions
        ).values(*SET_FIELDS, *_shown_names(HEADLINE_VALUE_FIELDS))
    )
    set_ids = [row["id"] for row in sets.values()]
    scored = [p for p in periods if p.id in sets]
    if period_id is None:
        period = scored[-1] if scored else None
    else:
        period = next(p for p in periods if p.id == period_id)
    catalogue = dimension_catalogue()
    if period is None:
        return _without_scores(mission)
    first = min([period, *scored[:1]], key=period_key)
    shown = [p for p in periods if period_key(first) <= period_key(p) <= period_key(period)]
    previous = previous_quarter(period, periods)

    scores = {
        (row["score_set__period_id"], row["dimension_code"]): _shown_row(row)
        for row in dimension_values_shown(
            DimensionScore.objects.filter(score_set_id__in=set_ids), restrictions
        ).values(*DIMENSION_FIELDS, *_shown_names(DIMENSION_VALUE_FIELDS))
    }
    dimensions = with_unknown_codes(catalogue, (code for _p, code in scores))
    rule = peer_rule(sees_all_missions=user_sees_all_missions(user))
    group = _peer_group(user, rule, mission)
    peer = index_peer_points(shown, rule=rule, group=group)
    current = sets.get(period.id)
    before = sets.get(previous.id) if previous else None
    enough = bool(current and current["sufficient"])
    headline_withheld = bool(current and current["_withheld"])
    alignment: dict[str, Any] = {
        field: current[field] if current and enough else None for field in ALIGNMENT_FIELDS
    }
    top_barriers, top_enablers = _top_tags(sets, period, periods)
    return MissionProfile(
        mission=mission,
        period=period,
        previous_period=previous,
        index=plotted_row(current, "index"),
        stage=(current["stage"] or "") if current and current["sufficient"] else "",
        completeness=current["completeness"] if current else None,
        sufficient=plotted_row(current, "index") is not None,
        previous_index=plotted_row(before, "index"),
        missing=WITHHELD if headline_withheld else missing_reason(current, "index"),
        dimensions=tuple(
            _dimension_row(d, scores, period, previous, has_result=current is not None)
            for d in dimensions
        ),
        periods=tuple(shown),
        index_trend=tuple(plotted_row(sets.get(p.id), "index") for p in shown),
        dimension_trends=tuple(
            DimensionTrend(
                d.code, d.title, tuple(plotted_row(scores.get((p.id, d.code))) for p in shown)
            )
            for d in dimensions
        ),
        peer=peer,
        peer_notes=tuple(withheld_notes(peer, rule=rule)),
        peer_count_shown=rule.show_count,
        coherence_levels=_levels(set_ids, period, previous, restrictions),
        components=_components(current["id"] if current else None, dimensions, own),
        top_barriers=top_barriers,
        top_enablers=top_enablers,
        tags_quarters=TAGS_QUARTERS,
        **alignment,
        phase=str(dict(MissionPhase.choices).get(current["assessment__phase"], ""))
        if current
        else "",
        method_version=current["method_version"] if current else "",
        alignment_trend=tuple(plotted_row(sets.get(p.id), "alignment") for p in shown),
        versions=quarter_versions(sets, shown),
        indicator_flags=_indicator_flags(
            current["id"] if current else None, dimensions, restrictions
        ),
        alignment_peer=index_peer_points(shown, rule=rule, group=group, field="alignment"),
        context_changes=context_changes({mission.id: mission.code}, shown),
        headline_withheld=headline_withheld,
        headline_withheld_trend=tuple(bool(sets.get(p.id, {}).get("_withheld")) for p in shown),
    )


def _shown_names(fields: Iterable[str]) -> tuple[str, ...]:
    return tuple(f"shown_{name}" for name in fields)


def _shown_row(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row with its figures as ``scoring.confidentiality`` lets the reader see them;
    ``_withheld``: whether a figure the row holds was withheld."""
    shown = {
        name[len("shown_") :]: value for name, value in row.items() if name.startswith("shown_")
    }
    withheld = any(row.get(name) is not None and value is None for name, value in shown.items())
    return {
        **{name: value for name, value in row.items() if not name.startswith("shown_")},
        **shown,
        "_withheld": withheld,
    }


def _without_scores(mission: MissionRef) -> MissionProfile:
    return MissionProfile(
        mission=mission,
        period=None,
        previous_period=None,
        index=None,
        stage="",
        completeness=None,
        sufficient=False,
        previous_index=None,
        missing=NO_RESULT,
        dimensions=(),
        periods=(),
        index_trend=(),
        dimension_trends=(),
        peer=(),
        coherence_levels=(),
        components=(),
        top_barriers=(),
        top_enablers=(),
        tags_quarters=TAGS_QUARTERS,
    )


def _dimension_row(
    dimension: DimensionInfo,
    scores: dict[tuple[int, str], dict[str, Any]],
    period: PeriodRef,
    previous: PeriodRef | None,
    *,
    has_result: bool,
) -> DimensionRow:
    row = scores.get((period.id, dimension.code))
    previous_score = plotted_row(scores.get((previous.id, dimension.code))) if previous else None
    if row is None:
        return DimensionRow(
            code=dimension.code,
            title=dimension.title,
            score=None,
            target=None,
            gap=None,
            gap_flag="",
            completeness=None,
            sufficient=False,
            divergence=None,
            divergence_flag=False,
            previous_score=previous_score,
            missing=INSUFFICIENT if has_result else NO_RESULT,
        )
    score = plotted(row["score"], row["sufficient"])
    return DimensionRow(
        code=dimension.code,
        title=dimension.title,
        score=score,
        target=row["target"],
        gap=row["gap"] if score is not None else None,
        gap_flag=row["gap_flag"] if score is not None else "",
        completeness=row["completeness"],
        sufficient=score is not None,
        divergence=row["divergence"],
        divergence_flag=row["divergence_flag"],
        previous_score=previous_score,
        missing="" if score is not None else INSUFFICIENT,
        raw_score=row["score"],
        alignment=row["alignment"] if score is not None else None,
        shortfall_count=row["shortfall_count"] if score is not None else None,
        over_integration_count=row["over_integration_count"] if score is not None else None,
    )


def _peer_group(user: User, rule: PeerRule, mission: MissionRef) -> PeerGroup:
    """The profiled mission's comparable missions; for mission staff, none of their own."""
    own = (
        mission_list_visible_to(user=user).values_list("pk", flat=True)
        if rule.exclude_own_missions
        else ()
    )
    return peer_group(rule=rule, subjects_demo=[mission.is_demo], viewer_mission_ids=own)


def index_peer_points(
    periods: list[PeriodRef], *, rule: PeerRule, group: PeerGroup, field: str = "index"
) -> tuple[PeerPoint, ...]:
    """The anonymous distribution of the integration index (or, with ``field="alignment"``,
    the target alignment) over the peer group, per quarter, as far as ``rule`` lets it show."""
    if field not in ("index", "alignment"):
        raise ValueError(f"no peer distribution of {field!r}")
    if rule.frozen_only:
        frozen = frozen_peer_values(periods, measure=field, group=group)
        return peer_points_sql(frozen, "value", periods, rule=rule)
    rows = ScoreSet.objects.filter(
        peer_rows_eligible(rule),
        newest_result(),
        period_id__in=[p.id for p in periods],
        sufficient=True,
        mission__is_demo=group.demo,
        **{f"{field}__isnull": False},
    )
    if group.excluded_mission_ids:
        rows = rows.exclude(mission_id__in=group.excluded_mission_ids)
    return peer_points_sql(rows, field, periods, rule=rule)


def _levels(
    set_ids: list[int],
    period: PeriodRef,
    previous: PeriodRef | None,
    restrictions: Mapping[int, int],
) -> tuple[LevelScore, ...]:
    wanted = [period.id] + ([previous.id] if previous else [])
    rows = {
        (row["score_set__period_id"], row["level"]): _shown_row(row)
        for row in coherence_values_shown(
            CoherenceLevelScore.objects.filter(
                score_set_id__in=set_ids, score_set__period_id__in=wanted
            ),
            restrictions,
        ).values(
            "score_set__period_id",
            "level",
            "score",
            "sufficient",
            "completeness",
            *_shown_names(COHERENCE_VALUE_FIELDS),
        )
    }
    labels = dict(CoherenceLevel.choices)
    levels = list(COHERENCE_LEVELS) + sorted({lv for _p, lv in rows} - set(COHERENCE_LEVELS))
    result = []
    for level in levels:
        row = rows.get((period.id, level))
        before = rows.get((previous.id, level)) if previous else None
        result.append(
            LevelScore(
                level=level,
                label=str(labels.get(level, level)),
                score=plotted_row(row),
                previous_score=plotted_row(before),
                completeness=row["completeness"] if row else None,
                missing=WITHHELD if row and row["_withheld"] else missing_reason(row),
                previous_missing=WITHHELD if before and before["_withheld"] else "",
            )
        )
    return tuple(result)


def _components(
    score_set_id: int | None,
    dimensions: tuple[DimensionInfo, ...],
    own: frozenset[str] | None,
) -> tuple[ComponentView, ...]:
    """Each component's own profile; a component-level reader sees their own components'
    only (``scoring.confidentiality``)."""
    if score_set_id is None:
        return ()
    rows = ComponentDimensionScore.objects.filter(score_set_id=score_set_id)
    if own is not None:
        rows = rows.filter(component__in=own)
    scores: dict[str, dict[str, float | None]] = defaultdict(dict)
    for component, code, score in rows.values_list("component", "dimension_code", "score"):
        scores[component][code] = score
    labels = dict(Component.choices)
    order = {value: position for position, value in enumerate(Component.values)}
    return tuple(
        ComponentView(
            component=component,
            label=str(labels.get(component, component)),
            scores=tuple(by_code.get(d.code) for d in dimensions),
        )
        for component, by_code in sorted(scores.items(), key=lambda kv: order.get(kv[0], 99))
    )


def _indicator_flags(
    score_set_id: int | None,
    dimensions: tuple[DimensionInfo, ...],
    restrictions: dict[int, int],
) -> tuple[IndicatorFlag, ...]:
    """The applicable indicators of the profiled quarter with their bands and flags, in
    dimension order (empty for a method-1 result, which stored none)."""
    if score_set_id is None:
        return ()
    order = {d.code: position for position, d in enumerate(dimensions)}
    values = indicator_values_shown(
        IndicatorScore.objects.filter(score_set_id=score_set_id, applicable=True), restrictions
    ).values(*INDICATOR_SCORE_FIELDS, *_shown_names(INDICATOR_VALUE_FIELDS))
    rows = sorted(
        map(_shown_row, values),
        key=lambda r: (order.get(r["dimension_code"], 99), r["indicator_code"]),
    )
    return tuple(
        IndicatorFlag(
            code=row["indicator_code"],
            dimension_code=row["dimension_code"],
            value=row["value"],
            band_min=row["band_min"],
            band_max=row["band_max"],
            band_overridden=row["band_overridden"],
            rationale=row["rationale"],
            distance=row["distance"],
            flag=flag_key(row["flag"], sufficient=row["sufficient"]),
            counted=row["counted"],
            expected=row["expected"],
        )
        for row in rows
    )


def _top_tags(
    sets: dict[int, dict[str, Any]], period: PeriodRef, periods: list[PeriodRef]
) -> tuple[tuple[TagRow, ...], tuple[TagRow, ...]]:
    """The most reported barriers and enablers of the last quarters up to ``period``."""
    upto = [p for p in periods if period_key(p) <= period_key(period)]
    last = {p.id for p in upto[-TAGS_QUARTERS:]}
    rows = (
        TagCount.objects.filter(
            score_set_id__in=[sets[pid]["id"] for pid in last if pid in sets],
        )
        .values("tag_code", "kind", "dimension_code")
        .annotate(total=Sum("count"))
        .order_by("-total", "tag_code")
    )
    labels = tag_labels()
    top: dict[str, list[TagRow]] = {"barrier": [], "enabler": []}
    for row in rows:
        bucket = top.get(row["kind"])
        if bucket is not None and len(bucket) < TOP_TAGS:
            bucket.append(
                TagRow(
                    code=row["tag_code"],
                    label=labels.get(row["tag_code"], row["tag_code"]),
                    kind=row["kind"],
                    count=row["total"],
                    dimension_code=row["dimension_code"],
                )
            )
    return tuple(top["barrier"]), tuple(top["enabler"])
