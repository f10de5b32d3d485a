"""Reads of the notifications app: who is told, what the digest says, a user's list."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import Truncator

from actions.selectors import overdue_actions
from assessments.models import Answer, Assessment, AssessmentStatus, ResponseStatus
from assessments.selectors import assessment_expected_cells
from missions.labels import demo_marked
from missions.models import Membership, MembershipRole
from missions.roles import ANALYST_GROUP, Account, User
from notifications.models import EMAIL_ALWAYS_SENT, EmailOptOut, Notification, NotificationKind

# The weekly digest lists missions whose due date passed within this many days and that
# are still open (older open assessments are old news, not this week's).
DIGEST_OVERDUE_WINDOW = datetime.timedelta(days=92)


def assessment_label(assessment: Assessment) -> str:
    """``MSN-A 2026-Q3`` (demo-marked)."""
    return demo_marked(
        f"{assessment.mission.code} {assessment.period.label}", is_demo=assessment.mission.is_demo
    )


def open_assessments_due_between(
    *, first: datetime.date, last: datetime.date
) -> QuerySet[Assessment]:
    """Open assessments of active missions whose due date is from ``first`` to ``last``."""
    return (
        Assessment.objects.filter(
            status=AssessmentStatus.OPEN,
            mission__is_active=True,
            period__closes_on__gte=first,
            period__closes_on__lte=last,
        )
        .select_related("mission", "period")
        .order_by("period__closes_on", "mission__code")
    )


def assessment_unanswered_by_component(*, assessment: Assessment) -> dict[str, int]:
    """How many expected indicators have no answer yet, per component response that is not
    complete (components with nothing missing are left out)."""
    complete = set(
        assessment.responses.filter(status=ResponseStatus.COMPLETE).values_list(
            "component", flat=True
        )
    )
    answered: dict[str, set[str]] = defaultdict(set)
    for component, code in (
        Answer.objects.filter(response__assessment=assessment)
        .exclude(choice="")
        .values_list("response__component", "indicator__code")
    ):
        answered[component].add(code)
    missing = {
        component: len(set(codes) - answered[component])
        for component, codes in assessment_expected_cells(assessment=assessment).items()
        if component not in complete
    }
    return {component: n for component, n in missing.items() if n}


def mission_respondents(
    *, mission_id: int, components: list[str] | None = None
) -> dict[Account, list[str]]:
    """Active respondents of the mission and the components they answer for (all, or those
    in ``components``), in a stable order."""
    memberships = Membership.objects.filter(
        mission_id=mission_id, role=MembershipRole.RESPONDENT, user__is_active=True
    )
    if components is not None:
        memberships = memberships.filter(component__in=components)
    found: dict[Account, list[str]] = {}
    for membership in memberships.select_related("user").order_by("user_id", "component"):
        found.setdefault(membership.user, []).append(membership.component)
    return found


def mission_focal_points(*, mission_id: int) -> list[Account]:
    return [
        m.user
        for m in Membership.objects.filter(
            mission_id=mission_id, role=MembershipRole.FOCAL_POINT, user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    ]


def analysts() -> QuerySet[Account]:
    """Active HQ analysts, each once (however many missions they also belong to)."""
    return (
        Account.objects.filter(is_active=True, groups__name=ANALYST_GROUP).distinct().order_by("pk")
    )


def actions_overdue(*, today: datetime.date) -> list[list[str]]:
    """The digest's "actions overdue": [mission, what will be done, due quarter, page path]
    per open action whose due quarter has passed (the actions app's rule)."""
    return [
        [
            demo_marked(action.mission.code, is_demo=action.mission.is_demo),
            Truncator(action.description).chars(120),
            action.due_label,
            reverse("actions:detail", kwargs={"action_id": action.pk}),
        ]
        for action in overdue_actions(today=today)
    ]


@dataclass(frozen=True)
class DigestContent:
    submitted: list[list[object]]  # [assessment id, label]
    approved: list[list[object]]
    overdue: list[list[object]]
    actions_overdue: list[list[str]]  # [mission, what, due quarter, path]


def digest_content(*, today: datetime.date) -> DigestContent:
    """The weekly digest, the same for every analyst: assessments waiting for approval,
    approved in the last 7 days, overdue (due date passed within DIGEST_OVERDUE_WINDOW, still
    open), and actions overdue."""
    week_ago = today - datetime.timedelta(days=7)
    assessments = Assessment.objects.select_related("mission", "period").order_by(
        "-period__year", "-period__quarter", "mission__code"
    )

    def rows(queryset: QuerySet[Assessment]) -> list[list[object]]:
        return [[a.pk, assessment_label(a)] for a in queryset]

    return DigestContent(
        submitted=rows(assessments.filter(status=AssessmentStatus.SUBMITTED)),
        approved=rows(
            assessments.filter(status=AssessmentStatus.APPROVED, approved_at__date__gt=week_ago)
        ),
        overdue=rows(
            assessments.filter(
                status=AssessmentStatus.OPEN,
                mission__is_active=True,
                period__closes_on__lt=today,
                period__closes_on__gte=today - DIGEST_OVERDUE_WINDOW,
            )
        ),
        actions_overdue=actions_overdue(today=today),
    )


def notifications_for(*, user: User) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user_id=user.pk).select_related("assessment")


def notification_get_for_user(*, user: User, notification_id: int) -> Notification:
    """Raises ``Notification.DoesNotExist`` for another user's notification."""
    return notifications_for(user=user).get(pk=notification_id)


def notifications_unread_count(*, user: User) -> int:
    return notifications_for(user=user).filter(read_at__isnull=True).count()


def email_kinds_choosable() -> list[NotificationKind]:
    """The e-mails a user may turn off (all but those always sent)."""
    return [kind for kind in NotificationKind if kind not in EMAIL_ALWAYS_SENT]


def email_kinds_turned_off(*, user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(EmailOptOut.objects.filter(user_id=user.pk).values_list("kind", flat=True))
