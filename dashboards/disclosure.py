"""Which peer figures a user may see: one rule for every page, chart CSV, PDF and the API.

A peer figure is the median or the inter-quartile range of a measure across comparable
missions. It is anonymous only if nobody can work one mission's value out of it: with three
peers, the median and quartiles give all three values (a = 2·q1 − median, b = median,
c = 2·q3 − median); with five, the quartiles and the median are exact mission scores; with the
count and a median of two, a mission that knows its own value knows the other's.

Mission staff (respondents, focal points) therefore see:

- peers that are the *other* comparable missions: their own missions never count (they know
  those values, and could move a median by changing their answers);
- no peer figure below ``K_PEERS`` = 5 peers, and the quartiles only from ``K_QUARTILES`` = 10;
- never the number of peers (it would turn a median into an equation).

For everyone, demo missions are peers of demo missions only, and real missions of real ones:
synthetic scores never move a real median, and a demo install compares demo with demo.
HQ analysts and administrators see every mission's own value anyway; their peer figures keep
the count, and the median and quartiles from ``ANALYST_MIN_PEERS`` = 3 missions.

The functions here are pure (plain values in, ``PeerPoint`` out); the selectors choose the
rows through ``PeerGroup`` and hand the numbers to ``peer_point``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dashboards.types import PeerPoint, PeriodRef

K_PEERS = 5
K_QUARTILES = 10
ANALYST_MIN_PEERS = 3
# Mission staff's peer figures are rounded to bins of a tenth of the scale: 10 points of an
# index or alignment (0–100), 0.4 of a step (1–5). See docs/security.md.
PEER_BIN_SHARE = 0.1
INDEX_SCALE = (0.0, 100.0)

# Why a figure is not shown (``PeerPoint.withheld``).
SHOWN = ""
FEW_PEERS = "few_peers"
FEW_FOR_QUARTILES = "few_for_quartiles"


@dataclass(frozen=True)
class PeerRule:
    """What one audience may see of a peer distribution."""

    audience: str  # "mission_staff" | "analysts"
    min_median: int
    min_quartiles: int
    show_count: bool
    exclude_own_missions: bool
    # Published figures are rounded to bins of this share of the measure's scale (0: exact).
    coarsening: float = 0.0
    # Only approved assessments of closed quarters make up the distribution.
    closed_approved_only: bool = False
    # The distribution is read from the quarter's frozen snapshot only (``dashboards.models``,
    # taken when the quarter closes, never changed): a quarter without one shows nothing.
    frozen_only: bool = False


MISSION_STAFF = PeerRule(
    "mission_staff",
    K_PEERS,
    K_QUARTILES,
    False,
    True,
    coarsening=PEER_BIN_SHARE,
    closed_approved_only=True,
    frozen_only=True,
)
ANALYSTS = PeerRule("analysts", ANALYST_MIN_PEERS, ANALYST_MIN_PEERS, True, False)


def peer_rule(*, sees_all_missions: bool) -> PeerRule:
    """The rule for a user who sees every mission (analysts, administrators) or not."""
    return ANALYSTS if sees_all_missions else MISSION_STAFF


@dataclass(frozen=True)
class PeerGroup:
    """Which missions' values make up the distribution: those with ``is_demo`` equal to
    ``demo``, less ``excluded_mission_ids``."""

    demo: bool
    excluded_mission_ids: frozenset[int]


def peer_group(
    *, rule: PeerRule, subjects_demo: Iterable[bool], viewer_mission_ids: Iterable[int] = ()
) -> PeerGroup:
    """The peer group for missions whose demo flags are ``subjects_demo``, seen by a user of
    ``rule`` whose own missions are ``viewer_mission_ids``.

    Demo subjects (all of them) get demo peers; any real subject, or none at all, real peers.
    """
    flags = set(subjects_demo)
    excluded = frozenset(viewer_mission_ids) if rule.exclude_own_missions else frozenset()
    return PeerGroup(demo=flags == {True}, excluded_mission_ids=excluded)


def peer_point(
    *,
    rule: PeerRule,
    period: PeriodRef,
    count: int,
    median: float | None,
    q1: float | None,
    q3: float | None,
    scale: tuple[float, float] = INDEX_SCALE,
) -> PeerPoint:
    """The figures of one quarter's distribution of ``count`` peers that ``rule`` lets show,
    coarsened as ``rule`` says on a measure of ``scale``."""
    shown_count = count if rule.show_count else None
    if count < rule.min_median or median is None:
        return PeerPoint(period, None, None, None, shown_count, FEW_PEERS)

    def published(value: float | None) -> float | None:
        return coarsened(value, rule=rule, scale=scale)

    if count < rule.min_quartiles:
        return PeerPoint(period, published(median), None, None, shown_count, FEW_FOR_QUARTILES)
    return PeerPoint(period, published(median), published(q1), published(q3), shown_count, SHOWN)


def coarsened(
    value: float | None, *, rule: PeerRule, scale: tuple[float, float] = INDEX_SCALE
) -> float | None:
    """``value`` rounded to the centre of its bin of ``rule.coarsening`` × the scale's span
    (unchanged for a rule without coarsening): 0–100 figures to the nearest 10."""
    if value is None or not rule.coarsening:
        return value
    low, high = scale
    width = (high - low) * rule.coarsening
    return round(low + round((value - low) / width) * width, 6)


def quartiles(sample: Sequence[float]) -> tuple[float, float, float]:
    """(q1, median, q3) interpolated linearly, as PostgreSQL's ``percentile_cont``."""
    if len(sample) == 1:
        return sample[0], sample[0], sample[0]
    q1, median, q3 = statistics.quantiles(sorted(sample), n=4, method="inclusive")
    return q1, median, q3


