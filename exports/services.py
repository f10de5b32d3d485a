"""Requesting, running, retrying and cleaning up exports.

Every export is an ``ExportJob``. One scorecard is small: the web request runs it at once
(``export_scorecard_now``). Anything larger (a briefing pack, the data as XLSX or CSV) is
queued for a Celery worker after the transaction commits; the page then polls the job's
progress. ``export_job_run`` is what both paths call, and it is safe to run twice: a job that
is done (or failed, or expired) is left alone. A file is written to a private temporary folder,
then saved through the ``exports`` storage (``exports.storage``), and the job is marked done
only after that, so nobody ever downloads half a file.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import shutil
import tempfile
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from exports import permissions
from exports.figure_renderer import FigureRendererUnavailable
from exports.models import ExportJob, ExportKind, ExportSource, ExportStatus
from exports.progress import Progress
from exports.storage import exports_storage
from exports.tables import TABLES, DataScope
from missions.models import Mission, Period
from security.models import EventKind
from security.services import security_event_record

logger = logging.getLogger(__name__)

# A queued job still waiting after this was probably never sent (broker down): send it again.
RESEND_QUEUED_AFTER = datetime.timedelta(minutes=10)
# Stored files that no job points to (a worker killed between saving and recording) are
# removed after this.
ORPHAN_AFTER = datetime.timedelta(hours=6)
EXTENSIONS = {
    ExportKind.SCORECARD: ("pdf", "application/pdf"),
    ExportKind.BRIEFING_PACK: ("pdf", "application/pdf"),
    ExportKind.DATA_XLSX: (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ExportKind.DATA_CSV: ("zip", "application/zip"),
}


class ExportError(Exception):
    """An export cannot be made; the message is shown to the person who asked for it."""


# --- requesting -------------------------------------------------------------------------------


def _period(period_id: int) -> Period:
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        raise ExportError(_("That quarter does not exist."))
    return period


def _describe(kind: str, *, missions: list[Mission] | None, period: Period | None) -> str:
    if kind == ExportKind.SCORECARD:
        return _("Scorecard %(mission)s %(quarter)s") % {
            "mission": missions[0].code,
            "quarter": period.label,
        }
    if kind == ExportKind.BRIEFING_PACK:
        return _("Briefing pack %(quarter)s, %(n)d missions: %(codes)s") % {
            "quarter": period.label,
            "n": len(missions),
            "codes": ", ".join(m.code for m in missions)[:200],
        }
    scope = (
        _("all missions")
        if missions is None
        else _("%(n)d missions: %(codes)s")
        % {"n": len(missions), "codes": ", ".join(m.code for m in missions)[:200]}
    )
    fmt = "XLSX" if kind == ExportKind.DATA_XLSX else "CSV"
    return _("Data (%(format)s), %(scope)s") % {"format": fmt, "scope": scope}


def _filename(kind: str, *, missions, period, now: datetime.datetime) -> str:
    extension = EXTENSIONS[kind][0]
    if kind == ExportKind.SCORECARD:
        return f"scorecard-{missions[0].code}-{period.label}.{extension}"
    if kind == ExportKind.BRIEFING_PACK:
        return f"briefing-pack-{period.label}.{extension}"
    return f"imp-assess-data-{now:%Y-%m-%d}.{extension}"


def export_job_create(
    *,
    by,
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
    visible = Mission.objects.all() if by is None else permissions.exportable_missions(by)
    missions: list[Mission] | None = None
    if mission_ids is not None:
        missions = list(visible.filter(pk__in=mission_ids).order_by("code"))
        if len(missions) != len(set(mission_ids)):
            raise PermissionDenied
    period = _period(period_id) if period_id is not None else None
    parameters: dict = {}
    if kind in (ExportKind.SCORECARD, ExportKind.BRIEFING_PACK):
        if period is None or not missions:
            raise ExportError(_("Choose a quarter and at least one mission."))
        if kind == ExportKind.SCORECARD and len(missions) != 1:
            raise ExportError(_("A scorecard is for one mission."))
        if kind == ExportKind.BRIEFING_PACK:
            if by is not None and not permissions.can_export_briefing_pack(by):
                raise PermissionDenied
            if len(missions) > settings.EXPORT_BRIEFING_MAX_MISSIONS:
                raise ExportError(
                    _("A briefing pack holds at most %(n)d missions.")
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
    now = timezone.now()
    job = ExportJob.objects.create(
        kind=kind,
        parameters=parameters,
        description=_describe(kind, missions=missions, period=period),
        filename=_filename(kind, missions=missions, period=period, now=now),
        content_type=EXTENSIONS[kind][1],
        created_by=by,
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
    *, by, kind: str, mission_ids: list[int] | None = None, period_id: int | None = None
) -> ExportJob:
    """Record a job and send it to a worker once the transaction commits."""
    with transaction.atomic():
        job = export_job_create(by=by, kind=kind, mission_ids=mission_ids, period_id=period_id)
        transaction.on_commit(lambda: _send(job.pk))
    logger.info("export #%s requested by %s: %s", job.pk, by, job.description)
    return job


def export_scorecard_now(*, by, mission_id: int, period_id: int) -> ExportJob:
    """One scorecard, made inside the request (a few seconds), logged like every export."""
    job = export_job_create(
        by=by, kind=ExportKind.SCORECARD, mission_ids=[mission_id], period_id=period_id
    )
    logger.info("export #%s requested by %s: %s", job.pk, by, job.description)
    return export_job_run(job_id=job.pk)


def _send(job_id: int) -> None:
    from exports.tasks import export_job_execute

    try:
        export_job_execute.apply_async((job_id,), retry=True, retry_policy={"max_retries": 2})
    except Exception:  # broker down: the periodic clean-up sends queued jobs again
        logger.warning("could not send export #%s; the clean-up task will", job_id)


@transaction.atomic
def export_job_retry(*, job: ExportJob, by) -> ExportJob:
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
        transaction.on_commit(lambda: _send(job.pk))
    logger.info("export #%s retried by %s", job.pk, by)
    return job


# --- running ----------------------------------------------------------------------------------


def _claim(job_id: int) -> ExportJob | None:
    """Mark the job running; None if it is finished already (a duplicate message)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update(of=("self",)).filter(pk=job_id).first()
        if job is None or job.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
            return None
        job.status = ExportStatus.RUNNING
        job.progress = 0
        job.started_at = timezone.now()
        job.attempts = F("attempts") + 1
        job.save(update_fields=["status", "progress", "started_at", "attempts"])
    job.refresh_from_db()
    return job


