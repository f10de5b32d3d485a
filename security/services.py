"""Recording and purging security events."""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from simple_history.models import HistoricalRecords

from security.models import SecurityEvent
from security.network import client_ip


def _current_request() -> HttpRequest | None:
    """The request being served, kept by django-simple-history's middleware."""
    return getattr(HistoricalRecords.context, "request", None)


def security_event_record(
    *,
    kind: str,
    user=None,
    username: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> SecurityEvent:
    request = request or _current_request()
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(user.get_username() if user else username)[:150],
        ip_address=client_ip(request),
        path=(request.path if request else "")[:300],
        detail=detail[:500],
    )


def security_events_purge(*, older_than_days: int) -> int:
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _ = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
