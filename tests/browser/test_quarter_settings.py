"""The focal point declares an indicator not applicable, overrides a band with its rationale
and phase, and answers the mission-level indicators; a military respondent sees only their
indicators and the declaration's reason."""

import pytest

from assessments.models import Answer, IndicatorBandOverride
from tests.assessments.conftest import *  # noqa: F403 (questionnaire and assessment fixtures)
from tests.browser.conftest import log_in, log_out
from tests.factories import PASSWORD

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def test_focal_point_sets_the_quarter_and_the_military_respondent_sees_only_theirs(
    page, personas, assessment_a_v2, screenshot
):
    log_in(page, "focal_point_a", PASSWORD)
    page.goto(f"/assessments/{assessment_a_v2.pk}/")

    # Each dimension's controls are folded: open HUM's to declare, then LEAD's to override.
    page.locator('details[data-dimension="HUM"] > summary').click()
    page.locator("#na-HUM-indicator").select_option("HUM-01")
    page.locator("#na-HUM-reason").fill("No protection-of-civilians mandate.")
    page.locator("#na-form-HUM").get_by_role("button", name="Declare not applicable").click()
    page.get_by_text("HUM-01 declared not applicable to the mission").wait_for()

    page.locator('details[data-dimension="LEAD"] > summary').click()
    form = page.locator("#band-override-form-LEAD")
    form.get_by_label("Indicator or dimension").select_option("dimension:LEAD")
    form.get_by_label("Target band from").select_option("2")
    form.get_by_label("Target band to").select_option("2")
    form.get_by_label("Mission phase this quarter").select_option("start_up")
    # The rationale is required (the browser says so first; the server refuses too).
    assert form.get_by_label("Rationale").get_attribute("required") is not None
    form.get_by_label("Rationale").fill("Start-up: the leadership team is not complete.")
    form.get_by_role("button", name="Save the override").click()
    page.get_by_text("2 target bands overridden for this quarter.").wait_for()
    assert IndicatorBandOverride.objects.count() == 2
    assert page.locator("#mission-phase").inner_text().endswith("Start-up")
    screenshot(page, "bands-overridden")

    page.get_by_role("link", name="Answer the mission-level indicators").click()
    page.wait_for_url(f"**/assessments/{assessment_a_v2.pk}/mission/MS/")
    page.locator("label[for='MS-01-choice-3']").click()
    page.locator("label[for='MS-04-choice-na']").click()
    page.get_by_role("button", name="Save and review completeness").click()
    page.wait_for_url(f"**/assessments/{assessment_a_v2.pk}/mission/complete/")
    page.get_by_role("button", name="Mark my component's response complete").click()
    page.get_by_text("The mission-level answers are complete.").wait_for()
    assert assessment_a_v2.responses.get(component="mission").status == "complete"
    log_out(page)

    log_in(page, "military_a", PASSWORD)
    page.goto(f"/assessments/{assessment_a_v2.pk}/military/")
    page.wait_for_url("**/military/LEAD/")
    assert page.locator("#LEAD-01-choice-3").count() == 1
    assert page.locator("#LEAD-02-choice-3").count() == 0
    assert page.get_by_role("link", name="MS", exact=True).count() == 0
    page.get_by_role("link", name="HUM", exact=True).click()
    page.get_by_text(
        "Declared not applicable for the mission: No protection-of-civilians mandate."
    ).wait_for()
    screenshot(page, "declared-not-applicable")
    assert not Answer.objects.filter(response__component="military").exists()
    log_out(page)
