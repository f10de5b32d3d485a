"""Running an export: claim the job, write its file to a private temporary folder, then save
it through the ``exports`` storage (``exports.storage``); the job is marked done only after
that, so nobody ever downloads half a file. Safe to run twice: a job that is done (or failed,
or expired) is left alone.
"""

from __future__ import annotations

import datetime
import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exports import permissions
from exports.figure_renderer import FigureRendererUnavailable
from exports.models import ExportJob, ExportKind, ExportStatus
from exports.progress import Progress
from exports.services.common import EXTENSIONS, ExportError, logger
from exports.storage import exports_storage
from exports.tables import TABLES, DataScope
from missions.models import Mission
from missions.roles import Account
from missions.selectors import period_exists


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


def _reader(job: ExportJob) -> Account | None:
    """The user whose view of the data the export shows; None for a management command,
    which reads as the system (every mission)."""
    return job.created_by


def requester_language(user: Account | None) -> str:
    """The language the file is written in: the requester's own when their profile has one
    (``user.profile.language``), else the site's default (``LANGUAGE_CODE``)."""
    profile = getattr(user, "profile", None)
    language = getattr(profile, "language", "") if profile is not None else ""
    return str(language or settings.LANGUAGE_CODE)


def _report_progress(job_id: int) -> Callable[[int], None]:
    def report(percent: int) -> None:
        ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(
            progress=min(99, max(0, percent))
        )

    return report


def _visible_mission_ids(job: ExportJob, reader: Account | None) -> list[int] | None:
    """The job's missions, re-checked now: access may have changed since it was queued."""
    requested: list[int] | None = job.parameters.get("mission_ids")
    if reader is None:  # (the job's author: None for a management command)
        return requested
    visible = permissions.job_missions(reader, job.kind)
    if requested is None:
        scoped = permissions.data_scope_mission_ids(reader)
        return None if scoped is None else list(scoped)
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
    pdf_mission_ids = mission_ids or []  # a PDF's missions are always listed
    if not period_exists(period_id=period_id):
        raise ExportError(_("That quarter no longer exists."))
    if len(set(pdf_mission_ids)) != Mission.objects.filter(pk__in=pdf_mission_ids).count():
        raise ExportError(_("Some of these missions no longer exist."))
    if job.kind == ExportKind.BRIEFING_DECK:
        from exports.deck import briefing_deck_write

        briefing_deck_write(
            path=path,
            user=reader,
            mission_ids=pdf_mission_ids,
            period_id=period_id,
            progress=progress,
        )
    elif job.kind == ExportKind.SCORECARD:
        pdf.scorecard_pdf_write(
            path=path, user=reader, mission_id=pdf_mission_ids[0], period_id=period_id
        )
    else:
        pdf.briefing_pack_pdf_write(
            path=path,
            user=reader,
            mission_ids=pdf_mission_ids,
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
            with translation.override(requester_language(job.created_by)):
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
