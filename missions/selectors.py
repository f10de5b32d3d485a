"""Reads about missions, periods and memberships.

``mission_list_visible_to`` is the single rule for what missions a user may
see; every mission-scoped view goes through it.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from missions.context import DEFAULT_PROFILE, PROFILE_KEYS, ContextProfile
from missions.models import Membership, MembershipRole, Mission, MissionContextProfile, Period
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


def mission_respondent_names(*, mission: Mission) -> dict[str, list[str]]:
    """The people who answer for each component of the mission, by their names (the
    username only for someone without one), sorted. One query."""
    names: dict[str, list[str]] = {}
    for component, first, last, username in Membership.objects.filter(
        mission=mission, role=MembershipRole.RESPONDENT
    ).values_list("component", "user__first_name", "user__last_name", "user__username"):
        names.setdefault(component, []).append(f"{first} {last}".strip() or username)
    return {component: sorted(people) for component, people in names.items()}


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


# --- Context profiles -----------------------------------------------------------------------


@dataclass(frozen=True)
class ContextProfileRecord:
    """One recording of a mission's profile, as the history and the markers show it."""

    period: Period
    profile: ContextProfile
    reason: str
    set_by: str  # the recorder's username; "" for the system
    set_at: datetime.datetime
    changed: tuple[str, ...]  # profile keys that differ from the profile before it


def _profile_of(row: MissionContextProfile) -> ContextProfile:
    return ContextProfile(**{key: getattr(row, key) for key in PROFILE_KEYS})


def _period_key(period: Period) -> tuple[int, int]:
    return (period.year, period.quarter)


def _profile_rows(mission_ids: Iterable[int]) -> QuerySet[MissionContextProfile]:
    return (
        MissionContextProfile.objects.filter(mission_id__in=list(mission_ids))
        .select_related("period", "set_by")
        .order_by("mission_id", "period__year", "period__quarter", "set_at", "pk")
    )


def context_profiles_for(
    *, pairs: Iterable[tuple[int, Period]]
) -> dict[tuple[int, int], ContextProfile]:
    """The profile in force for many (mission id, period) pairs in one query, keyed by
    (mission id, period id): the latest recording in that quarter or before it, or
    ``DEFAULT_PROFILE`` where the mission has recorded none yet."""
    pairs = list(pairs)
    by_mission: dict[int, list[MissionContextProfile]] = {}
    for row in _profile_rows({mission_id for mission_id, _period in pairs}):
        by_mission.setdefault(row.mission_id, []).append(row)
    found: dict[tuple[int, int], ContextProfile] = {}
    for mission_id, period in pairs:
        rows = [
            row
            for row in by_mission.get(mission_id, [])
            if _period_key(row.period) <= _period_key(period)
        ]
        found[(mission_id, period.pk)] = _profile_of(rows[-1]) if rows else DEFAULT_PROFILE
    return found


def context_profile_for(*, mission: Mission, period: Period) -> ContextProfile:
    """The mission's profile in ``period`` (carried forward; ``DEFAULT_PROFILE`` if none)."""
    return context_profiles_for(pairs=[(mission.pk, period)])[(mission.pk, period.pk)]


def context_profile_is_recorded(*, mission: Mission, period: Period) -> bool:
    """Whether the mission has recorded a profile in ``period`` or a quarter before it (if
    not, the default profile stands in)."""
    return MissionContextProfile.objects.filter(
        Q(period__year__lt=period.year)
        | Q(period__year=period.year, period__quarter__lte=period.quarter),
        mission=mission,
    ).exists()


def context_profile_history(*, mission: Mission) -> list[ContextProfileRecord]:
    """Every recording of the mission's profile, oldest first, each with the keys it changed
    (the first recording changes the keys where it differs from the default profile)."""
    return context_profile_histories(mission_ids=[mission.pk]).get(mission.pk, [])


def context_profile_histories(
    *, mission_ids: Iterable[int]
) -> dict[int, list[ContextProfileRecord]]:
    """``context_profile_history`` of many missions in one query, by mission id (a mission
    that recorded nothing is absent)."""
    histories: dict[int, list[ContextProfileRecord]] = {}
    before: dict[int, ContextProfile] = {}
    for row in _profile_rows(mission_ids):
        profile = _profile_of(row)
        histories.setdefault(row.mission_id, []).append(
            ContextProfileRecord(
                period=row.period,
                profile=profile,
                reason=row.reason,
                set_by=row.set_by.get_username() if row.set_by else "",
                set_at=row.set_at,
                changed=tuple(profile.differences(before.get(row.mission_id, DEFAULT_PROFILE))),
            )
        )
        before[row.mission_id] = profile
    return histories


def context_profile_changes(*, mission: Mission) -> list[ContextProfileRecord]:
    """The recordings that changed the profile (markers on the profile and trend pages,
    like a version change): the history less recordings that changed nothing."""
    return [record for record in context_profile_history(mission=mission) if record.changed]
