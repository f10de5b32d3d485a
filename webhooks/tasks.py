"""Thin tasks: one attempt per run; the service says when to try again (exponential
backoff, WEBHOOK_MAX_ATTEMPTS in all). Safe to run twice: a delivery that is no longer
pending is not sent again."""

from typing import Any

from celery import shared_task

from imp_assess.tasks import task_retry_options
from webhooks.services import webhook_deliveries_sweep, webhook_delivery_attempt

# Transient errors (database or broker away) are retried by Celery; the receiver's failures
# by the service's own schedule below.
RETRY = task_retry_options(backoff=2, backoff_max=300, max_retries=5)


@shared_task(bind=True, **RETRY)
def webhook_deliver(self: Any, delivery_id: int) -> bool:
    outcome = webhook_delivery_attempt(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in, max_retries=None)
    return outcome.delivered


@shared_task(**RETRY)
def webhook_deliveries_sweeper() -> int:
    return webhook_deliveries_sweep()
