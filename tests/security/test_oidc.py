"""Organisation sign-in (OpenID Connect) against a real provider on a local port
(tests/oidc_provider.py): accounts made at first sign-in from the stable subject, the role
mapping applied at each sign-in (and roles removed, with the API tokens), the provider's
multi-factor assertion, break-glass local sign-in, sign-out at the provider, and each refusal:
a page in the user's language, a security-log entry, nothing created."""

import datetime
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.services import api_token_create
from missions.models import Membership
from missions.roles import ANALYST_GROUP
from security.models import OrganisationIdentity, SecurityEvent
from tests.factories import PASSWORD, AdministratorFactory, MissionFactory, UserFactory
from tests.oidc_provider import CLIENT_ID

pytestmark = pytest.mark.django_db
Account = get_user_model()


def _start(client: Client, next_url: str = "") -> str:
    """Start a sign-in; the provider's authorization URL the browser is sent to."""
    url = reverse("oidc_start") + (f"?next={next_url}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def _callback_path(callback_url: str) -> str:
    parts = urlsplit(callback_url)
    return f"{parts.path}?{parts.query}"


def sign_in(client: Client, provider, sub: str, next_url: str = ""):
    """The whole round trip: our start, the provider's form, our callback."""
    callback = provider.authorize(_start(client, next_url), sub)
    return client.get(_callback_path(callback))


def _person(provider, sub: str, roles=None, **claims):
    claims = {
        "oid": f"oid-{sub}",
        "email": f"{sub}@un.example",
        "name": f"Person {sub.title()}",
        **claims,
    }
    if roles is not None:
        claims["roles"] = roles
    provider.put_user(sub, **claims)


def _events(kind: str) -> list[str]:
    return list(SecurityEvent.objects.filter(kind=kind).values_list("detail", flat=True))


# --- The flow itself ---------------------------------------------------------------------


def test_the_authorization_request_carries_pkce_state_and_nonce(client, oidc_settings):
    query = parse_qs(urlsplit(_start(client)).query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert "openid" in query["scope"][0].split()


def test_first_sign_in_makes_the_account_from_the_subject_with_its_mapped_role(
    client, oidc_settings, oidc_provider
):
    mission = MissionFactory(code="MSN-A")
    _person(oidc_provider, "amina", roles=["ImpAssess.MSN-A.Political", "Other.App.Role"])
    response = sign_in(client, oidc_provider, "amina", next_url="/assessments/")
    assert response.status_code == 302, _events("login_failed")
    assert response["Location"] == "/assessments/"
    identity = OrganisationIdentity.objects.get(subject="oid-amina")
    user = identity.user
    assert identity.issuer == oidc_provider.url
    assert user.email == "amina@un.example"
    assert (user.first_name, user.last_name) == ("Person", "Amina")
    assert not user.has_usable_password()
    assert list(
        Membership.objects.filter(user=user).values_list("mission", "role", "component")
    ) == [(mission.pk, "respondent", "political")]
    # The code was exchanged with the PKCE verifier, and the person is signed in.
    assert oidc_provider.token_requests[-1]["code_verifier"]
    assert client.get(reverse("home")).status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk
    logins = SecurityEvent.objects.filter(kind="login", user=user)
    assert [e.detail for e in logins] == ["organisation sign-in"]
    assert any("account made at first organisation sign-in" in d for d in _events("role_change"))


def test_the_e_mail_never_links_an_existing_account_and_later_sign_ins_update_it(
    client, oidc_settings, oidc_provider
):
    local = UserFactory(username="amina-local", email="amina2@un.example")
    _person(oidc_provider, "amina2", roles=[])
    sign_in(client, oidc_provider, "amina2")
    identity = OrganisationIdentity.objects.get(subject="oid-amina2")
    assert identity.user != local  # same e-mail, a different account
    # A new e-mail and name at the provider: updated at the next sign-in, same account.
    _person(oidc_provider, "amina2", roles=[], email="amina.b@un.example", name="Amina Bello")
    sign_in(Client(), oidc_provider, "amina2")
    identity.user.refresh_from_db()
    assert identity.user.email == "amina.b@un.example"
    assert identity.user.last_name == "Bello"
    assert OrganisationIdentity.objects.count() == 1


def test_a_person_without_any_mapped_role_sees_only_whom_to_ask(
    client, oidc_settings, oidc_provider, settings
):
    settings.OIDC_ACCESS_CONTACT = "the DPO helpdesk"
    _person(oidc_provider, "norole", roles=["Another.App.Role"])
    response = sign_in(client, oidc_provider, "norole")
    assert response["Location"] == reverse("oidc_no_access")
    page = client.get(reverse("oidc_no_access"))
    assert page.status_code == 200
    assert "the DPO helpdesk" in page.content.decode()
    assert 'id="main-nav"' not in page.content.decode()  # no menu to anything else
    for path in ("/", "/assessments/", "/dashboards/", "/security/"):
        assert client.get(path)["Location"] == reverse("oidc_no_access"), path


def test_a_mapping_change_removes_the_role_and_revokes_the_api_tokens(
    client, oidc_settings, oidc_provider
):
    MissionFactory(code="MSN-A")
    _person(oidc_provider, "chen", roles=["ImpAssess.HQAnalyst", "ImpAssess.MSN-A.FocalPoint"])
    sign_in(client, oidc_provider, "chen")
    user = OrganisationIdentity.objects.get(subject="oid-chen").user
    assert user.groups.filter(name=ANALYST_GROUP).exists()
    token, _secret = api_token_create(
        user=user,
        name="Power BI",
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        second_factor_verified=True,
    )
    # The provider no longer gives the analyst role: gone at the next sign-in, with the token.
    _person(oidc_provider, "chen", roles=["ImpAssess.MSN-A.FocalPoint"])
    sign_in(Client(), oidc_provider, "chen")
    assert not user.groups.filter(name=ANALYST_GROUP).exists()
    assert Membership.objects.filter(user=user, role="focal_point").count() == 1
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert any("-HQ analyst" in d for d in _events("role_change"))
    assert any("revoked" in d.lower() for d in _events("api_token"))
    # Nothing left: the focal point role goes too, and the person lands on the no-role page.
    _person(oidc_provider, "chen", roles=[])
    response = sign_in(Client(), oidc_provider, "chen")
    assert response["Location"] == reverse("oidc_no_access")
    assert not Membership.objects.filter(user=user).exists()


def test_administrator_role_from_the_mapping(client, oidc_settings, oidc_provider):
    _person(oidc_provider, "root", roles=["ImpAssess.Administrator"], amr=["pwd", "mfa"])
    sign_in(client, oidc_provider, "root")
    user = OrganisationIdentity.objects.get(subject="oid-root").user
    assert user.is_superuser and user.is_staff
    _person(oidc_provider, "root", roles=["ImpAssess.HQAnalyst"], amr=["pwd", "mfa"])
    sign_in(Client(), oidc_provider, "root")
    user.refresh_from_db()
    assert not user.is_superuser and not user.is_staff


# --- Second factor -------------------------------------------------------------------------


def test_multi_factor_at_the_provider_skips_the_local_second_factor(
    client, oidc_settings, oidc_provider, settings
):
    settings.OTP_REQUIRED_FOR_HQ = True
    _person(oidc_provider, "mfa", roles=["ImpAssess.HQAnalyst"], amr=["pwd", "mfa"])
    response = sign_in(client, oidc_provider, "mfa", next_url="/dashboards/")
    assert response["Location"] == "/dashboards/"
    assert client.get(reverse("home")).status_code == 200  # not sent to the TOTP page
    assert any("multi-factor" in d for d in _events("second_factor"))


def test_a_configured_acr_counts_as_multi_factor(client, oidc_settings, oidc_provider, settings):
    settings.OTP_REQUIRED_FOR_HQ = True
    settings.OIDC_MFA_ACR_VALUES = ["urn:example:mfa"]
    _person(oidc_provider, "acr", roles=["ImpAssess.HQAnalyst"], acr="urn:example:mfa")
    sign_in(client, oidc_provider, "acr")
    assert client.get(reverse("home")).status_code == 200


def test_without_multi_factor_the_local_second_factor_rule_applies(
    client, oidc_settings, oidc_provider, settings
):
    settings.OTP_REQUIRED_FOR_HQ = True
    _person(oidc_provider, "pwdonly", roles=["ImpAssess.HQAnalyst"], amr=["pwd"])
    sign_in(client, oidc_provider, "pwdonly")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor"))


# --- Local sign-in: break-glass only when switched off ----------------------------------------


def test_local_sign_in_switched_off_except_for_break_glass_accounts(
    client, oidc_settings, settings
):
    settings.LOCAL_PASSWORD_LOGIN = False
    settings.BREAK_GLASS_ACCOUNTS = ["breakglass"]
    UserFactory(username="ordinary")
    AdministratorFactory(username="breakglass")
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with your organisation account" in page
    assert "Break-glass administrator sign-in" in page
    refused = client.post(reverse("login"), {"username": "ordinary", "password": PASSWORD})
    assert refused.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session
    allowed = client.post(reverse("login"), {"username": "breakglass", "password": PASSWORD})
    assert allowed.status_code == 302
    assert client.session["_auth_user_id"]


def test_without_a_provider_the_login_page_is_the_local_form_and_oidc_urls_are_404(client):
    page = client.get(reverse("login")).content.decode()
    assert "organisation account" not in page
    assert 'name="username"' in page
    assert client.get(reverse("oidc_start")).status_code == 404
    assert client.get(reverse("oidc_callback")).status_code == 404


def test_the_login_page_in_french_offers_the_organisation_account_first(client, oidc_settings):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Se connecter avec le compte de votre organisation" in page
    assert page.index("compte de votre organisation") < page.index('name="username"')


# --- Sign-out -----------------------------------------------------------------------------------


def test_sign_out_ends_the_session_and_goes_on_to_the_providers_end_session(
    client, oidc_settings, oidc_provider
):
    _person(oidc_provider, "leaver", roles=["ImpAssess.HQAnalyst"], amr=["mfa"])
    sign_in(client, oidc_provider, "leaver")
    id_token = client.session["oidc_id_token"]
    response = client.post(reverse("logout"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    end_session = response.context["end_session_url"]
    assert end_session.startswith(f"{oidc_provider.url}/oauth2/end_session?")
    query = parse_qs(urlsplit(end_session).query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    assert "logout" in _events("logout") or SecurityEvent.objects.filter(kind="logout").exists()


def test_sign_out_of_a_local_account_stays_local(client, oidc_settings):
    client.force_login(UserFactory(username="local"))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


# --- Refusals: a page in the user's language, a log entry, nothing created ------------------


def _assert_refused(response, refusal: str, status: int = 400):
    assert response.status_code == status, response.content[:500]
    assert f'data-refusal="{refusal}"' in response.content.decode()
    assert not OrganisationIdentity.objects.exists()
    assert not Account.objects.exists()
    assert any(f"organisation sign-in refused ({refusal})" in d for d in _events("login_failed"))


def test_provider_down(client, oidc_settings):
    oidc_settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    oidc_settings.OIDC_TIMEOUT = 2
    response = client.get(reverse("oidc_start"), HTTP_ACCEPT_LANGUAGE="fr")
    _assert_refused(response, "provider_down", status=503)
    assert "ne peut pas être joint" in response.content.decode()


def test_provider_down_between_the_redirect_and_the_callback(client, oidc_settings, oidc_provider):
    _person(oidc_provider, "late", roles=["ImpAssess.HQAnalyst"])
    callback = oidc_provider.authorize(_start(client), "late")
    # The metadata is cached; the token endpoint is now unreachable.
    from django.core.cache import cache

    metadata = cache.get("imp-oidc-metadata")
    cache.set("imp-oidc-metadata", {**metadata, "token_endpoint": "http://127.0.0.1:9/token"}, 60)
    _assert_refused(client.get(_callback_path(callback)), "provider_down", status=503)


def test_wrong_issuer(client, oidc_settings, oidc_provider):
    # The application trusts another issuer than the one this provider names.
    oidc_settings.OIDC_ISSUER = oidc_provider.url.replace("127.0.0.1", "localhost")
    _assert_refused(client.get(reverse("oidc_start")), "wrong_issuer")


def test_replayed_callback(client, oidc_settings, oidc_provider):
    _person(oidc_provider, "replay", roles=["ImpAssess.HQAnalyst"])
    callback = _callback_path(oidc_provider.authorize(_start(client), "replay"))
    assert client.get(callback).status_code == 302
    OrganisationIdentity.objects.all().delete()
    Account.objects.all().delete()
    attacker = Client()
    _assert_refused(attacker.get(callback), "state_unknown")


def test_code_already_used_at_the_provider(client, oidc_settings, oidc_provider):
    _person(oidc_provider, "reuse", roles=["ImpAssess.HQAnalyst"])
    callback = oidc_provider.authorize(_start(client), "reuse")
    code = parse_qs(urlsplit(callback).query)["code"][0]
    assert client.get(_callback_path(callback)).status_code == 302
    OrganisationIdentity.objects.all().delete()
    Account.objects.all().delete()
    # A new sign-in (a fresh state) with the old code: the provider refuses to exchange it.
    other = Client()
    state = parse_qs(urlsplit(_start(other)).query)["state"][0]
    response = other.get(reverse("oidc_callback"), {"code": code, "state": state})
    _assert_refused(response, "code_rejected")
    assert (
        "expiré ou a déjà servi"
        in other.get(
            reverse("oidc_callback"), {"code": code, "state": state}, HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()
    )


def test_token_for_another_audience(client, oidc_settings, oidc_provider):
    _person(oidc_provider, "aud", roles=["ImpAssess.HQAnalyst"])
    oidc_provider.claims_override = {"aud": "another-application"}
    _assert_refused(sign_in(client, oidc_provider, "aud"), "wrong_audience")
    assert any("another-application" in d for d in _events("login_failed"))


def test_missing_role_claim(client, oidc_settings, oidc_provider):
    _person(oidc_provider, "noclaim")  # no roles claim at all
    response = sign_in(client, oidc_provider, "noclaim")
    _assert_refused(response, "missing_role_claim")


def test_the_provider_refusing_the_sign_in(client, oidc_settings, oidc_provider):
    state = parse_qs(urlsplit(_start(client)).query)["state"][0]
    response = client.get(reverse("oidc_callback"), {"error": "access_denied", "state": state})
    _assert_refused(response, "provider_error")


def test_a_sign_in_started_too_long_ago_is_refused(client, oidc_settings, oidc_provider):
    _person(oidc_provider, "slow", roles=["ImpAssess.HQAnalyst"])
    callback = oidc_provider.authorize(_start(client), "slow")
    session = client.session
    for entry in session["oidc_states"].values():
        entry["added_on"] -= 16 * 60  # the person left the provider's page open for 16 minutes
    session.save()
    _assert_refused(client.get(_callback_path(callback)), "state_unknown")


def test_the_login_page_starts_the_keyboard_at_the_organisation_button(client, oidc_settings):
    page = client.get(reverse("login")).content.decode()
    assert "autofocus" not in page


def test_an_expired_id_token_is_refused_and_the_clock_skew_is_allowed(
    client, oidc_settings, oidc_provider
):
    _person(oidc_provider, "stale", roles=["ImpAssess.HQAnalyst"])
    now = int(time.time())
    oidc_provider.claims_override = {"exp": now - 600}
    _assert_refused(sign_in(client, oidc_provider, "stale"), "token_expired")
    # Expired 30 seconds ago by the provider's clock: within OIDC_CLOCK_SKEW (60 s), accepted.
    oidc_provider.claims_override = {"exp": now - 30}
    assert sign_in(Client(), oidc_provider, "stale")["Location"] == reverse("home")


def test_an_id_token_from_another_issuer_is_refused(client, oidc_settings, oidc_provider):
    _person(oidc_provider, "iss", roles=["ImpAssess.HQAnalyst"])
    oidc_provider.claims_override = {"iss": "https://login.example.org/another-tenant/v2.0"}
    _assert_refused(sign_in(client, oidc_provider, "iss"), "wrong_issuer")


def test_an_id_token_not_signed_by_the_providers_key_is_refused(
    client, oidc_settings, oidc_provider
):
    _person(oidc_provider, "forged", roles=["ImpAssess.Administrator"])
    oidc_provider.foreign_key = True
    _assert_refused(sign_in(client, oidc_provider, "forged"), "invalid_token")
    assert any("InvalidSignatureError" in d for d in _events("login_failed"))
