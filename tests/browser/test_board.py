"""The focal point's board in a browser at 1280 px: what blocks submission and the submit form
come first, the findings by dimension after them, and each dimension's controls stay folded
(native <details>, no script) until opened; axe-core stays clean folded and unfolded."""

import pytest

from tests.assessments.conftest import *  # noqa: F403 (questionnaire and assessment fixtures)
from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def _top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def test_blockers_come_first_and_the_dimension_controls_are_folded(
    page, page_watch, personas, assessment_a_v2, screenshot
):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "focal_point_a", PASSWORD)
    page.goto(f"/assessments/{assessment_a_v2.pk}/")

    # Blockers, the submit form, then the findings and their dimensions, top to bottom.
    tops = [
        _top(page, "#blockers"),
        _top(page, "#submit-form"),
        _top(page, "#findings"),
        _top(page, "#dimension-LEAD"),
        _top(page, "#dimension-HUM"),
        _top(page, "#dimension-MS"),
    ]
    assert tops == sorted(tops)
    blocking = page.locator("#blockers-components tr.blocker th")
    assert (
        blocking.count() >= 1
        and page.get_by_role("button", name="Submit the assessment").is_visible()
    )

    # Every dimension's controls are folded: their forms take no room until opened.
    controls = page.locator("details.board-controls")
    assert controls.count() == 3
    assert controls.evaluate_all("all => all.every(d => !d.open)")
    assert not page.locator("#band-override-form-LEAD").is_visible()
    assert not page.locator("#na-form-HUM").is_visible()
    screenshot(page, "board-folded")

    page.locator('details[data-dimension="LEAD"] > summary').click()
    assert page.locator("#band-override-form-LEAD").is_visible()
    assert page.locator("#band-LEAD-01").is_visible()
    assert not page.locator("#band-override-form-HUM").is_visible()  # the others stay folded
    page_watch.check(page)  # axe on the unfolded dimension too
    screenshot(page, "board-lead-unfolded")
