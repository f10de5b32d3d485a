"""The plain data the dashboard selectors return and the figure functions draw.

Everything here is a frozen dataclass of plain values (no model instances), so results can be
cached, pickled and handed to ``dashboards.figures`` by the pages and by the PDF exports alike.

Conventions shared by every class:

* A *plotted* value is ``None`` when it must be shown as missing. A dimension or index score is
  plotted only when the scoring method marked it ``sufficient``; otherwise it is ``None`` and
  ``missing`` says why: ``"insufficient"`` (a result exists, too few answers) or ``"no_result"``
  (no stored score for that quarter). Missing is never drawn as zero.
* Scores are on the 1–5 step scale, the integration index on 0–100, and a gap is
  ``target - score`` (positive: shortfall, negative: over-integration).
* Method 2 and later add the target alignment (0–100, 100 = every indicator in its band) and
  the counts of flagged indicators; they are ``None`` for results of method 1. A flag is
  always an indicator's, counted per dimension or mission, never read from a mean; its colour
  and symbol come from ``scoring.flags``.
* Sequences over quarters are aligned with the ``periods`` tuple of their container.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from missions.labels import demo_mark, demo_marked
from missions.periods import quarter_display, quarter_label
from questionnaires.models import TagKind
from scoring.flags import OVER_INTEGRATION, SHORTFALL
from scoring.headline import ScoreHeadline
from scoring.method import METHODS

# Method 1 read gaps as dimension means; later methods per indicator.
METHOD_1_LABEL = METHODS[1].label
GAP_FLAGS = (SHORTFALL, OVER_INTEGRATION)

INSUFFICIENT = "insufficient"
NO_RESULT = "no_result"
# Withheld from a component-level reader (``scoring.confidentiality``): it would give another
# component's answer back.
WITHHELD = "withheld"
# A method 3 result has no figure for a dimension without an applicable internal indicator:
# external context only (conditions, reported on their own) or nothing the profile asks.
OUTSIDE_ALIGNMENT = "outside_alignment"


def missing_label(reason: str) -> str:
    """What a page, a chart and a CSV show in place of a missing value, by its reason."""
    if reason == WITHHELD:
        return str(_("not shown"))
    if reason == OUTSIDE_ALIGNMENT:
        return str(_("outside alignment"))
    return str(_("insufficient data") if reason == INSUFFICIENT else _("no result"))


@dataclass(frozen=True)
class MissionRef:
    """A mission as the dashboards show it. ``label`` carries the DEMO marker."""

    id: int
    code: str
    name: str
    kind: str
    region: str
    is_demo: bool

    @property
    def label(self) -> str:
        return demo_marked(self.code, is_demo=self.is_demo)

    @property
    def demo_mark(self) -> str:
        return demo_mark() if self.is_demo else ""


@dataclass(frozen=True)
class PeriodRef:
    """A quarter, e.g. 2026-Q3."""

    id: int
    year: int
    quarter: int

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def display(self) -> str:
        """As people read it in the active language (``T3 2026`` in French)."""
        return quarter_display(self.year, self.quarter)


@dataclass(frozen=True)
class DimensionInfo:
    """A dimension's stable code and its title in the latest published questionnaire."""

    code: str
    title: str


@dataclass(frozen=True)
class PeerPoint:
    """Distribution of a measure across a peer group of missions in one quarter.

    Anonymous by construction: no mission is named. What is shown follows
    ``dashboards.disclosure``: ``median``, ``q1`` and ``q3`` are ``None`` when the group is too
    small for them (``withheld`` says why: ``"few_peers"`` or ``"few_for_quartiles"``), and
    ``missions`` (the number of peers) is ``None`` for mission staff, who never see it.
    """

    period: PeriodRef
    median: float | None
    q1: float | None
    q3: float | None
    missions: int | None
    withheld: str = ""


