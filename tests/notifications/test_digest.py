"""The analysts' weekly digest: one per analyst per week, whatever else they are."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from actions.models import Action, ActionStatus
from assessments.models import Assessment, AssessmentStatus
from assessments.services import assessment_open
from missions.models import Period
from notifications import selectors
from notifications.models import Notification
from notifications.tasks import digest_send_task
from tests.factories import AnalystFactory, MembershipFactory
from tests.notifications.conftest import at

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def quarter_states(personas, questionnaire, period_q3):
    """Mission A submitted, mission B approved on 2 October, mission C still open (overdue)."""
    mission_c = type(personas.mission_a).objects.create(
        code="MSN-C", name="Mission C", kind="pko", region="africa"
    )
    a = assessment_open(mission=personas.mission_a, period=period_q3)
    b = assessment_open(mission=personas.mission_b, period=period_q3)
    c = assessment_open(mission=mission_c, period=period_q3)
    Assessment.objects.filter(pk=a.pk).update(status=AssessmentStatus.SUBMITTED)
    Assessment.objects.filter(pk=b.pk).update(
        status=AssessmentStatus.APPROVED, approved_at=at(D(2026, 10, 2))
    )
    return a, b, c


def test_an_analyst_in_two_missions_gets_one_digest_a_week(personas, quarter_states, run_days):
    a, b, c = quarter_states
    late = Action.objects.create(
        mission=personas.mission_a,
        assessment=a,
        description="Joint protection-of-civilians cell set up",
        dimension_code="HUM",
        owner="Office of the DSRSG",
        due_year=2026,
        due_quarter=3,
    )
    Action.objects.create(
        mission=personas.mission_a,
        assessment=a,
        description="Quarterly retreat",
        dimension_code="LEAD",
        owner="Chief of Staff",
        due_year=2026,
        due_quarter=3,
        status=ActionStatus.DONE,
    )
    MembershipFactory(user=personas.analyst, mission=personas.mission_a, role="focal_point")
    MembershipFactory(user=personas.analyst, mission=personas.mission_b, role="focal_point")
    # Monday 5 October to Sunday 18 October: two weeks, the task every day.
    sent = run_days(digest_send_task, D(2026, 10, 5), D(2026, 10, 18))
    assert sent == {
        D(2026, 10, 5): [
            ("analyst@example.org", "[imp-assess] Weekly digest: week of 5 October 2026")
        ],
        D(2026, 10, 12): [
            ("analyst@example.org", "[imp-assess] Weekly digest: week of 12 October 2026")
        ],
    }  # fmt: skip
    body = mail.outbox[0].body
    waiting = body.split("Submitted, waiting for approval")[1].split("Approved")[0]
    assert f"MSN-A 2026-Q3: http://127.0.0.1:8000/assessments/{a.pk}/" in waiting
    approved = body.split("Approved in the last 7 days")[1].split("Overdue missions")[0]
    assert f"MSN-B 2026-Q3: http://127.0.0.1:8000/assessments/{b.pk}/" in approved
    overdue = body.split("Overdue missions")[1].split("Actions overdue")[0]
    assert f"MSN-C 2026-Q3: http://127.0.0.1:8000/assessments/{c.pk}/" in overdue
    assert "MSN-A" not in overdue and "MSN-B" not in overdue
    actions = body.split("Actions overdue")[1]
    assert (
        f"MSN-A: Joint protection-of-civilians cell set up (due 2026-Q3): "
        f"http://127.0.0.1:8000/actions/{late.pk}/" in actions
    )
    assert "Quarterly retreat" not in actions  # done: not overdue
    # A week later the approval is old news.
    second_week = mail.outbox[1].body
    assert "MSN-B" not in second_week.split("Approved in the last 7 days")[1].split("Overdue")[0]
    assert Notification.objects.filter(kind="digest").count() == 2


def test_only_analysts_get_the_digest(personas, quarter_states, run_days):
    AnalystFactory(username="analyst2")
    sent = run_days(digest_send_task, D(2026, 10, 5), D(2026, 10, 5))
    assert sorted(to for to, _s in sent[D(2026, 10, 5)]) == [
        "analyst2@example.org",
        "analyst@example.org",
    ]


def test_a_digest_with_nothing_to_report_says_so(personas, period_q3, run_days):
    run_days(digest_send_task, D(2026, 10, 5), D(2026, 10, 5))
    (message,) = mail.outbox
    assert message.body.count("None.") == 4


def test_the_digest_content_is_read_in_a_constant_number_of_queries(
    personas, quarter_states, django_assert_max_num_queries
):
    for year in (2024, 2025):
        for quarter in (1, 2, 3, 4):
            period = Period.objects.create(
                year=year,
                quarter=quarter,
                opens_on=D(year, 3 * quarter, 1),
                closes_on=D(year, 3 * quarter, 28),
            )
            assessment_open(mission=personas.mission_a, period=period)
    with django_assert_max_num_queries(4):
        selectors.digest_content(today=timezone.localdate())


def test_a_french_analysts_digest_reads_quarters_and_colons_in_french(
    personas, quarter_states, run_days
):
    from security.models import UserProfile

    a, _b, _c = quarter_states
    UserProfile.objects.update_or_create(user=personas.analyst, defaults={"language": "fr"})
    run_days(digest_send_task, D(2026, 10, 5), D(2026, 10, 5))
    (message,) = mail.outbox
    assert "5 octobre 2026" in message.subject
    assert f"MSN-A T3\u00a02026\u00a0: http://127.0.0.1:8000/assessments/{a.pk}/" in message.body
    assert "2026-Q3" not in message.body
