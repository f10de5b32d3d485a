"""Reads about missions, periods and memberships.

``mission_list_visible_to`` is the single rule for what missions a user may
see; every mission-scoped view goes through it.
"""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from missions.models import Membership, MembershipRole, Mission, Period
from missions.periods import quarter_of
from missions.roles import User, user_sees_all_missions


def mission_list_visible_to(*, user: User | None) -> QuerySet[Mission]:
    """The missions ``user`` sees; ``None`` is the system (a management command): all."""
    if user is None:
        return Mission.objects.all()
    if not (user.is_authenticated and user.is_active):
        return Mission.objects.none()
    if user_sees_all_missions(user):
        return Mission.objects.all()
    return Mission.objects.filter(memberships__user=user).distinct()


def mission_is_visible_to(*, user: User | None, mission_id: int) -> bool:
    return mission_list_visible_to(user=user).filter(pk=mission_id).exists()


def mission_memberships_for_user(*, user: User) -> QuerySet[Membership]:
    if not (user.is_authenticated and user.is_active):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("mission")


def period_current(*, today: datetime.date | None = None) -> Period | None:
    """The period whose quarter contains ``today`` (local date), if it exists."""
    today = today or timezone.localdate()
    year, quarter = quarter_of(today)
    return Period.objects.filter(year=year, quarter=quarter).first()


def period_list_newest_first() -> QuerySet[Period]:
    """Every quarter, the newest first (the quarter pickers)."""
    return Period.objects.order_by("-year", "-quarter")


def period_exists(*, period_id: int) -> bool:
    return Period.objects.filter(pk=period_id).exists()


def answer_components_readable_by(*, user: User, mission_id: int) -> frozenset[str] | None:
    """Whose answers and evidence ``user`` may read in the mission: ``None`` means every
    component's (analysts, administrators, the mission's focal points).

    Component confidentiality: a respondent reads only the answers of the component(s) they
    answer for; scores, which aggregate every component, are visible to all who see the
    mission. Every surface that shows answers or evidence (answering pages, board drill-down,
    data exports, the API) filters through this rule.
    """
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if user_sees_all_missions(user):
        return None
    roles = set(
        Membership.objects.filter(user=user, mission_id=mission_id).values_list("role", "component")
    )
    if any(role == MembershipRole.FOCAL_POINT for role, _component in roles):
        return None
    return frozenset(c for role, c in roles if role == MembershipRole.RESPONDENT)
