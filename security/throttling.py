"""Login throttling: django-axes' database handler plus an address-only rule.

Axes locks a username + address pair after ``AXES_FAILURE_LIMIT`` failures. Password
spraying tries one or two passwords against many usernames, which that rule never sees; so
an address is also locked once its failures across all usernames reach
``AXES_ADDRESS_FAILURE_LIMIT`` within the cool-off time (higher, because a whole office may
share one address). A successful login clears only that user's own failures, so a sprayer
who knows one account cannot wipe the count.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(request) -> int:
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