def peer_points_from_values(
    *,
    rule: PeerRule,
    values: Mapping[int, Sequence[float]],
    periods: Iterable[PeriodRef],
    scale: tuple[float, float] = INDEX_SCALE,
) -> tuple[PeerPoint, ...]:
    """``peer_point`` per quarter from the peers' values keyed by period id."""
    points = []
    for period in periods:
        sample = list(values.get(period.id, ()))
        q1, median, q3 = quartiles(sample) if sample else (None, None, None)
        figures = {"median": median, "q1": q1, "q3": q3}
        points.append(
            peer_point(rule=rule, period=period, count=len(sample), scale=scale, **figures)
        )
    return tuple(points)


def peer_rule_caption(rule: PeerRule) -> str:
    """What a reader of ``rule`` is told about the peer figures beside their mission, with the
    rule's own thresholds (the page, the scorecard and the rule cannot disagree). Numbers are
    always of "comparable missions", never "N missions", which reads like a count of peers."""
    numbers = {"median": rule.min_median, "quartiles": rule.min_quartiles}
    if rule.exclude_own_missions:
        return (
            _(
                "Your mission is shown against the anonymous median (and, from %(quartiles)d "
                "comparable missions on, the inter-quartile range) of the other comparable "
                "missions; no other mission is named, and no peer figure is shown for fewer "
                "than %(median)d of them."
            )
            % numbers
        )
    return (
        _(
            "Peer figures are the median and inter-quartile range of the comparable missions, "
            "with their number; none is shown for fewer than %(median)d comparable missions."
        )
        % numbers
    )


def withheld_label(reason: str, *, rule: PeerRule) -> str:
    """What the page, the CSV and the PDF say in place of a figure that is not shown."""
    if reason == FEW_PEERS:
        return _("not shown: fewer than %(k)d comparable missions") % {"k": rule.min_median}
    if reason == FEW_FOR_QUARTILES:
        return _("not shown: fewer than %(k)d comparable missions") % {"k": rule.min_quartiles}
    return ""


def withheld_notes(points: Iterable[PeerPoint], *, rule: PeerRule) -> list[str]:
    """One sentence per kind of figure left out of a chart, for the note above it."""
    reasons = {point.withheld for point in points}
    notes = []
    if FEW_PEERS in reasons:
        notes.append(
            _("Peer median not shown for some quarters: fewer than %(k)d comparable missions.")
            % {"k": rule.min_median}
        )
    if FEW_FOR_QUARTILES in reasons:
        notes.append(
            _("Peer quartiles not shown for some quarters: fewer than %(k)d comparable missions.")
            % {"k": rule.min_quartiles}
        )
    if not rule.show_count:
        notes.append(
            _(
                "Peers are the other missions (demo missions with demo missions only); their "
                "number is not shown, so that no mission's value can be worked out."
            )
        )
    return notes
