"""Who made a change, for django-simple-history's record of it.

The history middleware records the request's user; a service says so itself, because it
also runs outside requests (commands, tasks) and may act for someone else.
"""

from typing import Protocol, cast

from django.db import models

from missions.roles import Account, User, account_of


class _HistoryRecorded(Protocol):
    # Read by django-simple-history when the instance is next saved.
    _history_user: Account | None
    _change_reason: str | None


def history_author_set(
    instance: models.Model, *, by: User | None, reason: str | None = None
) -> None:
    """Record ``by`` (and ``reason``, when given) with the next save of ``instance``."""
    recorded = cast(_HistoryRecorded, instance)
    recorded._history_user = account_of(by)
    if reason is not None:
        recorded._change_reason = reason or None
