"""Reminders before the due date and the overdue notice, each on its day, with a frozen
clock, once, to the right people."""

import datetime

import pytest
import time_machine
from django.core import mail

from assessments.models import Response
from assessments.services import AnswerInput, assessment_submit, response_answers_save
from missions.models import Period
from notifications.models import EmailOptOut, EmailState, Notification, NotificationKind
from notifications.tasks import deadlines_notify_task
from tests.assessments.conftest import ALL_INDICATORS
from tests.factories import MembershipFactory, UserFactory
from tests.notifications.conftest import DUE_ON, at

pytestmark = pytest.mark.django_db

D = datetime.date


def _subject_for(prefix: str) -> str:
    return f"[imp-assess] {prefix}: MSN-A 2026-Q3"


def test_reminders_7_and_2_days_before_and_the_overdue_notice_the_day_after(
    personas, q3_a, run_days
):
    assert D(2026, 10, 1) == DUE_ON  # a Thursday
    sent = run_days(deadlines_notify_task, D(2026, 9, 20), D(2026, 10, 8))
    assert sent == {
        D(2026, 9, 24): [
            ("respondent_a@example.org", "[imp-assess] Reminder: MSN-A 2026-Q3 is due on "
             "1 October 2026")
        ],
        D(2026, 9, 29): [
            ("respondent_a@example.org", "[imp-assess] Reminder: MSN-A 2026-Q3 is due on "
             "1 October 2026")
        ],
        D(2026, 10, 2): [
            ("focal_point_a@example.org", "[imp-assess] Overdue: MSN-A 2026-Q3 was due on "
             "1 October 2026")
        ],
    }  # fmt: skip
    keys = sorted(
        Notification.objects.values_list("kind", "user__username", "assessment_id", "on_date")
    )
    assert keys == [
        ("overdue", "focal_point_a", q3_a.pk, D(2026, 10, 2)),
        ("reminder", "respondent_a", q3_a.pk, D(2026, 9, 24)),
        ("reminder", "respondent_a", q3_a.pk, D(2026, 9, 29)),
    ]
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}


def test_the_reminder_says_what_is_missing_and_links_to_the_answering_page(
    personas, q3_a, run_days
):
    response = q3_a.responses.get(component="political")
    response_answers_save(
        response=response, by=personas.respondent_a, answers=[AnswerInput("LEAD-01", "3")]
    )
    run_days(deadlines_notify_task, D(2026, 9, 24), D(2026, 9, 24))
    (message,) = mail.outbox
    link = f"http://127.0.0.1:8000/assessments/{q3_a.pk}/political/"
    assert message.to == ["respondent_a@example.org"]
    assert "due in 7 days, on 1 October 2026" in message.body
    assert "Political: 2 indicators have no answer yet." in message.body
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{link}">Answer the questionnaire</a>' in html
    assert "Political: 2 indicators have no answer yet." in html


def test_reminders_do_not_move_when_the_due_date_is_on_a_weekend(personas, q3_a, run_days):
    """Decision (docs/notifications.md): calendar days, whatever the weekday, because the
    weekend differs between duty stations."""
    saturday = D(2026, 10, 3)
    assert saturday.weekday() == 5
    Period.objects.filter(pk=q3_a.period_id).update(closes_on=saturday)
    sent = run_days(deadlines_notify_task, D(2026, 9, 20), D(2026, 10, 8))
    assert sorted(sent) == [D(2026, 9, 26), D(2026, 10, 1), D(2026, 10, 4)]
    assert D(2026, 9, 26).weekday() == 5 and D(2026, 10, 4).weekday() == 6
    assert [to for to, _subject in sent[D(2026, 10, 4)]] == ["focal_point_a@example.org"]


def test_a_quarter_with_no_open_assessment_sends_nothing(personas, period_q3, run_days):
    assert run_days(deadlines_notify_task, D(2026, 9, 20), D(2026, 10, 8)) == {}
    assert not Notification.objects.exists()


def test_a_submitted_assessment_gets_no_reminder_and_no_overdue_notice(personas, q3_a, run_days):
    response = q3_a.responses.get(component="political")
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[AnswerInput(code, "3") for code in ALL_INDICATORS],
    )
    Response.objects.filter(pk=response.pk).update(status="complete")
    with time_machine.travel(at(D(2026, 9, 20)), tick=False):
        assessment_submit(assessment=q3_a, by=personas.focal_point_a)
    assert run_days(deadlines_notify_task, D(2026, 9, 20), D(2026, 10, 8)) == {}


def test_only_respondents_of_components_with_unanswered_indicators_are_reminded(
    personas, q3_a, run_days
):
    done = UserFactory(username="military_done")
    MembershipFactory(user=done, mission=personas.mission_a, component="military")
    military = q3_a.responses.create(component="military")
    response_answers_save(
        response=military, by=done, answers=[AnswerInput(c, "2") for c in ALL_INDICATORS]
    )
    sent = run_days(deadlines_notify_task, D(2026, 9, 24), D(2026, 9, 24))
    assert [to for to, _s in sent[D(2026, 9, 24)]] == ["respondent_a@example.org"]


def test_a_day_without_the_task_is_caught_up_once(personas, q3_a, run_days):
    # Beat was down on the 24th (7 days before): the 25th sends the reminder, once.
    sent = run_days(deadlines_notify_task, D(2026, 9, 25), D(2026, 9, 28))
    assert list(sent) == [D(2026, 9, 25)]
    assert "due in 6 days" in mail.outbox[0].body
    # The reminder's key is still the 7-days-before day: it is the same reminder.
    assert Notification.objects.get().on_date == D(2026, 9, 24)


def test_an_assessment_long_overdue_is_not_announced_again(personas, q3_a, run_days):
    # The feature starts months after the due date: no overdue notice for old quarters.
    assert run_days(deadlines_notify_task, D(2026, 11, 1), D(2026, 11, 3)) == {}


def test_a_respondent_who_turned_reminders_off_sees_them_in_the_app_only(personas, q3_a, run_days):
    EmailOptOut.objects.create(user=personas.respondent_a, kind=NotificationKind.REMINDER)
    assert run_days(deadlines_notify_task, D(2026, 9, 24), D(2026, 9, 24)) == {}
    notification = Notification.objects.get(user=personas.respondent_a)
    assert notification.email_state == EmailState.TURNED_OFF


def test_a_user_without_an_e_mail_address_is_notified_in_the_app(personas, q3_a, run_days):
    personas.respondent_a.email = ""
    personas.respondent_a.save()
    assert run_days(deadlines_notify_task, D(2026, 9, 24), D(2026, 9, 24)) == {}
    assert Notification.objects.get().email_state == EmailState.NO_ADDRESS


def test_an_inactive_user_is_not_reminded(personas, q3_a, run_days):
    personas.respondent_a.is_active = False
    personas.respondent_a.save()
    assert run_days(deadlines_notify_task, D(2026, 9, 24), D(2026, 9, 24)) == {}
