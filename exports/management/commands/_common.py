"""Argument parsing shared by the export commands."""

from django.core.management.base import CommandError

from missions.models import Mission, Period
from missions.periods import quarter_parse


def period_from_label(label: str) -> Period:
    try:
        year, quarter = quarter_parse(label.strip())
    except ValueError:
        raise CommandError(f"--period {label!r} is not a quarter like 2026-Q3.") from None
    period = Period.objects.filter(year=year, quarter=quarter).first()
    if period is None:
        raise CommandError(f"There is no quarter {label} in the database.")
    return period


def missions_from_codes(codes: list[str]) -> list[Mission]:
    """Missions by code (case does not matter), in the order given, without repeats."""
    wanted = [code.upper() for code in dict.fromkeys(codes)]
    missions = {m.code.upper(): m for m in Mission.objects.all() if m.code.upper() in set(wanted)}
    unknown = [code for code in wanted if code not in missions]
    if unknown:
        raise CommandError(f"Unknown mission code(s): {', '.join(unknown)}.")
    return [missions[code] for code in wanted]
