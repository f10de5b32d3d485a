"""The account's security pages: second factor (TOTP authenticator and recovery codes,
django-otp), password confirmation before sensitive changes, password change and reset."""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from security.forms import EnrolmentTokenForm, PasswordConfirmForm, TokenForm
from security.models import EventKind
from security.permissions import (
    can_enrol_authenticator,
    password_recently_confirmed,
    second_factor_required,
    user_is_verified,
)
from security.selectors import authenticator_for_user, recovery_codes_remaining
from security.services import (
    authenticator_enrolment_confirm,
    authenticator_enrolment_start,
    password_confirmation_record,
    recovery_codes_generate,
    second_factor_verify,
    security_event_record,
)

# Recovery codes just made, kept in the session until the page that shows them once.
_NEW_RECOVERY_CODES = "imp_new_recovery_codes"


def _next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


@login_required
@require_http_methods(["GET", "HEAD"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "security/account.html",
        {
            "authenticator": authenticator_for_user(user=user),
            "recovery_codes_remaining": recovery_codes_remaining(user=user),
            "second_factor_required": second_factor_required(user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Verify a code from the authenticator, or a recovery code."""
    next_url = _next(request)
    if authenticator_for_user(user=request.user) is None and not recovery_codes_remaining(
        user=request.user
    ):
        return redirect(_with_next(reverse("two_factor_setup"), next_url))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor_verify(user=request.user, token=form.cleaned_token())
        if device is not None:
            otp_login(request, device)
            recovery = isinstance(device, StaticDevice)
            security_event_record(
                kind=EventKind.SECOND_FACTOR,
                user=request.user,
                request=request,
                detail="verified with a recovery code" if recovery else "verified",
            )
            if recovery:
                left = recovery_codes_remaining(user=request.user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)d left. Each code works "
                        "once: make new ones on your account page if you are running out."
                    )
                    % {"left": left},
                )
            else:
                messages.success(request, _("Second factor verified."))
            return redirect(next_url)
        security_event_record(
            kind=EventKind.SECOND_FACTOR, user=request.user, request=request, detail="wrong code"
        )
        form.add_error(
            "token", _("That code is not valid. Check your device's clock and try again.")
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request, "security/two_factor.html", {"form": form, "next": next_url}, status=status
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def password_confirm(request: HttpRequest) -> HttpResponse:
    """Type the password again before a sensitive change (valid for five minutes)."""
    next_url = _next(request, default=reverse("account"))
    form = PasswordConfirmForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        password_confirmation_record(request=request)
        return redirect(next_url)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "security/password_confirm.html", {"form": form, "next": next_url}, status=status
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (QR code and key); it replaces any older one."""
    next_url = _next(request)
    if not can_enrol_authenticator(request):
        # Whoever has an authenticator proves it (or uses a recovery code) first.
        return redirect(_with_next(reverse("two_factor"), request.get_full_path()))
    if not password_recently_confirmed(request):
        return redirect(_with_next(reverse("password_confirm"), request.get_full_path()))
    device = authenticator_enrolment_start(user=request.user)
    form = EnrolmentTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if authenticator_enrolment_confirm(
            user=request.user, device=device, token=form.cleaned_token()
        ):
            device.refresh_from_db()
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            if not recovery_codes_remaining(user=request.user):
                request.session[_NEW_RECOVERY_CODES] = recovery_codes_generate(user=request.user)
                return redirect(_with_next(reverse("recovery_codes"), next_url))
            return redirect(next_url)
        security_event_record(
            kind=EventKind.SECOND_FACTOR,
            user=request.user,
            request=request,
            detail="wrong code while setting up",
        )
        form.add_error(
            "token", _("That code is not valid. Check your device's clock and try again.")
        )
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": qr.svg_inline(scale=4, title=_("Authenticator set-up code")),
        "secret": b32encode(device.bin_key).decode(),
        "replacing": authenticator_for_user(user=request.user) is not None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "security/two_factor_setup.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows new recovery codes once; makes a new set (which voids the old one)."""
    if request.method == "POST":
        if not user_is_verified(request.user):
            return redirect(_with_next(reverse("two_factor"), reverse("recovery_codes")))
        if not password_recently_confirmed(request):
            messages.info(request, _("Confirm your password, then make the new codes."))
            return redirect(_with_next(reverse("password_confirm"), reverse("recovery_codes")))
        request.session[_NEW_RECOVERY_CODES] = recovery_codes_generate(user=request.user)
        return redirect("recovery_codes")
    new_codes = request.session.pop(_NEW_RECOVERY_CODES, None)
    return render(
        request,
        "security/recovery_codes.html",
        {
            "new_codes": new_codes,
            "remaining": recovery_codes_remaining(user=request.user),
            "can_generate": user_is_verified(request.user),
            "next": _next(request, default=reverse("account")),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        security_event_record(
            kind=EventKind.PASSWORD, user=self.request.user, request=self.request, detail="changed"
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        security_event_record(
            kind=EventKind.PASSWORD,
            username=form.user.get_username(),
            request=self.request,
            detail="reset through the e-mailed link",
        )
        return response


password_change = login_required(PasswordChangeView.as_view())
password_change_done = login_required(auth_views.PasswordChangeDoneView.as_view())
password_reset = auth_views.PasswordResetView.as_view(
    success_url=reverse_lazy("password_reset_done")
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()
