"""The briefing deck: an editable PowerPoint (python-pptx) with native charts.

Every chart is a PowerPoint chart part with its data in an embedded workbook, so analysts can
restyle and edit it; nothing is a picture. The numbers are read from the dashboards' own
selectors (``dashboards.selectors.portfolio`` and ``mission_profile``), never recomputed:
the peer median follows ``dashboards.disclosure`` because the profile already does, and the
flag colours come from ``scoring.flags``.

Slides, for N missions: a title slide, the portfolio heat table (``HEAT_ROWS`` missions per
slide), then four per mission (dimension profile with the target-alignment headline and the
flags; the trend with the peer median; the most frequent barriers and enablers; the actions
agreed, from the actions app's selector). Every slide
carries the classification marking in its footer, DEMO DATA when it shows a demo mission, and
notes with the provenance of its numbers.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from pptx.chart.data import CategoryChartData, ChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import PP_ALIGN
from pptx.opc.packuri import PackURI
from pptx.presentation import Presentation as PresentationObject
from pptx.shapes.autoshape import Shape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide
from pptx.table import _Cell
from pptx.util import Emu, Inches, Pt

from actions.selectors import actions_for_quarter
from dashboards.figures import BARRIER_COLOUR, ENABLER_COLOUR, PEER_LINE
from dashboards.markers import version_note
from dashboards.selectors import mission_profile, portfolio
from dashboards.types import MissionProfile, Portfolio, PortfolioRow
from exports.deck_template import (
    active_template_bytes,
    content_layout,
    presentation_from_template,
    title_layout,
)
from exports.progress import Progress
from imp_assess.cells import xml_safe
from imp_assess.dates import datetime_long
from imp_assess.marking import classification_marking
from imp_assess.typography import join_clauses
from missions.models import Mission
from missions.roles import User
from scoring.flags import CRITICAL_STYLE, INSUFFICIENT, OVER_INTEGRATION, SHORTFALL, flag_style
from scoring.headline import headline_for_quarter

TITLE_SIZE = 26
HEAT_ROWS = 10  # missions per heat-table slide
HEAT_ROW_HEIGHT = int(Inches(0.4))
HEAT_MISSION_WIDTH = int(Inches(1.35))
HEAT_FIGURE_WIDTH = int(Inches(0.72))  # the four headline columns
TREND_QUARTERS = 8
TAG_ROWS = 6
ACTION_ROWS = 8  # actions listed on a mission's slide; the rest are counted
PER_MISSION = 4  # slides per mission
SCORE_COLOUR = "#0072B2"
TARGET_COLOUR = "#000000"
PREVIOUS_COLOUR = "#999999"
MARGIN = int(Inches(0.4))
FOOTER_HEIGHT = int(Inches(0.35))
TOP = int(Inches(1.35))  # below the layout's title


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _number(value: float | None, digits: int = 0) -> str:
    """In the active language's format: 3.4 in English, 3,4 in French."""
    return "—" if value is None else number_format(value, decimal_pos=digits, use_l10n=True)


def _percent(value: float | None) -> str:
    if value is None:
        return "—"
    return _("%(value)s %%") % {"value": _number(value * 100)}


def _points(points: float | None, count: int | None) -> str:
    """ "12 points (3 indicators)": a flag's total distance and its number of indicators."""
    if count is None:
        return _("%(points)s points") % {"points": _number(points)}
    return ngettext(
        "%(points)s points (%(count)d indicator)", "%(points)s points (%(count)d indicators)", count
    ) % {"points": _number(points), "count": count}


def demo_label() -> str:
    return _("DEMO DATA")


class _PartNames:
    """python-pptx names each new part (chart, workbook, notes) by walking every part of the
    package, which makes a deck quadratic in its charts (seconds at 20 missions). The deck only
    adds parts, so the names seen are remembered instead."""

    def __init__(self, presentation: PresentationObject):
        package = presentation.part.package
        self.used = {str(part.partname) for part in package.iter_parts()}
        package.__dict__["next_partname"] = self

    def __call__(self, template: str) -> PackURI:
        number = 1
        while (template % number) in self.used:
            number += 1
        self.used.add(template % number)
        return PackURI(template % number)


