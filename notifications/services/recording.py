"""Store a notification once per key, then send its e-mail once, after the commit."""

import datetime
import logging
import smtplib
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import Assessment
from imp_assess.tasks import send_on_commit, task_send
from missions.roles import Account
from notifications.messages import notification_email
from notifications.models import (
    EMAIL_ALWAYS_SENT,
    EmailOptOut,
    EmailState,
    Notification,
    NotificationKind,
)

logger = logging.getLogger(__name__)

# After this many failed attempts the e-mail is marked failed and left (the in-app
# notification stays); the task retries with backoff until then.
EMAIL_MAX_ATTEMPTS = 6
# An e-mail still waiting this long without any attempt lost its task (the broker was
# down when it was sent): the sweeper sends it again.
EMAIL_LOST_AFTER = datetime.timedelta(minutes=10)


class EmailNotSent(Exception):
    """The mail server refused or could not be reached; the task retries."""


def _initial_email_state(user: Account, kind: str) -> str:
    if not user.email:
        return EmailState.NO_ADDRESS
    if (
        kind not in EMAIL_ALWAYS_SENT
        and EmailOptOut.objects.filter(user_id=user.pk, kind=kind).exists()
    ):
        return EmailState.TURNED_OFF
    return EmailState.PENDING


def notification_record(
    *,
    kind: NotificationKind,
    user: Account,
    assessment: Assessment | None,
    on_date: datetime.date,
    data: dict[str, Any],
) -> Notification | None:
    """Store the notification unless its key (kind, user, assessment, date) is stored
    already; None then. A new one's e-mail is sent after the commit.

    The unique constraint decides: of two processes storing the same key at once, the
    second waits for the first to commit and then finds the key taken."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                kind=kind,
                user=user,
                assessment=assessment,
                on_date=on_date,
                data=data,
                email_state=_initial_email_state(user, kind),
            )
    except IntegrityError:
        return None
    if notification.email_state == EmailState.PENDING:
        send_on_commit(_send, notification.pk)
    return notification


def _send(notification_id: int) -> bool:
    from notifications.tasks import notification_email_send  # the tasks module imports this one

    return task_send(
        notification_email_send, notification_id, what=f"e-mail of notification {notification_id}"
    )


def notification_email_deliver(*, notification_id: int) -> bool:
    """Send the notification's e-mail if it is still waiting; True if sent now.

    The row is locked while sending and marked sent in the same transaction: a retried
    task, or the same task on two workers, finds it sent or locked (skipped), never sends
    it twice. A failure is logged and counted, then raised so the task retries later."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(pk=notification_id, email_state=EmailState.PENDING)
            .first()
        )
        if notification is None:
            return False
        email = notification_email(notification)
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.text,
            to=[notification.user.email],
            headers={"Auto-Submitted": "auto-generated", "Content-Language": email.language},
        )
        message.attach_alternative(email.html, "text/html")
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            failure = error
        else:
            notification.email_state = EmailState.SENT
            notification.emailed_at = timezone.now()
            notification.email_attempts += 1
            notification.email_error = ""
            notification.save(
                update_fields=["email_state", "emailed_at", "email_attempts", "email_error"]
            )
            return True
        notification.email_attempts += 1
        notification.email_error = f"{type(failure).__name__}: {failure}"[:300]
        gave_up = notification.email_attempts >= EMAIL_MAX_ATTEMPTS
        if gave_up:
            notification.email_state = EmailState.FAILED
        notification.save(update_fields=["email_state", "email_attempts", "email_error"])
    logger.warning(
        "e-mail of notification %s not sent (attempt %s%s): %s",
        notification_id,
        notification.email_attempts,
        ", giving up" if gave_up else "",
        notification.email_error,
    )
    if gave_up:
        return False
    raise EmailNotSent(notification.email_error)


def notification_emails_sweep() -> int:
    """Send again the e-mails whose task never ran (broker down when they were stored);
    returns how many were sent again. Those being retried are the task's own."""
    stale = Notification.objects.filter(
        email_state=EmailState.PENDING,
        email_attempts=0,
        created_at__lt=timezone.now() - EMAIL_LOST_AFTER,
    ).values_list("pk", flat=True)
    return sum(_send(pk) for pk in stale[:500])
