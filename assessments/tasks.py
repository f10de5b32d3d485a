"""Thin Celery tasks of the assessment workflow."""

from celery import shared_task
from django.utils import timezone

from assessments.services import periods_open_due
from imp_assess.tasks import task_retry_options

RETRY = task_retry_options(backoff=30, backoff_max=1800, max_retries=8)


@shared_task(**RETRY)
def periods_open_due_task() -> dict[str, int]:
    """Opens each new quarter's assessments on its open date (hourly; safe to run twice)."""
    return periods_open_due(today=timezone.localdate())
