"""The data behind each chart, as a table: the accessible alternative and the CSV download.

Each ``table_*`` function mirrors one ``figure_*`` function of ``dashboards.figures`` and holds
exactly the values that figure plots (tests compare the two). A missing value is a ``Missing``
label ("insufficient data", "no result"): shown as that label on the page, an empty cell in the
CSV, never zero. Every CSV cell goes through ``imp_assess.cells.cell_text``: mission names and
tag labels are typed by people, and a chart CSV opens in a spreadsheet like any export.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dashboards.disclosure import peer_rule, withheld_label
from dashboards.figures import cycle_state_label
from dashboards.markers import context_notes, version_note
from dashboards.types import (
    CYCLE_STATES,
    IN_PROGRESS,
    INSUFFICIENT,
    WITHHELD,
    BarrierCounts,
    Comparison,
    CycleBoard,
    MissionProfile,
    PeerPoint,
    PeriodRef,
    Portfolio,
    PortfolioCell,
    PortfolioRow,
    missing_label,
)
from imp_assess.cells import cell_text
from imp_assess.typography import join_clauses, labelled
from scoring.flags import IN_BAND, OVER_INTEGRATION, SHORTFALL, flag_style


class Missing(str):
    """A missing value, carrying the label the page shows in its place."""

    __slots__ = ()


def _missing(reason: str = INSUFFICIENT) -> Missing:
    return Missing(missing_label(reason))


def _value(value, reason: str = INSUFFICIENT):
    return _missing(reason or INSUFFICIENT) if value is None else value


@dataclass(frozen=True)
class Table:
    """Columns and rows of plain values; the first column names the row."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]

    def as_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([cell_text(str(column)) for column in self.columns])
        for row in self.rows:
            writer.writerow(["" if isinstance(cell, Missing) else cell_text(cell) for cell in row])
        return buffer.getvalue()


# --- portfolio ---------------------------------------------------------------------------------


def insufficient_label(reason: str) -> str:
    """ "insufficient: completeness 40 % (below 50 %)": a mission's missing headline."""
    if not reason:
        return _("insufficient data")
    return _("insufficient: %(reason)s") % {"reason": reason}


def _headline(row: PortfolioRow, value):
    """A mission's alignment (or level), or why it has none."""
    if value is None and row.missing == INSUFFICIENT:
        return Missing(insufficient_label(row.insufficient_because))
    return _value(value, row.missing)


def PORTFOLIO_ALIGNMENT_COLUMNS() -> tuple[str, ...]:  # noqa: N802 (translated at call time)
    """The columns after "Alignment" when the portfolio is coloured by alignment or flags."""
    return (
        _("Shortfall (points)"),
        _("Over-integration (points)"),
        _("Indicators short"),
        _("Indicators over-integrated"),
        _("Integration level (higher is not better)"),
    )


def flag_text(cell: PortfolioCell):
    """A dimension's flags as words and symbols ("▲ over-integration: 1; ▼ shortfall: 2")."""
    if cell.missing or cell.alignment is None:
        return _missing(cell.missing or INSUFFICIENT)
    parts = [
        labelled(f"{flag_style(key).symbol} {flag_style(key).label}", count)
        for key, count in (
            (OVER_INTEGRATION, cell.over_integration_count),
            (SHORTFALL, cell.shortfall_count),
        )
        if count
    ]
    return join_clauses(parts) or f"{flag_style(IN_BAND).symbol} {flag_style(IN_BAND).label}"


def headline_text(row: PortfolioRow) -> str:
    """Method v3's gated headline in words (critical findings first), "—" without one."""
    return row.headline.text if row.headline else "—"


def table_portfolio_heatmap(portfolio: Portfolio, measure: str = "alignment") -> Table:
    if measure in ("alignment", "flags"):
        header = _("Target alignment") if measure == "alignment" else _("Flags")
        return Table(
            caption=_(
                "%(what)s per mission and dimension in %(period)s, and the mission's target "
                "alignment with the points and indicators lost to shortfall and "
                "over-integration"
            )
            % {"what": header, "period": portfolio.period.display},
            columns=(
                _("Mission"),
                _("Critical findings"),
                *(d.code for d in portfolio.dimensions),
                _("Alignment"),
                *PORTFOLIO_ALIGNMENT_COLUMNS(),
            ),
            rows=tuple(
                (
                    row.mission.label,
                    headline_text(row),
                    *(
                        flag_text(cell)
                        if measure == "flags"
                        else _value(cell.alignment, cell.missing)
                        for cell in row.cells
                    ),
                    _headline(row, row.alignment),
                    _value(row.shortfall, row.missing),
                    _value(row.over_integration, row.missing),
                    _value(row.shortfall_count, row.missing),
                    _value(row.over_integration_count, row.missing),
                    _value(row.index, row.missing),
                )
                for row in portfolio.rows
            ),
        )
    header = _("Gap to target") if measure == "gap" else _("Score")
    return Table(
        caption=_(
            "%(what)s per mission and dimension in %(period)s, and the integration level "
            "(higher is not better)"
        )
        % {"what": header, "period": portfolio.period.display},
        columns=(
            _("Mission"),
            _("Critical findings"),
            *(d.code for d in portfolio.dimensions),
            _("Integration level"),
        ),
        rows=tuple(
            (
                row.mission.label,
                headline_text(row),
                *(_value(getattr(cell, measure), cell.missing) for cell in row.cells),
                _headline(row, row.index),
            )
            for row in portfolio.rows
        ),
    )


