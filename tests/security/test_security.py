"""OWASP ASVS level 2, for what applies: each control tested through the public surface."""

import datetime
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.middleware import LOGIN_AT, SEEN_AT
from security.models import SecurityEvent
from security.services import security_events_purge
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db


def _login(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


# --- Login throttling -----------------------------------------------------------------


def test_five_failed_logins_lock_the_username_from_that_address(client, personas):
    for _ in range(4):
        assert _login(client, "analyst", "wrong").status_code == 200
    assert _login(client, "analyst", "wrong").status_code == 429  # the fifth failure locks
    locked = _login(client, "analyst")  # even the right password
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked out (lock is by username + address).
    assert _login(Client(), "analyst", ip="10.0.0.2").status_code == 302
    kinds = list(SecurityEvent.objects.filter(username="analyst").values_list("kind", flat=True))
    assert kinds.count("login_failed") >= 5
    assert "locked_out" in kinds


def test_passwords_are_checked_by_djangos_validators():
    with pytest.raises(ValidationError):
        validate_password("password")
    with pytest.raises(ValidationError):
        validate_password("12345678")
    validate_password("integrated-missions-revisited-2007")


# --- Sessions -------------------------------------------------------------------------


def test_login_issues_a_new_session_key(client, personas):
    client.get(reverse("login"))
    client.session["probe"] = 1
    before = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else None
    anonymous_key = client.session.session_key
    assert _login(client, "analyst").status_code == 302
    assert client.session.session_key != anonymous_key
    assert before is None or client.cookies["csrftoken"].value != before


@override_settings(SESSION_IDLE_TIMEOUT=600)
def test_an_idle_session_ends(client, personas):
    client.force_login(personas.analyst)
    session = client.session
    session[LOGIN_AT] = int(time.time()) - 700
    session[SEEN_AT] = int(time.time()) - 700
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302
    assert SecurityEvent.objects.filter(kind="session_expired", username="analyst").exists()


@override_settings(SESSION_ABSOLUTE_LIFETIME=3600, SESSION_IDLE_TIMEOUT=1800)
def test_a_busy_session_still_ends_at_its_absolute_lifetime(client, personas):
    client.force_login(personas.analyst)
    session = client.session
    session[LOGIN_AT] = int(time.time()) - 3700
    session[SEEN_AT] = int(time.time()) - 5  # active a moment ago
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_logout_ends_the_session_on_the_server(client, personas):
    _login(client, "analyst")
    key = client.session.session_key
    client.post(reverse("logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()
    assert SecurityEvent.objects.filter(kind="logout", username="analyst").exists()


def test_a_deactivated_users_session_stops_on_the_next_request(client, personas):
    client.force_login(personas.respondent_a)
    assert client.get(reverse("home")).status_code == 200
    personas.respondent_a.is_active = False
    personas.respondent_a.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- Second factor --------------------------------------------------------------------


def _current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


# django-otp slows down retries after a wrong code; the factor 0 lets this test retry at once.
@override_settings(OTP_REQUIRED_FOR_HQ=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_enforced_second_factor_makes_analysts_enrol_and_verify(client, personas):
    client.force_login(personas.analyst)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor"))
    # No authenticator yet: set one up, after typing the password again.
    response = client.get(response.url, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("password_confirm"))
    confirm = client.post(
        response.redirect_chain[-1][0], {"password": PASSWORD, "next": reverse("two_factor_setup")}
    )
    setup = client.get(confirm.url)
    assert "Scan this code" in setup.content.decode() and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=personas.analyst)
    wrong = client.post(reverse("two_factor_setup"), {"token": "000000", "next": "/"})
    assert wrong.status_code == 400
    good = client.post(reverse("two_factor_setup"), {"token": _current_code(device), "next": "/"})
    assert good.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


@override_settings(OTP_REQUIRED_FOR_HQ=True)
def test_mission_staff_are_not_forced_to_enrol(client, personas):
    client.force_login(personas.respondent_a)
    assert client.get(reverse("home")).status_code == 200


def test_anyone_with_an_authenticator_must_use_it_even_when_not_enforced(client, personas):
    TOTPDevice.objects.create(user=personas.focal_point_a, name="phone", confirmed=True)
    client.force_login(personas.focal_point_a)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor"))


def test_second_factor_next_parameter_cannot_redirect_off_site(client, personas):
    device = TOTPDevice.objects.create(user=personas.analyst, name="phone", confirmed=True)
    client.force_login(personas.analyst)
    response = client.post(
        reverse("two_factor"), {"token": _current_code(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == "/"


# --- Headers, CSRF --------------------------------------------------------------------


def test_every_page_sends_csp_nosniff_referrer_policy_and_frame_denial(client, personas):
    client.force_login(personas.analyst)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(client, personas):
    import re

    client.force_login(personas.respondent_a)
    for url in (reverse("home"), reverse("login"), reverse("assessments:mine")):
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
        assert not scripts, (url, scripts)
        assert " style=" not in html and "<style" not in html, url


def test_a_post_without_a_csrf_token_is_refused(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.focal_point_a)
    response = client.post(reverse("logout"))
    assert response.status_code == 403


# --- Security log ---------------------------------------------------------------------


def test_logins_refusals_status_and_role_changes_are_logged_with_address_and_utc_time(
    client, personas
):
    _login(client, "respondent_a", ip="10.9.8.7")
    client.get(reverse("questionnaire_compare"))  # mission staff: 404
    MembershipFactory(user=personas.respondent_a, mission=personas.mission_b, component="police")
    events = SecurityEvent.objects.filter(username="respondent_a")
    login = events.get(kind="login")
    assert login.ip_address == "10.9.8.7"
    assert login.at.tzinfo is not None and login.at.utcoffset() == datetime.timedelta(0)
    refused = events.get(kind="access_refused")
    assert refused.path == reverse("questionnaire_compare") and "404" in refused.detail
    assert any("granted" in e.detail for e in events.filter(kind="role_change"))


def test_security_log_is_visible_to_administrators_only(client, personas):
    _login(client, "analyst")
    url = reverse("admin:security_securityevent_changelist")
    assert client.get(url).status_code == 302  # analysts are not staff: sent to the admin login
    client.force_login(personas.admin)
    response = client.get(url)
    assert response.status_code == 200 and "analyst" in response.content.decode()


def test_old_security_events_are_purged_after_the_retention_period(personas):
    old = SecurityEvent.objects.create(kind="login", username="x")
    SecurityEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=400))
    recent = SecurityEvent.objects.create(kind="login", username="y")
    assert security_events_purge(older_than_days=365) == 1
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
    assert SecurityEvent.objects.filter(pk=recent.pk).exists()


# --- Graceful errors ------------------------------------------------------------------


def test_404_page_uses_the_products_layout(client, personas):
    client.force_login(personas.respondent_a)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "UN CONFIDENTIAL" in html and "imp-assess" in html


@override_settings(ROOT_URLCONF="tests.security.urls_failing", DEBUG=False)
def test_a_server_error_shows_no_stack_trace(personas):
    client = Client(raise_request_exception=False)
    client.force_login(personas.respondent_a)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "Traceback" not in html and "secret internal detail" not in html
    assert "RuntimeError" not in html


def test_exports_are_in_the_security_log(personas):
    from exports.models import ExportKind
    from exports.services import export_job_create

    job = export_job_create(by=personas.analyst, kind=ExportKind.DATA_CSV)
    event = SecurityEvent.objects.get(kind="export")
    assert event.username == "analyst"
    assert f"export #{job.pk} requested" in event.detail
