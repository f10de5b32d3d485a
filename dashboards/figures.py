"""Every dashboard chart, as pure functions from the selectors' dataclasses to ``go.Figure``.

The one figure module: the pages embed these figures and the PDF scorecard (``exports``) renders
the same functions, so the chart a user sees and the chart in a briefing are the same code.
No database access here. Missing values stay ``None`` (a gap in a line, a grey cell labelled
"insufficient data"), never zero. Colours are colour-blind safe: Okabe–Ito for categories,
viridis for scores, cividis for target alignment; shortfall and over-integration (flags, and
the diverging scale of gaps centred on zero) use the one scheme of ``scoring.flags``, always
with a symbol beside the colour. Where the scoring method or the questionnaire version changes
between quarters, trends draw a dotted vertical line labelled with the new versions.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards.markers import trend_markers
from dashboards.types import (
    APPROVED,
    IN_PROGRESS,
    INSUFFICIENT,
    NOT_STARTED,
    SUBMITTED,
    BarrierCounts,
    Comparison,
    CycleBoard,
    MissionProfile,
    PeerPoint,
    Portfolio,
    missing_label,
)
from scoring.flags import (
    FLAG_KEYS,
    IN_BAND,
    OVER_INTEGRATION,
    SHORTFALL,
    flag_style,
)

# Okabe & Ito (2008), without yellow, which is too faint for lines on white.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
DASHES = ("solid", "dash", "dot", "dashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon")
SEQUENTIAL = "Viridis"
ALIGNMENT_SCALE = "Cividis"
# Gap = target − score: over-integration (negative) in the flag blue, shortfall (positive) in
# the flag orange, white at zero; the same colours as every flag (scoring.flags).
DIVERGING = [
    [0.0, flag_style(OVER_INTEGRATION).colour],
    [0.5, "#f7f7f7"],
    [1.0, flag_style(SHORTFALL).colour],
]
PORTFOLIO_MEASURES = ("alignment", "flags", "score", "gap")
MISSING_COLOUR = "#d9d9d9"
PEER_BAND = "rgba(90, 90, 90, 0.18)"
PEER_LINE = "#555555"
BARRIER_COLOUR = "#D55E00"
ENABLER_COLOUR = "#009E73"
SCORE_RANGE = (0.5, 5.5)
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def separators() -> str:
    """The active language's decimal and thousands separators, as Plotly's layout wants them."""
    return f"{get_format('DECIMAL_SEPARATOR')}{get_format('THOUSAND_SEPARATOR')}"


def _layout(title: str, height: int = 420, **extra) -> dict:
    layout = {
        "template": "none",
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "font": {"family": FONT, "size": 13, "color": "#212529"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": -0.15, "x": 0, "traceorder": "normal"},
        "hoverlabel": {"namelength": -1},
        # Decimal comma in French: Plotly formats every number with these (decimal, thousands).
        "separators": separators(),
    }
    layout.update(extra)
    return layout


def _line_style(position: int) -> dict:
    return {
        "color": OKABE_ITO[position % len(OKABE_ITO)],
        "dash": DASHES[(position // len(OKABE_ITO)) % len(DASHES)],
        "width": 2,
    }


def _missing_annotations(
    categories: Sequence, values: Sequence, at: float, *, horizontal: bool = False
) -> list[dict]:
    """A label "insufficient data" where a bar is missing, so a gap never reads as zero."""
    return [
        {
            "x": at if horizontal else category,
            "y": category if horizontal else at,
            "xanchor": "left" if horizontal else "center",
            "text": _("insufficient data"),
            "showarrow": False,
            "font": {"size": 11, "color": "#555555"},
        }
        for category, value in zip(categories, values, strict=True)
        if value is None
    ]


# --- portfolio ---------------------------------------------------------------------------------


def flag_cell_text(cell) -> str:
    """A portfolio cell's flags as symbols and counts ("▲1 ▼2", "●" in band), never colour alone."""
    if cell.missing or cell.alignment is None:
        return ""
    parts = []
    if cell.over_integration_count:
        parts.append(f"{flag_style(OVER_INTEGRATION).symbol}{cell.over_integration_count}")
    if cell.shortfall_count:
        parts.append(f"{flag_style(SHORTFALL).symbol}{cell.shortfall_count}")
    return " ".join(parts) or flag_style(IN_BAND).symbol


