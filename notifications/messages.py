"""What a notification says, in one language: the in-app list and the e-mail read the same
``Message``. Built when shown or sent, from the notification's stored data, so each reader
gets their own language."""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.selectors import scope_label
from imp_assess.dates import date_long
from missions.periods import quarter_display_of
from missions.roles import User
from notifications.models import Notification, NotificationKind
from security.languages import user_language


def recipient_language(user: User) -> str:
    """The language a user reads: their profile's language where they chose one, else the
    site's default (settings.LANGUAGE_CODE): ``security.languages.user_language``."""
    return user_language(user)


def absolute_url(path: str) -> str:
    """``path`` on the site as its users reach it (settings.SITE_URL)."""
    return f"{settings.SITE_URL}{path}"


@dataclass(frozen=True)
class Item:
    text: str
    path: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    items: list[Item]
    empty: str


@dataclass(frozen=True)
class Message:
    subject: str
    paragraphs: list[str]
    path: str  # the page the notification is about
    link_label: str
    sections: list[Section] = field(default_factory=list)


def _date(iso: str) -> str:
    return date_long(datetime.date.fromisoformat(iso))


def _board(notification: Notification) -> str:
    return reverse("assessments:board", kwargs={"assessment_id": notification.assessment_id})


def _reminder(n: Notification, data: dict[str, Any]) -> Message:
    components = [(scope_label(code), missing) for code, missing in data["components"]]
    days = int(data["days_left"])
    return Message(
        subject=_("Reminder: %(mission)s %(period)s is due on %(due)s")
        % {
            "mission": data["mission"],
            "period": quarter_display_of(data["period"]),
            "due": _date(data["due_on"]),
        },
        paragraphs=[
            ngettext(
                "The %(period)s assessment of %(mission)s is due in %(days)d day, on %(due)s.",
                "The %(period)s assessment of %(mission)s is due in %(days)d days, on %(due)s.",
                days,
            )
            % {
                "period": quarter_display_of(data["period"]),
                "mission": data["mission"],
                "days": days,
                "due": _date(data["due_on"]),
            },
            *[
                ngettext(
                    "%(component)s: %(count)d indicator has no answer yet.",
                    "%(component)s: %(count)d indicators have no answer yet.",
                    missing,
                )
                % {"component": label, "count": missing}
                for label, missing in components
            ],
        ],
        path=reverse(
            "assessments:response",
            kwargs={"assessment_id": n.assessment_id, "component": data["components"][0][0]},
        ),
        link_label=_("Answer the questionnaire"),
    )


def _overdue(n: Notification, data: dict[str, Any]) -> Message:
    return Message(
        subject=_("Overdue: %(mission)s %(period)s was due on %(due)s")
        % {
            "mission": data["mission"],
            "period": quarter_display_of(data["period"]),
            "due": _date(data["due_on"]),
        },
        paragraphs=[
            _(
                "The %(period)s assessment of %(mission)s was due on %(due)s and is not "
                "submitted yet. Chase the components that have not finished, or submit "
                "with a written justification for each of them."
            )
            % {
                "period": quarter_display_of(data["period"]),
                "mission": data["mission"],
                "due": _date(data["due_on"]),
            }
        ],
        path=_board(n),
        link_label=_("Open the assessment board"),
    )


def _complete(n: Notification, data: dict[str, Any]) -> Message:
    return Message(
        subject=_("Every component has answered: %(mission)s %(period)s")
        % {"mission": data["mission"], "period": quarter_display_of(data["period"])},
        paragraphs=[
            _(
                "Every component of %(mission)s has completed its %(period)s response. "
                "The assessment is ready for you to review and submit."
            )
            % {"mission": data["mission"], "period": quarter_display_of(data["period"])}
        ],
        path=_board(n),
        link_label=_("Review and submit"),
    )


def _reopened(n: Notification, data: dict[str, Any]) -> Message:
    component = data.get("component") or ""
    path = (
        reverse(
            "assessments:response",
            kwargs={"assessment_id": n.assessment_id, "component": component},
        )
        if component
        else _board(n)
    )
    return Message(
        subject=_("Reopened: %(mission)s %(period)s")
        % {"mission": data["mission"], "period": quarter_display_of(data["period"])},
        paragraphs=[
            _("The %(period)s assessment of %(mission)s was reopened for changes.")
            % {"period": quarter_display_of(data["period"]), "mission": data["mission"]},
            _("Reason given: %(reason)s") % {"reason": data["reason"]},
        ],
        path=path,
        link_label=_("Open your answers"),
    )


# The digest's rows are computed once for every analyst with the quarter's code
# ("MSN-A 2026-Q3"); each recipient reads the quarter in their language (T3 2026).
_QUARTER_CODE = re.compile(r"\b\d{4}-Q[1-4]\b")


def _assessment_items(rows: list[list[Any]]) -> list[Item]:
    return [
        Item(
            _QUARTER_CODE.sub(lambda code: quarter_display_of(code.group(0)), str(label)),
            reverse("assessments:board", kwargs={"assessment_id": pk}),
        )
        for pk, label in rows
    ]


def _digest(n: Notification, data: dict[str, Any]) -> Message:
    return Message(
        subject=_("Weekly digest: week of %(day)s") % {"day": _date(data["week_of"])},
        paragraphs=[_("What changed in the missions' assessments, and what is late.")],
        path=reverse("dashboards:portfolio"),
        link_label=_("Open the portfolio"),
        sections=[
            Section(
                _("Submitted, waiting for approval"),
                _assessment_items(data["submitted"]),
                _("None."),
            ),
            Section(
                _("Approved in the last 7 days"),
                _assessment_items(data["approved"]),
                _("None."),
            ),
            Section(_("Overdue missions"), _assessment_items(data["overdue"]), _("None.")),
            Section(
                _("Actions overdue"),
                [
                    Item(
                        _("%(mission)s: %(action)s (due %(quarter)s)")
                        % {
                            "mission": mission,
                            "action": action,
                            "quarter": quarter_display_of(quarter),
                        },
                        path,
                    )
                    for mission, action, quarter, path in data["actions_overdue"]
                ],
                _("None."),
            ),
        ],
    )


_BUILDERS = {
    NotificationKind.REMINDER: _reminder,
    NotificationKind.OVERDUE: _overdue,
    NotificationKind.COMPONENTS_COMPLETE: _complete,
    NotificationKind.REOPENED: _reopened,
    NotificationKind.DIGEST: _digest,
}


def notification_message(notification: Notification) -> Message:
    """The notification's text in the active language."""
    return _BUILDERS[NotificationKind(notification.kind)](notification, notification.data)


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str
    language: str


def notification_email(notification: Notification) -> Email:
    """The e-mail of a notification, in its recipient's language: plain text and HTML with
    absolute links."""
    language = recipient_language(notification.user)
    with translation.override(language):
        message = notification_message(notification)
        context = {
            "message": message,
            "user": notification.user,
            "link": absolute_url(message.path),
            "sections": [
                (s, [(item.text, absolute_url(item.path) if item.path else "") for item in s.items])
                for s in message.sections
            ],
            "preferences": absolute_url(reverse("notifications:preferences")),
            "language": language,
        }
        return Email(
            subject=f"[imp-assess] {message.subject}",
            text=render_to_string("notifications/email.txt", context),
            html=render_to_string("notifications/email.html", context),
            language=language,
        )
