"""Organisation sign-in pages: start (to the provider), callback (back from it), the page for
a person the role mapping gives no role, and sign-out (local, then at the provider)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from security.middleware import NO_ROLE_SESSION_KEY
from security.models import EventKind, OrganisationSignInDevice
from security.oidc import (
    ID_TOKEN_SESSION_KEY,
    SIGNED_IN_WITH_OIDC,
    OrganisationBackend,
    Refusal,
    SignInRefused,
    asserts_multi_factor,
    end_session_url,
    oidc_enabled,
    provider_metadata,
)
from security.services import security_event_record

# A sign-in started more than this long ago (seconds) is not accepted back.
STATE_MAX_AGE = 15 * 60
_BACKEND = "security.oidc.OrganisationBackend"


def access_contact() -> str:
    return settings.OIDC_ACCESS_CONTACT or _(
        "your mission's imp-assess focal point, or the imp-assess administrators at headquarters"
    )


def _refusal_message(refusal: SignInRefused) -> str:
    ask_admins = _("If it happens again, tell the imp-assess administrators.")
    messages = {
        Refusal.PROVIDER_DOWN: _(
            "Your organisation's sign-in service cannot be reached just now. Try again in a "
            "few minutes."
        )
        + " "
        + ask_admins,
        Refusal.WRONG_ISSUER: _(
            "The sign-in answer did not come from the sign-in service imp-assess trusts, so it "
            "was refused."
        )
        + " "
        + ask_admins,
        Refusal.CODE_REJECTED: _(
            "This sign-in has expired or was already used. Start again from the login page."
        ),
        Refusal.STATE_UNKNOWN: _(
            "This sign-in has expired or was already used. Start again from the login page."
        ),
        Refusal.WRONG_AUDIENCE: _(
            "The sign-in answer was meant for another application, so it was refused."
        )
        + " "
        + ask_admins,
        Refusal.TOKEN_EXPIRED: _(
            "The sign-in answer had expired, so it was refused. Start again from the login page."
        ),
        Refusal.INVALID_TOKEN: _("The sign-in answer could not be verified, so it was refused.")
        + " "
        + ask_admins,
        Refusal.MISSING_SUBJECT: _("The sign-in answer could not be verified, so it was refused.")
        + " "
        + ask_admins,
        Refusal.MISSING_ROLE_CLAIM: _(
            "Your organisation account carries no imp-assess roles, so no account was opened. "
            "Ask %(contact)s to give you a role in imp-assess."
        )
        % {"contact": access_contact()},
        Refusal.PROVIDER_ERROR: _(
            "Your organisation's sign-in service did not sign you in. Start again from the "
            "login page."
        ),
        Refusal.MAPPING_BROKEN: _(
            "Organisation sign-in is not working just now: its configuration is being corrected."
        )
        + " "
        + ask_admins,
    }
    return messages.get(refusal.refusal, ask_admins)


def _refused(request: HttpRequest, refusal: SignInRefused) -> HttpResponse:
    security_event_record(
        kind=EventKind.LOGIN_FAILED,
        username=refusal.subject,
        request=request,
        detail=f"organisation sign-in refused ({refusal.refusal}): {refusal.detail}",
    )
    status = 503 if refusal.refusal == Refusal.PROVIDER_DOWN else 400
    return render(
        request,
        "security/oidc_refused.html",
        {"message": _refusal_message(refusal), "refusal": refusal.refusal},
        status=status,
    )


class _StartView(OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        # The library reads the endpoint from settings here; ours comes from discovery.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        self.OIDC_OP_AUTH_ENDPOINT = provider_metadata()["authorization_endpoint"]
        return super().get(request)

    def get_extra_params(self, request):
        # The provider's pages in the language the person reads imp-assess in.
        return {"ui_locales": get_language() or settings.LANGUAGE_CODE}


_start_view = _StartView.as_view()


@require_http_methods(["GET", "HEAD"])
def oidc_start(request: HttpRequest) -> HttpResponse:
    """To the provider's sign-in page, with state, nonce and the PKCE challenge."""
    if not oidc_enabled():
        raise Http404
    try:
        return _start_view(request)
    except SignInRefused as refusal:
        return _refused(request, refusal)