def _reader(job: ExportJob):
    """The user whose view of the data the export shows; commands read as an administrator."""
    if job.created_by is not None:
        return job.created_by
    return get_user_model()(username="export-command", is_active=True, is_superuser=True)


def _report_progress(job_id: int):
    def report(percent: int) -> None:
        ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(
            progress=min(99, max(0, percent))
        )

    return report


def _visible_mission_ids(job: ExportJob, reader) -> list[int] | None:
    """The job's missions, re-checked now: access may have changed since it was queued."""
    requested = job.parameters.get("mission_ids")
    if job.created_by is None:
        return requested
    visible = permissions.exportable_missions(reader)
    if requested is None:
        return permissions.data_scope_mission_ids(reader)
    allowed = set(visible.filter(pk__in=requested).values_list("pk", flat=True))
    if set(requested) - allowed:
        raise ExportError(_("You no longer have access to some of these missions."))
    return requested


def build_export_file(*, job: ExportJob, path: Path, progress: Progress) -> None:
    """Write the job's file to ``path`` (dispatch by kind)."""
    reader = _reader(job)
    mission_ids = _visible_mission_ids(job, reader)
    if job.kind in (ExportKind.DATA_XLSX, ExportKind.DATA_CSV):
        from exports.csv_zip import data_csv_zip_write
        from exports.xlsx import data_xlsx_write

        components = permissions.data_scope_answer_components(
            None if job.created_by is None else reader, mission_ids
        )
        scope = DataScope(
            None if mission_ids is None else tuple(mission_ids), answer_components=components
        )
        # What the file holds, for the check at every download.
        job.parameters = {
            **job.parameters,
            "answer_components": [[m, list(c)] for m, c in components or ()],
        }
        ExportJob.objects.filter(pk=job.pk).update(parameters=job.parameters)
        total = sum(table.count(scope) for table in TABLES)
        progress.total = max(total, 1)
        writer = data_xlsx_write if job.kind == ExportKind.DATA_XLSX else data_csv_zip_write
        writer(path=path, scope=scope, progress=progress)
        return
    from exports import pdf

    period_id = job.parameters["period_id"]
    if not Period.objects.filter(pk=period_id).exists():
        raise ExportError(_("That quarter no longer exists."))
    if len(set(mission_ids)) != Mission.objects.filter(pk__in=mission_ids).count():
        raise ExportError(_("Some of these missions no longer exist."))
    if job.kind == ExportKind.SCORECARD:
        pdf.scorecard_pdf_write(
            path=path, user=reader, mission_id=mission_ids[0], period_id=period_id
        )
    else:
        pdf.briefing_pack_pdf_write(
            path=path,
            user=reader,
            mission_ids=mission_ids,
            period_id=period_id,
            progress=progress,
        )


