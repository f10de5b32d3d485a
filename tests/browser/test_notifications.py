"""In the browser: the unread count in the header, the list, opening a notification, and
turning an e-mail kind off."""

import datetime

import pytest

from notifications.models import EmailOptOut, NotificationKind
from notifications.services.recording import notification_record
from tests.assessments.conftest import (  # noqa: F401 (fixtures)
    assessment_a,
    current_period,
    questionnaire,
)
from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def test_a_respondent_reads_a_reminder_and_turns_reminders_off(
    page,
    personas,
    assessment_a,  # noqa: F811
    screenshot,
):
    period = assessment_a.period
    base = {"mission": "MSN-A", "period": period.label, "due_on": period.closes_on.isoformat()}
    notification_record(
        kind=NotificationKind.REOPENED,
        user=personas.respondent_a,
        assessment=assessment_a,
        on_date=period.closes_on - datetime.timedelta(days=10),
        data={**base, "reason": "The police figures were for the wrong quarter.",
              "component": "political"},
    )  # fmt: skip
    notification_record(
        kind=NotificationKind.REMINDER,
        user=personas.respondent_a,
        assessment=assessment_a,
        on_date=period.closes_on - datetime.timedelta(days=7),
        data={**base, "days_left": 7, "components": [["political", 3]]},
    )
    log_in(page, "respondent_a", PASSWORD)
    header = page.get_by_role("link", name="Notifications 2 unread")
    assert header.is_visible()
    header.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Notifications"
    assert page.get_by_text("Reason given: The police figures were for the wrong quarter.").count()
    screenshot(page, "notifications-list")
    page.get_by_role("button", name="Answer the questionnaire").click()
    page.wait_for_url(f"**/assessments/{assessment_a.pk}/political/**")
    assert page.get_by_role("link", name="Notifications 1 unread").is_visible()

    page.goto("/notifications/preferences/")
    page.get_by_label("Reminder before the due date (respondents)").uncheck()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Your e-mail choices are saved.").is_visible()
    screenshot(page, "notification-preferences")
    assert list(EmailOptOut.objects.values_list("user__username", "kind")) == [
        ("respondent_a", "reminder")
    ]
