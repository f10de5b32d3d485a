"""A respondent fills a dimension, reloads, completes; the focal point submits."""

import pytest

from assessments.models import Answer
from tests.assessments.conftest import *  # noqa: F403 (questionnaire and assessment fixtures)
from tests.browser.conftest import log_in, log_out
from tests.factories import PASSWORD

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def test_respondent_answers_reloads_completes_and_focal_point_submits(
    page, personas, assessment_a, screenshot
):
    log_in(page, "respondent_a", PASSWORD)
    page.get_by_role("link", name="Assessments", exact=True).click()
    page.get_by_role("link", name="Answer the questionnaire").click()
    page.wait_for_url(f"**/assessments/{assessment_a.pk}/political/LEAD/")

    # Choose described situations by their text, as a person would.
    page.get_by_text("Coordination: regular meetings align the work.").first.click()
    page.get_by_label("Evidence (what shows this?)").first.fill("SMT minutes, weekly")
    page.locator("label[for='LEAD-02-choice-na']").click()
    # Autosave keeps it without pressing Save.
    page.get_by_text("Saved at").wait_for(timeout=15000)
    screenshot(page, "lead-autosaved")

    page.reload()
    assert page.locator("#LEAD-01-choice-3").is_checked()
    assert page.get_by_label("Evidence (what shows this?)").first.input_value() == (
        "SMT minutes, weekly"
    )
    assert page.locator("#LEAD-02-choice-na").is_checked()

    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/political/HUM/")
    page.locator("label[for='HUM-01-choice-2']").click()
    page.get_by_role("button", name="Save and review completeness").click()
    page.wait_for_url("**/political/complete/")
    page.get_by_role("button", name="Mark my component's response complete").click()
    page.get_by_text("Your component's response is complete").wait_for()
    screenshot(page, "response-complete")
    assert assessment_a.responses.get(component="political").status == "complete"
    assert dict(
        Answer.objects.filter(response__assessment=assessment_a).values_list(
            "indicator__code", "choice"
        )
    ) == {"LEAD-01": "3", "LEAD-02": "na", "HUM-01": "2"}

    log_out(page)
    log_in(page, "focal_point_a", PASSWORD)
    page.goto(f"/assessments/{assessment_a.pk}/")
    page.get_by_role("button", name="Submit the assessment").click()
    page.get_by_text("Assessment submitted").wait_for()
    assert page.locator("#assessment-status").inner_text() == "Submitted"
    screenshot(page, "submitted")
    assessment_a.refresh_from_db()
    assert assessment_a.status == "submitted"
