"""Dates and times written out for people in the active language: "1 October 2026", and in
French "1er octobre 2026" (the first of the month is an ordinal in French, which Django's
date formats cannot say). Pages, PDFs, the deck and e-mails use these, not ``strftime``."""

import datetime
import re

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

_FIRST_OF_MONTH = re.compile(r"^1(?=\s)")


def _first_of_month(text: str, day: int) -> str:
    if day == 1 and (get_language() or "").startswith("fr"):
        return _FIRST_OF_MONTH.sub("1er", text)
    return text


def date_long(value: datetime.date) -> str:
    """``1 October 2026``; ``1er octobre 2026`` in French."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return _first_of_month(date_format(value, "DATE_FORMAT"), value.day)


def datetime_long(moment: datetime.datetime, *, zone: bool = False) -> str:
    """``2 December 2026, 04:11`` (``… UTC`` with ``zone``); ``2 décembre 2026 04:11`` in
    French, local time of the server's time zone."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    text = _first_of_month(date_format(local, "DATETIME_FORMAT"), local.day)
    return f"{text} {local.tzname()}" if zone and local.tzname() else text