def table_cycle_board(board: CycleBoard) -> Table:
    return Table(
        caption=_("Missions per assessment state in %(period)s") % {"period": board.period.display},
        columns=(_("State"), _("On time"), _("Overdue")),
        rows=tuple((cycle_state_label(c.state), c.on_time, c.overdue) for c in board.counts),
    )


@dataclass(frozen=True)
class CycleState:
    """One column of the cycle board on the page: the missions in one state."""

    state: str
    label: str
    rows: tuple
    shows_progress: bool  # in progress: "2/3 components complete"


def cycle_states(board: CycleBoard) -> list[CycleState]:
    """The cycle board grouped by state, in the order of ``CYCLE_STATES``."""
    return [
        CycleState(
            state=state,
            label=cycle_state_label(state),
            rows=tuple(row for row in board.rows if row.state == state),
            shows_progress=state == IN_PROGRESS,
        )
        for state in CYCLE_STATES
    ]


# --- mission profile ---------------------------------------------------------------------------


def table_radar(profile: MissionProfile) -> Table:
    return Table(
        caption=_("Dimension scores against targets and the previous quarter"),
        columns=(_("Dimension"), _("This quarter"), _("Target"), _("Previous quarter")),
        rows=tuple(
            (
                d.code,
                _value(d.score, d.missing),
                _value(d.target, d.missing),
                _value(d.previous_score),
            )
            for d in profile.dimensions
        ),
    )


def _peer_columns(count_shown: bool) -> tuple[str, ...]:
    columns = (_("Peer median"), _("Peer lower quartile"), _("Peer upper quartile"))
    return (*columns, _("Peer missions")) if count_shown else columns


def _peer_cells(point: PeerPoint, count_shown: bool) -> tuple:
    """The figures ``dashboards.disclosure`` let show; the others say why they are not."""
    rule = peer_rule(sees_all_missions=count_shown)
    withheld = Missing(withheld_label(point.withheld, rule=rule)) if point.withheld else None

    def cell(value):
        if value is None:
            return withheld if withheld is not None else _missing()
        return value

    cells = (cell(point.median), cell(point.q1), cell(point.q3))
    return (*cells, point.missions) if count_shown else cells


def table_index_trend(profile: MissionProfile, last_n: int | None = None) -> Table:
    rows = list(zip(profile.periods, profile.index_trend, profile.peer, strict=True))
    reasons = _trend_reasons(profile)
    shown = profile.peer_count_shown
    if last_n:
        rows = rows[-last_n:]
    notes = _version_notes(profile)
    context = _context_column(profile)
    return Table(
        caption=_(
            "Integration level per quarter (higher is not better), with the anonymous "
            "distribution of comparable missions"
        ),
        columns=(
            _("Quarter"),
            profile.mission.label,
            *_peer_columns(shown),
            _("Version change"),
            *context.columns,
        ),
        rows=tuple(
            (
                p.display,
                _value(index, reasons[p.id]),
                *_peer_cells(peer, shown),
                notes.get(p.id, ""),
                *context.cells(p),
            )
            for p, index, peer in rows
        ),
    )


def _trend_reasons(profile: MissionProfile) -> dict[int, str]:
    """Per quarter, why a missing headline figure is missing: withheld from this reader
    (``scoring.confidentiality``) or insufficient data."""
    withheld = list(profile.headline_withheld_trend) or [False] * len(profile.periods)
    return {
        p.id: WITHHELD if hidden else INSUFFICIENT
        for p, hidden in zip(profile.periods, withheld, strict=True)
    }


def _version_notes(profile: MissionProfile | Comparison) -> dict[int, str]:
    return {v.period.id: version_note(v) for v in profile.version_changes}