@dataclasses.dataclass
class Deck:
    """The presentation being built and what every slide repeats."""

    presentation: PresentationObject
    marking: str
    generated_at: datetime.datetime

    @property
    def width(self) -> int:
        return int(self.presentation.slide_width or Inches(10))

    @property
    def height(self) -> int:
        return int(self.presentation.slide_height or Inches(7.5))

    def __post_init__(self) -> None:
        _PartNames(self.presentation)
        self.content_layout = content_layout(self.presentation)

    def slide(self, title: str, *, demo: bool, notes: Sequence[str]) -> Slide:
        """A content slide with its title, footer marking and notes."""
        slide = self.presentation.slides.add_slide(self.content_layout)
        self._title(slide, title)
        self._finish(slide, demo=demo, notes=notes)
        return slide

    def title_slide(self, title: str, subtitle: str, *, demo: bool, notes: Sequence[str]) -> Slide:
        slide = self.presentation.slides.add_slide(title_layout(self.presentation))
        self._title(slide, title)
        placeholders = [p for p in slide.placeholders if p.placeholder_format.idx != 0]
        if placeholders:
            placeholders[0].text_frame.text = xml_safe(subtitle)
        else:
            self.text(slide, subtitle, top=TOP, height=Inches(1.5), size=18)
        self._finish(slide, demo=demo, notes=notes)
        return slide

    def _title(self, slide: Slide, title: str) -> None:
        if slide.shapes.title is not None:
            slide.shapes.title.text = xml_safe(title)
            # The layout's font and colours stay; the size fits a title on one or two lines.
            for paragraph in slide.shapes.title.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(TITLE_SIZE)
        else:
            self.text(slide, title, top=Inches(0.3), height=Inches(0.9), size=26, bold=True)

    def _finish(self, slide: Slide, *, demo: bool, notes: Sequence[str]) -> None:
        footer = self.marking + (f" · {demo_label()}" if demo else "")
        box = self.text(
            slide,
            footer,
            top=self.height - FOOTER_HEIGHT - Inches(0.05),
            height=FOOTER_HEIGHT,
            size=10,
            bold=True,
            align=PP_ALIGN.CENTER,
        )
        box.name = "Classification marking"
        lines = [*notes, _("Classification: %(marking)s") % {"marking": self.marking}]
        if demo:
            lines.append(_("DEMO DATA: fictional missions, synthetic answers."))
        notes_frame = slide.notes_slide.notes_text_frame
        if notes_frame is not None:  # every layout python-pptx makes notes for has a body
            notes_frame.text = xml_safe("\n".join(lines))

    def text(
        self,
        slide: Slide,
        text: str,
        *,
        top: int,
        height: int,
        left: int | None = None,
        width: int | None = None,
        size: int = 14,
        bold: bool = False,
        align: PP_ALIGN | None = None,
        fill: str | None = None,
        colour: str | None = None,
    ) -> Shape:
        left = MARGIN if left is None else left
        width = self.width - 2 * MARGIN if width is None else width
        box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
        frame = box.text_frame
        frame.word_wrap = True
        for position, line in enumerate(xml_safe(text).split("\n")):
            paragraph = frame.paragraphs[0] if position == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = line
            run.font.size = Pt(size)
            run.font.bold = bold
            if colour:
                run.font.color.rgb = _rgb(colour)
            if align is not None:
                paragraph.alignment = align
        if fill:
            box.fill.solid()
            box.fill.fore_color.rgb = _rgb(fill)
        return box


@dataclasses.dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | int | None]
    colour: str
    dash: MSO_LINE_DASH_STYLE | None = None  # lines only


