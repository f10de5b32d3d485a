"""Who owes a second factor, and whether a sensitive change may go ahead now."""

import time
from typing import Protocol, cast

from django.conf import settings
from django.http import HttpRequest
from django_otp import user_has_device

from missions.roles import User, user_sees_all_missions

# The session remembers when the user last typed their password on the confirm page.
PASSWORD_CONFIRMED_AT = "imp_password_confirmed_at"  # noqa: S105 (a session key)
# Enrolling an authenticator or making new recovery codes needs a password typed this
# recently (seconds); the password of the login itself does not count.
PASSWORD_CONFIRM_WINDOW = 5 * 60


def second_factor_required(user: User) -> bool:
    """HQ analysts, administrators and staff must verify a second factor when
    OTP_REQUIRED_FOR_HQ is on (the default whenever DEBUG is off); anyone who has set up
    an authenticator or recovery codes must always use them."""
    if user_has_device(user, confirmed=True):
        return True
    return settings.OTP_REQUIRED_FOR_HQ and (user.is_staff or user_sees_all_missions(user))


class _VerifiedUser(Protocol):
    def is_verified(self) -> bool: ...


def user_is_verified(user: User) -> bool:
    """Whether this session has passed the second factor (django-otp's middleware gives
    ``request.user`` an ``is_verified`` method)."""
    return cast(_VerifiedUser, user).is_verified()


def password_recently_confirmed(request: HttpRequest) -> bool:
    confirmed_at = request.session.get(PASSWORD_CONFIRMED_AT)
    return confirmed_at is not None and time.time() - confirmed_at <= PASSWORD_CONFIRM_WINDOW


def can_enrol_authenticator(request: HttpRequest) -> bool:
    """A new authenticator replaces the old one: whoever has one must first prove it."""
    user = request.user
    return not user_has_device(user, confirmed=True) or user_is_verified(user)
