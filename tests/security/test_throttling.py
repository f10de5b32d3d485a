"""Login throttling keys on the real client address, and an address-only rule stops spraying."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from security.models import SecurityEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "172.18.0.5"  # the reverse proxy's address, as REMOTE_ADDR behind it


def _login(username, password=PASSWORD, **meta):
    return Client().post(reverse("login"), {"username": username, "password": password}, **meta)


def _via_proxy(client_address, username, password=PASSWORD, sent_by_client=""):
    forwarded = f"{sent_by_client}, {client_address}" if sent_by_client else client_address
    return _login(username, password, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@override_settings(TRUSTED_PROXY_HEADER="X-Forwarded-For", TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_a_lockout_hits_the_client_not_everyone_behind_the_proxy(personas):
    for _ in range(5):
        _via_proxy("203.0.113.7", "analyst", "wrong")
    assert _via_proxy("203.0.113.7", "analyst").status_code == 429
    # Another client through the same proxy is not locked out.
    assert _via_proxy("203.0.113.8", "analyst").status_code == 302
    failed = SecurityEvent.objects.filter(kind="login_failed", username="analyst")
    assert set(failed.values_list("ip_address", flat=True)) == {"203.0.113.7"}


@override_settings(TRUSTED_PROXY_HEADER="X-Forwarded-For", TRUSTED_PROXY_COUNT=1)
def test_a_client_cannot_escape_the_lockout_by_sending_its_own_forwarded_header(personas):
    for n in range(5):
        _via_proxy("203.0.113.7", "analyst", "wrong", sent_by_client=f"10.1.1.{n}")
    # The proxy appends the real address; what the client wrote before it is not believed.
    assert _via_proxy("203.0.113.7", "analyst", sent_by_client="10.9.9.9").status_code == 429


def test_without_the_setting_the_forwarded_header_is_ignored(personas):
    for n in range(5):
        _login("analyst", "wrong", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"10.2.2.{n}")
    assert _login("analyst", REMOTE_ADDR="10.0.0.1").status_code == 429


@override_settings(AXES_ADDRESS_FAILURE_LIMIT=8)
def test_password_spraying_across_usernames_locks_the_address(personas):
    for n in range(7):
        UserFactory(username=f"sprayed{n}")
        # One guess per account: the username + address rule never fires.
        assert _login(f"sprayed{n}", "Summer2026!", REMOTE_ADDR="10.6.6.6").status_code == 200
    UserFactory(username="sprayed7")
    assert _login("sprayed7", "Summer2026!", REMOTE_ADDR="10.6.6.6").status_code == 429
    locked = _login("analyst", REMOTE_ADDR="10.6.6.6")  # even a right password, from there
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    assert _login("analyst", REMOTE_ADDR="10.7.7.7").status_code == 302  # others still can
    assert SecurityEvent.objects.filter(kind="locked_out").exists()


@override_settings(AXES_ADDRESS_FAILURE_LIMIT=8)
def test_a_success_does_not_wipe_the_addresss_other_failures(personas):
    for n in range(7):
        UserFactory(username=f"sprayed{n}")
        _login(f"sprayed{n}", "Summer2026!", REMOTE_ADDR="10.6.6.6")
    assert _login("respondent_a", REMOTE_ADDR="10.6.6.6").status_code == 302
    _login("sprayed0", "Autumn2026!", REMOTE_ADDR="10.6.6.6")  # the eighth failure
    assert _login("focal_point_a", REMOTE_ADDR="10.6.6.6").status_code == 429
