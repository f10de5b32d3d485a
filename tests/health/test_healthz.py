import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_healthy_database(client, settings):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["healthy"] is True
    assert body["database"] == "ok"
    expected_redis = "ok" if settings.REDIS_URL else "not configured"
    assert body["redis"] == expected_redis


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_answers_503_when_redis_is_unreachable(client):
    response = client.get(reverse("healthz"))
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
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_heartbeat_task_records_the_worker_and_is_safe_to_run_twice():
    from health.models import WorkerHeartbeat
    from health.tasks import worker_heartbeat

    first = worker_heartbeat.apply().get()
    second = worker_heartbeat.apply().get()
    assert first == second
    assert WorkerHeartbeat.objects.get(pk=first).beats == 2
