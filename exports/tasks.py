"""Thin Celery tasks: take ids, call one service, own their retry policy.

``export_job_execute`` is safe to run twice: a finished job is left alone. Failures of the
export itself are recorded on the job (with the reason shown to the user, who may retry);
only a lost database or broker connection makes Celery retry the task.
"""

from celery import shared_task
from django.conf import settings

from exports.services import export_job_run, exports_cleanup
from imp_assess.tasks import task_retry_options

# An export is heavy: a few tries, then the user sees it failed and may try again.
RETRY = task_retry_options(backoff=5, backoff_max=120, max_retries=3)


@shared_task(
    **RETRY,
    soft_time_limit=settings.EXPORT_TASK_TIME_LIMIT,
    time_limit=settings.EXPORT_TASK_TIME_LIMIT + 60,
)
def export_job_execute(job_id: int) -> str | None:
    job = export_job_run(job_id=job_id)
    return job.status if job else None


@shared_task(**RETRY)
def exports_cleanup_periodic() -> dict[str, int]:
    return exports_cleanup()