@dataclass(frozen=True)
class _ContextColumn:
    """The "Context profile change" column of a trend table: present only when the trend has a
    change of context profile (the trend figure draws it as a marker)."""

    notes: dict[int, str]

    @property
    def columns(self) -> tuple[str, ...]:
        return (_("Context profile change"),) if self.notes else ()

    def cells(self, period: PeriodRef) -> tuple[str, ...]:
        return (self.notes.get(period.id, ""),) if self.notes else ()


def _context_column(trend: MissionProfile | Comparison) -> _ContextColumn:
    shown = {period.id for period in trend.periods[1:]}
    changes = [change for change in trend.context_changes if change.period.id in shown]
    return _ContextColumn(context_notes(changes, with_mission=isinstance(trend, Comparison)))


def table_alignment_trend(profile: MissionProfile, last_n: int | None = None) -> Table:
    empty = [None] * len(profile.periods)
    versions = list(profile.versions) or empty
    alignment = list(profile.alignment_trend) or empty
    peer = list(profile.alignment_peer) or empty
    shown = profile.peer_count_shown
    rows = list(zip(profile.periods, alignment, profile.index_trend, versions, peer, strict=True))
    reasons = _trend_reasons(profile)
    if last_n:
        rows = rows[-last_n:]
    context = _context_column(profile)
    return Table(
        caption=_(
            "Target alignment and integration level per quarter, with the scoring method and "
            "questionnaire behind each; a version change is noted where it happens"
        ),
        columns=(
            _("Quarter"),
            _("Target alignment"),
            _("Integration level (higher is not better)"),
            _("Method version"),
            _("Questionnaire"),
            _("Version change"),
            *context.columns,
            *_peer_columns(shown),
        ),
        rows=tuple(
            (
                p.display,
                _value(value, reasons[p.id]),
                _value(level, reasons[p.id]),
                version.method_version if version else _missing("no_result"),
                version.questionnaire if version else _missing("no_result"),
                version_note(version) if version and version.changed else "",
                *context.cells(p),
                *(_peer_cells(point, shown) if point else ()),
            )
            for p, value, level, version, point in rows
        ),
    )


def table_indicator_flags(profile: MissionProfile) -> Table:
    return Table(
        caption=_(
            "Each applicable indicator in %(period)s against its target band (phase: "
            "%(phase)s, method %(method)s). Distance is 0 inside the band, negative below it "
            "(shortfall), positive above it (over-integration)."
        )
        % {
            "period": profile.period.display if profile.period else "",
            "phase": profile.phase or _("not recorded"),
            "method": profile.method_version,
        },
        columns=(
            _("Indicator"),
            _("Dimension"),
            _("Value"),
            _("Band"),
            _("Distance"),
            _("Flag"),
            _("Band overridden: rationale"),
            _("Phase"),
            _("Answers counted / expected"),
            _("Method version"),
        ),
        rows=tuple(
            (
                row.code,
                row.dimension_code,
                _value(row.value),
                f"{row.band_min}–{row.band_max}",
                _value(row.distance) if row.flag != "insufficient" else _missing(),
                f"{flag_style(row.flag).symbol} {flag_style(row.flag).label}",
                row.rationale if row.band_overridden else "",
                profile.phase,
                f"{row.counted} / {row.expected}",
                profile.method_version,
            )
            for row in profile.indicator_flags
        ),
    )


def table_dimension_trends(profile: MissionProfile, last_n: int | None = None) -> Table:
    periods = list(profile.periods)
    start = len(periods) - last_n if last_n else 0
    start = max(start, 0)
    return Table(
        caption=_("Dimension scores per quarter"),
        columns=(_("Quarter"), *(t.code for t in profile.dimension_trends)),
        rows=tuple(
            (period.display, *(_value(t.values[i]) for t in profile.dimension_trends))
            for i, period in enumerate(periods)
            if i >= start
        ),
    )


def table_coherence_levels(profile: MissionProfile) -> Table:
    return Table(
        caption=_("Coherence levels this quarter and the quarter before"),
        columns=(_("Coherence level"), _("Previous quarter"), _("This quarter")),
        rows=tuple(
            (
                level.label,
                _value(level.previous_score, level.previous_missing),
                _value(level.score, level.missing),
            )
            for level in profile.coherence_levels
        ),
    )


def table_component_divergence(profile: MissionProfile) -> Table:
    return Table(
        caption=_(
            "Each component's score per dimension beside the mission's; ⚑ marks dimensions "
            "where components diverge"
        ),
        columns=(
            _("Component"),
            *(f"{d.code} ⚑" if d.divergence_flag else d.code for d in profile.dimensions),
        ),
        rows=tuple(
            (view.label, *(_value(score) for score in view.scores)) for view in profile.components
        )
        + ((_("Mission score"), *(_value(d.score, d.missing) for d in profile.dimensions)),),
    )