def _chart(
    deck: Deck,
    slide: Slide,
    *,
    name: str,
    kind: XL_CHART_TYPE,
    categories: Sequence[str],
    series: Sequence[Series],
    box: tuple[int, int, int, int],
    title: str,
    axis: tuple[float, float] | None = None,
    number_format: str = "0.0",
) -> GraphicFrame:
    """A native chart named ``name``, its data in the embedded workbook."""
    data = CategoryChartData(number_format=number_format)
    data.categories = [xml_safe(c) for c in categories]
    for one in series:
        data.add_series(xml_safe(one.name), list(one.values))
    left, top, width, height = box
    # python-pptx's hints say a ChartData and a Chart; it takes any chart data, returns the frame.
    frame = cast(
        GraphicFrame,
        slide.shapes.add_chart(
            kind, Emu(left), Emu(top), Emu(width), Emu(height), cast(ChartData, data)
        ),
    )
    frame.name = name
    chart = frame.chart
    chart.has_title = True
    chart.chart_title.text_frame.text = xml_safe(title)
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(13)
    chart.has_legend = len(series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(10)
    line = kind in (XL_CHART_TYPE.LINE_MARKERS, XL_CHART_TYPE.LINE)
    for plot_series, one in zip(chart.plots[0].series, series, strict=True):
        if line:
            plot_series.format.line.color.rgb = _rgb(one.colour)
            plot_series.format.line.width = Pt(2.5)
            if one.dash is not None:
                plot_series.format.line.dash_style = one.dash
            plot_series.smooth = False
        else:
            plot_series.format.fill.solid()
            plot_series.format.fill.fore_color.rgb = _rgb(one.colour)
    if axis is not None:
        chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = axis
    if number_format == "0":  # counts: whole steps
        chart.value_axis.major_unit = 1
        chart.value_axis.minimum_scale = 0
    if kind in (XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.BAR_STACKED):
        # Horizontal bars list their categories top-down, as on the dashboard.
        chart.category_axis.reverse_order = True
    chart.value_axis.tick_labels.font.size = Pt(10)
    chart.category_axis.tick_labels.font.size = Pt(10)
    return frame


# --- portfolio ---------------------------------------------------------------------------------


def _heat_slides(deck: Deck, chosen: Portfolio, notes: Sequence[str]) -> None:
    rows = list(chosen.rows)
    pages = max(1, math.ceil(len(rows) / HEAT_ROWS))
    for page in range(pages):
        part = rows[page * HEAT_ROWS : (page + 1) * HEAT_ROWS]
        title = _("Portfolio %(quarter)s: scores and findings") % {"quarter": chosen.period.display}
        if pages > 1:
            title += f" ({page + 1}/{pages})"
        slide = deck.slide(title, demo=any(r.mission.is_demo for r in part), notes=notes)
        _heat_table(deck, slide, chosen, part)


def _heat_table(deck: Deck, slide: Slide, chosen: Portfolio, rows: list[PortfolioRow]) -> None:
    headers = [
        _("Mission"),
        *[d.code for d in chosen.dimensions],
        _("Alignment"),
        _("Shortfall"),
        _("Over-int."),
        pgettext("deck column", "Complete"),
    ]
    width = deck.width - 2 * MARGIN
    frame = slide.shapes.add_table(
        len(rows) + 1,
        len(headers),
        Emu(MARGIN),
        Emu(TOP),
        Emu(width),
        Emu(HEAT_ROW_HEIGHT * (len(rows) + 1)),
    )
    frame.name = "Portfolio heat table"
    table = frame.table
    dimension_width = (width - HEAT_MISSION_WIDTH - 4 * HEAT_FIGURE_WIDTH) // max(
        1, len(chosen.dimensions)
    )
    for position in range(len(headers)):
        if position == 0:
            table.columns[position].width = Emu(HEAT_MISSION_WIDTH)
        elif position <= len(chosen.dimensions):
            table.columns[position].width = Emu(dimension_width)
        else:
            table.columns[position].width = Emu(HEAT_FIGURE_WIDTH)
    for position in range(len(rows) + 1):
        table.rows[position].height = Emu(HEAT_ROW_HEIGHT)
    for column, header in enumerate(headers):
        _cell(table.cell(0, column), header, bold=True)
    critical = CRITICAL_STYLE
    for position, row in enumerate(rows, start=1):
        # Method v3's critical findings lead the row: "◆ 2" under the mission, in vermillion.
        count = row.headline.critical_count if row.headline else 0
        _cell(
            table.cell(position, 0),
            f"{row.mission.label}\n{critical.symbol} {count}" if count else row.mission.label,
            bold=True,
            fill=critical.colour if count else None,
            colour=critical.text_colour if count else None,
        )
        for column, cell in enumerate(row.cells, start=1):
            style = flag_style(cell.flag)
            text = _number(cell.score, 1)
            if cell.score is not None and cell.flag != INSUFFICIENT:
                text += f" {style.symbol}"
            _cell(table.cell(position, column), text, fill=style.colour, colour=style.text_colour)
        first = len(row.cells) + 1
        shortfall, over = flag_style(SHORTFALL), flag_style(OVER_INTEGRATION)
        _cell(table.cell(position, first), _number(row.alignment))
        _cell(
            table.cell(position, first + 1),
            _flag_text(row.shortfall, row.shortfall_count),
            fill=shortfall.colour if row.shortfall_count else None,
            colour=shortfall.text_colour if row.shortfall_count else None,
        )
        _cell(
            table.cell(position, first + 2),
            _flag_text(row.over_integration, row.over_integration_count),
            fill=over.colour if row.over_integration_count else None,
            colour=over.text_colour if row.over_integration_count else None,
        )
        _cell(table.cell(position, first + 3), _percent(row.completeness))
    legend = "   ".join(
        f"{flag_style(key).symbol} {flag_style(key).label}"
        for key in (SHORTFALL, OVER_INTEGRATION, "in_band", INSUFFICIENT)
    )
    deck.text(
        slide,
        _(
            "Cells: dimension score (1–5) in the colour of its indicators' flags. "
            "Shortfall and over-integration: points (indicators). %(legend)s"
        )
        % {"legend": legend}
        + "   "
        + _("%(symbol)s n under a mission: n critical findings (method 3).")
        % {"symbol": CRITICAL_STYLE.symbol},
        top=TOP + HEAT_ROW_HEIGHT * (len(rows) + 1) + int(Inches(0.1)),
        height=Inches(0.6),
        size=10,
    )


