"""Reads about missions, periods and memberships.

``mission_list_visible_to`` is the single rule for what missions a user may
see; every mission-scoped view goes through it.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from missions.models import Membership, Mission, Period
from missions.roles import user_sees_all_missions


def mission_list_visible_to(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Mission]:
    if not (user.is_authenticated and user.is_active):
        return Mission.objects.none()
    if user_sees_all_missions(user):
        return Mission.objects.all()
    return Mission.objects.filter(memberships__user=user).distinct()


def mission_memberships_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Membership]:
    if not (user.is_authenticated and user.is_active):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("mission")


def period_current(*, today: datetime.date | None = None) -> Period | None:
    """The period whose quarter contains ``today`` (local date), if it exists."""
    today = today or timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    return Period.objects.filter(year=today.year, quarter=quarter).first()