# --- portfolio ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioCell:
    """One mission × dimension cell: plotted score and gap (``None`` when missing)."""

    score: float | None
    gap: float | None
    target: int | None
    gap_flag: str
    completeness: float | None
    missing: str  # "" | "insufficient" | "no_result"
    alignment: float | None = None  # method 2 and later, plotted only when sufficient
    shortfall_count: int | None = None
    over_integration_count: int | None = None

    @property
    def flag(self) -> str:
        """The display key (``scoring.flags``) of the cell in "colour by flags": over-integration
        first (the finding a mean hides), then shortfall, else in band; insufficient when
        missing. The cell's text gives both counts."""
        if self.missing or self.alignment is None:
            return "insufficient"
        if self.over_integration_count:
            return "over_integration"
        if self.shortfall_count:
            return "shortfall"
        return "in_band"


@dataclass(frozen=True)
class PortfolioRow:
    """One mission's row of the heatmap; ``cells`` follow ``Portfolio.dimensions``."""

    mission: MissionRef
    index: float | None
    stage: str
    completeness: float | None
    missing: str
    cells: tuple[PortfolioCell, ...]
    alignment: float | None = None  # method 2 and later, plotted only when sufficient
    shortfall: float | None = None
    over_integration: float | None = None
    shortfall_count: int | None = None
    over_integration_count: int | None = None
    insufficient_because: str = ""  # why the mission's result has no finding, in words
    # Method v3's gated headline (critical findings first); None without a method 3 result.
    headline: ScoreHeadline | None = None

    @property
    def critical_count(self) -> int | None:
        return None if self.headline is None else self.headline.critical_count


@dataclass(frozen=True)
class Portfolio:
    """Missions × dimensions for one quarter, filtered and sorted as asked."""

    period: PeriodRef
    dimensions: tuple[DimensionInfo, ...]
    rows: tuple[PortfolioRow, ...]
    kind: str | None = None
    region: str | None = None
    sort: str = "mission"


# --- cycle board -------------------------------------------------------------------------------

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
APPROVED = "approved"
CYCLE_STATES = (NOT_STARTED, IN_PROGRESS, SUBMITTED, APPROVED)


@dataclass(frozen=True)
class CycleRow:
    mission: MissionRef
    state: str  # one of CYCLE_STATES
    overdue: bool  # not submitted and the quarter has closed
    responses: int
    complete_responses: int


@dataclass(frozen=True)
class CycleCount:
    state: str
    on_time: int
    overdue: int


@dataclass(frozen=True)
class CycleBoard:
    """Where each mission stands in a quarter's assessment cycle."""

    period: PeriodRef
    rows: tuple[CycleRow, ...]
    counts: tuple[CycleCount, ...]  # one per CYCLE_STATES, in that order


# --- mission profile ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionRow:
    """One dimension of the profiled quarter.

    ``score`` and ``gap`` are plotted values (``None`` unless ``sufficient``); ``raw_score`` is
    what the method computed even when insufficient, for the data table's footnote only.
    ``previous_score`` is the plotted score of the quarter before (``None`` if missing).
    """

    code: str
    title: str
    score: float | None
    target: int | None
    gap: float | None
    gap_flag: str  # "" | "shortfall" | "over_integration"
    completeness: float | None
    sufficient: bool
    divergence: float | None
    divergence_flag: bool
    previous_score: float | None
    missing: str
    raw_score: float | None = None
    alignment: float | None = None  # method 2 and later, plotted only when sufficient
    shortfall_count: int | None = None
    over_integration_count: int | None = None

    @property
    def is_shortfall(self) -> bool:
        return self.gap_flag == SHORTFALL

    @property
    def is_over_integration(self) -> bool:
        return self.gap_flag == OVER_INTEGRATION

    @property
    def insufficient(self) -> bool:
        return self.missing == INSUFFICIENT


@dataclass(frozen=True)
class DimensionTrend:
    """A dimension's plotted score per quarter (aligned with ``MissionProfile.periods``)."""

    code: str
    title: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class LevelScore:
    """A coherence level's plotted score this quarter and the quarter before."""

    level: str
    label: str
    score: float | None
    previous_score: float | None
    completeness: float | None
    missing: str
    previous_missing: str = ""


@dataclass(frozen=True)
class ComponentView:
    """How one component sees each dimension (``scores`` follow the profile's dimensions)."""

    component: str
    label: str
    scores: tuple[float | None, ...]