def _flag_colourscale() -> list:
    """A discrete scale: z = position of the flag in ``FLAG_KEYS``, one colour band each."""
    scale = []
    for position, key in enumerate(FLAG_KEYS):
        colour = flag_style(key).colour
        scale += [[position / len(FLAG_KEYS), colour], [(position + 1) / len(FLAG_KEYS), colour]]
    return scale


def _flag_legend() -> list[go.Scatter]:
    """Legend entries for the flag colours, drawn nowhere: the legend shows each flag's marker
    (its symbol, in its colour) beside its label."""
    return [
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=str(flag_style(key).label),  # the marker is the symbol
            marker={
                "color": flag_style(key).colour,
                "symbol": flag_style(key).marker,
                "size": 12,
            },
            hoverinfo="skip",
        )
        for key in FLAG_KEYS
    ]


def figure_portfolio_heatmap(portfolio: Portfolio, measure: str = "alignment") -> go.Figure:
    """Missions × dimensions coloured by target alignment (0–100, cividis, flags as symbols in
    each cell), by flags (shortfall / over-integration / in band, the colours of
    ``scoring.flags`` with ▲/▼ counts), by score (1–5, viridis) or by gap to target
    (diverging, centred on zero), with the mission's alignment (or integration level) column
    beside them. Rows follow the portfolio's sort; missing cells are grey and labelled."""
    if measure not in PORTFOLIO_MEASURES:
        raise ValueError(f"measure must be one of {PORTFOLIO_MEASURES}, not {measure!r}")
    missions = [row.mission.label for row in portfolio.rows]
    codes = [d.code for d in portfolio.dimensions]
    titles = [[d.title for d in portfolio.dimensions] for _row in portfolio.rows]
    flag_text = [[flag_cell_text(cell) for cell in row.cells] for row in portfolio.rows]
    extra: dict = {"customdata": titles}
    if measure == "flags":
        values = [
            [None if c.missing else FLAG_KEYS.index(c.flag) for c in row.cells]
            for row in portfolio.rows
        ]
        scale = {
            "colorscale": _flag_colourscale(),
            "zmin": -0.5,
            "zmax": len(FLAG_KEYS) - 0.5,
            "showscale": False,
        }
        extra.update(
            text=flag_text,
            texttemplate="%{text}",
            hovertemplate="%{y}<br>%{x} — %{customdata}: %{text}<extra></extra>",
        )
        name = _("Flags")
    else:
        values = [[getattr(cell, measure) for cell in row.cells] for row in portfolio.rows]
        if measure == "gap":
            span = max([1.0] + [abs(v) for line in values for v in line if v is not None])
            scale = {"colorscale": DIVERGING, "zmid": 0, "zmin": -span, "zmax": span}
            bar_title = _("Gap to target<br>+ shortfall ▼<br>− over-integration ▲")
        elif measure == "alignment":
            scale = {"colorscale": ALIGNMENT_SCALE, "zmin": 0, "zmax": 100}
            bar_title = _("Target<br>alignment<br>(0–100)")
        else:
            scale = {"colorscale": SEQUENTIAL, "zmin": 1, "zmax": 5}
            bar_title = _("Score<br>(1–5)")
        scale["colorbar"] = {"title": {"text": bar_title, "side": "top"}, "len": 0.6, "x": 1.02}
        number = "%{z:.0f}" if measure == "alignment" else "%{z:.1f}"
        if measure == "alignment":
            extra.update(text=flag_text, texttemplate=number + " %{text}")
        else:
            extra["texttemplate"] = number
        extra["hovertemplate"] = "%{y}<br>%{x} — %{customdata}: %{z:.2f}<extra></extra>"
        name = {
            "gap": _("Gap to target"),
            "alignment": _("Target alignment"),
            "score": _("Score"),
        }[measure]
    by_alignment = measure in ("alignment", "flags")
    side_label = _("Alignment") if by_alignment else _("Level")
    side_name = (
        _("Target alignment") if by_alignment else _("Integration level (higher is not better)")
    )
    traces = [
        go.Heatmap(
            x=codes,
            y=missions,
            z=values,
            name=name,
            hoverongaps=False,
            xgap=1,
            ygap=1,
            **extra,
            **scale,
        ),
        _missing_cells(codes, missions, [row.cells for row in portfolio.rows], "x"),
        go.Heatmap(
            x=[side_label],
            y=missions,
            z=[[row.alignment if by_alignment else row.index] for row in portfolio.rows],
            name=side_name,
            colorscale=ALIGNMENT_SCALE if by_alignment else SEQUENTIAL,
            zmin=0,
            zmax=100,
            showscale=False,
            texttemplate="%{z:.0f}",
            hovertemplate="%{y}<br>" + side_name + ": %{z:.1f}<extra></extra>",
            hoverongaps=False,
            xgap=1,
            ygap=1,
            xaxis="x2",
        ),
        _missing_cells(
            [side_label],
            missions,
            [[_SideCell(row, by_alignment)] for row in portfolio.rows],
            "x2",
        ),
    ]
    if measure == "flags":
        traces += _flag_legend()
    measure_title = {
        "gap": _("gap to target"),
        "alignment": _("target alignment"),
        "flags": _("flags"),
        "score": _("score"),
    }[measure]
    return go.Figure(
        traces,
        layout=_layout(
            _("Portfolio %(period)s: %(measure)s by dimension")
            % {"period": portfolio.period.display, "measure": measure_title},
            height=140 + 24 * max(len(missions), 3) + (40 if measure == "flags" else 0),
            margin={"l": 140, "r": 20, "t": 90, "b": 30 + (40 if measure == "flags" else 0)},
            xaxis={"domain": [0, 0.86], "side": "top", "type": "category"},
            xaxis2={"domain": [0.88, 0.96], "side": "top", "type": "category"},
            yaxis={"autorange": "reversed", "type": "category", "automargin": True},
        ),
    )


