from django.contrib.admin.apps import AdminConfig


class OTPAdminConfig(AdminConfig):
    """django.contrib.admin with django-otp's OTP admin site (security/admin_site.py) as
    ``admin.site``. Its own module: an app config may not import models."""

    default_site = "security.admin_site.ImpAdminSite"
