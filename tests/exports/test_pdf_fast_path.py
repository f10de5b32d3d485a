"""The faster PDF path (issue #29) says exactly what the plain one says.

The fast path renders the figures in chromium while WeasyPrint lays out text, shares one
WeasyPrint font configuration between documents and, in a briefing pack, reads what every
scorecard shares once. The reference here is the path before those changes, rebuilt from the
same pieces: each document's HTML laid out on its own, with a fresh font configuration and
each figure's finished SVG bytes. Both PDFs must read the same, page for page (pdftotext with
its layout); and each scorecard of a pack must be the same HTML as that scorecard alone.
"""

import datetime
import re
import shutil
import subprocess
import types
from pathlib import Path
from xml.etree import ElementTree

import plotly.graph_objects as go
import pytest
from pypdf import PdfReader
from weasyprint import HTML

from assessments.models import Assessment
from exports import figure_renderer, pdf
from exports.fetcher import DOCUMENT_BASE_URL, StaticOnlyURLFetcher
from exports.figure_renderer import FigureJob, figure_batch, figure_svg, figure_svg_later

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requires_chromium")]

GENERATED_AT = datetime.datetime(2026, 12, 4, 21, 30, tzinfo=datetime.UTC)


def _text(path: Path) -> list[str]:
    """Each page's text with its layout (pdftotext), or pypdf's where poppler is missing."""
    if shutil.which("pdftotext"):
        result = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        )
        return result.stdout.split("\f")
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.fixture
def captured(monkeypatch):
    """Every document the exports lay out: its HTML and its figures' finished SVG bytes."""
    documents: list[tuple[str, dict[str, bytes]]] = []
    original = pdf._document

    def spy(parts):
        document = original(parts)
        figures = {
            name: value if isinstance(value, bytes) else value.svg()
            for name, value in parts.figures.files.items()
        }
        documents.append((pdf._html(parts), figures))
        return document

    monkeypatch.setattr(pdf, "_document", spy)
    monkeypatch.setattr(pdf, "timezone", types.SimpleNamespace(now=lambda: GENERATED_AT))
    return documents


def _reference_pdf(documents: list[tuple[str, dict[str, bytes]]], path: Path) -> Path:
    """The plain path: each document on its own, a fresh font configuration each, figures
    as bytes; the pages of all of them in one PDF."""
    rendered = [
        HTML(
            string=html,
            base_url=DOCUMENT_BASE_URL,
            url_fetcher=StaticOnlyURLFetcher(figures=figures),
        ).render()
        for html, figures in documents
    ]
    pages = [page for document in rendered for page in document.pages]
    rendered[0].copy(pages).write_pdf(path)
    return path


@pytest.fixture
def long_highlights(known_data):
    Assessment.objects.filter(pk=known_data.assessment("A", "current").pk).update(
        highlights="Joint planning cell set up in August — “quotes”, é, ß, 中文.\n" * 40
    )


@pytest.mark.usefixtures("long_highlights")
def test_a_scorecard_reads_as_on_the_plain_path(known_data, captured, tmp_path):
    path = tmp_path / "card.pdf"
    pdf.scorecard_pdf_write(
        path=path,
        user=known_data.personas.analyst,
        mission_id=known_data.personas.mission_a.pk,
        period_id=known_data.current_period.pk,
    )
    assert len(captured) == 1
    html, figures = captured[0]
    assert sorted(figures) == [
        f"radar-{known_data.personas.mission_a.pk}.svg",
        f"trend-{known_data.personas.mission_a.pk}.svg",
    ]
    reference = _text(_reference_pdf(captured, tmp_path / "reference.pdf"))
    assert _text(path) == reference
    assert "Joint planning cell set up in August" in "".join(reference)
    assert len(reference) > 2  # several pages: the long highlights run over


@pytest.mark.usefixtures("long_highlights")
def test_a_pack_reads_as_on_the_plain_path_and_holds_each_scorecard_as_alone(
    known_data, captured, tmp_path
):
    analyst = known_data.personas.analyst
    missions = [known_data.personas.mission_b.pk, known_data.personas.mission_a.pk]
    path = tmp_path / "pack.pdf"
    with figure_batch():
        pdf.briefing_pack_pdf_write(
            path=path, user=analyst, mission_ids=missions, period_id=known_data.current_period.pk
        )
        pack = list(captured)
        captured.clear()
        alone = {}
        for mission_id in missions:
            pdf.scorecard_pdf_write(
                path=tmp_path / f"card-{mission_id}.pdf",
                user=analyst,
                mission_id=mission_id,
                period_id=known_data.current_period.pk,
            )
            alone[mission_id] = captured.pop()
    assert len(pack) == 3  # the portfolio page, then A and B in mission-code order
    a, b = known_data.personas.mission_a.pk, known_data.personas.mission_b.pk
    assert [html for html, _figures in pack[1:]] == [alone[a][0], alone[b][0]]
    assert _text(path) == _text(_reference_pdf(pack, tmp_path / "reference.pdf"))


def _without_uids(svg: bytes) -> str:
    """The SVG in canonical XML (attributes in one order: chromium's serialisation of them
    varies), without the random identifiers Plotly gives each drawing and trace."""
    uid = re.search(rb'id="defs-([0-9a-f]+)"', svg)
    assert uid is not None
    svg = re.sub(rb"\btrace[0-9a-f]{6}\b", b"traceUID", svg.replace(uid.group(1), b"UID"))
    return ElementTree.canonicalize(svg.decode())


def test_a_figure_rendered_later_is_the_figure_kaleido_renders():
    """The renderer draws through kaleido's tab without reloading it after each figure: the
    SVGs are kaleido's own ``calc_fig``'s, whatever was drawn in the tab before."""
    line = go.Figure(go.Scatter(x=["2026-Q1", "2026-Q2"], y=[40, 55], name="Mission A"))
    polar = go.Figure(go.Scatterpolar(r=[1, 3, 2, 1], theta=["A", "B", "C", "A"], name="Q"))
    figures = [line, polar, line, polar, line]
    opts = {"format": "svg", "width": 300, "height": 200, "scale": 1}
    with figure_batch():
        later = [figure_svg_later(figure, width=300, height=200) for figure in figures]
        at_once = [figure_svg(figure, width=300, height=200) for figure in figures]
        assert all(isinstance(job, FigureJob) for job in later)
        svgs = [job.svg() for job in later]
        renderer = figure_renderer._running()
        kaleidos = [
            renderer._call(renderer.kaleido.calc_fig(figure.to_dict(), opts=opts), 60)
            for figure in figures
        ]
    # The same drawings, whichever way they were asked for.
    expected = [_without_uids(svg) for svg in kaleidos]
    assert [_without_uids(svg) for svg in svgs] == expected
    assert [_without_uids(svg) for svg in at_once] == expected
    assert expected[0] != expected[1] and expected[0].startswith("<svg")