@dataclass(frozen=True)
class TagRow:
    """A barrier or enabler and how often it was tagged."""

    code: str
    label: str
    kind: str  # "barrier" | "enabler"
    count: int
    dimension_code: str = ""


@dataclass(frozen=True)
class IndicatorFlag:
    """One indicator's finding in the profiled quarter (method 2 and later).

    ``flag`` is the display key of ``scoring.flags`` (shortfall, over_integration, in_band,
    insufficient); ``rationale`` is the focal point's reason when the band was overridden.
    """

    code: str
    dimension_code: str
    value: float | None
    band_min: int
    band_max: int
    band_overridden: bool
    rationale: str
    distance: float | None
    flag: str
    counted: int
    expected: int


@dataclass(frozen=True)
class QuarterVersion:
    """Which scoring method and questionnaire version produced a quarter's result.

    ``changed`` is True when either differs from the previous quarter with a result: trends
    mark that quarter, because figures on either side were computed differently."""

    period: PeriodRef
    method_version: str
    questionnaire: str
    changed: bool


@dataclass(frozen=True)
class ContextChange:
    """A recording that changed a mission's context profile, in a quarter a trend shows.

    What is asked and the band each indicator is read against follow the profile, so figures on
    either side may differ for that reason alone: trends mark the quarter, like a version
    change. ``changed`` holds the profile keys that changed with their new values (worded in
    the reader's language by ``clauses``, so a cached result serves every language)."""

    period: PeriodRef
    mission_code: str
    changed: tuple[tuple[str, Any], ...]
    reason: str

    @property
    def clauses(self) -> str:
        from imp_assess.typography import join_clauses
        from questionnaires.context import profile_clause

        return join_clauses(profile_clause(key, value) for key, value in self.changed)


@dataclass(frozen=True)
class MissionProfile:
    """One mission in one quarter, with its history. What a mission leader reads.

    ``period`` is ``None`` when the mission has no stored score at all; then every list is empty
    except ``periods``/trends. ``index_trend`` and each ``DimensionTrend.values`` are aligned with
    ``periods`` (every quarter from the mission's first score to ``period``; ``None`` = gap).
    ``peer`` is the anonymous distribution of the integration index across the comparable
    missions (``dashboards.disclosure``), aligned with ``periods`` too. ``top_barriers`` /
    ``top_enablers`` add up the tags of the last ``tags_quarters`` quarters up to ``period``.
    """

    mission: MissionRef
    period: PeriodRef | None
    previous_period: PeriodRef | None
    index: float | None
    stage: str
    completeness: float | None
    sufficient: bool
    previous_index: float | None
    missing: str
    dimensions: tuple[DimensionRow, ...]
    periods: tuple[PeriodRef, ...]
    index_trend: tuple[float | None, ...]
    dimension_trends: tuple[DimensionTrend, ...]
    peer: tuple[PeerPoint, ...]
    coherence_levels: tuple[LevelScore, ...]
    components: tuple[ComponentView, ...]
    top_barriers: tuple[TagRow, ...]
    top_enablers: tuple[TagRow, ...]
    tags_quarters: int = 4
    # What the disclosure rule left out of ``peer`` and whether the number of peers is shown.
    peer_notes: tuple[str, ...] = ()
    peer_count_shown: bool = True
    # Method 2 and later (None / empty for a quarter scored by method 1).
    alignment: float | None = None
    shortfall: float | None = None
    over_integration: float | None = None
    shortfall_count: int | None = None
    over_integration_count: int | None = None
    phase: str = ""  # translated label of the mission's phase in the profiled quarter
    method_version: str = ""
    alignment_trend: tuple[float | None, ...] = ()  # aligned with ``periods``
    versions: tuple[QuarterVersion | None, ...] = ()  # aligned with ``periods``; None = no result
    indicator_flags: tuple[IndicatorFlag, ...] = ()
    alignment_peer: tuple[PeerPoint, ...] = ()  # as ``peer``, of the target alignment
    # Context-profile changes within ``periods`` (after the first shown quarter), oldest first.
    context_changes: tuple[ContextChange, ...] = ()
    # The headline's figures withheld from a component-level reader (``scoring.confidentiality``).
    headline_withheld: bool = False
    # Per quarter (aligned with ``periods``): the headline withheld from this reader.
    headline_withheld_trend: tuple[bool, ...] = ()

    @property
    def no_result(self) -> bool:
        return self.missing == NO_RESULT

    @property
    def version_changes(self) -> tuple[QuarterVersion, ...]:
        """The quarters where the method or questionnaire version changed."""
        return tuple(v for v in self.versions if v is not None and v.changed)

    @property
    def ranks_indicators(self) -> bool:
        """True for a result of method 2 or later: its gaps are read per indicator, against
        each indicator's band, never as a dimension's mean gap."""
        return bool(self.method_version) and self.method_version != METHOD_1_LABEL

    @property
    def indicator_gaps_ranked(self) -> tuple[IndicatorFlag, ...]:
        """The flagged indicators (shortfall or over-integration) by size of their signed
        distance to the band, largest first (either direction), then by code."""
        flagged = (f for f in self.indicator_flags if f.flag in GAP_FLAGS and f.distance)
        return tuple(sorted(flagged, key=lambda f: (-abs(f.distance or 0.0), f.code)))

    @property
    def gaps_ranked(self) -> tuple[DimensionRow, ...]:
        """Dimensions by size of gap (largest first, either direction); missing ones last."""
        scored = sorted(
            (d for d in self.dimensions if d.gap is not None),
            key=lambda d: (-abs(d.gap or 0.0), d.code),  # (every gap here is a number)
        )
        return tuple(scored) + tuple(d for d in self.dimensions if d.gap is None)


