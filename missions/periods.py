"""Quarters as plain values: labels ("2026-Q3"), parsing, arithmetic and dates.

The one home of quarter arithmetic; ``missions.models.Period`` and every other app use it.
No Django import but translation, so the pure scoring and dashboard types can use it too.

The label ``2026-Q3`` is the quarter's code (URLs, file names, the API, data exports);
``quarter_display`` is the quarter as a person reads it in the active language (``T3 2026``
in French).
"""

import datetime
import re

from django.utils.translation import pgettext

_QUARTER_LABEL = re.compile(r"(\d{4})-Q([1-4])", re.IGNORECASE)


def quarter_label(year: int, quarter: int) -> str:
    """``2026-Q3``."""
    return f"{year}-Q{quarter}"


def quarter_display(year: int, quarter: int) -> str:
    """The quarter as people read it in the active language: ``2026-Q3``, ``T3 2026``."""
    return pgettext("quarter shown to people", "%(year)d-Q%(quarter)d") % {
        "year": year,
        "quarter": quarter,
    }


def quarter_display_of(label: str) -> str:
    """``quarter_display`` of a code like ``2026-Q3``; any other text unchanged."""
    try:
        return quarter_display(*quarter_parse(label))
    except ValueError:
        return label


def quarter_parse(label: str) -> tuple[int, int]:
    """``(year, quarter)`` from a label like ``2026-Q3`` (any case); ValueError otherwise."""
    match = _QUARTER_LABEL.fullmatch(label)
    if match is None:
        raise ValueError(f"{label!r} is not a quarter like 2026-Q3")
    return int(match[1]), int(match[2])


def quarter_previous(year: int, quarter: int) -> tuple[int, int]:
    """The calendar quarter before: Q1's is the previous year's Q4."""
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def quarter_next(year: int, quarter: int) -> tuple[int, int]:
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def quarter_of(day: datetime.date) -> tuple[int, int]:
    """The quarter that contains ``day``."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * (quarter - 1) + 1, 1)


def quarter_end(year: int, quarter: int) -> datetime.date:
    return quarter_start(*quarter_next(year, quarter)) - datetime.timedelta(days=1)


# Default answering window of a quarter: it opens on the first day of the quarter's last
# month and is due this many days later (administrators may change both per period).
DUE_AFTER_OPEN_DAYS = 30


def quarter_default_dates(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """``(open date, due date)`` of a quarter by default: 2026-Q3 opens on 1 September 2026
    and is due on 1 October 2026."""
    opens_on = datetime.date(year, 3 * quarter, 1)
    return opens_on, opens_on + datetime.timedelta(days=DUE_AFTER_OPEN_DAYS)
