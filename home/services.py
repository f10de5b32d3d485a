"""Writes of the home pages: remembering the visit that "what changed since" reads from."""

import datetime

from django.db import transaction
from django.utils import timezone

from home.models import HomeVisit
from missions.roles import User


@transaction.atomic
def home_visit_record(
    *, user: User, now: datetime.datetime | None = None
) -> datetime.datetime | None:
    """Store this visit and return the one before it (``None`` on a first visit)."""
    if not user.is_authenticated:
        return None
    now = now or timezone.now()
    visit = HomeVisit.objects.select_for_update().filter(user_id=user.pk).first()
    if visit is None:
        HomeVisit.objects.create(user_id=user.pk, seen_at=now)
        return None
    previous = visit.seen_at
    HomeVisit.objects.filter(pk=visit.pk).update(seen_at=now)
    return previous
