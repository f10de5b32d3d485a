"""Sending Celery tasks from services: after the commit, with one retry policy, never failing
the caller. Every app sends its tasks through here (docs/architecture.md).

A message that cannot be sent (the broker is down) is logged, not raised: each kind of work
has a periodic task that finds what was never sent and sends it again (``schedules.py``).
"""

import functools
import logging
from collections.abc import Callable
from typing import Any, TypedDict

from celery import Task
from django.db import InterfaceError, OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

# Retries of the *sending* (connecting to the broker), not of the task: about one second.
SEND_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}


# What a task retries on by itself: the database or the broker briefly away.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError, ConnectionError)


class TaskRetryOptions(TypedDict):
    autoretry_for: tuple[type[BaseException], ...]
    retry_backoff: int
    retry_backoff_max: int
    retry_jitter: bool
    max_retries: int


def task_retry_options(*, backoff: int, backoff_max: int, max_retries: int) -> TaskRetryOptions:
    """``shared_task`` options that retry on transient errors, with jittered exponential backoff.
    Each task module chooses how long its work is worth retrying."""
    return {
        "autoretry_for": TRANSIENT_ERRORS,
        "retry_backoff": backoff,
        "retry_backoff_max": backoff_max,
        "retry_jitter": True,
        "max_retries": max_retries,
    }


def task_send(task: Task[Any, Any], *args: Any, what: str) -> bool:
    """Send ``task(*args)`` now; False (and a warning naming ``what``) if the broker refused."""
    try:
        task.apply_async(args, retry=True, retry_policy=SEND_RETRY_POLICY)
    except Exception:  # broker down: the periodic task of this work sends it again
        logger.warning("could not send %s; its periodic task will", what)
        return False
    return True


def send_on_commit(send: Callable[..., object], *args: Any) -> None:
    """Call ``send(*args)`` once the current transaction commits (never if it rolls back)."""
    transaction.on_commit(functools.partial(send, *args))