class _SideCell:
    """The side column's cell: missing when the mission has no plotted alignment (or index)."""

    def __init__(self, row, by_alignment: bool):
        value = row.alignment if by_alignment else row.index
        self.missing = "" if value is not None else (row.missing or INSUFFICIENT)
        self.because = row.insufficient_because if self.missing == INSUFFICIENT else ""


def _missing_cells(xs: list[str], ys: list[str], grid: list, axis: str) -> go.Heatmap:
    """A grey layer with the label of every missing cell (anything with a ``missing`` reason)."""
    z = [[1 if item.missing else None for item in line] for line in grid]
    text = [[missing_label(i.missing) if i.missing else "" for i in line] for line in grid]
    # Why a mission's headline is missing (``_SideCell``), in the hover text.
    because = [
        [getattr(i, "because", "") or label for i, label in zip(line, labels, strict=True)]
        for line, labels in zip(grid, text, strict=True)
    ]
    return go.Heatmap(
        x=xs,
        y=ys,
        z=z,
        text=text,
        customdata=because,
        name=_("insufficient data"),
        colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]],
        showscale=False,
        texttemplate="%{text}",
        textfont={"size": 9, "color": "#333333"},
        hovertemplate="%{y}<br>%{x}: %{text} (%{customdata})<extra></extra>",
        hoverongaps=False,
        xgap=1,
        ygap=1,
        xaxis=axis,
    )


CYCLE_LABELS = {
    NOT_STARTED: gettext_lazy("Not started"),
    IN_PROGRESS: gettext_lazy("In progress"),
    SUBMITTED: gettext_lazy("Submitted"),
    APPROVED: gettext_lazy("Approved"),
}


def cycle_state_label(state: str) -> str:
    return str(CYCLE_LABELS[state])


