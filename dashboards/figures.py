"""Every dashboard chart, as pure functions from the selectors' dataclasses to ``go.Figure``.

The one figure module: the pages embed these figures and the PDF scorecard (``exports``) renders
the same functions, so the chart a user sees and the chart in a briefing are the same code.
No database access here. Missing values stay ``None`` (a gap in a line, a grey cell labelled
"insufficient data"), never zero. Colours are colour-blind safe: Okabe–Ito for categories,
viridis for scores, a red–blue diverging scale centred on zero for gaps to target.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
)

# Okabe & Ito (2008), without yellow, which is too faint for lines on white.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
DASHES = ("solid", "dash", "dot", "dashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon")
SEQUENTIAL = "Viridis"
# ColorBrewer RdBu reversed: shortfall (positive gap) red, over-integration (negative) blue.
DIVERGING = "RdBu_r"
MISSING_COLOUR = "#d9d9d9"
PEER_BAND = "rgba(90, 90, 90, 0.18)"
PEER_LINE = "#555555"
BARRIER_COLOUR = "#D55E00"
ENABLER_COLOUR = "#009E73"
SCORE_RANGE = (0.5, 5.5)
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def _missing_label(reason: str) -> str:
    return _("insufficient data") if reason == INSUFFICIENT else _("no result")


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


def figure_portfolio_heatmap(portfolio: Portfolio, measure: str = "score") -> go.Figure:
    """Missions × dimensions coloured by score (1–5, viridis) or by gap to target (diverging,
    centred on zero), with the integration index column beside them. Rows follow the
    portfolio's sort; missing cells are grey and labelled."""
    if measure not in ("score", "gap"):
        raise ValueError(f"measure must be 'score' or 'gap', not {measure!r}")
    missions = [row.mission.label for row in portfolio.rows]
    codes = [d.code for d in portfolio.dimensions]
    values = [[getattr(cell, measure) for cell in row.cells] for row in portfolio.rows]
    titles = [[d.title for d in portfolio.dimensions] for _row in portfolio.rows]
    if measure == "gap":
        span = max([1.0] + [abs(v) for line in values for v in line if v is not None])
        scale = {"colorscale": DIVERGING, "zmid": 0, "zmin": -span, "zmax": span}
        bar_title = _("Gap to target<br>+ shortfall<br>− over-integration")
    else:
        scale = {"colorscale": SEQUENTIAL, "zmin": 1, "zmax": 5}
        bar_title = _("Score<br>(1–5)")
    traces = []
    traces.append(
        go.Heatmap(
            x=codes,
            y=missions,
            z=values,
            customdata=titles,
            name=_("Gap to target") if measure == "gap" else _("Score"),
            texttemplate="%{z:.1f}",
            hovertemplate="%{y}<br>%{x} — %{customdata}: %{z:.2f}<extra></extra>",
            hoverongaps=False,
            xgap=1,
            ygap=1,
            colorbar={"title": {"text": bar_title, "side": "top"}, "len": 0.6, "x": 1.02},
            **scale,
        )
    )
    traces.append(_missing_cells(codes, missions, [row.cells for row in portfolio.rows], "x"))
    traces.append(
        go.Heatmap(
            x=[_("Index")],
            y=missions,
            z=[[row.index] for row in portfolio.rows],
            name=_("Integration index"),
            colorscale=SEQUENTIAL,
            zmin=0,
            zmax=100,
            showscale=False,
            texttemplate="%{z:.0f}",
            hovertemplate="%{y}<br>" + _("Integration index") + ": %{z:.1f}<extra></extra>",
            hoverongaps=False,
            xgap=1,
            ygap=1,
            xaxis="x2",
        )
    )
    index_cells = [[row] for row in portfolio.rows]
    traces.append(_missing_cells([_("Index")], missions, index_cells, "x2"))
    return go.Figure(
        traces,
        layout=_layout(
            _("Portfolio %(period)s: %(measure)s by dimension")
            % {
                "period": portfolio.period.label,
                "measure": _("gap to target") if measure == "gap" else _("score"),
            },
            height=140 + 24 * max(len(missions), 3),
            margin={"l": 140, "r": 20, "t": 90, "b": 30},
            xaxis={"domain": [0, 0.86], "side": "top", "type": "category"},
            xaxis2={"domain": [0.88, 0.96], "side": "top", "type": "category"},
            yaxis={"autorange": "reversed", "type": "category", "automargin": True},
        ),
    )


def _missing_cells(xs: list[str], ys: list[str], grid: list, axis: str) -> go.Heatmap:
    """A grey layer with the label of every missing cell (anything with a ``missing`` reason)."""
    z = [[1 if item.missing else None for item in line] for line in grid]
    text = [[_missing_label(i.missing) if i.missing else "" for i in line] for line in grid]
    return go.Heatmap(
        x=xs,
        y=ys,
        z=z,
        text=text,
        name=_("insufficient data"),
        colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]],
        showscale=False,
        texttemplate="%{text}",
        textfont={"size": 9, "color": "#333333"},
        hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
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
            _("Assessment cycle %(period)s") % {"period": board.period.label},
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
    period = profile.period.label if profile.period else _("no result")
    return f"{profile.mission.label}, {period}: {what}"


def figure_radar(profile: MissionProfile) -> go.Figure:
    """Dimension scores of the quarter against the targets and against the previous quarter.
    A missing score leaves a gap in its outline."""
    codes = [d.code for d in profile.dimensions]
    closed = codes + codes[:1]

    def loop(values: list) -> list:
        return values + values[:1]

    previous = profile.previous_period.label if profile.previous_period else _("none")
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
    counts = [p.missions for p in points]
    # Mission staff never see the number of peers (dashboards.disclosure): no count to hover.
    hover = "%{x}: %{y:.1f}<extra></extra>"
    if any(count is not None for count in counts):
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
    xs = [p.label for p in periods]
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
    return go.Figure(
        traces,
        layout=_layout(
            _profile_title(profile, _("integration index over time")),
            yaxis={"range": [0, 100], "title": {"text": _("Integration index (0–100)")}},
            xaxis={"type": "category"},
        ),
    )


def figure_dimension_trends(profile: MissionProfile, last_n: int | None = None) -> go.Figure:
    """Each dimension's score over the quarters; missing quarters are gaps."""
    periods = list(profile.periods)[-last_n:] if last_n else list(profile.periods)
    xs = [p.label for p in periods]
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
    """Gaps to target, largest first; positive is a shortfall, negative over-integration."""
    ranked = list(profile.gaps_ranked)
    labels = [d.code for d in ranked]
    gaps = [d.gap for d in ranked]
    colours = ["#0072B2" if (g is not None and g < 0) else BARRIER_COLOUR for g in gaps]
    patterns = ["" if (g is not None and g < 0) else "/" for g in gaps]
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


# --- compare -----------------------------------------------------------------------------------


def figure_compare(comparison: Comparison) -> go.Figure:
    """The chosen missions' lines over the quarters, before the peer group's median and
    inter-quartile band. Missing quarters are gaps."""
    xs = [p.label for p in comparison.periods]
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
    pad = 0 if comparison.measure == "index" else 0.5
    return go.Figure(
        traces,
        layout=_layout(
            _("%(measure)s against %(group)s")
            % {"measure": comparison.measure_label, "group": comparison.peer_label},
            height=460,
            xaxis={"type": "category"},
            yaxis={"range": [low - pad, high + pad], "title": {"text": comparison.measure_label}},
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
