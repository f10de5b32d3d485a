"""Session lifetime rules, the second-factor gate, logging of refused accesses, and the
no-store rule for everything the application answers."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from security.languages import SESSION_LANGUAGE, user_chosen_language
from security.models import EventKind
from security.permissions import second_factor_required
from security.services import security_event_record

# The session flag organisation sign-in sets for a person without any role (security.oidc).
NO_ROLE_SESSION_KEY = "imp_oidc_no_role"
LOGIN_AT = "imp_login_at"
SEEN_AT = "imp_seen_at"
# Only write the session when the last activity moved by this much (fewer writes).
SEEN_RESOLUTION = 30


def mark_login(request: HttpRequest) -> None:
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


class UserLanguageMiddleware:
    """After AuthenticationMiddleware: a signed-in user's chosen language wins over the
    browser's (LocaleMiddleware, earlier, read Accept-Language and the language cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = request.session.get(SESSION_LANGUAGE)
            if language is None:  # a session from before the choice was kept in it
                language = user_chosen_language(user)
                request.session[SESSION_LANGUAGE] = language
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        return self.get_response(request)


class SessionPolicyMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT seconds without a request, and
    SESSION_ABSOLUTE_LIFETIME seconds after login whatever the activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            login_at = request.session.get(LOGIN_AT, now)
            seen_at = request.session.get(SEEN_AT, now)
            reason = None
            if now - login_at > settings.SESSION_ABSOLUTE_LIFETIME:
                reason = _("Your session reached its maximum length. Please log in again.")
            elif now - seen_at > settings.SESSION_IDLE_TIMEOUT:
                reason = _("Your session ended after a period of inactivity. Please log in again.")
            if reason:
                security_event_record(
                    kind=EventKind.SESSION_EXPIRED, user=user, request=request, detail=reason
                )
                logout(request)
                messages.info(request, reason)
                return redirect(f"{reverse('login')}?next={request.path}")
            if LOGIN_AT not in request.session:
                request.session[LOGIN_AT] = now
            if now - seen_at >= SEEN_RESOLUTION or SEEN_AT not in request.session:
                request.session[SEEN_AT] = now
        return self.get_response(request)


# What a user who still owes a second factor may reach: signing in and out, resetting a
# forgotten password, and the pages that verify or set up the second factor.
_OTP_EXEMPT_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password/reset/",
    "/accounts/reset/",
    "/security/two-factor/",
    "/security/language/",
    "/jsi18n/",
    "/security/password/confirm/",
    "/static/",
    "/healthz",
)


class SecondFactorMiddleware:
    """Sends a logged-in user who still owes a second factor to the verification page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OTP_EXEMPT_PREFIXES)
            and second_factor_required(user)
        ):
            return redirect(f"{reverse('two_factor')}?next={request.path}")
        return self.get_response(request)


# What a person whom the role mapping gives no role may reach at organisation sign-in: the
# page that says whom to ask, signing out, the language switcher.
_NO_ROLE_ALLOWED_PREFIXES = (
    "/accounts/oidc/",
    "/accounts/logout/",
    "/security/language/",
    "/jsi18n/",
    "/static/",
    "/healthz",
)


class NoRoleMiddleware:
    """After organisation sign-in without any role: only the page that says whom to ask."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get(NO_ROLE_SESSION_KEY)
            and not request.path.startswith(_NO_ROLE_ALLOWED_PREFIXES)
        ):
            return redirect("oidc_no_access")
        return self.get_response(request)


class RefusedAccessLogMiddleware:
    """Logs the 403s and 404s that logged-in users meet (the access matrix's refusals)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            response.status_code in (403, 404)
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(("/static/", "/favicon"))
        ):
            security_event_record(
                kind=EventKind.ACCESS_REFUSED,
                user=user,
                request=request,
                detail=f"{request.method} answered {response.status_code}",
            )
        return response


class NoStoreMiddleware:
    """Classified content stays out of browser and proxy caches: every response the
    application produces (pages, JSON, chart CSVs, export downloads, error pages) is sent
    with ``Cache-Control: no-store``. Static files are answered by WhiteNoise, which sits
    before this middleware, and keep their long-lived caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            # Replaces any max-age or public a view might have set: nothing here is cacheable.
            response["Cache-Control"] = "no-store"
        return response