def _flag_text(points: float | None, count: int | None) -> str:
    if points is None and count is None:
        return "—"
    return f"{_number(points)} ({count or 0})"


def _cell(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    fill: str | None = None,
    colour: str | None = None,
) -> None:
    cell.text = xml_safe(text)
    for paragraph in cell.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(8)
            run.font.bold = bold
            if colour:
                run.font.color.rgb = _rgb(colour)
    if fill:
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb(fill)
    cell.margin_left = cell.margin_right = Inches(0.04)


# --- one mission -------------------------------------------------------------------------------


def _provenance(profile: MissionProfile, generated_at: datetime.datetime) -> list[str]:
    version = profile.versions[-1] if profile.versions else None
    return [
        _("Mission: %(mission)s; quarter: %(quarter)s")
        % {
            "mission": profile.mission.label,
            "quarter": profile.period.display if profile.period else _("no result"),
        },
        _("Questionnaire version: %(version)s")
        % {"version": version.questionnaire if version else "—"},
        _("Scoring method version: %(version)s")
        % {"version": profile.method_version or (version.method_version if version else "—")},
        _("Completeness: %(completeness)s") % {"completeness": _percent(profile.completeness)},
        _("Data extracted: %(when)s") % {"when": datetime_long(generated_at, zone=True)},
        _("Source: the dashboards' mission profile (stored scores, not recomputed)."),
    ]


