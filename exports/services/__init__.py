"""Requesting, running, retrying and cleaning up exports, one module per idea.

Every export is an ``ExportJob``. ``requesting`` checks a request and records the job (a
scorecard runs at once; anything larger is sent to a worker after the commit); ``running``
makes the file, safely twice; ``cleanup`` serves finished files and deletes what expired.
Management commands pass ``by=None``: they act as the system and see every mission.
"""

from exports.services.cleanup import (
    ORPHAN_AFTER,
    RESEND_QUEUED_AFTER,
    export_job_download_refused,
    export_job_downloaded,
    export_job_file,
    export_job_open,
    exports_cleanup,
)
from exports.services.common import EXTENSIONS, SYSTEM_ACTOR, ExportError
from exports.services.requesting import (
    export_job_create,
    export_job_request,
    export_job_retry,
    export_scorecard_now,
)
from exports.services.running import build_export_file, export_job_run
from exports.services.templates import deck_template_delete, deck_template_save

__all__ = [
    "EXTENSIONS",
    "ORPHAN_AFTER",
    "RESEND_QUEUED_AFTER",
    "SYSTEM_ACTOR",
    "ExportError",
    "build_export_file",
    "deck_template_delete",
    "deck_template_save",
    "export_job_create",
    "export_job_download_refused",
    "export_job_downloaded",
    "export_job_file",
    "export_job_open",
    "export_job_request",
    "export_job_retry",
    "export_job_run",
    "export_scorecard_now",
    "exports_cleanup",
]
