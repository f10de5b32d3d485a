"""Writes of missions, periods and context profiles."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missions.context import PROFILE_KEYS, ContextProfile
from missions.models import Membership, MembershipRole, Mission, MissionContextProfile, Period
from missions.periods import quarter_default_dates
from missions.roles import User, account_of
from missions.selectors import context_profile_for, context_profile_is_recorded


def period_get_or_create(*, year: int, quarter: int) -> Period:
    """The period of a quarter, created with the default open and due dates if new (two
    callers at once get the same row)."""
    period = Period.objects.filter(year=year, quarter=quarter).first()
    if period is not None:
        return period
    opens_on, closes_on = quarter_default_dates(year, quarter)
    try:
        with transaction.atomic():
            return Period.objects.create(
                year=year, quarter=quarter, opens_on=opens_on, closes_on=closes_on
            )
    except IntegrityError:  # created meanwhile by another process
        return Period.objects.get(year=year, quarter=quarter)


def _is_focal_point(user: User | None, mission: Mission) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and Membership.objects.filter(
            user_id=user.pk, mission=mission, role=MembershipRole.FOCAL_POINT
        ).exists()
    )


@transaction.atomic
def context_profile_set(
    *, mission: Mission, period: Period, profile: ContextProfile, reason: str, by: User | None
) -> MissionContextProfile | None:
    """Record the mission's profile from ``period`` on (it carries forward to later quarters
    until changed).

    A change of a recorded profile needs a reason, and so does any recording by someone who
    is not the mission's focal point (an administrator's correction; ``None`` is the
    system, e.g. the demo). The same profile again records nothing and returns ``None``.
    ``ValidationError`` names the field.
    """
    reason = reason.strip()
    Mission.objects.select_for_update().filter(pk=mission.pk).first()  # one writer at a time
    recorded = context_profile_is_recorded(mission=mission, period=period)
    if recorded and context_profile_for(mission=mission, period=period) == profile:
        return None
    correction = by is not None and not _is_focal_point(by, mission)
    if not reason and (recorded or correction):
        raise ValidationError(
            {"reason": _("Say why the profile changes: the reason is shown with the change.")}
        )
    return MissionContextProfile.objects.create(
        mission=mission,
        period=period,
        reason=reason,
        set_by=account_of(by),
        set_at=timezone.now(),
        **{key: profile.value(key) for key in PROFILE_KEYS},
    )
