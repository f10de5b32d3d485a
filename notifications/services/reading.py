"""A user's own notifications: mark read, and which e-mails they receive."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missions.roles import User
from notifications.models import EmailOptOut, Notification
from notifications.selectors import email_kinds_choosable, notifications_for


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark the user's own notification read (once: the first reading time is kept)."""
    if notification.user_id != by.pk:
        raise ValidationError(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, by: User) -> int:
    return notifications_for(user=by).filter(read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def email_preferences_set(*, by: User, kinds_on: Iterable[str]) -> set[str]:
    """Receive by e-mail exactly ``kinds_on`` among the kinds a user may choose; returns
    the kinds now turned off. E-mails that are always sent are not choices."""
    if not by.is_authenticated:
        raise ValidationError(_("Sign in to choose your e-mails."))
    choosable = {kind.value for kind in email_kinds_choosable()}
    kinds_on = set(kinds_on)
    unknown = kinds_on - choosable
    if unknown:
        raise ValidationError(_("Unknown kind of e-mail: %(kinds)s") % {"kinds": sorted(unknown)})
    off = choosable - kinds_on
    EmailOptOut.objects.filter(user_id=by.pk).exclude(kind__in=off).delete()
    existing = set(EmailOptOut.objects.filter(user_id=by.pk).values_list("kind", flat=True))
    EmailOptOut.objects.bulk_create(
        [EmailOptOut(user_id=by.pk, kind=kind) for kind in sorted(off - existing)]
    )
    return off
