"""An e-mail goes out once per notification, in its reader's language; a refused send is
logged, retried with backoff, and given up after a few attempts."""

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from notifications.messages import recipient_language
from notifications.models import EmailState, Notification, NotificationKind
from notifications.services import recording
from notifications.services.recording import (
    EMAIL_MAX_ATTEMPTS,
    EmailNotSent,
    notification_email_deliver,
    notification_emails_sweep,
    notification_record,
)
from notifications.tasks import EMAIL_RETRY, notification_email_send
from security.models import UserProfile
from tests.notifications.conftest import at

pytestmark = pytest.mark.django_db

D = datetime.date


def _reminder(personas, q3_a):
    return notification_record(
        kind=NotificationKind.REMINDER,
        user=personas.respondent_a,
        assessment=q3_a,
        on_date=D(2026, 9, 24),
        data={
            "mission": "MSN-A",
            "period": "2026-Q3",
            "due_on": "2026-10-01",
            "days_left": 7,
            "components": [["political", 3]],
        },
    )


def test_the_same_key_is_stored_once(personas, q3_a):
    assert _reminder(personas, q3_a) is not None
    assert _reminder(personas, q3_a) is None
    assert Notification.objects.count() == 1


def test_a_retried_e_mail_task_sends_once(personas, q3_a):
    notification = _reminder(personas, q3_a)
    for _ in range(3):  # the task delivered again, or retried after a lost acknowledgement
        notification_email_send.delay(notification.pk)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT and notification.email_attempts == 1


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("the relay hung up")


def test_a_refused_send_is_logged_counted_and_raised_for_a_retry(personas, q3_a, settings, caplog):
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.RefusingBackend"
    notification = _reminder(personas, q3_a)
    with pytest.raises(EmailNotSent):
        notification_email_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email_state == EmailState.PENDING
    assert notification.email_attempts == 1
    assert notification.email_error == "SMTPServerDisconnected: the relay hung up"
    assert "e-mail of notification" in caplog.text and "the relay hung up" in caplog.text
    # Then the relay is back: the next attempt sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notification_email_deliver(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


def test_the_task_retries_with_backoff_then_gives_up(personas, q3_a, settings):
    assert EMAIL_RETRY["retry_backoff"] == 30 and EMAIL_RETRY["retry_jitter"] is True
    assert EmailNotSent in EMAIL_RETRY["autoretry_for"]
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.RefusingBackend"
    notification = _reminder(personas, q3_a)
    # What each run of the task does (Celery's autoretry sends the next one later).
    for _ in range(EMAIL_MAX_ATTEMPTS - 1):
        with pytest.raises(EmailNotSent):
            notification_email_deliver(notification_id=notification.pk)
    assert notification_email_deliver(notification_id=notification.pk) is False  # gives up
    assert notification_email_deliver(notification_id=notification.pk) is False  # and stays
    notification.refresh_from_db()
    assert notification.email_state == EmailState.FAILED
    assert notification.email_attempts == EMAIL_MAX_ATTEMPTS
    assert notification.read_at is None  # still in the user's list


def test_an_e_mail_whose_task_was_lost_is_sent_by_the_sweeper(personas, q3_a, monkeypatch):
    monkeypatch.setattr(recording, "task_send", lambda *args, **kwargs: False)  # broker down
    with time_machine.travel(at(D(2026, 9, 24), 6), tick=False):
        notification = _reminder(personas, q3_a)
    monkeypatch.undo()
    assert notification.email_state == EmailState.PENDING
    with time_machine.travel(at(D(2026, 9, 24), 6) + datetime.timedelta(minutes=5)):
        assert notification_emails_sweep() == 0  # maybe still on its way
    with time_machine.travel(at(D(2026, 9, 24), 6) + datetime.timedelta(minutes=11)):
        assert notification_emails_sweep() == 1
        assert notification_emails_sweep() == 0
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT


def test_the_recipient_language_is_the_profile_language_else_the_site_default(personas):
    user = personas.respondent_a
    assert recipient_language(user) == "en"
    profile = UserProfile.objects.create(user=user, language="fr")  # chosen in the header
    assert recipient_language(user) == "fr"
    UserProfile.objects.filter(pk=profile.pk).update(language="xx")  # not a site language
    assert recipient_language(user) == "en"


def test_the_e_mail_is_written_in_the_recipient_language(personas, q3_a, monkeypatch):
    monkeypatch.setattr(recording, "notification_email", _french(recording.notification_email))
    notification = _reminder(personas, q3_a)
    notification_email_send.delay(notification.pk)
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == "fr"
    assert "1er octobre 2026" in message.body  # the date, as French readers write it
    assert "T3\u00a02026" in message.body and "2026-Q3" not in message.body


def _french(build):
    def with_profile(notification):
        UserProfile.objects.update_or_create(user=notification.user, defaults={"language": "fr"})
        return build(notification)

    return with_profile


def test_a_deployment_without_its_site_url_is_warned(settings):
    from notifications.checks import site_url_check

    assert [m.id for m in site_url_check(None)] == ["notifications.W001"]
    settings.SITE_URL = "https://imp.example.org"
    assert site_url_check(None) == []
