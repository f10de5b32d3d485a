"""A page's charts: each figure with its data table, built once and cached together."""

from __future__ import annotations

import re
from dataclasses import dataclass

import plotly.graph_objects as go
from django.utils.translation import pgettext

from dashboards import figures, tables
from dashboards.tables import Table
from dashboards.types import BarrierCounts, Comparison, CycleBoard, MissionProfile, Portfolio


@dataclass(frozen=True)
class Chart:
    """``key`` names the chart in URLs (``?format=csv&chart=<key>``) and element ids."""

    key: str
    title: str
    figure: dict
    table: Table

    @property
    def script_id(self) -> str:
        return f"{self.key}-figure"


# "%{x}: %{y}" in a hover label: the colon after a value, which French spaces (U+00A0).
_VALUE_COLON = re.compile(r"\}: ")


def _hover_typography(data: dict) -> None:
    """The hover labels' colons in the active language's typography ("%{x}\u00a0: %{y}")."""
    colon = pgettext("label suffix", ":")
    if colon == ":":
        return
    for trace in data.get("data", []):
        template = trace.get("hovertemplate")
        if isinstance(template, str):
            trace["hovertemplate"] = _VALUE_COLON.sub("}" + colon + " ", template)
        elif isinstance(template, list | tuple):
            trace["hovertemplate"] = [
                _VALUE_COLON.sub("}" + colon + " ", t) if isinstance(t, str) else t
                for t in template
            ]


def _chart(key: str, figure: go.Figure, table: Table) -> Chart:
    """On the page the title is a real heading above the chart, so the figure drops its own
    (the PDF exports keep it)."""
    data = figure.to_plotly_json()
    _hover_typography(data)
    layout = data["layout"]
    title = layout.pop("title", {}).get("text", key)
    layout.setdefault("margin", {})
    if layout["margin"].get("t", 0) >= 60:
        layout["margin"]["t"] = layout["margin"]["t"] - 40
    return Chart(key=key, title=title, figure=data, table=table)


def portfolio_charts(portfolio: Portfolio, measure: str) -> list[Chart]:
    return [
        _chart(
            "heatmap",
            figures.figure_portfolio_heatmap(portfolio, measure),
            tables.table_portfolio_heatmap(portfolio, measure),
        )
    ]


def cycle_charts(board: CycleBoard) -> list[Chart]:
    return [_chart("cycle", figures.figure_cycle_board(board), tables.table_cycle_board(board))]


def profile_charts(profile: MissionProfile) -> list[Chart]:
    if profile.period is None:
        return []
    return [
        _chart("radar", figures.figure_radar(profile), tables.table_radar(profile)),
        _chart("gaps", figures.figure_gaps_ranked(profile), tables.table_gaps_ranked(profile)),
        _chart(
            "alignment_trend",
            figures.figure_alignment_trend(profile),
            tables.table_alignment_trend(profile),
        ),
        _chart(
            "indicator_flags",
            figures.figure_indicator_flags(profile),
            tables.table_indicator_flags(profile),
        ),
        _chart(
            "index_trend",
            figures.figure_index_trend(profile),
            tables.table_index_trend(profile),
        ),
        _chart(
            "dimension_trends",
            figures.figure_dimension_trends(profile),
            tables.table_dimension_trends(profile),
        ),
        _chart(
            "coherence",
            figures.figure_coherence_levels(profile),
            tables.table_coherence_levels(profile),
        ),
        _chart(
            "components",
            figures.figure_component_divergence(profile),
            tables.table_component_divergence(profile),
        ),
        _chart("tags", figures.figure_top_tags(profile), tables.table_top_tags(profile)),
    ]


def compare_charts(comparison: Comparison) -> list[Chart]:
    return [_chart("compare", figures.figure_compare(comparison), tables.table_compare(comparison))]


def barrier_charts(counts: BarrierCounts) -> list[Chart]:
    return [
        _chart(
            "barriers",
            figures.figure_barrier_counts(counts),
            tables.table_barrier_counts(counts),
        )
    ]
