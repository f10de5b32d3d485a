"""The site in French in a real browser: the switcher, one respondent dimension (autosave
messages from the JavaScript catalogue), the focal point's board (their saved profile choice)
and the mission profile (charts with a decimal comma). Screenshots: test-artifacts/."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from security.models import UserProfile
from tests.assessments.conftest import assessment_a, current_period  # noqa: F401 (fixtures)
from tests.browser.conftest import log_in
from tests.dashboards import conftest as dashboard_data
from tests.factories import PASSWORD

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]

questionnaire = dashboard_data.questionnaire
small = dashboard_data.small


def test_respondent_dimension_board_and_profile_in_french(
    page,
    personas,
    small,
    assessment_a,  # noqa: F811
    screenshot,
):
    cache.clear()
    # The browser asks for English (en-GB): the respondent switches in the header.
    log_in(page, "respondent_a", PASSWORD)
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_label("Language", exact=True).select_option("fr")
    page.get_by_role("button", name="Change language").click()  # visible text: "Change"
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert UserProfile.objects.get(user=personas.respondent_a).language == "fr"

    page.get_by_role("link", name="Évaluations", exact=True).click()
    page.wait_for_url("**/assessments/")
    page.get_by_role("link", name="Remplir le questionnaire").click()
    page.wait_for_url(f"**/assessments/{assessment_a.pk}/political/LEAD/")
    expect(page.get_by_role("button", name="Enregistrer et continuer")).to_be_visible()
    page.get_by_text("Coordination: regular meetings align the work.").first.click()
    page.get_by_text("Enregistré à").wait_for(timeout=15000)  # the JavaScript catalogue
    screenshot(page, "fr-dimension")

    # The focal point chose French on their profile earlier: it applies from the login on.
    page.context.clear_cookies()
    UserProfile.objects.create(user=personas.focal_point_a, language="fr")
    log_in(page, "focal_point_a", PASSWORD)
    page.goto(f"/assessments/{assessment_a.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name="Soumettre l’évaluation")).to_be_visible()
    expect(page.get_by_role("heading", name="Échelons cibles")).to_be_visible()
    screenshot(page, "fr-board")

    page.goto(f"/dashboards/missions/{small.a.pk}/")
    expect(page.locator("#radar-plot.js-plotly-plot svg.main-svg").first).to_be_visible()
    separators = page.evaluate("document.getElementById('radar-plot')._fullLayout.separators")
    assert separators == ",\u202f"  # decimal comma, narrow no-break space for thousands
    expect(page.get_by_role("region", name="Synthèse")).to_be_visible()
    screenshot(page, "fr-profile")
