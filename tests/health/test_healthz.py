"""/healthz: status for anyone (200 or 503), details (database, Redis, worker mode) only for a
monitoring token or a staff session that passed the second factor (issue #25 item 9)."""

import time

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

MONITORING_TOKEN = "m" * 40
MONITOR = {"HTTP_AUTHORIZATION": f"Bearer {MONITORING_TOKEN}"}


@pytest.fixture(autouse=True)
def _monitoring_token(settings):
    settings.HEALTH_MONITORING_TOKEN = MONITORING_TOKEN


def test_anonymous_callers_get_the_status_alone(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"healthy": True}


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_anonymous_callers_get_503_without_the_reason(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"healthy": False}


def test_healthz_reports_healthy_database_to_the_monitoring_token(client, settings):
    response = client.get(reverse("healthz"), **MONITOR)
    assert response.status_code == 200
    body = response.json()
    assert body["healthy"] is True
    assert body["database"] == "ok"
    expected_redis = "ok" if settings.REDIS_URL else "not configured"
    assert body["redis"] == expected_redis


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_answers_503_when_redis_is_unreachable(client):
    response = client.get(reverse("healthz"), **MONITOR)
    assert response.status_code == 503
    assert response.json() == {
        "healthy": False,
        "database": "ok",
        "redis": "unreachable",
        "worker": "no heartbeat yet",
    }


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db import OperationalError, connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get(reverse("healthz"), **MONITOR)
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.parametrize(
    "header", ["Bearer wrong-token-of-forty-characters-xxxxxxxxxx", "Basic abc", "Bearer "]
)
def test_a_wrong_monitoring_token_gets_the_status_alone(client, header):
    response = client.get(reverse("healthz"), HTTP_AUTHORIZATION=header)
    assert response.json() == {"healthy": True}


def test_without_a_configured_token_no_token_opens_the_details(client, settings):
    settings.HEALTH_MONITORING_TOKEN = ""
    assert client.get(reverse("healthz"), HTTP_AUTHORIZATION="Bearer ").json() == {"healthy": True}


def test_users_who_are_not_staff_get_the_status_alone(client, personas):
    for user in (personas.respondent_a, personas.analyst):
        client.force_login(user)
        assert client.get(reverse("healthz")).json() == {"healthy": True}


def test_staff_see_the_details_only_after_the_second_factor(client, personas, settings):
    settings.OTP_REQUIRED_FOR_HQ = True
    device = TOTPDevice.objects.create(user=personas.admin, name="phone", confirmed=True)
    client.force_login(personas.admin)
    assert client.get(reverse("healthz")).json() == {"healthy": True}
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    client.post(reverse("two_factor"), {"token": f"{totp.token():06d}", "next": "/"})
    assert client.get(reverse("healthz")).json()["database"] == "ok"


def test_staff_see_the_details_where_the_second_factor_is_not_enforced(client, personas, settings):
    settings.OTP_REQUIRED_FOR_HQ = False
    client.force_login(personas.admin)
    assert client.get(reverse("healthz")).json()["database"] == "ok"


def test_heartbeat_task_records_the_worker_and_is_safe_to_run_twice():
    from health.models import WorkerHeartbeat
    from health.tasks import worker_heartbeat

    first = worker_heartbeat.apply().get()
    second = worker_heartbeat.apply().get()
    assert first == second
    assert WorkerHeartbeat.objects.get(pk=first).beats == 2
