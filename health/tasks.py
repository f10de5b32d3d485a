from celery import shared_task
from django.db import InterfaceError, OperationalError

from health.services import heartbeat_record


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
    ignore_result=False,
)
def worker_heartbeat(self) -> int:
    """Prove the path broker → worker → database; returns the heartbeat row id."""
    return heartbeat_record(worker=self.request.hostname or "eager").pk
