"""Markers on trend figures and notes in their tables: where the figures on either side of a
quarter were computed differently.

Two causes: a change of scoring method or questionnaire version (``QuarterVersion``), and a
change of the mission's context profile (``ContextChange``), which decides what is asked and
the band each indicator is read against. Both draw a vertical line before the quarter with a
label; the line styles differ (dotted for a version, dash-dot for the context) and so does the
label's symbol, so neither depends on colour.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from dashboards.types import ContextChange, PeriodRef, QuarterVersion

VERSION_LINE = "#555555"
CONTEXT_LINE = "#CC79A7"  # Okabe-Ito reddish purple


def version_note(version: QuarterVersion) -> str:
    """ "Method imp-score-2.0 · IMP-CORE v2 from 2026-Q1": the label of a version change."""
    return _("From %(period)s: method %(method)s, questionnaire %(questionnaire)s") % {
        "period": version.period.display,
        "method": version.method_version,
        "questionnaire": version.questionnaire,
    }


def context_note(change: ContextChange, *, with_mission: bool = False) -> str:
    """ "From T3 2026: context profile changed (drawdown or transition phase)"."""
    if with_mission:
        return _("From %(period)s: %(mission)s's context profile changed (%(clauses)s)") % {
            "period": change.period.display,
            "mission": change.mission_code,
            "clauses": change.clauses,
        }
    return _("From %(period)s: context profile changed (%(clauses)s)") % {
        "period": change.period.display,
        "clauses": change.clauses,
    }


def context_notes(
    changes: Sequence[ContextChange], *, with_mission: bool = False
) -> dict[int, str]:
    """The notes of the context changes by period id (several in one quarter joined)."""
    notes: dict[int, list[str]] = {}
    for change in changes:
        notes.setdefault(change.period.id, []).append(
            context_note(change, with_mission=with_mission)
        )
    return {period_id: " · ".join(texts) for period_id, texts in notes.items()}


def _line(position: int, colour: str, dash: str) -> dict:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": position - 0.5,
        "x1": position - 0.5,
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "dash": dash, "width": 2},
    }


def _label(position: int, text: str, colour: str, y: float) -> dict:
    return {
        "x": position - 0.5,
        "xref": "x",
        "y": y,
        "yref": "paper",
        "yanchor": "bottom",
        "xanchor": "left",
        "text": text,
        "showarrow": False,
        "font": {"size": 10, "color": colour},
    }


def version_markers(
    versions: Sequence[QuarterVersion | None], xs: list[str]
) -> tuple[list[dict], list[dict]]:
    """A dotted vertical line before each quarter whose method or questionnaire version differs
    from the quarter before, with a label naming the new versions (shapes, annotations)."""
    shapes, notes = [], []
    for position, version in enumerate(versions):
        if version is None or not version.changed or position >= len(xs):
            continue
        shapes.append(_line(position, VERSION_LINE, "dot"))
        notes.append(_label(position, "⇢ " + version_note(version), VERSION_LINE, 1))
    return shapes, notes


def context_markers(
    changes: Sequence[ContextChange],
    periods: Sequence[PeriodRef],
    *,
    with_mission: bool = False,
) -> tuple[list[dict], list[dict]]:
    """A dash-dot vertical line before each quarter of ``periods`` (the figure's x values, in
    order) where a context profile changed, labelled lower than a version change's label so
    both stay readable when they fall in one quarter."""
    positions = {period.id: position for position, period in enumerate(periods)}
    shapes, notes = [], []
    for period_id, text in context_notes(changes, with_mission=with_mission).items():
        position = positions.get(period_id)
        if not position:  # not drawn, or the first quarter drawn (nothing before it)
            continue
        shapes.append(_line(position, CONTEXT_LINE, "dashdot"))
        notes.append(_label(position, "◇ " + text, CONTEXT_LINE, 0.9))
    return shapes, notes


def trend_markers(
    versions: Sequence[QuarterVersion | None],
    changes: Sequence[ContextChange],
    periods: Sequence[PeriodRef],
    *,
    with_mission: bool = False,
) -> tuple[list[dict], list[dict]]:
    """Version and context markers of one trend figure (shapes, annotations)."""
    xs = [period.display for period in periods]
    shapes, notes = version_markers(versions, xs)
    more_shapes, more_notes = context_markers(changes, periods, with_mission=with_mission)
    return shapes + more_shapes, notes + more_notes
