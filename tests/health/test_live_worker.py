"""The real path: a task goes through Redis to a live worker, which writes to PostgreSQL."""

import pytest

from health.models import WorkerHeartbeat
from health.tasks import worker_heartbeat
from tests.live_worker import live_worker

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def test_task_sent_through_redis_is_run_by_a_live_worker_and_written_to_postgres(settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    with live_worker() as (node, queue, _process):
        result = worker_heartbeat.apply_async(queue=queue)
        heartbeat_id = result.get(timeout=60)
    heartbeat = WorkerHeartbeat.objects.get(pk=heartbeat_id)
    assert heartbeat.worker == node
    assert heartbeat.beats == 1
