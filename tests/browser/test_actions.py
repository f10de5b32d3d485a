"""The focal point agrees an action on a flagged indicator; the next quarter's answering
page and board show it beside the indicator; the analyst finds it in the actions view."""

import shutil
from pathlib import Path

import pytest

from actions.models import Action
from actions.services import action_create
from tests.actions.conftest import quarters  # noqa: F401 (fixture)
from tests.assessments.conftest import questionnaire  # noqa: F401 (fixture)
from tests.browser.conftest import log_in, log_out
from tests.factories import PASSWORD

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_focal_point_agrees_an_action_that_the_next_quarter_and_the_analyst_see(
    page,
    personas,
    quarters,  # noqa: F811
    screenshot,
    page_watch,
):
    # The form sent empty on purpose answers 400 with the errors.
    page_watch.allow_console(r"status of 400 ", source="/actions/assessments/")
    agreed_in = quarters.assessments[2]  # submitted; LEAD-02 over-integrated
    log_in(page, "focal_point_a", PASSWORD)
    page.goto(f"/assessments/{agreed_in.pk}/")
    page.get_by_role("link", name="Record an action on LEAD-02").click()
    page.wait_for_url(f"**/actions/assessments/{agreed_in.pk}/new/?indicator=LEAD-02")
    assert page.get_by_label("LEAD-02 — ▲ over-integration").is_checked()
    # Nothing typed: the errors name the fields and nothing is saved.
    page.get_by_role("button", name="Record the action").click()
    page.get_by_text("What will be done: this is required.").wait_for()
    page.get_by_text("Owner (office or post): this is required.").wait_for()
    assert not Action.objects.exists()
    page.get_by_label("What will be done").fill(
        "Keep humanitarian planning out of the force's joint operations centre"
    )
    page.get_by_label("Unclear roles").check()
    page.get_by_label("Owner (office or post)").fill("Office of the DSRSG/RC/HC")
    page.get_by_label("Due quarter").select_option(quarters.periods[3].label)
    page.get_by_role("button", name="Record the action").click()
    page.get_by_text("Action recorded.").wait_for()
    action = Action.objects.get()
    assert action.indicator_codes == ["LEAD-02"] and action.barrier_codes == ["LEAD-B-ROLES"]
    assert page.locator("#actions-agreed").get_by_text("Keep humanitarian planning").is_visible()
    screenshot(page, "board-action-recorded")
    log_out(page)

    log_in(page, "respondent_a", PASSWORD)
    page.goto(f"/assessments/{quarters.current.pk}/political/LEAD/")
    beside = page.locator("#ind-LEAD-02 .agreed-actions")
    assert beside.inner_text().startswith(
        f"Action agreed in {agreed_in.period.label} (LEAD-02): Keep humanitarian planning"
    )
    assert "Planned" in beside.inner_text()
    answering = screenshot(page, "answering-action-beside-indicator")
    page.goto(f"/assessments/{quarters.current.pk}/")
    assert "Keep humanitarian planning" in page.locator("#actions-carried").inner_text()
    log_out(page)

    # An older action, overdue, whose indicator moved: the follow-up shows both kinds.
    first = quarters.assessments[0]
    older = action_create(
        assessment=first, by=personas.focal_point_a, description="Clarify the roles of the "
        "DSRSG/RC/HC in the senior leadership team", owner="Chief of Staff",
        indicator_codes=["LEAD-01"], due=(first.period.year, first.period.quarter),
    )  # fmt: skip
    log_in(page, "analyst", PASSWORD)
    page.goto("/dashboards/")
    page.get_by_role("link", name="Actions", exact=True).click()
    page.get_by_label("Status").select_option("planned")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/dashboards/actions/?**status=planned**")
    row = page.locator(f'#actions-table tr[data-action="{action.pk}"]')
    assert "MSN-A" in row.inner_text() and "LEAD-02" in row.inner_text()
    portfolio = screenshot(page, "analyst-actions-view")
    row.get_by_role("link", name="MSN-A").click()
    page.wait_for_url(f"**/actions/missions/{personas.mission_a.pk}/")
    series = page.locator(f'tr[data-action="{action.pk}"] .followup-series')
    assert series.inner_text() == f"LEAD-02: {agreed_in.period.label} 4.0"
    older_row = page.locator(f'tr[data-action="{older.pk}"]')
    labels = [p.label for p in quarters.periods[:3]]
    assert older_row.locator(".followup-series").inner_text() == (
        f"LEAD-01: {labels[0]} 1.5 → {labels[1]} 2.0 → {labels[2]} 3.0"
    )
    assert "Overdue" in older_row.inner_text()
    followup = screenshot(page, "followup")

    DOCS_SCREENSHOTS.mkdir(exist_ok=True)
    for path, name in [
        (answering, "actions-answering.png"),
        (portfolio, "actions-portfolio.png"),
        (followup, "actions-followup.png"),
    ]:
        shutil.copyfile(path, DOCS_SCREENSHOTS / name)
