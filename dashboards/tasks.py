"""Thin Celery tasks of the dashboards."""

from celery import shared_task
from django.utils import timezone

from dashboards.services import peer_snapshots_take_due
from imp_assess.tasks import task_retry_options

RETRY = task_retry_options(backoff=30, backoff_max=1800, max_retries=8)


@shared_task(**RETRY)
def peer_snapshots_take_task() -> int:
    """Freezes each quarter's peer values once it closes (hourly; safe to run twice)."""
    return len(peer_snapshots_take_due(today=timezone.localdate()))
