"""/admin/ is django-otp's OTP admin site: whoever owes a second factor must have verified
it before the admin lets them in (unverified staff are treated as not staff)."""

from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from security.permissions import second_factor_required


class ImpAdminSite(OTPAdminSite):
    site_header = _("imp-assess administration")
    site_title = "imp-assess"

    def __init__(self, name: str = "admin"):
        super().__init__(name)

    def has_permission(self, request) -> bool:
        if second_factor_required(request.user):
            return super().has_permission(request)  # staff and verified
        # OTP_REQUIRED_FOR_HQ off (a pilot, or the DEBUG demo) and no authenticator.
        return AdminSite.has_permission(self, request)

    def login(self, request, extra_context=None):
        # One door for everyone: the product's login page, with its throttling, and the
        # second factor (authenticator or recovery code) on the product's own pages.
        if not request.user.is_authenticated:
            next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
            return redirect_to_login(next_url)
        return super().login(request, extra_context)
