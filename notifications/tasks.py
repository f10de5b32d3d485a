"""Thin Celery tasks of the notifications app: take ids or nothing, call one service, own
their retry policy; all are safe to run twice (the notification's key and the e-mail's
state decide, docs/notifications.md)."""

import smtplib
from typing import Any

from celery import shared_task
from django.utils import timezone

from imp_assess.tasks import TRANSIENT_ERRORS, task_retry_options
from notifications.services.recording import (
    EmailNotSent,
    notification_email_deliver,
    notification_emails_sweep,
)
from notifications.services.rules import deadlines_notify, digest_send

RETRY = task_retry_options(backoff=30, backoff_max=1800, max_retries=8)
# A mail server that refuses or is away: retried with backoff, about 30 s, 1, 2, 4, 8 min…
EMAIL_RETRY: dict[str, Any] = {
    **task_retry_options(backoff=30, backoff_max=3600, max_retries=8),
    "autoretry_for": (*TRANSIENT_ERRORS, EmailNotSent, smtplib.SMTPException),
}


@shared_task(**EMAIL_RETRY)
def notification_email_send(notification_id: int) -> bool:
    return notification_email_deliver(notification_id=notification_id)


@shared_task(**RETRY)
def deadlines_notify_task() -> dict[str, int]:
    """Reminders before due dates and overdue notices (hourly; each is stored once)."""
    return deadlines_notify(today=timezone.localdate())


@shared_task(**RETRY)
def digest_send_task() -> int:
    """The analysts' weekly digest (daily; the first run of each week sends it)."""
    return digest_send(today=timezone.localdate())


@shared_task(**RETRY)
def notification_emails_sweeper() -> int:
    return notification_emails_sweep()
