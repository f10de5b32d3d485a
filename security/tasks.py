from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from security.services import security_events_purge


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def security_log_purge() -> int:
    return security_events_purge(older_than_days=settings.SECURITY_LOG_RETENTION_DAYS)
