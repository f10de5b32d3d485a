"""Audit receivers: authentication events and role changes go to the security log.

Only logging happens here; no business rule depends on these receivers.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from missions.models import Membership
from security.languages import SESSION_LANGUAGE, user_chosen_language
from security.models import EventKind
from security.services import security_event_record


@receiver(user_logged_in)
def _login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        from security.middleware import mark_login

        mark_login(request)
        request.session[SESSION_LANGUAGE] = user_chosen_language(user)
    # The organisation sign-in says how the person came in (and whether with multi-factor).
    detail = getattr(request, "_imp_login_detail", "") if request is not None else ""
    security_event_record(kind=EventKind.LOGIN, user=user, request=request, detail=detail)


@receiver(user_logged_out)
def _logout(sender, request, user, **kwargs):
    if user is not None:
        security_event_record(kind=EventKind.LOGOUT, user=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    security_event_record(
        kind=EventKind.LOGIN_FAILED, username=credentials.get("username", ""), request=request
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    security_event_record(
        kind=EventKind.LOCKED_OUT,
        username=username or "",
        request=request,
        detail="too many failed logins; locked for the cool-off period",
    )


@receiver(post_save, sender=Membership)
def _membership_saved(sender, instance, created, **kwargs):
    security_event_record(
        kind=EventKind.ROLE_CHANGE,
        username=instance.user.get_username(),
        detail=f"{'granted' if created else 'changed'}: {instance}",
    )


@receiver(post_delete, sender=Membership)
def _membership_deleted(sender, instance, **kwargs):
    security_event_record(
        kind=EventKind.ROLE_CHANGE,
        username=instance.user.get_username(),
        detail=f"removed: {instance}",
    )


@receiver(m2m_changed, sender=get_user_model().groups.through)
def _groups_changed(sender, instance, action, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from django.contrib.auth.models import Group

    names = ", ".join(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
    security_event_record(
        kind=EventKind.ROLE_CHANGE,
        username=getattr(instance, "username", str(instance)),
        detail=f"groups {action.removeprefix('post_')}: {names or 'all'}",
    )


@receiver(post_save, sender=get_user_model())
def _user_saved(sender, instance, created, update_fields=None, **kwargs):
    # Superuser, staff and active flags are roles too; last_login updates are not.
    if update_fields and set(update_fields) <= {"last_login"}:
        return
    if created:
        detail = "account created"
    else:
        detail = (
            f"account saved (superuser={instance.is_superuser}, staff={instance.is_staff}, "
            f"active={instance.is_active})"
        )
    security_event_record(
        kind=EventKind.ROLE_CHANGE, username=instance.get_username(), detail=detail
    )
