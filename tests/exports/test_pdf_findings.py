"""Scorecard and briefing pack with method 2: the figures printed are the stored ones, the
components that did not respond are named, and a quarter only method 1 scored still prints."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from exports.pdf import briefing_pack_pdf_write, scorecard_pdf_write
from scoring.models import IndicatorScore
from tests.assessments.conftest import (  # noqa: F401 (fixtures re-used here)
    current_period,
    previous_period,
    questionnaire,
)
from tests.exports.findings_data import JUSTIFICATION, RATIONALE, V1, V2, build_findings_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requires_chromium")]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _text(path: Path) -> str:
    """The PDF's text in reading order, whitespace collapsed (phrases survive line wraps)."""
    if shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    else:
        out = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(out.split())


@pytest.fixture
def findings_data(personas, questionnaire, previous_period, current_period):  # noqa: F811
    return build_findings_data(personas, previous_period, current_period)


def _scorecard(findings_data, tmp_path, period) -> Path:
    path = tmp_path / f"scorecard-{period.pk}.pdf"
    scorecard_pdf_write(
        path=path,
        user=findings_data.personas.analyst,
        mission_id=findings_data.personas.mission_a.pk,
        period_id=period.pk,
    )
    return path


def test_v2_scorecard_prints_the_stored_findings(findings_data, tmp_path):
    path = _scorecard(findings_data, tmp_path, findings_data.v2.period)
    text = _text(path)
    result = findings_data.score_set(V2)
    # Headline: alignment with shortfall and over-integration beside it (points, indicators).
    assert "Target alignment (0–100)" in text
    assert re.search(rf"Target alignment \(0–100\) {result.alignment:.0f}\b", text)
    assert result.shortfall_count == 1 and result.over_integration_count == 2
    assert f"shortfall {result.shortfall:.0f} points, 1 indicator" in text
    assert f"over-integration {result.over_integration:.0f} points, 2 indicators" in text
    assert "higher is not better" in text
    assert f"{result.index:.0f}" in text
    # Completeness counts the humanitarian component that never responded.
    assert result.completeness < 1
    assert f"Completeness {round(result.completeness * 100)} %" in text
    assert "Completeness 100 %" not in text
    assert "Components that did not respond" in text
    assert f"Humanitarian: “{JUSTIFICATION}”" in text
    # Versions and phase.
    assert V2 in text and "questionnaire TEST v1" in text
    assert "phase: Start-up" in text


def test_v2_scorecard_lists_each_flagged_indicator_with_band_distance_and_rationale(
    findings_data, tmp_path
):
    text = _text(_scorecard(findings_data, tmp_path, findings_data.v2.period))
    rows = IndicatorScore.objects.filter(score_set=findings_data.score_set(V2)).exclude(flag="")
    assert {row.indicator_code for row in rows} == {"LEAD-01", "LEAD-02", "HUM-01"}
    assert "Findings: indicators outside their band (mission phase: Start-up)" in text
    for row in rows:
        sign = "+" if row.distance > 0 else "\u2212"
        label = "over-integration" if row.flag == "over_integration" else "shortfall"
        expected = (
            f"{row.indicator_code} {row.value:.1f} {row.band_min}–{row.band_max} "
            f"{sign}{abs(row.distance):.1f}"
        )
        assert expected in text, expected
        assert label in text
    lead_02 = rows.get(indicator_code="LEAD-02")
    assert (lead_02.band_overridden, lead_02.rationale) == (True, RATIONALE)
    assert f"focal point: “{RATIONALE}”" in text
    # Each dimension's flags are its indicators' flags, counted.
    assert "1 indicator over-integrated, 1 short (LEAD-02; LEAD-01)" in text
    assert "1 indicator over-integrated (HUM-01)" in text


def test_v2_scorecard_first_page_image(findings_data, tmp_path):
    path = _scorecard(findings_data, tmp_path, findings_data.v2.period)
    assert len(PdfReader(path).pages) <= 2
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / "exports-scorecard-v2-page1"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-singlefile", str(path), str(target)], check=True
        )
        assert target.with_suffix(".png").stat().st_size > 10_000


def test_a_quarter_only_method_1_scored_keeps_the_v1_layout(findings_data, tmp_path):
    path = _scorecard(findings_data, tmp_path, findings_data.v1.period)
    text = _text(path)
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / "exports-scorecard-v1-page1"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-singlefile", str(path), str(target)], check=True
        )
    result = findings_data.score_set(V1)
    assert V1 in text and V2 not in text
    assert "Integration index (0–100)" in text
    assert f"{result.index:.0f}" in text
    assert "Dimensions against target" in text
    assert "Target alignment" not in text
    for code, dimension in [("LEAD", "Leadership and management"), ("HUM", "Humanitarian")]:
        assert f"{code} {dimension}" in text


def test_briefing_pack_prints_each_missions_headline_and_flags(findings_data, tmp_path):
    path = tmp_path / "pack.pdf"
    personas = findings_data.personas
    briefing_pack_pdf_write(
        path=path,
        user=personas.analyst,
        mission_ids=[personas.mission_a.pk, personas.mission_b.pk],
        period_id=findings_data.v2.period_id,
    )
    first = " ".join(PdfReader(path).pages[0].extract_text().split())
    first = re.sub(r"(\w)- (\w)", r"\1-\2", first)  # words hyphenated across a line
    result = findings_data.score_set(V2)
    assert "Target alignment by mission" in first
    assert (
        # "—": no method 3 result, so no critical-findings headline in its column.
        f"MSN-A Mission A — {result.alignment:.0f} {result.shortfall:.0f} pts (1) "
        f"{result.over_integration:.0f} pts (2) 2 indicators over-integrated, 1 short"
    ) in first
    assert "Humanitarian" in first  # did not respond
    assert "MSN-B" in first and "no score this quarter" in first
    assert "Integration level (higher is not better)" in first


def test_scorecard_peer_caption_is_worded_from_the_readers_disclosure_rule(findings_data, tmp_path):
    from dashboards.disclosure import ANALYST_MIN_PEERS, K_PEERS, K_QUARTILES

    analyst = _text(_scorecard(findings_data, tmp_path, findings_data.v2.period))
    assert f"none is shown for fewer than {ANALYST_MIN_PEERS} comparable missions" in analyst
    path = tmp_path / "focal.pdf"
    scorecard_pdf_write(
        path=path,
        user=findings_data.personas.focal_point_a,
        mission_id=findings_data.personas.mission_a.pk,
        period_id=findings_data.v2.period.pk,
    )
    focal = _text(path)
    assert f"from {K_QUARTILES} comparable missions on, the inter-quartile range" in focal
    assert f"no peer figure is shown for fewer than {K_PEERS} of them" in focal
    assert f"fewer than {ANALYST_MIN_PEERS} comparable" not in focal
