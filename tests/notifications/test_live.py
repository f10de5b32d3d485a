"""Reminders through live Celery workers to a real SMTP server (aiosmtpd) started by the
test: the delivered messages are read back; two workers racing on the same reminders send
each one once. Service tests: PostgreSQL, Redis, worker subprocesses."""

import datetime
import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from assessments.services import assessment_open
from missions.models import Membership, Period
from missions.periods import quarter_of
from notifications.models import EmailState, Notification
from notifications.tasks import deadlines_notify_task
from tests.factories import MembershipFactory, MissionFactory, UserFactory
from tests.live_worker import live_worker, new_queue, wait_until

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]

SITE_URL = "https://imp.example.org"


class Inbox:
    """aiosmtpd handler: keeps every delivered message."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self._lock:
            return len(self.messages)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _worker_env(queue: str, port: int) -> dict[str, str]:
    return {
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "SITE_URL": SITE_URL,
        # The worker's own sends (the e-mail tasks) go to the test's private queue.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }


@pytest.fixture
def due_in_7_days(personas, questionnaire):
    """The current quarter is due 7 days from today; missions A and B are open, each with
    five respondents on five components and nothing answered."""
    today = timezone.localdate()
    year, quarter = quarter_of(today)
    period = Period.objects.create(
        year=year,
        quarter=quarter,
        opens_on=today - datetime.timedelta(days=20),
        closes_on=today + datetime.timedelta(days=7),
    )
    for mission in (personas.mission_a, personas.mission_b):
        for component in ("police", "humanitarian", "development", "human_rights"):
            MembershipFactory(
                user=UserFactory(username=f"{mission.code.lower()}-{component}"),
                mission=mission,
                component=component,
            )
    MissionFactory(code="MSN-Z", name="Mission without an open assessment")
    for mission in (personas.mission_a, personas.mission_b):
        assessment_open(mission=mission, period=period)
    respondents = sorted(
        set(Membership.objects.filter(role="respondent").values_list("user__email", flat=True))
    )
    assert len(respondents) == 10
    return period, respondents


def test_reminders_reach_a_real_smtp_server_through_a_live_worker(
    personas, due_in_7_days, smtp_server
):
    period, respondents = due_in_7_days
    inbox, port = smtp_server
    queue = new_queue()
    with live_worker(queue=queue, env=_worker_env(queue, port)):
        result = deadlines_notify_task.apply_async(queue=queue)
        assert result.get(timeout=60) == {"reminders": 10, "overdue": 0}
        assert wait_until(lambda: inbox.count() >= 10, timeout=60)
        # Beat runs again an hour later: nothing new is delivered.
        assert deadlines_notify_task.apply_async(queue=queue).get(timeout=60) == {
            "reminders": 0,
            "overdue": 0,
        }
        wait_until(lambda: inbox.count() > 10, timeout=3)
    assert inbox.count() == 10
    assert sorted(to for recipients, _m in inbox.messages for to in recipients) == respondents
    by_recipient = {recipients[0]: message for recipients, message in inbox.messages}
    message = by_recipient["respondent_a@example.org"]
    due = period.closes_on
    assert message["Subject"].startswith(f"[imp-assess] Reminder: MSN-A {period.label} is due on")
    assert message["To"] == "respondent_a@example.org"
    assert message["Auto-Submitted"] == "auto-generated"
    assessment_id = Notification.objects.get(user=personas.respondent_a).assessment_id
    link = f"{SITE_URL}/assessments/{assessment_id}/political/"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"Answer the questionnaire: {link}" in text
    assert "due in 7 days" in text and "Political: 3 indicators have no answer yet." in text
    assert f'<a href="{link}">Answer the questionnaire</a>' in html
    assert str(due.year) in message["Subject"]
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}


def test_two_workers_racing_on_the_same_reminders_send_each_once(
    personas, due_in_7_days, smtp_server
):
    _period, respondents = due_in_7_days
    inbox, port = smtp_server
    queue = new_queue()
    env = _worker_env(queue, port)
    with live_worker(queue=queue, env=env), live_worker(queue=queue, env=env):
        # Beat sent twice, a retried message: both workers take one and run at once.
        results = [deadlines_notify_task.apply_async(queue=queue) for _ in range(4)]
        counts = [r.get(timeout=90)["reminders"] for r in results]
        assert sum(counts) == 10  # each reminder stored by exactly one run
        assert wait_until(lambda: inbox.count() >= 10, timeout=60)
        wait_until(lambda: inbox.count() > 10, timeout=5)  # a duplicate would land now
    delivered = sorted(to for recipients, _m in inbox.messages for to in recipients)
    assert delivered == respondents  # ten messages, no duplicate
    assert Notification.objects.count() == 10
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}
    assert set(Notification.objects.values_list("email_attempts", flat=True)) == {1}
