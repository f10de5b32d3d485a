"""Finished files (serving, download log) and the periodic clean-up, through the exports storage."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from exports.models import ExportJob, ExportStatus
from exports.services import requesting
from exports.services.common import logger
from exports.storage import exports_storage
from missions.roles import User
from security.models import EventKind
from security.services import security_event_record

# A queued job still waiting after this was probably never sent (broker down): send it again.
RESEND_QUEUED_AFTER = datetime.timedelta(minutes=10)
# Stored files that no job points to (a worker killed between saving and recording) are
# removed after this.
ORPHAN_AFTER = datetime.timedelta(hours=6)


def export_job_file(*, job: ExportJob) -> str | None:
    """The finished file's name in the exports storage, or None if there is none (not done,
    expired, deleted)."""
    if job.status != ExportStatus.DONE or not job.file_path:
        return None
    return job.file_path if exports_storage().exists(job.file_path) else None


def export_job_open(*, job: ExportJob) -> File[bytes] | None:
    """The finished file, opened for reading, or None."""
    name = export_job_file(job=job)
    return exports_storage().open(name, "rb") if name else None


def export_job_downloaded(*, job: ExportJob, by: User) -> None:
    ExportJob.objects.filter(pk=job.pk).update(download_count=F("download_count") + 1)
    security_event_record(
        kind=EventKind.EXPORT,
        user=by,
        detail=f"export #{job.pk} downloaded ({job.size or 0} bytes): {job.description}",
    )
    logger.info("export #%s downloaded by %s", job.pk, by)


def export_job_download_refused(*, job: ExportJob, by: User) -> None:
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
        requesting._send(job_id)  # looked up at call time: tests replace it
        counts["resent"] += 1
    counts["orphans"] = _orphans_delete(storage, older_than=now - ORPHAN_AFTER)
    if any(counts.values()):
        logger.info("exports clean-up: %s", counts)
    return counts


def _orphans_delete(storage: Storage, *, older_than: datetime.datetime) -> int:
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
