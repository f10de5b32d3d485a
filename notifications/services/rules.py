"""Who is told what, and when. Each rule stores notifications through
``notification_record``, whose unique key makes every rule safe to run again.

Days are calendar days in settings.TIME_ZONE; reminders do not move when the due date or
the reminder day falls on a weekend (missions' weekends differ: Friday–Saturday in some
duty stations, Saturday–Sunday in others; docs/notifications.md).
"""

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment
from notifications.models import NotificationKind
from notifications.selectors import (
    analysts,
    assessment_unanswered_by_component,
    digest_content,
    mission_focal_points,
    mission_respondents,
    open_assessments_due_between,
)
from notifications.services.recording import notification_record

logger = logging.getLogger(__name__)

# Reminders to respondents this many days before the due date, latest first. A day the
# task did not run is caught up: from 7 days before until 2 days before, the 7-day
# reminder is due; from 2 days before until the due date, the 2-day one.
REMINDER_DAYS = (7, 2)
# The overdue notice is due the day after the due date; a task that did not run then
# catches up for this many more days (never for long-forgotten quarters).
OVERDUE_CATCH_UP_DAYS = 3


def _base_data(assessment: Assessment) -> dict[str, str]:
    return {
        "mission": assessment.mission.code,
        "period": assessment.period.label,
        "due_on": assessment.period.closes_on.isoformat(),
    }


def reminders_send(*, today: datetime.date) -> int:
    """Remind each respondent whose component has unanswered indicators, 7 and 2 days
    before the due date of an open assessment; returns how many reminders were stored."""
    sent = 0
    last_day = today + datetime.timedelta(days=max(REMINDER_DAYS))
    for assessment in open_assessments_due_between(first=today, last=last_day):
        due = assessment.period.closes_on
        days_left = (due - today).days
        milestone = min(days for days in REMINDER_DAYS if days_left <= days)
        unanswered = assessment_unanswered_by_component(assessment=assessment)
        if not unanswered:
            continue
        respondents = mission_respondents(
            mission_id=assessment.mission_id, components=sorted(unanswered)
        )
        for user, components in respondents.items():
            data = {
                **_base_data(assessment),
                "days_left": days_left,
                "components": [[c, unanswered[c]] for c in components],
            }
            if notification_record(
                kind=NotificationKind.REMINDER,
                user=user,
                assessment=assessment,
                on_date=due - datetime.timedelta(days=milestone),
                data=data,
            ):
                sent += 1
    return sent


def overdue_notices_send(*, today: datetime.date) -> int:
    """Tell the focal points of each assessment still open the day after its due date."""
    sent = 0
    for assessment in open_assessments_due_between(
        first=today - datetime.timedelta(days=1 + OVERDUE_CATCH_UP_DAYS),
        last=today - datetime.timedelta(days=1),
    ):
        for user in mission_focal_points(mission_id=assessment.mission_id):
            if notification_record(
                kind=NotificationKind.OVERDUE,
                user=user,
                assessment=assessment,
                on_date=assessment.period.closes_on + datetime.timedelta(days=1),
                data=_base_data(assessment),
            ):
                sent += 1
    return sent


def deadlines_notify(*, today: datetime.date) -> dict[str, int]:
    """The daily deadline rules: reminders and overdue notices."""
    return {
        "reminders": reminders_send(today=today),
        "overdue": overdue_notices_send(today=today),
    }


def digest_send(*, today: datetime.date) -> int:
    """The weekly digest to every analyst, once per week (keyed by the week's Monday)."""
    monday = today - datetime.timedelta(days=today.weekday())
    content = digest_content(today=today)
    data = {
        "week_of": monday.isoformat(),
        "submitted": content.submitted,
        "approved": content.approved,
        "overdue": content.overdue,
        "actions_overdue": content.actions_overdue,
    }
    return sum(
        1
        for user in analysts()
        if notification_record(
            kind=NotificationKind.DIGEST, user=user, assessment=None, on_date=monday, data=data
        )
    )


# --- Workflow events (signals from assessments.services, inside their transaction) -----


def assessment_components_complete_notify(*, assessment_id: int) -> int:
    """Tell the focal points that every component of the assessment is complete."""
    assessment = Assessment.objects.select_related("mission", "period").get(pk=assessment_id)
    data = {"mission": assessment.mission.code, "period": assessment.period.label}
    today = timezone.localdate()
    return sum(
        1
        for user in mission_focal_points(mission_id=assessment.mission_id)
        if notification_record(
            kind=NotificationKind.COMPONENTS_COMPLETE,
            user=user,
            assessment=assessment,
            on_date=today,
            data=data,
        )
    )


def assessment_reopened_notify(*, assessment_id: int, reason: str) -> int:
    """Tell the mission's respondents that the assessment was reopened, and why."""
    assessment = Assessment.objects.select_related("mission", "period").get(pk=assessment_id)
    today = timezone.localdate()
    sent = 0
    for user, components in mission_respondents(mission_id=assessment.mission_id).items():
        data = {
            "mission": assessment.mission.code,
            "period": assessment.period.label,
            "reason": reason,
            "component": components[0],
        }
        if notification_record(
            kind=NotificationKind.REOPENED,
            user=user,
            assessment=assessment,
            on_date=today,
            data=data,
        ):
            sent += 1
    return sent


def _never_raising(what: str, notify: Callable[..., int], **kwargs: Any) -> None:
    """A notification must never break the workflow step that caused it: a failure is
    logged and the step's transaction goes on (rolled back to a savepoint)."""
    try:
        with transaction.atomic():
            notify(**kwargs)
    except Exception:
        logger.exception("could not store the notifications of %s", what)


def on_components_completed(sender: object, *, assessment_id: int, **kwargs: object) -> None:
    _never_raising(
        f"assessment {assessment_id} complete",
        assessment_components_complete_notify,
        assessment_id=assessment_id,
    )


def on_assessment_reopened(
    sender: object, *, assessment_id: int, reason: str, **kwargs: object
) -> None:
    _never_raising(
        f"assessment {assessment_id} reopened",
        assessment_reopened_notify,
        assessment_id=assessment_id,
        reason=reason,
    )
