"""Finished files (serving, download log) and the periodic clean-up."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from exports.models import ExportJob, ExportStatus
from exports.services import requesting
from exports.services.common import exports_root, logger
from security.models import EventKind
from security.services import security_event_record

# A queued job still waiting after this was probably never sent (broker down): send it again.
RESEND_QUEUED_AFTER = datetime.timedelta(minutes=10)
# Orphaned temporary files (a worker killed mid-write) are removed after this.
ORPHAN_AFTER = datetime.timedelta(hours=6)


def export_job_file(*, job: ExportJob) -> Path | None:
    """The finished file on disk, or None if there is none (not done, expired, deleted)."""
    if job.status != ExportStatus.DONE or not job.file_path:
        return None
    path = exports_root() / Path(job.file_path).name
    return path if path.is_file() else None


def export_job_downloaded(*, job: ExportJob, by) -> None:
    ExportJob.objects.filter(pk=job.pk).update(download_count=F("download_count") + 1)
    security_event_record(
        kind=EventKind.EXPORT,
        user=by,
        detail=f"export #{job.pk} downloaded ({job.size or 0} bytes): {job.description}",
    )
    logger.info("export #%s downloaded by %s", job.pk, by)


def exports_cleanup(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete expired files, fail jobs that a lost worker left running, send queued jobs
    again that were never picked up, and remove orphaned partial files."""
    now = now or timezone.now()
    root = exports_root()
    counts = {"expired": 0, "interrupted": 0, "resent": 0, "orphans": 0}
    for job in ExportJob.objects.filter(status=ExportStatus.DONE, expires_at__lte=now):
        if job.file_path:
            (root / Path(job.file_path).name).unlink(missing_ok=True)
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
        requesting._send(job_id)  # looked up at call time: tests replace it
        counts["resent"] += 1
    kept = set(
        ExportJob.objects.filter(status=ExportStatus.DONE)
        .exclude(file_path="")
        .values_list("file_path", flat=True)
    )
    cutoff = (now - ORPHAN_AFTER).timestamp()
    for path in root.iterdir():
        if path.is_file() and path.name not in kept and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            counts["orphans"] += 1
    if any(counts.values()):
        logger.info("exports clean-up: %s", counts)
    return counts
