"""The analyst downloads a scorecard in a real browser; its first page is saved as a PNG in
test-artifacts/ for people to look at."""

import shutil
import subprocess

import pytest

from tests.assessments.conftest import (  # noqa: F401 (fixtures re-used here)
    current_period,
    previous_period,
    questionnaire,
)
from tests.browser.conftest import ARTIFACTS, log_in
from tests.exports.conftest import build_known_data
from tests.factories import PASSWORD

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings, tmp_path):
    settings.EXPORTS_ROOT = tmp_path / "exports"
    yield
    from exports.figure_renderer import figure_server_stop

    figure_server_stop()


def test_analyst_downloads_a_scorecard_pdf(
    page,
    personas,
    questionnaire,  # noqa: F811
    previous_period,  # noqa: F811
    current_period,  # noqa: F811
    screenshot,
):
    build_known_data(personas, previous_period, current_period)
    log_in(page, "analyst", PASSWORD)
    page.goto("/exports/")
    assert page.get_by_role("heading", level=1).inner_text() == "Exports"
    page.locator("#id_scorecard-mission").select_option(label="MSN-A — Mission A")
    page.locator("#id_scorecard-period").select_option(label=current_period.label)
    screenshot(page, "exports-page")
    with page.expect_download(timeout=60000) as download_info:
        page.get_by_role("button", name="Download scorecard").click(timeout=60000)
    download = download_info.value
    assert download.suggested_filename == f"scorecard-MSN-A-{current_period.label}.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "browser-scorecard-MSN-A.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Mission A" in text and current_period.label in text
    assert "LEAD" in text and "HUM" in text
    assert shutil.which("pdftoppm"), "poppler-utils (pdftoppm) is needed for the PNG artifact"
    png = ARTIFACTS / "browser-scorecard-MSN-A-page1"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(png)],
        check=True,
    )
    assert png.with_suffix(".png").stat().st_size > 10_000

    # The download is logged, and listed on the exports page.
    page.goto("/exports/")
    assert page.get_by_text(f"Scorecard MSN-A {current_period.label}").first.is_visible()


def test_data_export_runs_on_a_live_worker_and_the_page_follows_it_to_the_download(
    page,
    personas,
    questionnaire,  # noqa: F811
    previous_period,  # noqa: F811
    current_period,  # noqa: F811
    screenshot,
    settings,
    monkeypatch,
):
    import zipfile

    from exports.services import requesting as services
    from exports.tasks import export_job_execute
    from tests.live_worker import live_worker

    build_known_data(personas, previous_period, current_period)
    with live_worker(env={"EXPORTS_ROOT": str(settings.EXPORTS_ROOT)}) as (_node, queue, _p):
        # Through Redis to the live worker, on this test's private queue.
        monkeypatch.setattr(
            services,
            "_send",
            lambda job_id: export_job_execute.apply_async((job_id,), queue=queue),
        )
        log_in(page, "analyst", PASSWORD)
        page.goto("/exports/")
        page.locator("#id_data-format").select_option("csv")
        page.get_by_role("button", name="Prepare data export").click()
        page.wait_for_url("**/exports/jobs/*/")
        # export-progress.js polls the status and reloads the page when the job is done.
        link = page.locator("#export-download")
        link.wait_for(timeout=60000)
        screenshot(page, "data-export-done")
        with page.expect_download() as download_info:
            link.click()
        path = ARTIFACTS / "browser-data-export.zip"
        download_info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        assert "answers.csv" in archive.namelist()
        assert archive.read("answers.csv").decode().count("MSN-") == 12


def test_focal_point_asks_for_a_deck_a_live_worker_makes_it_and_the_page_follows_it(
    page,
    personas,
    questionnaire,  # noqa: F811
    previous_period,  # noqa: F811
    current_period,  # noqa: F811
    screenshot,
    settings,
    monkeypatch,
):
    from pptx import Presentation

    from exports.deck import deck_slide_count
    from exports.services import requesting as services
    from exports.tasks import export_job_execute
    from tests.live_worker import live_worker

    build_known_data(personas, previous_period, current_period)
    with live_worker(env={"EXPORTS_ROOT": str(settings.EXPORTS_ROOT)}) as (_node, queue, _p):
        monkeypatch.setattr(
            services,
            "_send",
            lambda job_id: export_job_execute.apply_async((job_id,), queue=queue),
        )
        log_in(page, "focal_point_a", PASSWORD)
        page.goto("/exports/")
        # A focal point is offered their own mission only.
        options = page.locator("#id_deck-missions option").all_inner_texts()
        assert options == ["MSN-A — Mission A"]
        page.locator("#id_deck-missions").select_option(label="MSN-A — Mission A")
        page.locator("#id_deck-period").select_option(label=current_period.label)
        screenshot(page, "exports-page-deck")
        page.get_by_role("button", name="Prepare briefing deck").click()
        page.wait_for_url("**/exports/jobs/*/")
        link = page.locator("#export-download")
        link.wait_for(timeout=90000)
        with page.expect_download() as download_info:
            link.click()
        download = download_info.value
        assert download.suggested_filename == f"briefing-deck-{current_period.label}.pptx"
        path = ARTIFACTS / "browser-briefing-deck.pptx"
        download.save_as(path)
    presentation = Presentation(str(path))
    assert len(presentation.slides) == deck_slide_count(1)
    charts = [s for slide in presentation.slides for s in slide.shapes if s.has_chart]
    assert {c.name for c in charts} >= {"profile-MSN-A", "trend-MSN-A", "barriers-MSN-A"}
