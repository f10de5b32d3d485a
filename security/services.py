"""Recording and purging security events; the second factor's writes."""

import datetime
import re
import time

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import HistoricalRecords

from missions.roles import Account, User
from security.models import EventKind, SecurityEvent
from security.network import client_ip
from security.permissions import PASSWORD_CONFIRMED_AT


def _current_request() -> HttpRequest | None:
    """The request being served, kept by django-simple-history's middleware."""
    return getattr(HistoricalRecords.context, "request", None)


def security_event_record(
    *,
    kind: str,
    user: User | None = None,
    username: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> SecurityEvent:
    request = request or _current_request()
    account = user if isinstance(user, Account) else None
    if account is None and request is not None and getattr(request, "user", None) is not None:
        account = request.user if isinstance(request.user, Account) else None
    return SecurityEvent.objects.create(
        kind=kind,
        user=account,
        username=(account.get_username() if account else username)[:150],
        ip_address=client_ip(request),
        path=(request.path if request else "")[:300],
        detail=detail[:500],
    )


def security_events_purge(*, older_than_days: int) -> int:
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _ = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


# --- Second factor ----------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10
_TOTP_CODE = re.compile(r"\d{6}")


def password_confirmation_record(*, request: HttpRequest) -> None:
    request.session[PASSWORD_CONFIRMED_AT] = int(time.time())


def authenticator_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (its key is in the QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def authenticator_enrolment_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm the new authenticator with a code it shows; it replaces any older one."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    security_event_record(kind=EventKind.SECOND_FACTOR, user=user, detail="authenticator enrolled")
    return True


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """New single-use recovery codes, replacing the old ones; returned once, to be shown
    once (django-otp's static device keeps them to check against)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "recovery codes"}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    security_event_record(
        kind=EventKind.SECOND_FACTOR, user=user, detail="recovery codes generated"
    )
    return codes


def second_factor_verify(*, user: User, token: str) -> Device | None:
    """The device that accepts the code: six digits go to the authenticator, anything
    else is tried as a recovery code (used up by the attempt that succeeds)."""
    token = token.strip().lower().replace("-", "").replace(" ", "")
    model = TOTPDevice if _TOTP_CODE.fullmatch(token) else StaticDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(token):
                return device
    return None
