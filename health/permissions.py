"""Who sees the details of /healthz (which services answer, the worker mode); everybody else,
the load balancer included, gets the status alone."""

import hmac

from django.conf import settings
from django.http import HttpRequest
from django_otp import user_has_device


def monitoring_token_given(request: HttpRequest) -> bool:
    """``Authorization: Bearer <HEALTH_MONITORING_TOKEN>`` (compared in constant time); never
    when the setting is empty."""
    expected = settings.HEALTH_MONITORING_TOKEN
    header = request.headers.get("Authorization", "")
    scheme, _space, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def can_see_health_details(request: HttpRequest) -> bool:
    """A monitoring token, or a staff session that passed the second factor (or needs none:
    the second factor not enforced and no authenticator set up). /healthz is exempt from the
    second-factor middleware (the load balancer calls it), so the rule is checked here."""
    if monitoring_token_given(request):
        return True
    user = getattr(request, "user", None)
    if user is None or not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_verified():
        return True
    return not settings.OTP_REQUIRED_FOR_HQ and not user_has_device(user, confirmed=True)
