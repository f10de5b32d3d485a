"""Each role's home page in chromium, on a laptop (1280 × 800) and a phone (390 × 844): the
navigation fits one line on the laptop, the phone's menu opens and is walked with the
keyboard, and axe-core finds nothing serious (the ``page`` fixture checks every page)."""

import pytest

from assessments.services import AnswerInput, response_answers_save, response_get_or_create
from tests.browser.conftest import log_in, log_out
from tests.factories import PASSWORD

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]

PERSONAS = ["respondent_a", "focal_point_a", "analyst", "admin"]


def _top_level_items_on_one_line(page) -> bool:
    tops = page.evaluate(
        "Array.from(document.querySelectorAll('#main-nav > ul > li'))"
        ".map(li => Math.round(li.getBoundingClientRect().top))"
    )
    return len(tops) > 2 and len(set(tops)) == 1


def test_each_role_home_on_a_laptop_and_a_phone(page, personas, assessment_a_v2, screenshot):
    response = response_get_or_create(assessment=assessment_a_v2, component="political")
    response_answers_save(
        response=response, by=personas.respondent_a, answers=[AnswerInput("LEAD-01", "3")]
    )
    for username in PERSONAS:
        page.set_viewport_size({"width": 1280, "height": 800})
        log_in(page, username, PASSWORD)
        assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
        assert _top_level_items_on_one_line(page), f"{username}: navigation wraps at 1280 px"
        navbar = page.locator("nav.imp-navbar").bounding_box()
        assert navbar and navbar["height"] < 70
        # The current page is marked for screen readers.
        assert page.locator('#main-nav a[aria-current="page"]').inner_text() == "Home"
        screenshot(page, f"{username}-laptop")

        page.set_viewport_size({"width": 390, "height": 844})
        toggler = page.locator(".navbar-toggler")
        assert toggler.is_visible() and not page.locator("#main-nav").is_visible()
        toggler.focus()
        page.keyboard.press("Enter")
        page.locator("#main-nav.show").wait_for()
        assert toggler.get_attribute("aria-expanded") == "true"
        # The dashboards menu opens from the keyboard and its first item takes the focus.
        dashboards = page.get_by_role("button", name="Dashboards")
        dashboards.focus()
        page.keyboard.press("Enter")
        page.keyboard.press("ArrowDown")
        focused = page.evaluate("document.activeElement.closest('.dropdown-menu') !== null")
        assert focused, f"{username}: the dashboards menu did not take the keyboard focus"
        page.keyboard.press("Escape")
        screenshot(page, f"{username}-phone")
        log_out(page)


def test_respondent_continues_from_the_home_page(page, personas, assessment_a_v2):
    log_in(page, "respondent_a", PASSWORD)
    page.get_by_role("link", name="Continue: Leadership and management").click()
    page.wait_for_url(f"**/assessments/{assessment_a_v2.pk}/political/LEAD/")
