"""Reads of export jobs, always scoped to who asks."""

from django.db.models import QuerySet

from exports.models import ExportJob
from exports.permissions import deck_missions
from missions.models import Mission
from missions.roles import User, user_is_administrator
from missions.selectors import mission_list_visible_to


def export_jobs_of_user(*, user: User) -> QuerySet[ExportJob]:
    if not (user.is_authenticated and user.is_active):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(created_by=user)


def export_jobs_all(*, user: User) -> QuerySet[ExportJob]:
    """The export log (administrators only)."""
    if not user_is_administrator(user):
        return ExportJob.objects.none()
    return ExportJob.objects.select_related("created_by")


def export_job_get_for_user(*, user: User, job_id: int) -> ExportJob:
    """The job if the user asked for it (or is an administrator); ``DoesNotExist`` otherwise."""
    jobs = (
        export_jobs_all(user=user)
        if user_is_administrator(user)
        else export_jobs_of_user(user=user)
    )
    return jobs.get(pk=job_id)


def export_mission_choices(*, user: User) -> QuerySet[Mission]:
    return mission_list_visible_to(user=user).order_by("code")


def export_deck_mission_choices(*, user: User) -> QuerySet[Mission]:
    """The missions the briefing-deck form offers (``exports.permissions.deck_missions``)."""
    return deck_missions(user).order_by("code")