def _profile_slide(deck: Deck, profile: MissionProfile, notes: list[str]) -> None:
    mission = profile.mission
    slide = deck.slide(
        _("%(mission)s: dimensions against targets") % {"mission": mission.label},
        demo=mission.is_demo,
        notes=notes,
    )
    width = deck.width - 2 * MARGIN
    chart_width = int(width * 0.6)
    chart_height = deck.height - TOP - FOOTER_HEIGHT - Inches(0.3)
    previous = profile.previous_period.display if profile.previous_period else _("none")
    _chart(
        deck,
        slide,
        name=f"profile-{mission.code}",
        kind=XL_CHART_TYPE.COLUMN_CLUSTERED,
        categories=[d.code for d in profile.dimensions],
        series=[
            Series(_("This quarter"), [d.score for d in profile.dimensions], SCORE_COLOUR),
            Series(_("Target"), [d.target for d in profile.dimensions], TARGET_COLOUR),
            Series(
                _("Previous quarter (%(period)s)") % {"period": previous},
                [d.previous_score for d in profile.dimensions],
                PREVIOUS_COLOUR,
            ),
        ],
        box=(MARGIN, TOP, chart_width, chart_height),
        title=_("Dimension scores (1–5) against targets"),
        axis=(0, 5),
    )
    left = MARGIN + chart_width + Inches(0.2)
    side = width - chart_width - Inches(0.2)
    shortfall, over = flag_style(SHORTFALL), flag_style(OVER_INTEGRATION)
    top: int = TOP
    headline = (
        headline_for_quarter(mission_id=mission.id, period_id=profile.period.id)
        if profile.period
        else None
    )
    if headline is not None:
        # Method v3's gated headline leads: critical findings first, in vermillion when any.
        deck.text(
            slide,
            headline.text,
            top=top,
            height=Inches(0.5),
            left=left,
            width=side,
            size=11,
            bold=True,
            fill=CRITICAL_STYLE.colour if headline.critical_count else None,
            colour=CRITICAL_STYLE.text_colour if headline.critical_count else None,
        ).name = "Critical findings"
        top += int(Inches(0.55))
    deck.text(
        slide,
        _("Target alignment: %(alignment)s / 100") % {"alignment": _number(profile.alignment)},
        top=top,
        height=Inches(0.45),
        left=left,
        width=side,
        size=14,
        bold=True,
    ).name = "Target alignment"
    top += int(Inches(0.5))
    for style, points, count, name in (
        (shortfall, profile.shortfall, profile.shortfall_count, "Shortfall"),
        (over, profile.over_integration, profile.over_integration_count, "Over-integration"),
    ):
        # In the flag's colours when there is a finding; plain text when there is none.
        deck.text(
            slide,
            _("%(flag)s: %(findings)s")
            % {"flag": f"{style.symbol} {style.label}", "findings": _points(points, count)},
            top=top,
            height=Inches(0.5),
            left=left,
            width=side,
            size=11,
            bold=True,
            fill=style.colour if count else None,
            colour=style.text_colour if count else None,
        ).name = name
        top += int(Inches(0.55))
    deck.text(
        slide,
        "\n".join(
            [
                _("Integration level: %(level)s (higher is not better)")
                % {"level": _number(profile.index)},
                _("Completeness: %(completeness)s")
                % {"completeness": _percent(profile.completeness)},
                *([_("Phase: %(phase)s") % {"phase": profile.phase}] if profile.phase else []),
            ]
        ),
        top=top,
        height=Inches(0.8),
        left=left,
        width=side,
        size=11,
    )
    top += int(Inches(0.8))
    counted = [d for d in profile.dimensions if d.shortfall_count is not None]
    if counted:
        _chart(
            deck,
            slide,
            name=f"flags-{mission.code}",
            kind=XL_CHART_TYPE.BAR_STACKED,
            categories=[d.code for d in counted],
            series=[
                Series(
                    str(shortfall.label), [d.shortfall_count for d in counted], shortfall.colour
                ),
                Series(str(over.label), [d.over_integration_count for d in counted], over.colour),
            ],
            box=(left, top, side, deck.height - top - FOOTER_HEIGHT - Inches(0.2)),
            title=_("Indicators outside their band"),
            number_format="0",
        )


def _trend_slide(deck: Deck, profile: MissionProfile, notes: list[str]) -> None:
    mission = profile.mission
    slide = deck.slide(
        _("%(mission)s: over time") % {"mission": mission.label},
        demo=mission.is_demo,
        notes=notes,
    )
    periods = list(profile.periods)[-TREND_QUARTERS:]
    count = len(periods)

    def last(values: Sequence[float | None]) -> list[float | None]:
        return list(values)[-count:] if count else []

    peer = last([point.median for point in profile.peer])
    alignment = last(profile.alignment_trend)
    alignment_peer = last([point.median for point in profile.alignment_peer])
    series = [
        Series(
            _("Integration level (higher is not better)"), last(profile.index_trend), SCORE_COLOUR
        )
    ]
    # Peer medians only where the disclosure rule lets them show (None elsewhere); a series
    # the rule withholds entirely is left out, and the note below says why.
    if any(value is not None for value in peer):
        series.append(
            Series(
                _("Peer median, integration level (comparable missions, anonymous)"),
                peer,
                PEER_LINE,
                MSO_LINE_DASH_STYLE.DASH,
            )
        )
    if any(value is not None for value in alignment):
        series.append(Series(_("Target alignment"), alignment, flag_style("in_band").colour))
    if any(value is not None for value in alignment_peer):
        series.append(
            Series(
                _("Peer median, target alignment (comparable missions, anonymous)"),
                alignment_peer,
                flag_style("in_band").colour,
                MSO_LINE_DASH_STYLE.DASH,
            )
        )
    shown = {period.id for period in periods}
    remarks = [
        *profile.peer_notes,
        *(version_note(v) for v in profile.version_changes if v.period.id in shown),
    ]
    remarks_height = int(Inches(0.22)) * len(remarks)
    if periods:
        _chart(
            deck,
            slide,
            name=f"trend-{mission.code}",
            kind=XL_CHART_TYPE.LINE_MARKERS,
            categories=[p.display for p in periods],
            series=series,
            box=(
                MARGIN,
                TOP,
                deck.width - 2 * MARGIN,
                deck.height - TOP - FOOTER_HEIGHT - int(Inches(0.2)) - remarks_height,
            ),
            title=_("Integration level and target alignment, last %(n)d quarters (0–100)")
            % {"n": count},
            axis=(0, 100),
        )
    else:
        deck.text(slide, _("No stored result yet."), top=TOP, height=Inches(0.5))
    if remarks:
        deck.text(
            slide,
            "\n".join(remarks),
            top=deck.height - FOOTER_HEIGHT - int(Inches(0.15)) - remarks_height,
            height=remarks_height,
            size=10,
        ).name = "Trend remarks"


