"""Method v3's headline in chromium: the home page, the portfolio and the mission profile with
a critical finding pass axe-core (the ``page`` fixture checks every page) and read critical
findings first."""

import pytest

from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from tests.scoring.test_headline_surfaces import breached  # noqa: F401 (fixture)
from tests.scoring.test_method_v3_storage import assessment_v3  # noqa: F401 (fixture)

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def test_the_headline_pages_are_accessible_and_lead_with_critical_findings(
    page,
    breached,  # noqa: F811
):
    log_in(page, "analyst", PASSWORD)
    critical = page.locator("#mission-headlines .headline-critical").first
    assert "critical finding" in critical.inner_text()
    page.goto(f"/dashboards/portfolio/?period={breached.period_id}")
    assert page.locator("#headlines-table .flag-critical").count() == 1
    page.goto(f"/dashboards/missions/{breached.mission_id}/?period={breached.period_id}")
    assert page.locator("#profile-headline").is_visible()