def _take_state(request: HttpRequest) -> dict:
    """The state's nonce and PKCE verifier, used once: a second callback with the same state
    (a replay, or the back button) finds nothing."""
    state = request.GET.get("state", "")
    states = request.session.get("oidc_states") or {}
    entry = states.pop(state, None) if state else None
    request.session["oidc_states"] = states
    request.session.save()
    if entry is None:
        raise SignInRefused(Refusal.STATE_UNKNOWN, "unknown or already used state")
    if time.time() - float(entry.get("added_on", 0)) > STATE_MAX_AGE:
        raise SignInRefused(Refusal.STATE_UNKNOWN, "sign-in started too long ago")
    return entry


def _callback(request: HttpRequest) -> HttpResponse:
    if request.GET.get("error"):
        if request.GET.get("state"):
            _take_state(request)
        raise SignInRefused(
            Refusal.PROVIDER_ERROR,
            f"provider answered {request.GET.get('error', '')[:50]}: "
            f"{request.GET.get('error_description', '')[:200]}",
        )
    if not request.GET.get("code"):
        raise SignInRefused(Refusal.STATE_UNKNOWN, "no code in the provider's answer")
    entry = _take_state(request)
    next_url = request.session.get("oidc_login_next") or reverse("home")
    backend = OrganisationBackend()
    user = backend.authenticate(
        request,
        organisation_sign_in=True,
        nonce=entry.get("nonce"),
        code_verifier=entry.get("code_verifier"),
    )
    if user is None or not user.is_active:
        raise SignInRefused(
            Refusal.INVALID_TOKEN,
            "the account of this identity is switched off",
            subject=user.get_username() if user else "",
        )
    result = backend.result
    multi_factor = asserts_multi_factor(backend.claims)
    request._imp_login_detail = "organisation sign-in" + (  # type: ignore[attr-defined]
        " with multi-factor at the provider" if multi_factor else ""
    )
    auth_login(request, user, backend=_BACKEND)
    request.session[ID_TOKEN_SESSION_KEY] = backend.id_token
    request.session[SIGNED_IN_WITH_OIDC] = True
    if multi_factor:
        device, _created = OrganisationSignInDevice.objects.get_or_create(
            user=user, defaults={"name": "organisation sign-in", "confirmed": True}
        )
        otp_login(request, device)
        security_event_record(
            kind=EventKind.SECOND_FACTOR,
            user=user,
            request=request,
            detail="verified by the organisation's multi-factor sign-in",
        )
    if result is not None and result.granted.is_empty:
        request.session[NO_ROLE_SESSION_KEY] = True
        return redirect("oidc_no_access")
    return redirect(next_url)


@require_http_methods(["GET", "HEAD"])
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: the code exchanged (with the PKCE verifier), the ID token
    checked, the account found or made and its roles brought up to date."""
    if not oidc_enabled():
        raise Http404
    try:
        return _callback(request)
    except SignInRefused as refusal:
        return _refused(request, refusal)


@login_required
@require_http_methods(["GET", "HEAD"])
def oidc_no_access(request: HttpRequest) -> HttpResponse:
    """For a person the role mapping gives no role: whom to ask, and nothing else."""
    return render(request, "security/oidc_no_access.html", {"contact": access_contact()})


_local_logout = auth_views.LogoutView.as_view()


def logout(request: HttpRequest) -> HttpResponse:
    """Local sign-out (POST), then RP-initiated logout at the provider when the person signed
    in there and it has an end_session_endpoint."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY) if oidc_enabled() else None
    response = _local_logout(request)
    if request.method != "POST" or not id_token:
        return response
    url = end_session_url(
        id_token=id_token, post_logout_redirect_uri=request.build_absolute_uri(reverse("login"))
    )
    if url is None:
        return response
    # A page that moves on to the provider (and a link), not a redirect: the sign-out form
    # may only post to this site (CSP form-action), redirects included.
    return render(request, "security/signed_out.html", {"end_session_url": url})


class LoginView(auth_views.LoginView):
    """The login page: organisation sign-in first when it is configured; the local form
    below it, or folded away for the break-glass accounts when local sign-in is off."""

    redirect_authenticated_user = True

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if oidc_enabled():
            # The organisation button comes first: the keyboard starts there, not in the form.
            form.fields["username"].widget.attrs.pop("autofocus", None)
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc_enabled()
        context["local_login_open"] = settings.LOCAL_PASSWORD_LOGIN
        return context


login = LoginView.as_view()