def _tags_slide(deck: Deck, profile: MissionProfile, notes: list[str]) -> None:
    mission = profile.mission
    slide = deck.slide(
        _("%(mission)s: barriers and enablers") % {"mission": mission.label},
        demo=mission.is_demo,
        notes=notes,
    )
    half = (deck.width - 2 * MARGIN - Inches(0.2)) // 2
    height = deck.height - TOP - FOOTER_HEIGHT - Inches(0.2)
    for position, (key, title, rows, colour) in enumerate(
        (
            ("barriers", _("Barriers"), profile.top_barriers, BARRIER_COLOUR),
            ("enablers", _("Enablers"), profile.top_enablers, ENABLER_COLOUR),
        )
    ):
        left = MARGIN + position * (half + Inches(0.2))
        rows = tuple(rows)[:TAG_ROWS]
        if not rows:
            deck.text(
                slide,
                _("%(what)s: none tagged.") % {"what": title},
                top=TOP,
                height=Inches(0.5),
                left=left,
                width=half,
            )
            continue
        _chart(
            deck,
            slide,
            name=f"{key}-{mission.code}",
            kind=XL_CHART_TYPE.BAR_CLUSTERED,
            categories=[t.label for t in rows],
            series=[Series(_("Times tagged"), [t.count for t in rows], colour)],
            box=(left, TOP, half, height),
            title=_("%(what)s most often tagged (last %(n)d quarters)")
            % {"what": title, "n": profile.tags_quarters},
            number_format="0",
        )


def _actions_slide(deck: Deck, profile: MissionProfile, notes: list[str]) -> None:
    """The actions agreed in the quarter and those still open from earlier ones, as the
    scorecard lists them (``actions.selectors.actions_for_quarter``)."""
    mission = profile.mission
    slide = deck.slide(
        _("%(mission)s: actions agreed") % {"mission": mission.label},
        demo=mission.is_demo,
        notes=[*notes, _("Source: the actions agreed on the assessment board.")],
    )
    lines = (
        actions_for_quarter(
            mission_id=mission.id, quarter=(profile.period.year, profile.period.quarter)
        )
        if profile.period
        else []
    )
    if not lines:
        deck.text(
            slide,
            _("No action agreed in this quarter and none open from earlier quarters."),
            top=TOP,
            height=Inches(0.5),
        )
        return
    headers = [
        _("Agreed in"),
        _("Addresses"),
        _("What will be done"),
        _("Owner"),
        _("Due"),
        _("Status"),
    ]
    widths = [0.8, 1.1, 3.6, 1.3, 0.8, 1.6]
    shown = lines[:ACTION_ROWS]
    frame = slide.shapes.add_table(
        len(shown) + 1,
        len(headers),
        Emu(MARGIN),
        Emu(TOP),
        Emu(deck.width - 2 * MARGIN),
        Emu(int(Inches(0.5)) * (len(shown) + 1)),
    )
    frame.name = f"actions-{mission.code}"
    table = frame.table
    for position, (header, width) in enumerate(zip(headers, widths, strict=True)):
        table.columns[position].width = Emu(int(Inches(width)))
        _cell(table.cell(0, position), header, bold=True)
    overdue_style = flag_style(SHORTFALL)
    for row, line in enumerate(shown, start=1):
        action = line.action
        addresses = action.dimension_code + (
            ": " + ", ".join(action.indicator_codes) if action.indicator_codes else ""
        )
        status = str(line.status_label) + (
            f": {action.dropped_reason}" if action.dropped_reason else ""
        )
        if line.overdue:
            status += " — " + _("overdue")
        description = action.description
        if len(description) > 200:
            description = description[:199] + "…"
        values = [line.agreed, addresses, description, action.owner, line.due, status]
        for column, value in enumerate(values):
            overdue = line.overdue and column == len(values) - 1
            _cell(
                table.cell(row, column),
                value,
                fill=overdue_style.colour if overdue else None,
                colour=overdue_style.text_colour if overdue else None,
            )
    if len(lines) > len(shown):
        deck.text(
            slide,
            ngettext(
                "%(n)d more action in the application.",
                "%(n)d more actions in the application.",
                len(lines) - len(shown),
            )
            % {"n": len(lines) - len(shown)},
            top=TOP + int(Inches(0.5)) * (len(shown) + 1) + int(Inches(0.1)),
            height=Inches(0.4),
            size=10,
        )


