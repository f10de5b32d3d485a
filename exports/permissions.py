"""Who may export what. The rules in one place, used by views, services and tasks.

HQ analysts and administrators export any mission. Mission staff (respondents and focal
points) export their own missions' scorecards and data only; a data export they ask for
covers their missions and nothing else, and a respondent's holds only the answers and evidence
of their own component(s) (component confidentiality, ``answer_components_readable_by``). The
briefing pack is a portfolio view across missions, so it is for analysts and administrators.
The briefing deck (PowerPoint) is for analysts and administrators (any missions) and for focal
points (their own missions only: ``deck_missions``).
A finished file is served to the person who asked for it, or to an administrator, and only
while they may still see everything in it: access is checked again at every download.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from exports.models import ExportJob, ExportKind
from missions.models import MembershipRole, Mission
from missions.roles import User, user_is_administrator, user_sees_all_missions
from missions.selectors import answer_components_readable_by, mission_list_visible_to


def exportable_missions(user: User) -> QuerySet[Mission]:
    return mission_list_visible_to(user=user)


def can_export_anything(user: User) -> bool:
    return exportable_missions(user).exists()


def can_export_scorecard(user: User, mission_id: int) -> bool:
    return exportable_missions(user).filter(pk=mission_id).exists()


def can_export_briefing_pack(user: User) -> bool:
    return user_sees_all_missions(user)


def deck_missions(user: User) -> QuerySet[Mission]:
    """The missions a briefing deck by ``user`` may hold: every visible one for analysts and
    administrators, the missions where they are focal point for mission staff."""
    visible = exportable_missions(user)
    if user_sees_all_missions(user):
        return visible
    if isinstance(user, AnonymousUser):
        return visible.none()
    return visible.filter(
        memberships__user_id=user.pk, memberships__role=MembershipRole.FOCAL_POINT
    ).distinct()


def can_export_briefing_deck(user: User) -> bool:
    return deck_missions(user).exists()


def job_missions(user: User, kind: str) -> QuerySet[Mission]:
    """The missions a job of ``kind`` asked by ``user`` may cover (at request, run and
    download time alike)."""
    if kind == ExportKind.BRIEFING_DECK:
        return deck_missions(user)
    return exportable_missions(user)


def data_scope_mission_ids(user: User | None) -> tuple[int, ...] | None:
    """The missions a data export by ``user`` covers; ``None`` = all (analysts, commands)."""
    if user is None or user_sees_all_missions(user):
        return None
    return tuple(exportable_missions(user).order_by("pk").values_list("pk", flat=True))


def data_scope_answer_components(
    user: User | None, mission_ids: list[int] | tuple[int, ...] | None
) -> tuple[tuple[int, tuple[str, ...]], ...] | None:
    """Per mission, the components whose answers a data export by ``user`` may hold, for the
    missions where that is not every component; ``None`` when nothing is restricted."""
    if user is None or mission_ids is None or user_sees_all_missions(user):
        return None
    restricted = []
    for mission_id in sorted(set(mission_ids)):
        components = answer_components_readable_by(user=user, mission_id=mission_id)
        if components is not None:
            restricted.append((mission_id, tuple(sorted(components))))
    return tuple(restricted) or None


def can_download_job(user: User, job: ExportJob) -> bool:
    """The user may open the job and may still see everything in its file: every mission,
    and, for a data export limited to some components, at least those components."""
    if not can_open_job(user, job):
        return False
    mission_ids = job.parameters.get("mission_ids")
    if mission_ids is None:
        return user_sees_all_missions(user)
    visible = set(
        job_missions(user, job.kind).filter(pk__in=mission_ids).values_list("pk", flat=True)
    )
    if visible != set(mission_ids):
        return False
    if job.kind not in (ExportKind.DATA_XLSX, ExportKind.DATA_CSV):
        return True
    in_file = {
        int(mission_id): set(components)
        for mission_id, components in job.parameters.get("answer_components", [])
    }
    for mission_id in mission_ids:
        readable = answer_components_readable_by(user=user, mission_id=mission_id)
        if readable is None:
            continue
        if mission_id not in in_file or not in_file[mission_id] <= readable:
            return False
    return True


def can_open_job(user: User, job: ExportJob) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return job.created_by_id == user.pk or user_is_administrator(user)
