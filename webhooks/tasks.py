"""Thin tasks: one attempt per run; the service says when to try again (exponential
backoff, WEBHOOK_MAX_ATTEMPTS in all). Safe to run twice: a delivery that is no longer
pending is not sent again."""

import logging

from celery import shared_task

from imp_assess.tasks import SEND_RETRY_POLICY, task_retry_options
from webhooks.services import webhook_deliveries_sweep, webhook_delivery_attempt

logger = logging.getLogger(__name__)

# Transient errors (database or broker away) are retried by Celery; the receiver's failures
# by the service's own schedule below.
RETRY = task_retry_options(backoff=2, backoff_max=300, max_retries=5)


@shared_task(**RETRY)
def webhook_deliver(delivery_id: int) -> bool:
    outcome = webhook_delivery_attempt(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        # A new message for the next attempt (not Celery's retry: the attempts are the
        # service's to count). If it cannot be sent, the periodic sweep sends it later.
        try:
            webhook_deliver.apply_async(
                (delivery_id,),
                countdown=outcome.retry_in,
                retry=True,
                retry_policy=SEND_RETRY_POLICY,
            )
        except Exception:
            logger.warning("could not schedule webhook delivery %s; the sweep will", delivery_id)
    return outcome.delivered


@shared_task(**RETRY)
def webhook_deliveries_sweeper() -> int:
    return webhook_deliveries_sweep()
