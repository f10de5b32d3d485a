"""A quarter with known dates: 2026-Q3 opens on Tuesday 1 September 2026 and is due on
Thursday 1 October 2026 (the defaults), and mission A's assessment in it."""

import datetime
import zoneinfo
from collections.abc import Callable

import pytest
import time_machine
from django.core import mail

from assessments.services import assessment_open
from missions.models import Period
from missions.periods import quarter_default_dates
from tests.assessments.conftest import questionnaire  # noqa: F401 (fixture)

UTC = zoneinfo.ZoneInfo("UTC")
OPENS_ON, DUE_ON = quarter_default_dates(2026, 3)


def at(day: datetime.date, hour: int = 6) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def period_q3(db) -> Period:
    return Period.objects.create(year=2026, quarter=3, opens_on=OPENS_ON, closes_on=DUE_ON)


@pytest.fixture
def q3_a(personas, questionnaire, period_q3):  # noqa: F811
    with time_machine.travel(at(OPENS_ON), tick=False):
        return assessment_open(mission=personas.mission_a, period=period_q3)


@pytest.fixture
def run_days(django_capture_on_commit_callbacks) -> Callable:
    """Run a task on each day from ``first`` to ``last`` (twice a day, as an hourly beat
    would), the clock frozen; returns {day: [(recipient, subject), …]} of the e-mails."""

    def run(task, first: datetime.date, last: datetime.date) -> dict:
        sent: dict[datetime.date, list[tuple[str, str]]] = {}
        day = first
        while day <= last:
            for hour in (6, 18):
                with (
                    time_machine.travel(at(day, hour), tick=False),
                    django_capture_on_commit_callbacks(execute=True),
                ):
                    before = len(mail.outbox)
                    task.delay()
                for message in mail.outbox[before:]:
                    sent.setdefault(day, []).extend((to, message.subject) for to in message.to)
            day += datetime.timedelta(days=1)
        return sent

    return run
