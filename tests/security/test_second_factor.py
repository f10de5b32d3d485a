"""Second factor: required for HQ by default, enrolment behind a fresh password, recovery
codes shown once and usable to sign in, and /admin/ behind django-otp's OTP admin site."""

import time

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django_otp.admin import OTPAdminSite
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.models import SecurityEvent
from security.permissions import PASSWORD_CONFIRMED_AT
from security.services import recovery_codes_generate
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

# django-otp slows down retries after a wrong code; the factor 0 lets tests retry at once.
enforced = override_settings(
    OTP_REQUIRED_FOR_HQ=True, OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0
)


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def _confirm_password(client, password=PASSWORD):
    return client.post(reverse("password_confirm"), {"password": password, "next": "/"})


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@enforced
def test_the_login_password_alone_cannot_enrol_an_authenticator(client, personas):
    response = client.post(reverse("login"), {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 302
    setup = client.get(reverse("two_factor_setup"))
    assert setup.status_code == 302 and setup.url.startswith(reverse("password_confirm"))
    assert not TOTPDevice.objects.filter(user=personas.analyst).exists()


@enforced
def test_a_wrong_password_on_the_confirm_page_is_refused_and_logged(client, personas):
    client.force_login(personas.analyst)
    response = _confirm_password(client, "not my password")
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert client.get(reverse("two_factor_setup")).url.startswith(reverse("password_confirm"))
    assert SecurityEvent.objects.filter(kind="login_failed", username="analyst").exists()


@enforced
def test_a_password_confirmation_lasts_five_minutes(client, personas):
    client.force_login(personas.analyst)
    _confirm_password(client)
    assert client.get(reverse("two_factor_setup")).status_code == 200
    session = client.session
    session[PASSWORD_CONFIRMED_AT] = int(time.time()) - 301
    session.save()
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 302 and response.url.startswith(reverse("password_confirm"))


@enforced
def test_enrolment_shows_recovery_codes_once(client, personas):
    client.force_login(personas.analyst)
    _confirm_password(client)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=personas.analyst, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"token": _code(device), "next": "/"})
    assert response.url.startswith(reverse("recovery_codes"))
    page = client.get(response.url).content.decode()
    codes = list(StaticToken.objects.filter(device__user=personas.analyst))
    assert len(codes) == 10 and all(code.token in page for code in codes)
    assert "shown only this once" in page
    again = client.get(reverse("recovery_codes")).content.decode()
    assert not any(code.token in again for code in codes)
    assert "You have 10 unused recovery codes." in again
    assert client.get(reverse("home")).status_code == 200


@enforced
def test_whoever_has_an_authenticator_must_prove_it_before_replacing_it(client, personas):
    _enrolled(personas.analyst)
    client.force_login(personas.analyst)
    _confirm_password(client)  # a fresh password is not enough
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor"))
    assert TOTPDevice.objects.filter(user=personas.analyst).count() == 1


@enforced
def test_a_new_authenticator_replaces_the_old_one(client, personas):
    old = _enrolled(personas.analyst)
    client.force_login(personas.analyst)
    client.post(reverse("two_factor"), {"token": _code(old), "next": "/"})
    _confirm_password(client)
    client.get(reverse("two_factor_setup"))
    new = TOTPDevice.objects.get(user=personas.analyst, confirmed=False)
    client.post(reverse("two_factor_setup"), {"token": _code(new), "next": "/"})
    assert list(TOTPDevice.objects.filter(user=personas.analyst)) == [new]


@enforced
def test_a_recovery_code_signs_in_once(personas):
    _enrolled(personas.analyst)
    code = recovery_codes_generate(user=personas.analyst)[0]
    client = Client()
    client.force_login(personas.analyst)
    response = client.post(reverse("two_factor"), {"token": code.upper(), "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert client.get(reverse("home")).status_code == 200
    assert SecurityEvent.objects.filter(detail="verified with a recovery code").exists()
    other = Client()
    other.force_login(personas.analyst)
    assert other.post(reverse("two_factor"), {"token": code, "next": "/"}).status_code == 400
    assert other.get(reverse("home")).status_code == 302


@enforced
def test_new_recovery_codes_need_a_fresh_password_and_void_the_old_ones(client, personas):
    device = _enrolled(personas.analyst)
    old_codes = recovery_codes_generate(user=personas.analyst)
    client.force_login(personas.analyst)
    client.post(reverse("two_factor"), {"token": _code(device), "next": "/"})
    response = client.post(reverse("recovery_codes"))
    assert response.status_code == 302 and response.url.startswith(reverse("password_confirm"))
    _confirm_password(client)
    response = client.post(reverse("recovery_codes"))
    page = client.get(response.url).content.decode()
    new_codes = list(
        StaticToken.objects.filter(device__user=personas.analyst).values_list("token", flat=True)
    )
    assert len(new_codes) == 10 and all(code in page for code in new_codes)
    assert not set(old_codes) & set(new_codes)


def test_an_unverified_user_cannot_make_recovery_codes(client, personas):
    client.force_login(personas.respondent_a)
    _confirm_password(client)
    response = client.post(reverse("recovery_codes"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor"))
    assert not StaticToken.objects.exists()


@enforced
def test_administrators_owe_a_second_factor_even_for_the_password_change_page(client, personas):
    client.force_login(personas.admin)
    for url in (reverse("password_change"), reverse("admin:index"), reverse("recovery_codes")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("two_factor"))


# --- The OTP admin site ---------------------------------------------------------------


def test_the_admin_site_is_django_otps_otp_admin_site():
    assert isinstance(admin.site, OTPAdminSite)
    assert reverse("admin:index") == "/admin/"


@enforced
def test_the_otp_admin_site_refuses_unverified_staff(personas):
    _enrolled(personas.admin)
    request = RequestFactory().get("/admin/")
    request.user = personas.admin
    request.user.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    request.user.is_verified = lambda: True
    assert admin.site.has_permission(request)


@enforced
def test_a_verified_administrator_uses_the_admin(client, personas):
    device = _enrolled(personas.admin)
    client.force_login(personas.admin)
    client.post(reverse("two_factor"), {"token": _code(device), "next": "/"})
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "imp-assess administration" in response.content.decode()


def test_the_admin_login_page_sends_visitors_to_the_products_login(client):
    response = client.get(reverse("admin:login") + "?next=/admin/missions/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login")) and "next=/admin/missions/" in response.url


def test_without_enforcement_administrators_use_the_admin_without_a_second_factor(
    client, personas, settings
):
    settings.OTP_REQUIRED_FOR_HQ = False  # a pilot, or the DEBUG demo
    client.force_login(personas.admin)
    assert client.get(reverse("admin:index")).status_code == 200
