"""Compare: chosen missions on one measure over quarters, before their peer group."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Model, Q, QuerySet, Value
from django.utils.translation import gettext as _

from dashboards.disclosure import (
    PeerRule,
    peer_group,
    peer_points_from_values,
    peer_rule,
    withheld_notes,
)
from dashboards.selectors.common import (
    MISSION_FIELDS,
    context_changes,
    dimension_catalogue,
    frozen_peer_values,
    mission_ref,
    peer_rows_eligible,
    period_key,
    period_list,
    plotted,
    quarter_versions,
)
from dashboards.types import CompareLine, Comparison, PeriodRef, QuarterVersion
from missions.models import MissionKind, Region
from missions.roles import User, user_sees_all_missions
from missions.selectors import mission_list_visible_to
from questionnaires.models import CoherenceLevel
from scoring.method import COHERENCE_LEVELS
from scoring.models import CoherenceLevelScore, DimensionScore, ScoreSet
from scoring.results import newest_result

INDEX = "index"
ALIGNMENT = "alignment"  # method 2 and later


def compare_measures() -> list[tuple[str, str]]:
    """(value, label) of every measure: the index, each dimension, each coherence level."""
    labels = dict(CoherenceLevel.choices)
    return (
        [
            (ALIGNMENT, _("Target alignment (0–100)")),
            (INDEX, _("Integration level (0–100, higher is not better)")),
        ]
        + [(f"dim:{d.code}", f"{d.code} — {d.title}") for d in dimension_catalogue()]
        + [(f"level:{lv}", str(labels.get(lv, lv))) for lv in COHERENCE_LEVELS]
    )


def compare_peer_groups() -> list[tuple[str, str]]:
    """(value, label) of every peer group: all missions, one kind, one region."""
    return (
        [("all", _("All missions"))]
        + [(f"kind:{value}", str(label)) for value, label in MissionKind.choices]
        + [(f"region:{value}", str(label)) for value, label in Region.choices]
    )


def _measure_rows(
    measure: str, chosen_ids: list[int], peer: str, rule: PeerRule
) -> QuerySet[Any, tuple[Any, ...]]:
    """(mission id, kind, region, demo, period id, value, sufficient, may be a peer) of the
    measure for the chosen missions and the peer group, in one query."""
    model: type[Model]
    extra: dict[str, str]
    if measure in (INDEX, ALIGNMENT):
        model, prefix, extra = ScoreSet, "", {}
        value = F(measure)
    else:
        family, _sep, code = measure.partition(":")
        model, extra = {
            "dim": (DimensionScore, {"dimension_code": code}),
            "level": (CoherenceLevelScore, {"level": code}),
        }[family]
        prefix, value = "score_set__", F("score")
    rows: QuerySet[Any] = model._default_manager.filter(newest_result(prefix), **extra)
    if peer != "all":
        field, _sep, wanted = peer.partition(":")
        rows = rows.filter(
            Q(**{f"{prefix}mission_id__in": chosen_ids})
            | Q(**{f"{prefix}mission__{field}": wanted})
        )
    measured: QuerySet[Any, tuple[Any, ...]] = rows.annotate(
        row_mission=F(f"{prefix}mission_id"),
        kind=F(f"{prefix}mission__kind"),
        region=F(f"{prefix}mission__region"),
        demo=F(f"{prefix}mission__is_demo"),
        row_period=F(f"{prefix}period_id"),
        value=value,
        # Mission staff's peers come from the frozen snapshots, never from these rows.
        peer_eligible=Value(False)
        if rule.frozen_only
        else ExpressionWrapper(peer_rows_eligible(rule, prefix), BooleanField())
        if rule.closed_approved_only
        else Value(True),
    ).values_list(
        "row_mission",
        "kind",
        "region",
        "demo",
        "row_period",
        "value",
        "sufficient",
        "peer_eligible",
    )
    return measured


def compare_series(
    *,
    user: User,
    mission_ids: list[int],
    measure: str = INDEX,
    peer: str = "all",
    quarters: int | None = None,
) -> Comparison:
    """Lines of the chosen missions (only those the user may see) on ``measure`` over quarters,
    with the median and inter-quartile band of the peer group behind them.

    ``measure``: ``"alignment"``, ``"index"``, ``"dim:<CODE>"`` or ``"level:<level>"``;
    ``peer``: ``"all"``, ``"kind:<kind>"`` or ``"region:<region>"``; ``quarters``: only the last
    N quarters. The peer distribution covers the comparable missions of the group,
    anonymously, as far as ``dashboards.disclosure`` lets the user see it (demo missions are
    peers of demo missions only). On the index and alignment, ``versions`` marks the quarters
    where a chosen mission's questionnaire version changes. Five queries (seven for mission
    staff: their own missions, and the frozen peer values).
    """
    measures = dict(compare_measures())
    groups = dict(compare_peer_groups())
    if measure not in measures:
        raise ValueError(f"unknown measure {measure!r}")
    if peer not in groups:
        raise ValueError(f"unknown peer group {peer!r}")
    chosen = {
        row["id"]: mission_ref(row)
        for row in mission_list_visible_to(user=user)
        .filter(pk__in=mission_ids)
        .values(*MISSION_FIELDS)
    }
    peer_field, _sep, peer_value = peer.partition(":")
    rule = peer_rule(sees_all_missions=user_sees_all_missions(user))
    rows = list(_measure_rows(measure, list(chosen), peer, rule))
    # With no mission chosen, the group is real missions unless there are none (a demo install).
    subjects = [m.is_demo for m in chosen.values()] or [all(row[3] for row in rows)]
    own = (
        mission_list_visible_to(user=user).values_list("pk", flat=True)
        if rule.exclude_own_missions
        else ()
    )
    group = peer_group(rule=rule, subjects_demo=subjects, viewer_mission_ids=own)
    values: dict[tuple[int, int], float | None] = {}
    group_values: dict[int, list[float]] = defaultdict(list)
    seen_periods: set[int] = set()
    for mission_id, kind, region, demo, period_id, value, sufficient, eligible in rows:
        shown = plotted(value, sufficient)
        if mission_id in chosen:
            values[(mission_id, period_id)] = shown
            seen_periods.add(period_id)
        member = (
            (peer == "all" or {"kind": kind, "region": region}[peer_field] == peer_value)
            and demo == group.demo
            and mission_id not in group.excluded_mission_ids
            and eligible
        )
        if member and shown is not None:
            group_values[period_id].append(shown)
            seen_periods.add(period_id)
    every_period = period_list()
    if rule.frozen_only:
        cut = None if peer == "all" else (peer_field, peer_value)
        for period_id, value in frozen_peer_values(
            every_period, measure=measure, group=group, cut=cut
        ).values_list("period_id", "value"):
            group_values[period_id].append(value)
            seen_periods.add(period_id)
    with_data = [p for p in every_period if p.id in seen_periods]
    periods = []
    if with_data:  # every quarter from the first with data to the last, gaps included
        first, last = period_key(with_data[0]), period_key(with_data[-1])
        periods = [p for p in every_period if first <= period_key(p) <= last]
    if quarters:
        periods = periods[-quarters:]
    ordered = sorted(chosen.values(), key=lambda m: m.code)
    scale = (0.0, 100.0) if measure in (INDEX, ALIGNMENT) else (1.0, 5.0)
    points = peer_points_from_values(rule=rule, values=group_values, periods=periods, scale=scale)
    versions = _version_changes(list(chosen), periods) if measure in (INDEX, ALIGNMENT) else ()
    return Comparison(
        measure=measure,
        measure_label=measures[measure],
        peer=peer,
        peer_label=groups[peer],
        scale=scale,
        periods=tuple(periods),
        lines=tuple(
            CompareLine(mission, tuple(values.get((mission.id, p.id)) for p in periods))
            for mission in ordered
        ),
        peer_points=points,
        peer_notes=tuple(withheld_notes(points, rule=rule)),
        peer_count_shown=rule.show_count,
        versions=versions,
        context_changes=context_changes({m.id: m.code for m in ordered}, periods),
    )


def _version_changes(
    mission_ids: list[int], periods: list[PeriodRef]
) -> tuple[QuarterVersion | None, ...]:
    """Aligned with ``periods``: where the questionnaire version (or the method) behind any
    chosen mission's result changes, that mission's new versions (the first mission by id when
    several change in one quarter); None elsewhere. One query."""
    by_mission: dict[int, dict[int, Mapping[str, Any]]] = defaultdict(dict)
    for row in ScoreSet.objects.filter(newest_result(), mission_id__in=mission_ids).values(
        "mission_id",
        "period_id",
        "method_version",
        "assessment__questionnaire__code",
        "assessment__questionnaire__version",
    ):
        by_mission[row["mission_id"]][row["period_id"]] = row
    changes: list[QuarterVersion | None] = [None] * len(periods)
    for mission_id in sorted(by_mission):
        for position, version in enumerate(quarter_versions(by_mission[mission_id], periods)):
            if version is not None and version.changed and changes[position] is None:
                changes[position] = version
    return tuple(changes)