# --- the whole deck ----------------------------------------------------------------------------


def briefing_deck_write(
    *,
    path: Path,
    user: User | None,
    mission_ids: list[int],
    period_id: int,
    progress: Progress | None = None,
) -> None:
    """Write the deck of ``mission_ids`` for the quarter, as ``user`` sees them."""
    generated_at = timezone.now()
    ordered = list(
        Mission.objects.filter(pk__in=mission_ids).order_by("code").values_list("pk", flat=True)
    )
    if progress is not None:
        progress.total = len(ordered) + 2  # the portfolio, each mission, the writing
    # None (a management command) reads as the system: every mission, the analysts' rule.
    reader = cast(User, user)
    full = portfolio(user=reader, period_id=period_id)
    wanted = set(ordered)
    chosen = dataclasses.replace(full, rows=tuple(r for r in full.rows if r.mission.id in wanted))
    deck = Deck(
        presentation=presentation_from_template(active_template_bytes()),
        marking=classification_marking(),
        generated_at=generated_at,
    )
    profiles = [
        mission_profile(user=reader, mission_id=mission_id, period_id=period_id)
        for mission_id in ordered
    ]
    provenance = {p.mission.id: _provenance(p, generated_at) for p in profiles}
    any_demo = any(row.mission.is_demo for row in chosen.rows)
    summary = [
        ngettext(
            "Briefing deck, quarter %(quarter)s, %(n)d mission.",
            "Briefing deck, quarter %(quarter)s, %(n)d missions.",
            len(ordered),
        )
        % {"quarter": chosen.period.display, "n": len(ordered)},
        *(f"— {join_clauses(lines[:4])}" for lines in provenance.values()),
        _("Data extracted: %(when)s") % {"when": datetime_long(generated_at, zone=True)},
        _("Source: the dashboards' portfolio and mission profiles (stored scores)."),
    ]
    deck.title_slide(
        _("Briefing deck %(quarter)s") % {"quarter": chosen.period.display},
        "\n".join(
            [
                ", ".join(row.mission.label for row in chosen.rows),
                _("Generated %(when)s") % {"when": datetime_long(generated_at)},
                deck.marking,
            ]
        ),
        demo=any_demo,
        notes=summary,
    )
    _heat_slides(deck, chosen, summary)
    if progress is not None:
        progress.advance()
    for profile in profiles:
        notes = provenance[profile.mission.id]
        _profile_slide(deck, profile, notes)
        _trend_slide(deck, profile, notes)
        _tags_slide(deck, profile, notes)
        _actions_slide(deck, profile, notes)
        if progress is not None:
            progress.advance()
    deck.presentation.save(str(path))
    if progress is not None:
        progress.advance()


def deck_slide_count(missions: int) -> int:
    """How many slides a deck of ``missions`` missions has (the tests and the docs say so)."""
    return 1 + max(1, math.ceil(missions / HEAT_ROWS)) + PER_MISSION * missions
