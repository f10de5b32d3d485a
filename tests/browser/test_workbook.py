"""A respondent answers offline: downloads the workbook from the answering page, fills it,
uploads it back on the same page; an error in it is listed and nothing is saved."""

import pytest

from assessments.models import Answer
from tests.assessments.conftest import *  # noqa: F403 (questionnaire and assessment fixtures)
from tests.assessments.test_workbook import _fill
from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def test_respondent_downloads_fills_and_uploads_the_workbook(
    page, page_watch, personas, assessment_a, tmp_path, screenshot
):
    # The refused upload answers 400, which the browser logs; that is the case under test.
    page_watch.allow_console("status of 400", page="/workbook/")
    log_in(page, "respondent_a", PASSWORD)
    page.goto(f"/assessments/{assessment_a.pk}/political/LEAD/")
    page.get_by_role("link", name="Answer offline with a workbook").click()
    page.wait_for_url(f"**/assessments/{assessment_a.pk}/political/workbook/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the workbook (.xlsx)").click()
    downloaded = tmp_path / "downloaded.xlsx"
    download_info.value.save_as(downloaded)

    wrong = tmp_path / "wrong.xlsx"
    wrong.write_bytes(_fill(downloaded.read_bytes(), {"LEAD-02": {"answer": "Not applicable"}}))
    page.get_by_label("Filled workbook (.xlsx)").set_input_files(str(wrong))
    page.get_by_role("button", name="Upload and save").click()
    page.locator("#workbook-errors").get_by_text("needs its reason").wait_for()
    screenshot(page, "workbook-errors")
    assert not Answer.objects.exists()

    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(
        _fill(
            downloaded.read_bytes(),
            {"LEAD-01": {"answer": "4", "evidence": "Joint plan"}, "HUM-01": {"answer": "2"}},
        )
    )
    page.get_by_label("Filled workbook (.xlsx)").set_input_files(str(filled))
    page.get_by_role("button", name="Upload and save").click()
    page.get_by_text("2 answers changed by the workbook").wait_for()
    screenshot(page, "workbook-saved")
    assert dict(Answer.objects.values_list("indicator__code", "choice")) == {
        "LEAD-01": "4",
        "HUM-01": "2",
    }
