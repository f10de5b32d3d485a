"""Who may export what. The rules in one place, used by views, services and tasks.

HQ analysts and administrators export any mission. Mission staff (respondents and focal
points) export their own missions' scorecards and data only; a data export they ask for
covers their missions and nothing else. The briefing pack is a portfolio view across
missions, so it is for analysts and administrators. A finished file is served to the person
who asked for it, or to an administrator.
"""

from django.db.models import QuerySet

from exports.models import ExportJob
from missions.models import Mission
from missions.roles import User, user_is_administrator, user_sees_all_missions
from missions.selectors import mission_list_visible_to


def exportable_missions(user: User) -> QuerySet[Mission]:
    return mission_list_visible_to(user=user)


def can_export_anything(user: User) -> bool:
    return exportable_missions(user).exists()


def can_export_scorecard(user: User, mission_id: int) -> bool:
    return exportable_missions(user).filter(pk=mission_id).exists()


def can_export_briefing_pack(user: User) -> bool:
    return user_sees_all_missions(user)


def data_scope_mission_ids(user: User | None) -> tuple[int, ...] | None:
    """The missions a data export by ``user`` covers; ``None`` = all (analysts, commands)."""
    if user is None or user_sees_all_missions(user):
        return None
    return tuple(exportable_missions(user).order_by("pk").values_list("pk", flat=True))


def can_open_job(user: User, job: ExportJob) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return job.created_by_id == user.pk or user_is_administrator(user)
