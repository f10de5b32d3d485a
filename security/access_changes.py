"""Changes that must end a user's outstanding credentials, wherever they are made (pages, the
admin, a management command, the shell): each sends ``missions.signals.user_access_changed``
(``api`` revokes the user's tokens on it, logged).

The changes: a password change or reset, deactivation, becoming staff or superuser, joining a
group (HQ analysts, administrators), a new mission membership or a change of role, component or
mission in one, and a second-factor reset (a confirmed authenticator or the recovery codes
deleted). The stored row is read before a save (``pre_save``) and compared after it
(``post_save``); saves that touch only ``last_login`` are not read.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from missions.models import Membership
from missions.signals import user_access_changed

Account = get_user_model()
_USER_FIELDS = ("password", "is_active", "is_staff", "is_superuser")
_MEMBERSHIP_FIELDS = ("user_id", "mission_id", "role", "component")


def _changed(user_id: int, reason: str) -> None:
    user_access_changed.send(sender=Account, user_id=user_id, reason=reason)


def _stored(model: Any, pk: Any, fields: tuple[str, ...]) -> dict[str, Any] | None:
    if pk is None:
        return None
    return model._default_manager.filter(pk=pk).values(*fields).first()


@receiver(pre_save, sender=Account, dispatch_uid="access-user-before")
def _user_before(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not set(update_fields) & set(_USER_FIELDS):
        instance._access_before = None
        return
    instance._access_before = _stored(Account, instance.pk, _USER_FIELDS)


@receiver(post_save, sender=Account, dispatch_uid="access-user-after")
def _user_after(sender, instance, created, **kwargs) -> None:
    before = getattr(instance, "_access_before", None)
    instance._access_before = None
    if created or before is None:
        return
    reasons = []
    if before["password"] != instance.password:
        reasons.append("password changed or reset")
    if before["is_active"] and not instance.is_active:
        reasons.append("account deactivated")
    if (not before["is_staff"] and instance.is_staff) or (
        not before["is_superuser"] and instance.is_superuser
    ):
        reasons.append("made staff or superuser")
    if reasons:
        _changed(instance.pk, "; ".join(reasons))


@receiver(m2m_changed, sender=Account.groups.through, dispatch_uid="access-groups")
def _groups_added(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action != "post_add" or not pk_set:
        return
    if reverse:  # group.user_set.add(...): the instance is the group
        for user_id in pk_set:
            _changed(user_id, f"added to group {instance.name}")
        return
    names = ", ".join(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    _changed(instance.pk, f"added to group {names}")


@receiver(pre_save, sender=Membership, dispatch_uid="access-membership-before")
def _membership_before(sender, instance, **kwargs) -> None:
    instance._access_before = _stored(Membership, instance.pk, _MEMBERSHIP_FIELDS)


@receiver(post_save, sender=Membership, dispatch_uid="access-membership-after")
def _membership_after(sender, instance, created, **kwargs) -> None:
    before = getattr(instance, "_access_before", None)
    instance._access_before = None
    now = {field: getattr(instance, field) for field in _MEMBERSHIP_FIELDS}
    if created or before is None:
        _changed(instance.user_id, f"mission membership granted: {instance}")
    elif before != now:
        _changed(instance.user_id, f"mission membership changed: {instance}")
        if before["user_id"] != instance.user_id:
            _changed(before["user_id"], f"mission membership moved: {instance}")


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="access-totp-deleted")
@receiver(post_delete, sender=StaticDevice, dispatch_uid="access-static-deleted")
def _second_factor_deleted(sender, instance, **kwargs) -> None:
    if instance.confirmed and instance.user_id is not None:
        _changed(instance.user_id, "second factor reset")
