"""Writes of missions and periods."""

from django.db import IntegrityError, transaction

from missions.models import Period
from missions.periods import quarter_default_dates


def period_get_or_create(*, year: int, quarter: int) -> Period:
    """The period of a quarter, created with the default open and due dates if new (two
    callers at once get the same row)."""
    period = Period.objects.filter(year=year, quarter=quarter).first()
    if period is not None:
        return period
    opens_on, closes_on = quarter_default_dates(year, quarter)
    try:
        with transaction.atomic():
            return Period.objects.create(
                year=year, quarter=quarter, opens_on=opens_on, closes_on=closes_on
            )
    except IntegrityError:  # created meanwhile by another process
        return Period.objects.get(year=year, quarter=quarter)
