"""Scorecard and briefing-pack PDFs, read back as text (these render real figures through
kaleido and chromium, so they are few)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from assessments.models import Assessment
from exports.fetcher import StaticOnlyURLFetcher, URLRefused
from exports.figure_renderer import figure_batch
from exports.pdf import briefing_pack_pdf_write, scorecard_pdf_write
from missions.models import Mission
from scoring.models import ScoreSet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requires_chromium")]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _text(path: Path) -> str:
    """The PDF's text with its layout (pdftotext), or pypdf's where poppler is missing."""
    if shutil.which("pdftotext"):
        result = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        )
        return result.stdout
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def scorecard_a(known_data, tmp_path, settings):
    Mission.objects.filter(pk=known_data.personas.mission_a.pk).update(is_demo=True)
    Assessment.objects.filter(pk=known_data.assessment("A", "current").pk).update(
        highlights="Joint planning cell set up in August.\nSecond line."
    )
    path = tmp_path / "scorecard.pdf"
    scorecard_pdf_write(
        path=path,
        user=known_data.personas.analyst,
        mission_id=known_data.personas.mission_a.pk,
        period_id=known_data.current_period.pk,
    )
    return path


def test_scorecard_holds_header_index_and_every_dimension_row(scorecard_a, known_data):
    text = _text(scorecard_a)
    score_set = ScoreSet.objects.get(assessment=known_data.assessment("A", "current"))
    assert "Mission A" in text and "MSN-A" in text
    assert known_data.current_period.label in text
    assert "questionnaire TEST v1" in text
    # The method that scored the quarter (method 2: the test questionnaire has no safeguards).
    assert score_set.method_version in text
    assert "UN CONFIDENTIAL" in text
    assert "DEMO DATA" in text
    assert f"{score_set.index:.0f}" in text
    assert "since " + known_data.previous_period.label in text
    for code, title in [("LEAD", "Leadership and management"), ("HUM", "Humanitarian space")]:
        assert any(code in line and title in line for line in text.splitlines()), code
    assert "Findings: indicators outside their band" in text
    assert "Most frequent barriers" in text
    assert "Joint planning cell set up in August." in text


def test_scorecard_is_one_a4_page_with_vector_figures(scorecard_a):
    reader = PdfReader(scorecard_a)
    assert len(reader.pages) <= 2
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / "exports-scorecard-page1"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-singlefile", str(scorecard_a), str(target)],
            check=True,
        )
        assert target.with_suffix(".png").stat().st_size > 10_000


def test_classification_marking_is_configurable(known_data, tmp_path, settings):
    settings.CLASSIFICATION_MARKING = "UN RESTRICTED — TEST"
    path = tmp_path / "scorecard.pdf"
    scorecard_pdf_write(
        path=path,
        user=known_data.personas.analyst,
        mission_id=known_data.personas.mission_b.pk,
        period_id=known_data.current_period.pk,
    )
    text = _text(path)
    assert "UN RESTRICTED — TEST" in text
    assert "UN CONFIDENTIAL" not in text
    assert "DEMO DATA" not in text  # mission B is not a demo mission


def test_briefing_pack_has_a_portfolio_page_then_each_scorecard(known_data, tmp_path, monkeypatch):
    refused: list[str] = []
    original = StaticOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        try:
            return original(self, url, headers)
        except URLRefused:
            refused.append(url[:60])
            raise

    monkeypatch.setattr(StaticOnlyURLFetcher, "fetch", spy)
    path = tmp_path / "pack.pdf"
    with figure_batch():
        briefing_pack_pdf_write(
            path=path,
            user=known_data.personas.analyst,
            mission_ids=[known_data.personas.mission_b.pk, known_data.personas.mission_a.pk],
            period_id=known_data.current_period.pk,
        )
    reader = PdfReader(path)
    pages = [page.extract_text() for page in reader.pages]
    assert "Briefing pack" in pages[0]
    assert "MSN-A" in pages[0] and "MSN-B" in pages[0]
    scorecards = [i for i, text in enumerate(pages) if "Target alignment (0–100)" in text]
    assert len(scorecards) == 2
    assert "Mission A" in pages[scorecards[0]]
    assert "Mission B" in pages[scorecards[1]]
    # Everything the figures need (the heatmap's embedded raster included) was served.
    assert refused == []


def test_one_chromium_renders_every_figure_of_a_batch(known_data, tmp_path, monkeypatch):
    import kaleido

    from exports import figure_renderer

    figure_renderer.figure_server_stop()
    starts = []
    original = kaleido.Kaleido

    def counting(*args, **kwargs):
        starts.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(kaleido, "Kaleido", counting)
    briefing_pack_pdf_write(
        path=tmp_path / "pack.pdf",
        user=known_data.personas.analyst,
        mission_ids=[known_data.personas.mission_a.pk, known_data.personas.mission_b.pk],
        period_id=known_data.current_period.pk,
    )
    assert len(starts) == 1  # five figures, one chromium
    assert starts[0]["mathjax"] is False  # nothing loaded from a CDN
    assert figure_renderer.figure_server_running()  # kept warm for the next export


def test_export_scorecards_command_writes_each_scorecard_and_the_pack(known_data, tmp_path):
    from django.core.management import call_command

    from exports.models import ExportJob, ExportSource

    label = known_data.current_period.label
    call_command(
        "export_scorecards",
        "--period",
        label,
        "--missions",
        "MSN-A",
        "msn-b",
        "--out",
        str(tmp_path),
        "--pack",
    )
    names = sorted(path.name for path in tmp_path.glob("*.pdf"))
    assert names == [
        f"briefing-pack-{label}.pdf",
        f"scorecard-MSN-A-{label}.pdf",
        f"scorecard-MSN-B-{label}.pdf",
    ]
    assert "Mission B" in _text(tmp_path / f"scorecard-MSN-B-{label}.pdf")
    assert ExportJob.objects.filter(source=ExportSource.COMMAND).count() == 3
