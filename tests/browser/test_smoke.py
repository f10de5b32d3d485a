"""The browser reaches the app: login page, keyboard focus, home page as the analyst."""

import pytest

from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def test_analyst_logs_in_with_the_keyboard_and_sees_the_home_page(page, personas, screenshot):
    page.goto("/accounts/login/")
    # The username field has the focus, so a keyboard user can type at once.
    assert page.evaluate("document.activeElement.id") == "id_username"
    # The first stop in the tab order is the skip link.
    first = page.evaluate("document.querySelector('a[href], button, input').textContent.trim()")
    assert first == "Skip to main content"
    screenshot(page, "login")
    log_in(page, "analyst", PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    assert page.get_by_text("MSN-A").first.is_visible()
    screenshot(page, "home")
