"""Open and due dates of a period (defaults, the admin), and the hourly task that opens each
new quarter's assessments on its open date, exactly once."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from assessments.models import Assessment
from assessments.tasks import periods_open_due_task
from missions.models import Period
from missions.periods import quarter_default_dates
from tests.factories import MissionFactory
from tests.notifications.conftest import at

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    "quarter, expected",
    [
        (1, (D(2027, 3, 1), D(2027, 3, 31))),
        (2, (D(2027, 6, 1), D(2027, 7, 1))),
        (3, (D(2027, 9, 1), D(2027, 10, 1))),
        (4, (D(2027, 12, 1), D(2027, 12, 31))),
    ],
)
def test_a_quarter_opens_on_the_first_day_of_its_last_month_and_is_due_30_days_later(
    quarter, expected
):
    assert quarter_default_dates(2027, quarter) == expected


def test_the_administrator_adds_a_period_with_default_dates_or_their_own(client, personas):
    client.force_login(personas.admin)
    url = reverse("admin:missions_period_add")
    response = client.post(url, {"year": 2027, "quarter": 3, "opens_on": "", "closes_on": ""})
    assert response.status_code == 302
    period = Period.objects.get(year=2027, quarter=3)
    assert (period.opens_on, period.closes_on) == (D(2027, 9, 1), D(2027, 10, 1))
    change = reverse("admin:missions_period_change", args=[period.pk])
    response = client.post(
        change, {"year": 2027, "quarter": 3, "opens_on": "2027-09-06", "closes_on": "2027-10-15"}
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.opens_on, period.closes_on) == (D(2027, 9, 6), D(2027, 10, 15))
    response = client.post(
        change, {"year": 2027, "quarter": 3, "opens_on": "2027-09-06", "closes_on": "2027-09-01"}
    )
    assert response.status_code == 200
    assert "The due date must not be before the open date." in response.content.decode()


def _run(day: datetime.date) -> dict:
    with time_machine.travel(at(day), tick=False):
        return periods_open_due_task.delay().get()


def test_each_new_quarter_opens_on_its_open_date_for_every_active_mission_once(
    personas, questionnaire
):
    closed = MissionFactory(code="MSN-OLD", name="Closed mission")
    closed.is_active = False
    closed.save()
    # The day before the open date the period exists, with its default dates, but is shut.
    assert _run(D(2026, 8, 31)) == {}
    period = Period.objects.get(year=2026, quarter=3)
    assert (period.opens_on, period.closes_on) == (D(2026, 9, 1), D(2026, 10, 1))
    assert not Assessment.objects.exists()
    assert _run(D(2026, 9, 1)) == {"2026-Q3": 2}
    assert sorted(Assessment.objects.values_list("mission__code", flat=True)) == [
        "MSN-A",
        "MSN-B",
    ]
    period.refresh_from_db()
    assert period.assessments_opened_at == at(D(2026, 9, 1))
    # Run again (beat twice, the next hour, the next day): nothing more, even for a mission
    # added since (the administrator opens it from the admin if needed).
    MissionFactory(code="MSN-NEW", name="New mission")
    assert _run(D(2026, 9, 1)) == {}
    assert _run(D(2026, 9, 2)) == {}
    assert Assessment.objects.count() == 2


def test_a_period_the_administrator_opened_by_hand_is_not_opened_again(
    client, personas, questionnaire
):
    period = Period.objects.create(
        year=2026, quarter=3, opens_on=D(2026, 9, 1), closes_on=D(2026, 10, 1)
    )
    client.force_login(personas.admin)
    client.post(
        reverse("admin:missions_period_changelist"),
        {"action": "open_assessments", "_selected_action": [period.pk]},
    )
    assert Assessment.objects.count() == 2
    period.refresh_from_db()
    assert period.assessments_opened_at is not None
    Assessment.objects.filter(mission=personas.mission_b).delete()
    assert _run(D(2026, 9, 3)) == {}
    assert Assessment.objects.count() == 1


def test_a_window_already_over_is_not_opened_late(personas, questionnaire):
    Period.objects.create(year=2026, quarter=2, opens_on=D(2026, 6, 1), closes_on=D(2026, 7, 1))
    assert _run(D(2026, 7, 2)) == {}  # Q3 is created (opens 1 September), Q2 left alone
    assert not Assessment.objects.exists()
    assert Period.objects.get(year=2026, quarter=2).assessments_opened_at is None
