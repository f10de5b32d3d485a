"""End-to-end acceptance: one scripted quarter, as real users walk it, in a real browser.

The administrator opens the quarter; two respondents of one mission fill in their
components (one reloads half-way); the focal point sets targets and submits; a live
worker scores; the analyst reads the portfolio, mission profile and compare pages,
downloads the scorecard PDF and the XLSX and finds the dashboard's numbers in them; a
respondent of another mission is refused. Screenshots of every step: test-artifacts/.
"""

import datetime
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import Assessment
from missions.models import Period
from scoring.models import ScoreSet
from tests.browser.conftest import ARTIFACTS, log_in, log_out
from tests.factories import PASSWORD, MembershipFactory, MissionFactory, UserFactory
from tests.live_worker import live_worker, wait_until

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def _quarter(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


@pytest.fixture
def cast(personas):
    """Mission A with a political and a humanitarian respondent; the personas for the rest."""
    call_command("questionnaire_load", "questionnaires/data/imp-core-v1.yaml", "--publish")
    humanitarian = UserFactory(username="humanitarian_a")
    MembershipFactory(
        user=humanitarian, mission=personas.mission_a, role="respondent", component="humanitarian"
    )
    MissionFactory(code="MSN-C", name="Mission C")  # a third mission on the portfolio
    return personas


def _fill_dimension(page, step_for) -> list[str]:
    """Click, for every indicator on the page, the card that step_for(code) names."""
    fieldsets = page.locator("fieldset.indicator")
    codes = [
        fieldsets.nth(i).get_attribute("id").removeprefix("ind-") for i in range(fieldsets.count())
    ]
    for code in codes:
        page.locator(f"label[for='{code}-choice-{step_for(code)}']").click()
    return codes


def _answer_everything(page, step_for, screenshot, name, reload_at: str | None = None):
    page.get_by_role("link", name="Answer the questionnaire").first.click()
    page.wait_for_url("**/assessments/*/*/*/")
    while True:
        codes = _fill_dimension(page, step_for)
        dimension = codes[0].split("-")[0]
        if dimension == reload_at:
            page.get_by_text("Saved at").wait_for(timeout=20000)  # autosave
            page.reload()
            for code in codes:
                assert page.locator(f"#{code}-choice-{step_for(code)}").is_checked(), code
            screenshot(page, f"{name}-after-reload")
        next_button = page.get_by_role("button", name="Save and continue")
        if next_button.count():
            before = page.url
            next_button.click()
            page.wait_for_url(lambda url, before=before: url != before)
            continue
        page.get_by_role("button", name="Save and review completeness").click()
        page.wait_for_url("**/complete/")
        break
    page.get_by_role("button", name="Mark my component's response complete").click()
    page.get_by_text("Your component's response is complete").wait_for()
    screenshot(page, f"{name}-complete")


def test_one_quarter_from_opening_to_briefing(
    page, page_watch, cast, screenshot, monkeypatch, settings
):
    personas = cast
    settings.EXPORTS_ROOT = ARTIFACTS / "e2e-exports"
    today = timezone.localdate()
    year, quarter = _quarter(today)
    with live_worker(env={"EXPORTS_ROOT": str(settings.EXPORTS_ROOT)}) as (_node, queue, _proc):
        # The app's jobs go through Redis to this test's own worker and queue.
        from exports.services import requesting as export_services
        from exports.tasks import export_job_execute
        from scoring import services as scoring_services
        from scoring.tasks import assessment_score

        monkeypatch.setattr(
            scoring_services,
            "_send",
            lambda pk: bool(assessment_score.apply_async((pk,), queue=queue)),
        )
        monkeypatch.setattr(
            export_services,
            "_send",
            lambda pk: export_job_execute.apply_async((pk,), queue=queue),
        )

        # 1. The administrator opens the quarter for every mission.
        log_in(page, "admin", PASSWORD)
        page.goto("/admin/missions/period/add/")
        page.get_by_label("Year").fill(str(year))
        page.get_by_label("Quarter").select_option(str(quarter))
        page.get_by_label("Open date").fill(f"{year}-{3 * quarter - 2:02d}-01")
        page.get_by_label("Due date").fill((today + datetime.timedelta(days=30)).isoformat())
        page.get_by_role("button", name="Save", exact=True).click()
        period = Period.objects.get(year=year, quarter=quarter)
        page.goto("/admin/missions/period/")
        page.locator(f"input[name='_selected_action'][value='{period.pk}']").check()
        page.locator("select[name='action']").select_option("open_assessments")
        page.get_by_role("button", name="Go").click()
        page.get_by_text("3 assessment(s) opened").wait_for()
        screenshot(page, "01-admin-opened-quarter")
        log_out(page)
        assessment = Assessment.objects.get(mission=personas.mission_a, period=period)

        # 2. Two respondents fill in their components; one reloads half-way.
        log_in(page, "respondent_a", PASSWORD)
        page.goto("/assessments/")
        _answer_everything(
            page,
            lambda code: "3" if int(code[-2:]) % 2 else "4",
            screenshot,
            "02-political",
            reload_at="PLAN",
        )
        log_out(page)
        log_in(page, "humanitarian_a", PASSWORD)
        page.goto("/assessments/")
        _answer_everything(
            page,
            lambda code: "2" if code.startswith("HUM") else ("na" if code == "MS-05" else "3"),
            screenshot,
            "03-humanitarian",
        )
        log_out(page)

        # 3. The focal point sets a target and submits.
        log_in(page, "focal_point_a", PASSWORD)
        page.goto(f"/assessments/{assessment.pk}/")
        page.locator("#id_PLAN").select_option("3")
        page.get_by_role("button", name="Save targets").click()
        page.get_by_text("1 target step changed").wait_for()
        page.get_by_role("button", name="Submit the assessment").click()
        page.get_by_text("Assessment submitted").wait_for()
        screenshot(page, "04-focal-point-submitted")

        # 4. The live worker scores the submitted assessment.
        assessment.refresh_from_db()
        assert wait_until(
            lambda: ScoreSet.objects.filter(
                assessment=assessment, computed_at__gte=assessment.submitted_at
            ).exists(),
            timeout=90,
        )
        page.reload()
        assert page.get_by_role("heading", name="Findings by dimension").is_visible()
        screenshot(page, "05-board-scored")
        log_out(page)
        score_set = ScoreSet.objects.get(assessment=assessment)
        index = round(score_set.index)

        # 5. The analyst reads the dashboards.
        log_in(page, "analyst", PASSWORD)
        page.goto(f"/dashboards/portfolio/?period={period.pk}")
        page.locator(".js-plotly-plot svg").first.wait_for()
        assert "MSN-A" in page.content()
        screenshot(page, "06-portfolio")
        page.goto(f"/dashboards/missions/{personas.mission_a.pk}/?period={period.pk}")
        page.locator(".js-plotly-plot svg").first.wait_for()
        # Method 2 headlines the target alignment (the integration level is beside it).
        shown_alignment = page.locator("#profile-alignment").inner_text()
        assert abs(int(shown_alignment) - score_set.alignment) <= 0.5
        screenshot(page, "07-mission-profile")
        page.goto(f"/dashboards/compare/?missions={personas.mission_a.pk}&measure=index")
        page.locator(".js-plotly-plot svg").first.wait_for()
        screenshot(page, "08-compare")

        # 6. The scorecard PDF holds the same index and every dimension.
        page.goto("/exports/")
        page.locator("#id_scorecard-mission").select_option(label="MSN-A — Mission A")
        page.locator("#id_scorecard-period").select_option(label=period.label)
        with page.expect_download(timeout=90000) as download_info:
            # The click waits for the PDF response, which a loaded machine takes a while to make.
            page.get_by_role("button", name="Download scorecard").click(timeout=90000)
        pdf = ARTIFACTS / "e2e-scorecard.pdf"
        download_info.value.save_as(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Mission A" in text and period.label in text
        assert str(index) in text
        for code in ("LEAD", "POL", "HUM", "RES", "PLAN", "PART", "OWN", "ACC", "MS"):
            assert code in text, code
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
             str(ARTIFACTS / "09-scorecard-page1")],
            check=True,
        )  # fmt: skip

        # 7. The XLSX data export, made by the worker, holds the same index.
        page.goto("/exports/")
        page.locator("#id_data-format").select_option("xlsx")
        page.get_by_role("button", name="Prepare data export").click()
        page.wait_for_url("**/exports/jobs/*/")
        link = page.locator("#export-download")
        link.wait_for(timeout=120000)
        screenshot(page, "10-xlsx-ready")
        with page.expect_download() as download_info:
            link.click()
        xlsx = ARTIFACTS / "e2e-data.xlsx"
        download_info.value.save_as(xlsx)
        sheet = load_workbook(xlsx, read_only=True)["index"]
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        row = next(
            r
            for r in rows[1:]
            if r[header.index("mission")] == "MSN-A" and r[header.index("quarter")] == period.label
        )
        assert round(float(row[header.index("index")])) == index
        log_out(page)

    # 8. A respondent of another mission is refused the first mission's pages.
    log_in(page, "respondent_b", PASSWORD)
    refused = (
        f"/assessments/{assessment.pk}/",
        f"/assessments/{assessment.pk}/political/LEAD/",
        f"/dashboards/missions/{personas.mission_a.pk}/",
    )
    for url in refused:
        # Chromium reports the 404 itself in the console: expected here, and only here.
        page_watch.allow_console(r"status of 404", source=url)
        response = page.goto(url)
        assert response.status == 404, url
        assert page.get_by_role("heading", name="Page not found").is_visible()
    screenshot(page, "11-other-mission-refused")
