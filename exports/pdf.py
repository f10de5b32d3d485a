"""Scorecard and briefing-pack PDFs: Django templates laid out by WeasyPrint.

The figures are the dashboards' own (``dashboards.figures``), rendered to SVG by Plotly's
static export (kaleido) with one chromium for the whole batch (``figure_batch``), and handed
to WeasyPrint through ``StaticOnlyURLFetcher``, which serves those figures and the project's
static files and refuses every other URL.

Speed without a changed byte of content (issue #29): the figures of a document, and of every
scorecard of a briefing pack, start rendering in chromium before the layout, which waits for
an SVG only when it reaches the image; and the documents of a thread share one WeasyPrint
``FontConfiguration`` (the fonts are the system's; the document has no ``@font-face``), so
Pango's font caches stay warm from one document to the next.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from actions.selectors import actions_for_quarter
from assessments.models import Assessment
from dashboards.disclosure import peer_rule, peer_rule_caption
from exports.fetcher import DOCUMENT_BASE_URL, FIGURE_PREFIX, StaticOnlyURLFetcher
from exports.figure_renderer import FigureJob, figure_batch, figure_svg_later
from exports.findings import CardFindings, pack_findings, scorecard_findings
from exports.progress import Progress
from imp_assess.cells import xml_safe
from imp_assess.marking import classification_marking
from missions.roles import user_sees_all_missions
from scoring.confidentiality import headline_shown_to
from scoring.headline import ScoreHeadline, headlines_for_assessments
from scoring.method import METHOD_VERSION_LABEL

if TYPE_CHECKING:
    from dashboards.types import MissionRef, PeriodRef

# WeasyPrint logs each layout step at INFO; refused URLs still come through as errors.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Pixel sizes of the rendered SVGs: the dashboards' own proportions, scaled down by the
# layout (CSS), so the chart keeps the look it has on screen.
RADAR_SIZE = (560, 460)
TREND_SIZE = (560, 460)
HEATMAP_WIDTH = 900
TREND_QUARTERS = 8
LARGEST_GAPS = 3


class FigureStore:
    """SVG figures of one document, served to WeasyPrint under /figures/<name>."""

    def __init__(self):
        # Each figure's SVG, or the figure still rendering (waited for when WeasyPrint
        # fetches it).
        self.files: dict[str, bytes | FigureJob] = {}

    def add(self, name: str, figure, size: tuple[int, int]) -> str:
        width, height = size
        self.files[name] = figure_svg_later(figure, width=width, height=height)
        return f"{FIGURE_PREFIX}{name}"


@dataclasses.dataclass(frozen=True)
class Scorecard:
    """What one scorecard shows, prepared for the template."""

    mission: MissionRef
    period: PeriodRef | None  # (always set: a scorecard is asked for a quarter)
    questionnaire: dict | None
    method_version: str
    generated_at: datetime.datetime
    index: float | None
    stage: str
    completeness: float | None
    previous_index: float | None
    previous_label: str
    change: float | None
    missing_label: str
    dimensions: tuple
    largest_gaps: tuple
    barriers: tuple
    enablers: tuple
    highlights: str
    tags_quarters: int
    radar_url: str | None
    trend_url: str | None
    peer_notes: tuple[str, ...] = ()
    peer_caption: str = ""  # the disclosure rule the trend's peer figures follow, in words
    # The stored result read for this quarter: method 2's findings (``method == 2``), or
    # method 1's figures for a quarter only method 1 scored (the v1 layout).
    result: CardFindings | None = None
    # Actions agreed in the quarter and those still open from earlier ones (actions app).
    actions: tuple = ()
    # Method v3's gated headline (critical findings first), when the quarter has a method 3
    # result; shown at the top of every layout.
    headline: ScoreHeadline | None = None

    @property
    def method(self) -> int | None:
        return self.result.method if self.result else None


def _profile(*, user, mission_id: int, period_id: int):
    from dashboards.selectors import mission_profile

    return mission_profile(user=user, mission_id=mission_id, period_id=period_id)


def _missing_label(missing: str) -> str:
    if missing == "withheld":  # dashboards.types.WITHHELD (scoring.confidentiality)
        return _("not shown")
    if missing == "insufficient":
        return _("insufficient data")
    return _("no score this quarter")


def scorecard_prepare(
    *, user, mission_id: int, period_id: int, figures: FigureStore, generated_at
) -> Scorecard:
    from dashboards.figures import figure_index_trend, figure_radar

    profile = _profile(user=user, mission_id=mission_id, period_id=period_id)
    assessment = (
        Assessment.objects.filter(mission_id=mission_id, period_id=period_id)
        .select_related("questionnaire")
        .only("highlights", "questionnaire__code", "questionnaire__version")
        .first()
    )
    result = scorecard_findings(assessment=assessment, user=user) if assessment else None
    if result is not None and result.method == 1:
        profile = _profile_from_v1(profile, result)
    radar_url = trend_url = None
    if profile.dimensions:
        radar_url = figures.add(f"radar-{mission_id}.svg", figure_radar(profile), RADAR_SIZE)
    if profile.periods and not (result and result.method == 1):
        trend = figure_index_trend(profile, last_n=TREND_QUARTERS)
        trend_url = figures.add(f"trend-{mission_id}.svg", trend, TREND_SIZE)
    change = None
    if profile.index is not None and profile.previous_index is not None:
        change = profile.index - profile.previous_index
    previous = profile.previous_period
    return Scorecard(
        mission=profile.mission,
        period=profile.period,
        questionnaire=(
            {"code": assessment.questionnaire.code, "version": assessment.questionnaire.version}
            if assessment
            else None
        ),
        method_version=result.method_version if result else METHOD_VERSION_LABEL,
        generated_at=generated_at,
        index=profile.index,
        stage=profile.stage,
        completeness=profile.completeness,
        previous_index=profile.previous_index,
        previous_label=previous.label if previous else _("last quarter"),
        change=change,
        missing_label=_missing_label(profile.missing),
        dimensions=profile.dimensions,
        largest_gaps=tuple(
            d for d in profile.gaps_ranked if d.gap is not None and abs(d.gap) >= 0.05
        )[:LARGEST_GAPS],
        barriers=profile.top_barriers,
        enablers=profile.top_enablers,
        highlights=assessment.highlights if assessment else "",
        tags_quarters=profile.tags_quarters,
        radar_url=radar_url,
        trend_url=trend_url,
        peer_notes=profile.peer_notes,
        peer_caption=peer_rule_caption(peer_rule(sees_all_missions=user_sees_all_missions(user))),
        result=result,
        actions=tuple(
            actions_for_quarter(
                mission_id=mission_id, quarter=(profile.period.year, profile.period.quarter)
            )
            if profile.period
            else ()
        ),
        headline=(
            headline_shown_to(
                headlines_for_assessments(assessment_ids=[assessment.pk]).get(assessment.pk),
                user=user,
            )
            if assessment
            else None
        ),
    )


def _profile_from_v1(profile, result: CardFindings):
    """The profile with a method-1 quarter's own figures: the dashboards read the current
    method only, so a quarter that only method 1 scored would otherwise print empty. No
    previous quarter or trend is drawn across the change of method."""
    from dashboards.types import INSUFFICIENT, DimensionRow

    rows = []
    for dim in result.dimensions:
        enough = bool(dim.get("sufficient"))
        score = dim.get("score") if enough else None
        rows.append(
            DimensionRow(
                code=dim["code"],
                title=dim.get("title", ""),
                score=score,
                target=dim.get("target"),
                gap=dim.get("gap") if enough else None,
                gap_flag=(dim.get("gap_flag") or "") if enough else "",
                completeness=dim.get("completeness"),
                sufficient=enough,
                divergence=dim.get("divergence"),
                divergence_flag=bool(dim.get("divergence_flag")),
                previous_score=None,
                missing="" if enough else INSUFFICIENT,
                raw_score=dim.get("score"),
            )
        )
    return dataclasses.replace(
        profile,
        index=result.index if result.sufficient else None,
        stage=result.stage,
        completeness=result.completeness,
        sufficient=result.sufficient,
        previous_index=None,
        previous_period=None,
        missing="" if result.sufficient else "insufficient",
        dimensions=tuple(rows),
    )


_fonts = threading.local()


def _font_config() -> FontConfiguration:
    """This thread's WeasyPrint font configuration, shared by its documents (Pango objects
    are not for concurrent use: one per thread)."""
    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


@dataclasses.dataclass(frozen=True)
class _Parts:
    """A document ready for layout: its template, context and figures."""

    template: str
    context: dict
    figures: FigureStore


def _html(parts: _Parts) -> str:
    # Text typed by users reaches the HTML; characters XML forbids have no place in a PDF.
    return xml_safe(render_to_string(parts.template, parts.context))


def _document(parts: _Parts):
    fetcher = StaticOnlyURLFetcher(figures=parts.figures.files)
    html = HTML(string=_html(parts), base_url=DOCUMENT_BASE_URL, url_fetcher=fetcher)
    return html.render(font_config=_font_config())


def _common(generated_at, title: str) -> dict:
    return {
        "generated_at": generated_at,
        "marking": classification_marking(),
        "method_version": METHOD_VERSION_LABEL,
        "document_title": title,
    }


def _scorecard_parts(*, user, mission_id: int, period_id: int, generated_at) -> _Parts:
    figures = FigureStore()
    card = scorecard_prepare(
        user=user,
        mission_id=mission_id,
        period_id=period_id,
        figures=figures,
        generated_at=generated_at,
    )
    title = _("Scorecard %(mission)s %(quarter)s") % {
        "mission": card.mission.code,
        "quarter": card.period.display if card.period else "",
    }
    context = {**_common(generated_at, title), "card": card}
    return _Parts("exports/pdf/scorecard.html", context, figures)


def _scorecard_document(*, user, mission_id: int, period_id: int, generated_at):
    return _document(
        _scorecard_parts(
            user=user, mission_id=mission_id, period_id=period_id, generated_at=generated_at
        )
    )


def scorecard_pdf_write(*, path: Path, user, mission_id: int, period_id: int) -> None:
    generated_at = timezone.now()
    with figure_batch():
        document = _scorecard_document(
            user=user, mission_id=mission_id, period_id=period_id, generated_at=generated_at
        )
    document.write_pdf(path)


def _portfolio_parts(*, user, mission_ids: list[int], period_id: int, generated_at) -> _Parts:
    from dashboards.figures import figure_portfolio_heatmap
    from dashboards.selectors import portfolio

    full = portfolio(user=user, period_id=period_id)
    wanted = set(mission_ids)
    chosen = dataclasses.replace(
        full, rows=tuple(row for row in full.rows if row.mission.id in wanted)
    )
    figures = FigureStore()
    heatmap_url = None
    if chosen.rows:
        heatmap = figure_portfolio_heatmap(chosen, measure="score")
        height = heatmap.layout.height or 140 + 24 * len(chosen.rows)
        heatmap_url = figures.add("portfolio.svg", heatmap, (HEATMAP_WIDTH, height))
    title = _("Briefing pack %(quarter)s") % {"quarter": chosen.period.display}
    headlines = pack_findings(mission_ids=mission_ids, period_id=period_id)
    context = {
        **_common(generated_at, title),
        "portfolio": chosen,
        "rows": [(row, headlines.get(row.mission.id)) for row in chosen.rows],
        "heatmap_url": heatmap_url,
        "has_demo": any(row.mission.is_demo for row in chosen.rows),
    }
    return _Parts("exports/pdf/portfolio.html", context, figures)


def briefing_pack_pdf_write(
    *,
    path: Path,
    user,
    mission_ids: list[int],
    period_id: int,
    progress: Progress | None = None,
) -> None:
    """The portfolio page, then one scorecard per mission (in mission-code order)."""
    from missions.models import Mission

    generated_at = timezone.now()
    ordered = list(
        Mission.objects.filter(pk__in=mission_ids).order_by("code").values_list("pk", flat=True)
    )
    if progress is not None:
        progress.total = len(ordered) + 2  # the portfolio page, each scorecard, the writing
    with figure_batch():
        # Every figure starts rendering (in chromium) before the first layout (here).
        parts = [
            _portfolio_parts(
                user=user, mission_ids=ordered, period_id=period_id, generated_at=generated_at
            ),
            *(
                _scorecard_parts(
                    user=user, mission_id=mission_id, period_id=period_id, generated_at=generated_at
                )
                for mission_id in ordered
            ),
        ]
        documents = []
        for part in parts:
            documents.append(_document(part))
            if progress is not None:
                progress.advance()
    pages = [page for document in documents for page in document.pages]
    documents[0].copy(pages).write_pdf(path)
    if progress is not None:
        progress.advance()