def table_top_tags(profile: MissionProfile) -> Table:
    return Table(
        caption=_("Most frequent barriers and enablers over the last %(n)d quarters")
        % {"n": profile.tags_quarters},
        columns=(_("Tag"), _("Kind"), _("Dimension"), _("Times tagged")),
        rows=tuple(
            (
                t.label,
                _("Barrier") if t.kind == "barrier" else _("Enabler"),
                t.dimension_code,
                t.count,
            )
            for t in (*profile.top_barriers, *profile.top_enablers)
        ),
    )


def table_gaps_ranked(profile: MissionProfile) -> Table:
    if profile.ranks_indicators:
        return Table(
            caption=_(
                "Indicators outside their target bands, largest distance first (value − "
                "nearest band limit: negative is a shortfall, positive over-integration)"
            ),
            columns=(
                _("Indicator"),
                _("Dimension"),
                _("Distance"),
                _("Flag"),
                _("Value"),
                _("Band"),
            ),
            rows=tuple(
                (
                    row.code,
                    row.dimension_code,
                    _value(row.distance),
                    f"{flag_style(row.flag).symbol} {flag_style(row.flag).label}",
                    _value(row.value),
                    f"{row.band_min}–{row.band_max}",
                )
                for row in profile.indicator_gaps_ranked
            ),
        )
    flags = {"shortfall": _("shortfall"), "over_integration": _("over-integration")}
    return Table(
        caption=_("Gaps to target, largest first (target − score)"),
        columns=(
            _("Dimension"),
            _("Gap"),
            _("Score"),
            _("Target"),
            _("Flag"),
            _("Alignment"),
            _("Indicators short"),
            _("Indicators over-integrated"),
        ),
        rows=tuple(
            (
                f"{d.code} — {d.title}",
                _value(d.gap, d.missing),
                _value(d.score, d.missing),
                _value(d.target, d.missing),
                flags.get(d.gap_flag, ""),
                "" if d.alignment is None else d.alignment,
                "" if d.shortfall_count is None else d.shortfall_count,
                "" if d.over_integration_count is None else d.over_integration_count,
            )
            for d in profile.gaps_ranked
        ),
    )


# --- compare and barriers ----------------------------------------------------------------------


def table_compare(comparison: Comparison) -> Table:
    notes = _version_notes(comparison)
    context = _context_column(comparison)
    return Table(
        caption=_("%(measure)s per quarter, with the distribution of %(group)s")
        % {"measure": comparison.measure_label, "group": comparison.peer_label},
        columns=(
            _("Quarter"),
            *(line.mission.label for line in comparison.lines),
            *_peer_columns(comparison.peer_count_shown),
            _("Version change"),
            *context.columns,
        ),
        rows=tuple(
            (
                period.display,
                *(_value(line.values[i]) for line in comparison.lines),
                *_peer_cells(comparison.peer_points[i], comparison.peer_count_shown),
                notes.get(period.id, ""),
                *context.cells(period),
            )
            for i, period in enumerate(comparison.periods)
        ),
    )


def table_barrier_counts(counts: BarrierCounts) -> Table:
    if counts.dimension:
        return Table(
            caption=_("Tags on %(dimension)s") % {"dimension": counts.dimension},
            columns=(_("Tag"), _("Kind"), _("Times tagged")),
            rows=tuple(
                (t.label, _("Barrier") if t.kind == "barrier" else _("Enabler"), t.count)
                for kind in ("barrier", "enabler")
                for t in counts.tags
                if t.kind == kind
            ),
        )
    return Table(
        caption=_("Barriers and enablers tagged per dimension"),
        columns=(_("Dimension"), _("Barriers"), _("Enablers")),
        rows=tuple((d.code, d.barriers, d.enablers) for d in counts.dimensions),
    )


# --- actions -----------------------------------------------------------------------------------


def table_actions(lines) -> Table:
    """The actions view: one row per action (``actions.selectors.ActionLine``)."""
    return Table(
        caption=_("Actions agreed by the missions, with their owner, due quarter and status"),
        columns=(
            _("Action"),
            _("Mission"),
            _("Agreed in"),
            _("Dimension"),
            _("Indicators"),
            _("Barriers addressed"),
            _("What will be done"),
            _("Owner"),
            _("Due"),
            _("Status"),
            _("Overdue"),
        ),
        rows=tuple(
            (
                line.action.pk,
                line.action.mission.code,
                line.agreed,
                line.action.dimension_code,
                ", ".join(line.action.indicator_codes),
                ", ".join(line.action.barrier_codes),
                line.action.description,
                line.action.owner,
                line.due,
                line.status_label,
                _("yes") if line.overdue else _("no"),
            )
            for line in lines
        ),
    )
