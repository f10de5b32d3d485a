"""Argument parsing shared by the export commands."""

import re

from django.core.management.base import CommandError

from missions.models import Mission, Period

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)


def period_from_label(label: str) -> Period:
    match = QUARTER.match(label.strip())
    if not match:
        raise CommandError(f"--period {label!r} is not a quarter like 2026-Q3.")
    period = Period.objects.filter(year=int(match[1]), quarter=int(match[2])).first()
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