def export_job_run(*, job_id: int, destination: Path | None = None) -> ExportJob | None:
    """Make the job's file. Safe to call twice; failures are recorded on the job with the
    reason to show. Lost database connections propagate, so the task can retry.

    ``destination`` (management commands) writes the file there instead of into the exports
    storage; the job then logs the export but serves no file.
    """
    job = _claim(job_id)
    if job is None:
        return ExportJob.objects.filter(pk=job_id).first()
    extension = EXTENSIONS[job.kind][0]
    progress = Progress(100, _report_progress(job.pk))
    stored = ""
    try:
        with tempfile.TemporaryDirectory(prefix="imp-assess-export-") as work:
            partial = Path(work) / f"{job.pk}.{extension}"
            build_export_file(job=job, path=partial, progress=progress)
            size = partial.stat().st_size
            if destination is not None:
                shutil.move(partial, destination)  # across file systems too
            else:
                with partial.open("rb") as made:
                    stored = exports_storage().save(
                        f"{job.pk}-{secrets.token_urlsafe(12)}.{extension}", File(made)
                    )
    except (OperationalError, InterfaceError):
        raise
    except Exception as error:  # recorded on the job with the reason to show
        _fail(job, error)
        return ExportJob.objects.get(pk=job.pk)
    now = timezone.now()
    with transaction.atomic():
        current = ExportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
        current.status = ExportStatus.DONE
        current.progress = 100
        current.file_path = stored
        current.size = size
        current.finished_at = now
        current.expires_at = (
            None if destination else now + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS)
        )
        current.error = ""
        current.save()
    logger.info("export #%s done: %s bytes", job.pk, size)
    return current


def _fail(job: ExportJob, error: Exception) -> None:
    if isinstance(error, ExportError):
        reason = str(error)
    elif isinstance(error, FigureRendererUnavailable):
        reason = str(error)
        logger.warning("export #%s failed: %s", job.pk, reason)
    elif isinstance(error, SoftTimeLimitExceeded):
        reason = _(
            "The export took longer than its time limit. Choose fewer missions, or ask an "
            "administrator to raise EXPORT_TASK_TIME_LIMIT."
        )
    else:
        reason = _(
            "The export failed unexpectedly (reference: export #%(id)s). Try again; if it "
            "fails again, tell an administrator."
        ) % {"id": job.pk}
        logger.exception("export #%s failed", job.pk, exc_info=error)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED, error=reason, finished_at=timezone.now()
    )


# --- files and clean-up -----------------------------------------------------------------------


def export_job_file(*, job: ExportJob) -> str | None:
    """The finished file's name in the exports storage, or None if there is none (not done,
    expired, deleted)."""
    if job.status != ExportStatus.DONE or not job.file_path:
        return None
    return job.file_path if exports_storage().exists(job.file_path) else None


def export_job_open(*, job: ExportJob):
    """The finished file, opened for reading, or None."""
    name = export_job_file(job=job)
    return exports_storage().open(name, "rb") if name else None


def export_job_downloaded(*, job: ExportJob, by) -> None:
    ExportJob.objects.filter(pk=job.pk).update(download_count=F("download_count") + 1)
    security_event_record(
        kind=EventKind.EXPORT,
        user=by,
        detail=f"export #{job.pk} downloaded ({job.size or 0} bytes): {job.description}",
    )
    logger.info("export #%s downloaded by %s", job.pk, by)


def export_job_download_refused(*, job: ExportJob, by) -> None:
    security_event_record(
        kind=EventKind.EXPORT,
        user=by,
        detail=f"export #{job.pk} download refused (access changed): {job.description}",
    )
    logger.info("export #%s download refused to %s: access changed", job.pk, by)


def exports_cleanup(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete expired files, fail jobs that a lost worker left running, send queued jobs
    again that were never picked up, and remove stored files that no job points to. Every
    file is deleted through the exports storage, wherever it is."""
    now = now or timezone.now()
    storage = exports_storage()
    counts = {"expired": 0, "interrupted": 0, "resent": 0, "orphans": 0}
    for job in ExportJob.objects.filter(status=ExportStatus.DONE, expires_at__lte=now):
        if job.file_path:
            storage.delete(job.file_path)
        updated = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.DONE).update(
            status=ExportStatus.EXPIRED, file_path=""
        )
        counts["expired"] += updated
    stale = now - datetime.timedelta(seconds=settings.EXPORT_TASK_TIME_LIMIT + 300)
    counts["interrupted"] = ExportJob.objects.filter(
        status=ExportStatus.RUNNING, started_at__lt=stale
    ).update(
        status=ExportStatus.FAILED,
        finished_at=now,
        error=_("The export was interrupted (the worker stopped). Try again."),
    )
    for job_id in ExportJob.objects.filter(
        status=ExportStatus.QUEUED, created_at__lt=now - RESEND_QUEUED_AFTER
    ).values_list("pk", flat=True)[:100]:
        _send(job_id)
        counts["resent"] += 1
    counts["orphans"] = _orphans_delete(storage, older_than=now - ORPHAN_AFTER)
    if any(counts.values()):
        logger.info("exports clean-up: %s", counts)
    return counts


def _orphans_delete(storage, *, older_than: datetime.datetime) -> int:
    kept = set(
        ExportJob.objects.filter(status=ExportStatus.DONE)
        .exclude(file_path="")
        .values_list("file_path", flat=True)
    )
    try:
        _folders, names = storage.listdir("")
    except FileNotFoundError:  # nothing exported yet
        return 0
    deleted = 0
    for name in names:
        if name not in kept and storage.get_modified_time(name) < older_than:
            storage.delete(name)
            deleted += 1
    return deleted
