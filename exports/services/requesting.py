"""Requesting exports: check the request against the rules, record the job, send it.

One scorecard is small: the web request runs it at once (``export_scorecard_now``); anything
larger is queued for a worker after the transaction commits.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from exports import permissions
from exports.models import ExportJob, ExportKind, ExportSource, ExportStatus
from exports.services.common import EXTENSIONS, SYSTEM_ACTOR, ExportError, logger
from exports.services.running import export_job_run
from imp_assess.tasks import send_on_commit, task_send
from missions.models import Mission, Period
from missions.roles import User, account_of
from security.models import EventKind
from security.services import security_event_record


def _period(period_id: int) -> Period:
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        raise ExportError(_("That quarter does not exist."))
    return period


def _describe(kind: str, *, missions: list[Mission] | None, period: Period | None) -> str:
    # A PDF has its quarter and missions (export_job_create checks).
    if kind == ExportKind.SCORECARD:
        missions, period = cast(list[Mission], missions), cast(Period, period)
        return _("Scorecard %(mission)s %(quarter)s") % {
            "mission": missions[0].code,
            "quarter": period.label,
        }
    if kind in (ExportKind.BRIEFING_PACK, ExportKind.BRIEFING_DECK):
        missions, period = cast(list[Mission], missions), cast(Period, period)
        template = (
            ngettext(
                "Briefing pack %(quarter)s, %(n)d mission: %(codes)s",
                "Briefing pack %(quarter)s, %(n)d missions: %(codes)s",
                len(missions),
            )
            if kind == ExportKind.BRIEFING_PACK
            else ngettext(
                "Briefing deck %(quarter)s, %(n)d mission: %(codes)s",
                "Briefing deck %(quarter)s, %(n)d missions: %(codes)s",
                len(missions),
            )
        )
        return template % {
            "quarter": period.display,
            "n": len(missions),
            "codes": ", ".join(m.code for m in missions)[:200],
        }
    scope = (
        _("all missions")
        if missions is None
        else ngettext("%(n)d mission: %(codes)s", "%(n)d missions: %(codes)s", len(missions))
        % {"n": len(missions), "codes": ", ".join(m.code for m in missions)[:200]}
    )
    fmt = "XLSX" if kind == ExportKind.DATA_XLSX else "CSV"
    return _("Data (%(format)s), %(scope)s") % {"format": fmt, "scope": scope}


def _filename(
    kind: str, *, missions: list[Mission] | None, period: Period | None, now: datetime.datetime
) -> str:
    extension = EXTENSIONS[kind][0]
    if kind == ExportKind.SCORECARD:
        missions, period = cast(list[Mission], missions), cast(Period, period)
        return f"scorecard-{missions[0].code}-{period.label}.{extension}"
    if kind == ExportKind.BRIEFING_PACK:
        return f"briefing-pack-{cast(Period, period).label}.{extension}"
    if kind == ExportKind.BRIEFING_DECK:
        return f"briefing-deck-{cast(Period, period).label}.{extension}"
    return f"imp-assess-data-{now:%Y-%m-%d}.{extension}"


def _may_make(by: User, kind: str) -> bool:
    if kind == ExportKind.BRIEFING_PACK:
        return permissions.can_export_briefing_pack(by)
    if kind == ExportKind.BRIEFING_DECK:
        return permissions.can_export_briefing_deck(by)
    return True


def export_job_create(
    *,
    by: User | None,
    kind: str,
    mission_ids: list[int] | None = None,
    period_id: int | None = None,
    source: str = ExportSource.WEB,
) -> ExportJob:
    """Check the request against the rules and record the job (queued, not yet sent).

    ``by`` is None for a management command (which sees every mission). Raises
    ``PermissionDenied`` when the user may not make this export, ``ExportError`` when the
    request itself does not make sense.
    """
    if kind not in ExportKind.values:
        raise ExportError(_("Unknown kind of export."))
    visible = Mission.objects.all() if by is None else permissions.job_missions(by, kind)
    missions: list[Mission] | None = None
    if mission_ids is not None:
        missions = list(visible.filter(pk__in=mission_ids).order_by("code"))
        if len(missions) != len(set(mission_ids)):
            raise PermissionDenied
    period = _period(period_id) if period_id is not None else None
    parameters: dict[str, Any] = {}
    if kind in (ExportKind.SCORECARD, ExportKind.BRIEFING_PACK, ExportKind.BRIEFING_DECK):
        if period is None or not missions:
            raise ExportError(_("Choose a quarter and at least one mission."))
        if kind == ExportKind.SCORECARD and len(missions) != 1:
            raise ExportError(_("A scorecard is for one mission."))
        if by is not None and not _may_make(by, kind):
            raise PermissionDenied
        many = kind in (ExportKind.BRIEFING_PACK, ExportKind.BRIEFING_DECK)
        if many and len(missions) > settings.EXPORT_BRIEFING_MAX_MISSIONS:
            raise ExportError(
                _("A briefing pack or deck holds at most %(n)d missions.")
                % {"n": settings.EXPORT_BRIEFING_MAX_MISSIONS}
            )
        parameters = {"mission_ids": [m.pk for m in missions], "period_id": period.pk}
    else:
        if by is not None and not permissions.can_export_anything(by):
            raise PermissionDenied
        if missions is None and by is not None:
            # Mission staff get their own missions; analysts and administrators everything.
            scoped = permissions.data_scope_mission_ids(by)
            if scoped is not None:
                missions = list(Mission.objects.filter(pk__in=scoped).order_by("code"))
        parameters = {"mission_ids": None if missions is None else [m.pk for m in missions]}
    # The file is written in the requester's language of the moment (profile, else browser).
    parameters["language"] = get_language() or settings.LANGUAGE_CODE
    now = timezone.now()
    job = ExportJob.objects.create(
        kind=kind,
        parameters=parameters,
        description=_describe(kind, missions=missions, period=period),
        filename=_filename(kind, missions=missions, period=period, now=now),
        content_type=EXTENSIONS[kind][1],
        created_by=account_of(by),
        source=source,
    )
    security_event_record(
        kind=EventKind.EXPORT,
        user=by,
        username="" if by else f"({source})",
        detail=f"export #{job.pk} requested: {job.description}",
    )
    return job


def export_job_request(
    *, by: User, kind: str, mission_ids: list[int] | None = None, period_id: int | None = None
) -> ExportJob:
    """Record a job and send it to a worker once the transaction commits."""
    with transaction.atomic():
        job = export_job_create(by=by, kind=kind, mission_ids=mission_ids, period_id=period_id)
        send_on_commit(_send, job.pk)
    logger.info("export #%s requested by %s: %s", job.pk, by or SYSTEM_ACTOR, job.description)
    return job


def export_scorecard_now(*, by: User, mission_id: int, period_id: int) -> ExportJob:
    """One scorecard, made inside the request (a few seconds), logged like every export."""
    job = export_job_create(
        by=by, kind=ExportKind.SCORECARD, mission_ids=[mission_id], period_id=period_id
    )
    logger.info("export #%s requested by %s: %s", job.pk, by or SYSTEM_ACTOR, job.description)
    # (the job was created just now, so it is there to run)
    return cast(ExportJob, export_job_run(job_id=job.pk))


def _send(job_id: int) -> None:
    from exports.tasks import export_job_execute  # the tasks module imports this one

    task_send(export_job_execute, job_id, what=f"export #{job_id}")


@transaction.atomic
def export_job_retry(*, job: ExportJob, by: User) -> ExportJob:
    job = ExportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
    if not permissions.can_open_job(by, job):
        raise PermissionDenied
    if job.status != ExportStatus.FAILED:
        raise ExportError(_("Only a failed export can be tried again."))
    job.status = ExportStatus.QUEUED
    job.progress = 0
    job.error = ""
    job.started_at = job.finished_at = None
    job.save(update_fields=["status", "progress", "error", "started_at", "finished_at"])
    if job.kind == ExportKind.SCORECARD:
        transaction.on_commit(lambda: export_job_run(job_id=job.pk))
    else:
        send_on_commit(_send, job.pk)
    logger.info("export #%s retried by %s", job.pk, by)
    return job
