"""``{{ day|long_date }}`` and ``{{ moment|long_datetime }}``: dates written out in the active
language, "1er octobre 2026" in French (``imp_assess.dates``)."""

import datetime

from django import template

from imp_assess.dates import date_long, datetime_long

register = template.Library()


@register.filter
def long_date(value: datetime.date | None) -> str:
    return "" if value is None else date_long(value)


@register.filter
def long_datetime(value: datetime.datetime | None) -> str:
    return "" if value is None else datetime_long(value)