# --- compare -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareLine:
    """One chosen mission's plotted values per quarter (aligned with ``Comparison.periods``)."""

    mission: MissionRef
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Comparison:
    """Chosen missions on one measure over quarters, before their peer group's distribution.

    ``measure`` is ``"index"``, ``"dim:<CODE>"`` or ``"level:<level>"``; ``peer`` is ``"all"``,
    ``"kind:<kind>"`` or ``"region:<region>"``. ``scale`` is ``(low, high)`` of the measure.
    """

    measure: str
    measure_label: str
    peer: str
    peer_label: str
    scale: tuple[float, float]
    periods: tuple[PeriodRef, ...]
    lines: tuple[CompareLine, ...]
    peer_points: tuple[PeerPoint, ...]
    peer_notes: tuple[str, ...] = ()
    peer_count_shown: bool = True
    # Aligned with ``periods``: the new versions where a chosen mission's method or
    # questionnaire version changes (``QuarterVersion.changed``), else None.
    versions: tuple[QuarterVersion | None, ...] = ()
    # Context-profile changes of the chosen missions within ``periods``, oldest first.
    context_changes: tuple[ContextChange, ...] = ()

    @property
    def version_changes(self) -> tuple[QuarterVersion, ...]:
        return tuple(v for v in self.versions if v is not None)


# --- barriers and enablers ---------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionTagTotals:
    code: str
    title: str
    barriers: int
    enablers: int


@dataclass(frozen=True)
class TagCountRow:
    """A tag's count over the chosen quarters and missions; ``missions`` that tagged it."""

    dimension_code: str
    code: str
    label: str
    kind: str
    count: int
    missions: int

    @property
    def is_barrier(self) -> bool:
        return self.kind == TagKind.BARRIER


@dataclass(frozen=True)
class BarrierCounts:
    """Barrier and enabler tags counted per dimension (and per tag) across missions/quarters.

    With ``dimension`` set, the chart shows that dimension's tags instead of the totals.
    """

    period_from: PeriodRef | None
    period_to: PeriodRef | None
    kind: str | None
    region: str | None
    dimension: str | None
    tag_kind: str | None
    dimensions: tuple[DimensionTagTotals, ...]
    tags: tuple[TagCountRow, ...]


@dataclass(frozen=True)
class EvidenceNote:
    """One tagged answer: where it comes from and the respondent's evidence note."""

    mission: MissionRef
    period: PeriodRef
    component: str
    component_label: str
    indicator_code: str
    evidence: str
    other_tags: str