def figure_cycle_board(board: CycleBoard) -> go.Figure:
    """Missions per cycle state in the quarter, overdue ones stacked in a hatched bar."""
    states = [cycle_state_label(c.state) for c in board.counts]
    traces = [
        go.Bar(
            y=states,
            x=[c.on_time for c in board.counts],
            name=_("On time"),
            orientation="h",
            marker={"color": "#0072B2"},
            hovertemplate="%{y}: %{x}<extra>" + _("On time") + "</extra>",
        ),
        go.Bar(
            y=states,
            x=[c.overdue for c in board.counts],
            name=_("Overdue"),
            orientation="h",
            marker={"color": BARRIER_COLOUR, "pattern": {"shape": "/"}},
            hovertemplate="%{y}: %{x}<extra>" + _("Overdue") + "</extra>",
        ),
    ]
    return go.Figure(
        traces,
        layout=_layout(
            _("Assessment cycle %(period)s") % {"period": board.period.display},
            height=300,
            barmode="stack",
            margin={"l": 110, "r": 20, "t": 60, "b": 70},
            legend={"orientation": "h", "y": -0.3, "x": 0, "traceorder": "normal"},
            xaxis={
                "title": {"text": _("Missions")},
                "rangemode": "tozero",
                # Whole missions only; Plotly's own ticks would repeat 0, 1, 1, 2, 2.
                "dtick": max(1, -(-max([c.on_time + c.overdue for c in board.counts] + [1]) // 8)),
            },
            yaxis={"autorange": "reversed"},
        ),
    )


# --- mission profile ---------------------------------------------------------------------------


def _profile_title(profile: MissionProfile, what: str) -> str:
    period = profile.period.display if profile.period else _("no result")
    return _("%(mission)s, %(quarter)s: %(what)s") % {
        "mission": profile.mission.label,
        "quarter": period,
        "what": what,
    }


def figure_radar(profile: MissionProfile) -> go.Figure:
    """Dimension scores of the quarter against the targets and against the previous quarter.
    A missing score leaves a gap in its outline."""
    codes = [d.code for d in profile.dimensions]
    closed = codes + codes[:1]

    def loop(values: list) -> list:
        return values + values[:1]

    previous = profile.previous_period.display if profile.previous_period else _("none")
    traces = [
        go.Scatterpolar(
            r=loop([d.target for d in profile.dimensions]),
            theta=closed,
            name=_("Target"),
            mode="lines+markers",
            line={"color": "#000000", "dash": "dash", "width": 2},
            marker={"symbol": "square", "size": 6},
            connectgaps=False,
        ),
        go.Scatterpolar(
            r=loop([d.previous_score for d in profile.dimensions]),
            theta=closed,
            name=_("Previous quarter (%(period)s)") % {"period": previous},
            mode="lines+markers",
            line={"color": "#E69F00", "dash": "dot", "width": 2},
            marker={"symbol": "diamond", "size": 7},
            connectgaps=False,
        ),
        go.Scatterpolar(
            r=loop([d.score for d in profile.dimensions]),
            theta=closed,
            name=_("This quarter"),
            mode="lines+markers",
            line={"color": "#0072B2", "width": 3},
            marker={"symbol": "circle", "size": 8},
            connectgaps=False,
        ),
    ]
    return go.Figure(
        traces,
        layout=_layout(
            _profile_title(profile, _("dimension scores against targets")),
            height=460,
            polar={
                "radialaxis": {"range": [0, 5], "tickvals": [1, 2, 3, 4, 5], "angle": 90},
                "angularaxis": {"direction": "clockwise"},
            },
        ),
    )


def _peer_traces(points: Sequence[PeerPoint], xs: list[str], label: str) -> list[go.Scatter]:
    """The peer group's inter-quartile band (q1 to q3) and its median, drawn behind lines."""
    missions = [p.missions for p in points]
    counts: list[int | None] | None = missions
    # Mission staff never see the number of peers (dashboards.disclosure): no count to hover.
    hover = "%{x}: %{y:.1f}<extra></extra>"
    if any(count is not None for count in missions):
        hover = "%{x}: %{y:.1f} (" + _("%{customdata} missions") + ")<extra></extra>"
    else:
        counts = None
    return [
        go.Scatter(
            x=xs,
            y=[p.q1 for p in points],
            name=_("Peer lower quartile"),
            mode="lines",
            line={"width": 0, "color": PEER_BAND},
            showlegend=False,
            hoverinfo="skip",
        ),
        go.Scatter(
            x=xs,
            y=[p.q3 for p in points],
            name=_("Peer inter-quartile range (%(group)s)") % {"group": label},
            mode="lines",
            line={"width": 0, "color": PEER_BAND},
            fill="tonexty",
            fillcolor=PEER_BAND,
            hoverinfo="skip",
        ),
        go.Scatter(
            x=xs,
            y=[p.median for p in points],
            customdata=counts,
            name=_("Peer median (%(group)s)") % {"group": label},
            mode="lines",
            line={"color": PEER_LINE, "dash": "dash", "width": 2},
            hovertemplate=hover,
        ),
    ]


def figure_index_trend(profile: MissionProfile, last_n: int | None = None) -> go.Figure:
    """The integration index over the quarters (the last ``last_n`` if given), before the
    anonymous median and inter-quartile band of all missions. Missing quarters are gaps."""
    periods = list(profile.periods)
    index = list(profile.index_trend)
    peer = list(profile.peer)
    if last_n:
        periods, index, peer = periods[-last_n:], index[-last_n:], peer[-last_n:]
    xs = [p.display for p in periods]
    traces = list(_peer_traces(peer, xs, _("comparable missions, anonymous")))
    traces.append(
        go.Scatter(
            x=xs,
            y=index,
            name=profile.mission.label,
            mode="lines+markers",
            line={"color": "#0072B2", "width": 3},
            connectgaps=False,
            hovertemplate="%{x}: %{y:.1f}<extra>" + profile.mission.label + "</extra>",
        )
    )
    shapes, notes = trend_markers(
        profile.versions[-len(xs) :] if xs else (), profile.context_changes, periods
    )
    return go.Figure(
        traces,
        layout=_layout(
            _profile_title(profile, _("integration level over time")),
            yaxis={
                "range": [0, 100],
                "title": {"text": _("Integration level (0–100, higher is not better)")},
            },
            xaxis={"type": "category"},
            shapes=shapes,
            annotations=notes,
        ),
    )


def figure_alignment_trend(profile: MissionProfile, last_n: int | None = None) -> go.Figure:
    """Target alignment (method 2 and later) and the integration level over the quarters, with
    a marker where the scoring method or the questionnaire version changes. Quarters without
    an alignment (method 1, insufficient data, no result) are gaps."""
    periods = list(profile.periods)
    alignment = list(profile.alignment_trend) or [None] * len(periods)
    level = list(profile.index_trend)
    versions = list(profile.versions) or [None] * len(periods)
    if last_n:
        periods, alignment, level = periods[-last_n:], alignment[-last_n:], level[-last_n:]
        versions = versions[-last_n:]
    peer = list(profile.alignment_peer)
    if last_n:
        peer = peer[-last_n:]
    xs = [p.display for p in periods]
    shapes, notes = trend_markers(versions, profile.context_changes, periods)
    traces = list(_peer_traces(peer, xs, _("target alignment, anonymous"))) if peer else []
    traces += [
        go.Scatter(
            x=xs,
            y=alignment,
            name=_("Target alignment"),
            mode="lines+markers",
            line={"color": flag_style(IN_BAND).colour, "width": 3},
            marker={"symbol": "circle", "size": 8},
            connectgaps=False,
            hovertemplate="%{x}: %{y:.0f}<extra>" + _("Target alignment") + "</extra>",
        ),
        go.Scatter(
            x=xs,
            y=level,
            name=_("Integration level (higher is not better)"),
            mode="lines+markers",
            line={"color": "#000000", "dash": "dash", "width": 2},
            marker={"symbol": "square", "size": 6},
            connectgaps=False,
            hovertemplate="%{x}: %{y:.0f}<extra>" + _("Integration level") + "</extra>",
        ),
    ]
    return go.Figure(
        traces,
        layout=_layout(
            _profile_title(profile, _("target alignment and integration level over time")),
            yaxis={"range": [0, 105], "title": {"text": _("0–100")}},
            xaxis={"type": "category"},
            shapes=shapes,
            annotations=notes,
        ),
    )


def figure_indicator_flags(profile: MissionProfile) -> go.Figure:
    """Each indicator of the profiled quarter: its band (grey bar) and its value (a marker in
    the colour and symbol of its flag). Insufficient values are hollow; not applicable
    indicators are left out."""
    rows = list(profile.indicator_flags)
    labels = [row.code for row in rows]
    traces = [
        go.Bar(
            y=labels,
            x=[row.band_max - row.band_min + 0.2 for row in rows],
            base=[row.band_min - 0.1 for row in rows],
            orientation="h",
            name=_("Target band"),
            marker={"color": "rgba(120, 120, 120, 0.25)", "line": {"width": 0}},
            customdata=[[f"{row.band_min}–{row.band_max}", row.rationale or "—"] for row in rows],
            hovertemplate="%{y}: "
            + _("band")
            + " %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        )
    ]
    for key in FLAG_KEYS:
        style = flag_style(key)
        chosen = [row for row in rows if row.flag == key]
        if not chosen:
            continue
        traces.append(
            go.Scatter(
                y=[row.code for row in chosen],
                x=[row.value for row in chosen],
                mode="markers",
                # The legend draws the marker (the flag's symbol) beside the name: the name is
                # the label alone, or the legend would show the symbol twice.
                name=str(style.label),
                marker={
                    "color": style.colour,
                    "symbol": style.marker,
                    "size": 13,
                    "line": {"width": 1, "color": "#000000"},
                },
                customdata=[[row.distance if row.distance is not None else 0] for row in chosen],
                hovertemplate="%{y}: %{x:.1f} ("
                + str(style.label)
                + ", %{customdata[0]:+.1f})<extra></extra>",
            )
        )
    return go.Figure(
        traces,
        layout=_layout(
            _profile_title(profile, _("indicators against their target bands")),
            height=160 + 22 * max(len(labels), 3),
            margin={"l": 80, "r": 20, "t": 60, "b": 70},
            barmode="overlay",
            xaxis={"range": list(SCORE_RANGE), "dtick": 1, "title": {"text": _("Step (1–5)")}},
            yaxis={"autorange": "reversed", "type": "category", "automargin": True},
        ),
    )


def figure_dimension_trends(profile: MissionProfile, last_n: int | None = None) -> go.Figure:
    """Each dimension's score over the quarters; missing quarters are gaps."""
    periods = list(profile.periods)[-last_n:] if last_n else list(profile.periods)
    xs = [p.display for p in periods]
    traces = []
    for position, trend in enumerate(profile.dimension_trends):
        values = list(trend.values)[-len(xs) :] if xs else []
        traces.append(
            go.Scatter(
                x=xs,
                y=values,
                name=trend.code,
                mode="lines+markers",
                line=_line_style(position),
                marker={"symbol": SYMBOLS[position % len(SYMBOLS)], "size": 6},
                connectgaps=False,
                hovertemplate="%{x}: %{y:.2f}<extra>" + f"{trend.code} — {trend.title}</extra>",
            )
        )
    return go.Figure(
        traces,
        layout=_layout(
            _profile_title(profile, _("dimension scores over time")),
            yaxis={"range": list(SCORE_RANGE), "dtick": 1, "title": {"text": _("Score (1–5)")}},
            xaxis={"type": "category"},
        ),
    )


def figure_coherence_levels(profile: MissionProfile) -> go.Figure:
    """The three coherence levels this quarter and the quarter before."""
    labels = [level.label for level in profile.coherence_levels]
    now = [level.score for level in profile.coherence_levels]
    before = [level.previous_score for level in profile.coherence_levels]
    traces = [
        go.Bar(
            y=labels,
            x=before,
            name=_("Previous quarter"),
            orientation="h",
            marker={"color": "#E69F00", "pattern": {"shape": "."}},
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
        ),
        go.Bar(
            y=labels,
            x=now,
            name=_("This quarter"),
            orientation="h",
            marker={"color": "#0072B2"},
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
        ),
    ]
    return go.Figure(
        traces,
        layout=_layout(
            _profile_title(profile, _("coherence levels")),
            height=340,
            barmode="group",
            margin={"l": 20, "r": 20, "t": 60, "b": 70},
            legend={"orientation": "h", "y": -0.25, "x": 0, "traceorder": "normal"},
            xaxis={"range": [0, 5], "dtick": 1, "title": {"text": _("Score (1–5)")}},
            yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
            annotations=_missing_annotations(labels, now, 0.1, horizontal=True),
        ),
    )


def figure_component_divergence(profile: MissionProfile) -> go.Figure:
    """How each component sees each dimension, beside the mission's score; dimensions where
    components diverge (the method's flag) are marked ⚑ on the axis."""
    codes = [d.code for d in profile.dimensions]
    ticks = [f"{d.code} ⚑" if d.divergence_flag else d.code for d in profile.dimensions]
    traces = []
    for position, view in enumerate(profile.components):
        traces.append(
            go.Scatter(
                x=codes,
                y=list(view.scores),
                name=view.label,
                mode="markers",
                marker={
                    "color": OKABE_ITO[position % len(OKABE_ITO)],
                    "symbol": SYMBOLS[position % len(SYMBOLS)],
                    "size": 11,
                    "line": {"width": 1, "color": "#ffffff"},
                },
                hovertemplate="%{x}: %{y:.2f}<extra>" + view.label + "</extra>",
            )
        )
    traces.append(
        go.Scatter(
            x=codes,
            y=[d.score for d in profile.dimensions],
            name=_("Mission score"),
            mode="markers",
            marker={"symbol": "line-ew", "size": 26, "line": {"width": 3, "color": "#000000"}},
            hovertemplate="%{x}: %{y:.2f}<extra>" + _("Mission score") + "</extra>",
        )
    )
    return go.Figure(
        traces,
        layout=_layout(
            _profile_title(profile, _("how components see each dimension")),
            height=440,
            xaxis={"type": "category", "tickvals": codes, "ticktext": ticks},
            yaxis={"range": list(SCORE_RANGE), "dtick": 1, "title": {"text": _("Score (1–5)")}},
        ),
    )


def figure_top_tags(profile: MissionProfile) -> go.Figure:
    """The mission's most frequent barriers and enablers over its last quarters."""
    barriers, enablers = list(profile.top_barriers), list(profile.top_enablers)
    traces = [
        go.Bar(
            y=[t.label for t in barriers],
            x=[t.count for t in barriers],
            name=_("Barriers"),
            orientation="h",
            marker={"color": BARRIER_COLOUR, "pattern": {"shape": "/"}},
            hovertemplate="%{y}: %{x}<extra>" + _("Barrier") + "</extra>",
        ),
        go.Bar(
            y=[t.label for t in enablers],
            x=[t.count for t in enablers],
            name=_("Enablers"),
            orientation="h",
            marker={"color": ENABLER_COLOUR},
            hovertemplate="%{y}: %{x}<extra>" + _("Enabler") + "</extra>",
        ),
    ]
    return go.Figure(
        traces,
        layout=_layout(
            _profile_title(
                profile,
                _("most frequent barriers and enablers (last %(n)d quarters)")
                % {"n": profile.tags_quarters},
            ),
            height=160 + 28 * max(len(barriers) + len(enablers), 2),
            margin={"l": 20, "r": 20, "t": 60, "b": 70},
            xaxis={"title": {"text": _("Times tagged")}, "rangemode": "tozero"},
            yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        ),
    )


def figure_gaps_ranked(profile: MissionProfile) -> go.Figure:
    """Gaps to target, largest first. Method 2 and later: per indicator, its signed distance
    to its band (negative is a shortfall, positive over-integration) in the colour, pattern and
    symbol of its flag. Method 1: per dimension, target − score."""
    if profile.ranks_indicators:
        return _figure_indicator_gaps(profile)
    ranked = list(profile.gaps_ranked)
    labels = [d.code for d in ranked]
    gaps = [d.gap for d in ranked]
    styles = [
        flag_style(OVER_INTEGRATION if (g is not None and g < 0) else SHORTFALL) for g in gaps
    ]
    colours = [style.colour for style in styles]
    patterns = [style.pattern for style in styles]
    traces = go.Bar(
        y=labels,
        x=gaps,
        customdata=[[d.title, d.target] for d in ranked],
        name=_("Gap to target"),
        orientation="h",
        marker={"color": colours, "pattern": {"shape": patterns}},
        hovertemplate="%{y} — %{customdata[0]}: %{x:+.2f} ("
        + _("target")
        + " %{customdata[1]})<extra></extra>",
    )
    return go.Figure(
        traces,
        layout=_layout(
            _profile_title(profile, _("gaps to target, ranked")),
            height=140 + 30 * max(len(labels), 3),
            margin={"l": 70, "r": 20, "t": 60, "b": 60},
            xaxis={
                "title": {"text": _("Target − score (+ shortfall, − over-integration)")},
                "zeroline": True,
                "zerolinecolor": "#000000",
            },
            yaxis={"autorange": "reversed", "type": "category"},
            annotations=_missing_annotations(labels, gaps, 0, horizontal=True),
        ),
    )


def _figure_indicator_gaps(profile: MissionProfile) -> go.Figure:
    ranked = list(profile.indicator_gaps_ranked)
    styles = [flag_style(row.flag) for row in ranked]
    traces = [
        go.Bar(
            y=[row.code for row in ranked],
            x=[row.distance for row in ranked],
            text=[f"{style.symbol} {style.label}" for style in styles],
            textposition="outside",
            customdata=[
                [row.dimension_code, row.value, f"{row.band_min}–{row.band_max}"] for row in ranked
            ],
            name=_("Distance to band"),
            orientation="h",
            marker={
                "color": [style.colour for style in styles],
                "pattern": {"shape": [style.pattern for style in styles]},
            },
            hovertemplate="%{y} (%{customdata[0]}): %{x:+.1f}, "
            + _("value")
            + " %{customdata[1]:.1f}, "
            + _("band")
            + " %{customdata[2]}<extra></extra>",
        )
    ]
    notes = []
    if not ranked:
        notes.append(
            {
                "text": _("No indicator outside its band (or not enough answers to say)."),
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
            }
        )
    span = max([1.0] + [abs(row.distance or 0.0) for row in ranked]) + 0.6
    return go.Figure(
        traces,
        layout=_layout(
            _profile_title(profile, _("indicators outside their target bands, ranked")),
            height=140 + 30 * max(len(ranked), 3),
            margin={"l": 80, "r": 20, "t": 60, "b": 60},
            xaxis={
                "title": {
                    "text": _("Distance to band (− shortfall ▼, + over-integration ▲), in steps")
                },
                "range": [-span, span],
                "zeroline": True,
                "zerolinecolor": "#000000",
            },
            yaxis={"autorange": "reversed", "type": "category"},
            annotations=notes,
        ),
    )


# --- compare -----------------------------------------------------------------------------------


def figure_compare(comparison: Comparison) -> go.Figure:
    """The chosen missions' lines over the quarters, before the peer group's median and
    inter-quartile band, with a marker where a questionnaire (or method) version changes.
    Missing quarters are gaps."""
    xs = [p.display for p in comparison.periods]
    traces = list(_peer_traces(comparison.peer_points, xs, comparison.peer_label))
    for position, line in enumerate(comparison.lines):
        traces.append(
            go.Scatter(
                x=xs,
                y=list(line.values),
                name=line.mission.label,
                mode="lines+markers",
                line=_line_style(position),
                marker={"symbol": SYMBOLS[position % len(SYMBOLS)], "size": 6},
                connectgaps=False,
                hovertemplate="%{x}: %{y:.2f}<extra>" + line.mission.label + "</extra>",
            )
        )
    low, high = comparison.scale
    pad = 0 if comparison.measure in ("index", "alignment") else 0.5
    shapes, notes = trend_markers(
        list(comparison.versions),
        comparison.context_changes,
        comparison.periods,
        with_mission=True,
    )
    return go.Figure(
        traces,
        layout=_layout(
            _("%(measure)s against %(group)s")
            % {"measure": comparison.measure_label, "group": comparison.peer_label},
            height=460,
            xaxis={"type": "category"},
            yaxis={"range": [low - pad, high + pad], "title": {"text": comparison.measure_label}},
            shapes=shapes,
            annotations=notes,
        ),
    )


# --- barriers and enablers ---------------------------------------------------------------------


def figure_barrier_counts(counts: BarrierCounts) -> go.Figure:
    """Barrier and enabler tags per dimension; with a dimension chosen, per tag of it."""
    if counts.dimension:
        tags = list(counts.tags)
        labels = [t.label for t in tags]
        traces = [
            go.Bar(
                y=[t.label for t in tags if t.kind == kind],
                x=[t.count for t in tags if t.kind == kind],
                name=name,
                orientation="h",
                marker=marker,
                hovertemplate="%{y}: %{x}<extra>" + name + "</extra>",
            )
            for kind, name, marker in _tag_kinds()
        ]
        return go.Figure(
            traces,
            layout=_layout(
                _("Barriers and enablers tagged on %(dimension)s")
                % {"dimension": counts.dimension},
                height=160 + 28 * max(len(labels), 2),
                margin={"l": 20, "r": 20, "t": 60, "b": 70},
                xaxis={"title": {"text": _("Times tagged")}, "rangemode": "tozero"},
                yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
            ),
        )
    codes = [d.code for d in counts.dimensions]
    traces = [
        go.Bar(
            x=codes,
            y=[getattr(d, attribute) for d in counts.dimensions],
            customdata=[d.title for d in counts.dimensions],
            name=name,
            marker=marker,
            hovertemplate="%{x} — %{customdata}: %{y}<extra>" + name + "</extra>",
        )
        for (_kind, name, marker), attribute in zip(
            _tag_kinds(), ("barriers", "enablers"), strict=True
        )
    ]
    return go.Figure(
        traces,
        layout=_layout(
            _("Barriers and enablers tagged, per dimension"),
            barmode="group",
            xaxis={"type": "category"},
            yaxis={"title": {"text": _("Times tagged")}, "rangemode": "tozero"},
        ),
    )


def _tag_kinds() -> list[tuple[str, str, dict]]:
    return [
        ("barrier", _("Barriers"), {"color": BARRIER_COLOUR, "pattern": {"shape": "/"}}),
        ("enabler", _("Enablers"), {"color": ENABLER_COLOUR}),
    ]
