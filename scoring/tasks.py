"""Thin Celery tasks: take ids, call one service, own their retry policy.

Both are safe to run twice: scoring replaces its result set, sweeping only
re-sends requests that have no newer result.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from scoring.method import METHOD_VERSION
from scoring.services import (
    assessment_scores_compute,
    assessment_scores_compute_many,
    scoring_sweep,
)

RETRY = {
    "autoretry_for": (OperationalError, InterfaceError, BrokerError, ConnectionError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 10,
}


@shared_task(**RETRY)
def assessment_score(assessment_id: int) -> int | None:
    score_set = assessment_scores_compute(assessment_id=assessment_id)
    return score_set.pk if score_set else None


@shared_task(**RETRY)
def scoring_sweeper() -> int:
    return scoring_sweep()


@shared_task(**RETRY)
def assessments_score_batch(assessment_ids: list[int], method: int | None = None) -> dict[str, int]:
    """Used by ``rescore``: one message per batch instead of one per assessment. ``method``:
    the scoring method number; None (or a message sent before methods had numbers) = current."""
    return assessment_scores_compute_many(
        assessment_ids=assessment_ids, method=method or METHOD_VERSION
    )
