"""Organisation sign-in in a real browser, against a real OpenID provider on a local port
(tests/oidc_provider.py): a person who exists only at the provider, with an app role for
DEMO-ARV's humanitarian component, signs in, sees that mission and component only, answers,
and signs out of imp-assess and at the provider.

axe checks every imp-assess page the person sees; the provider's own pages (the test
provider's bare forms) are not the product's and are not checked.
"""

import pytest

from assessments.models import Answer
from assessments.services import assessment_open
from security.models import OrganisationIdentity
from tests.assessments.conftest import current_period, questionnaire  # noqa: F401 (fixtures)
from tests.browser_support import assert_accessible
from tests.factories import MissionFactory

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_missions(questionnaire, current_period):  # noqa: F811
    arv = MissionFactory(code="DEMO-ARV", name="Demo mission Arvalia", is_demo=True)
    bor = MissionFactory(code="DEMO-BOR", name="Demo mission Borania", is_demo=True)
    return (
        assessment_open(mission=arv, period=current_period),
        assessment_open(mission=bor, period=current_period),
    )


def test_a_person_known_only_at_the_provider_signs_in_answers_and_signs_out(
    browser, live_server, oidc_settings, oidc_provider, demo_missions, screenshot
):
    arv_assessment, _bor_assessment = demo_missions
    oidc_provider.put_user(
        "fatima",
        oid="oid-fatima-0001",
        email="fatima.diallo@un.example",
        name="Fatima Diallo",
        roles=["ImpAssess.DEMO-ARV.Humanitarian"],
        amr=["pwd", "mfa"],
    )
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto("/accounts/login/")
        assert_accessible(page)
        buttons = page.locator("main a.btn, main button")
        assert buttons.first.inner_text() == "Sign in with your organisation account"
        screenshot(page, "login")
        page.get_by_role("link", name="Sign in with your organisation account").click()

        # The provider's sign-in page (the test provider: type the subject, authorize).
        page.wait_for_url(f"{oidc_provider.url}/oauth2/authorize**")
        page.locator("input[name=sub]").fill("fatima")
        page.get_by_role("button", name="Authorize").click()

        # Back on imp-assess, signed in: the home page shows DEMO-ARV and nothing else.
        page.wait_for_url(f"{live_server.url}/")
        assert_accessible(page)
        main = page.locator("main").inner_text()
        assert "DEMO-ARV" in main
        assert "DEMO-BOR" not in main
        screenshot(page, "home")
        user = OrganisationIdentity.objects.get(subject="oid-fatima-0001").user
        assert user.email == "fatima.diallo@un.example"

        page.goto("/assessments/")
        assert_accessible(page)
        assert "DEMO-BOR" not in page.locator("main").inner_text()
        page.get_by_role("link", name="Answer the questionnaire").click()
        page.wait_for_url(f"**/assessments/{arv_assessment.pk}/humanitarian/LEAD/")
        assert_accessible(page)
        page.get_by_text("Coordination: regular meetings align the work.").first.click()
        page.get_by_label("Evidence (what shows this?)").first.fill("Humanitarian country team")
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_url("**/humanitarian/HUM/")
        screenshot(page, "answered")
        answer = Answer.objects.get(response__assessment=arv_assessment, indicator__code="LEAD-01")
        assert answer.choice == "3"
        assert answer.response.component == "humanitarian"
        # Another component of the same mission is not hers.
        response = page.goto(f"/assessments/{arv_assessment.pk}/political/LEAD/")
        assert response.status == 404

        # Sign out: imp-assess first, then the provider's end-session page, then back here.
        page.goto("/")
        page.locator("#account-menu").click()
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url(f"{oidc_provider.url}/oauth2/end_session**")
        page.get_by_role("button", name="End session").click()
        page.wait_for_url(f"{live_server.url}/accounts/login/**")
        assert_accessible(page)
        assert page.get_by_role("link", name="Sign in with your organisation account").count()
        assert page.goto("/").url.startswith(f"{live_server.url}/accounts/login/")
    finally:
        context.close()


def test_without_a_role_only_whom_to_ask_and_a_refusal_is_a_clear_page(
    browser, live_server, oidc_settings, oidc_provider, screenshot
):
    oidc_provider.put_user(
        "noor", oid="oid-noor", email="noor@un.example", name="Noor Haddad", roles=["Mail.User"]
    )
    oidc_provider.put_user("nobody", oid="oid-nobody", email="nobody@un.example")  # no roles
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        for sub in ("noor", "nobody"):
            page.goto("/accounts/login/")
            page.get_by_role(
                "link", name="Se connecter avec le compte de votre organisation"
            ).click()
            page.wait_for_url(f"{oidc_provider.url}/oauth2/authorize**")
            page.locator("input[name=sub]").fill(sub)
            page.get_by_role("button", name="Authorize").click()
            page.wait_for_url(f"{live_server.url}/accounts/oidc/**")
            assert_accessible(page)
            screenshot(page, sub)
            if sub == "noor":
                assert "pas encore de rôle dans imp-assess" in page.locator("main").inner_text()
                page.goto("/dashboards/")
                assert page.url.endswith("/accounts/oidc/no-access/")
                page.get_by_role("button", name="Se déconnecter").click()
                page.wait_for_url(f"{oidc_provider.url}/oauth2/end_session**")
                page.get_by_role("button", name="End session").click()
                page.wait_for_url(f"{live_server.url}/accounts/login/**")
        # The person without any roles claim: refused, in French, nothing made.
        assert "ne porte aucun rôle imp-assess" in page.locator("main").inner_text()
        assert not OrganisationIdentity.objects.filter(subject="oid-nobody").exists()
    finally:
        context.close()
