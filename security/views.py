"""Two-factor authentication with a TOTP authenticator app (django-otp)."""

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.forms import TokenForm
from security.models import EventKind
from security.services import security_event_record


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Verify a code from a confirmed device, or set one up (QR code and key)."""
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    device = confirmed or TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_token()):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            security_event_record(
                kind=EventKind.SECOND_FACTOR, user=request.user, request=request, detail="verified"
            )
            messages.success(request, _("Second factor verified."))
            return redirect(_next(request))
        security_event_record(
            kind=EventKind.SECOND_FACTOR, user=request.user, request=request, detail="wrong code"
        )
        form.add_error(
            "token", _("That code is not valid. Check your device's clock and try again.")
        )
    context = {"form": form, "setting_up": not device.confirmed, "next": _next(request)}
    if not device.confirmed:
        qr = segno.make(device.config_url, error="m")
        context["qr_svg"] = qr.svg_inline(scale=4, title=_("Authenticator set-up code"))
        context["secret"] = b32encode(device.bin_key).decode()
    status = 400 if request.method == "POST" else 200
    return render(request, "security/two_factor.html", context, status=status)
