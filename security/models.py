"""The security log: who did what, when (UTC) and from where."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, DeviceManager


class OrganisationSignInDeviceManager(DeviceManager):
    def devices_for_user(self, user, confirmed=None):
        # Never one the user set up: the local rule "whoever has a device must use it"
        # does not apply to the provider's multi-factor sign-in.
        return self.none()


class EventKind(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKED_OUT = "locked_out", _("Locked out")
    LOGOUT = "logout", _("Logout")
    SESSION_EXPIRED = "session_expired", _("Session expired")
    SECOND_FACTOR = "second_factor", _("Second factor")
    PASSWORD = "password", _("Password change or reset")
    ACCESS_REFUSED = "access_refused", _("Access refused")
    EXPORT = "export", _("Export")
    STATUS_CHANGE = "status_change", _("Status change")
    ROLE_CHANGE = "role_change", _("Role change")
    API_TOKEN = "api_token", _("API token")


class SecurityEvent(models.Model):
    at = models.DateTimeField(_("when (UTC)"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("what"), max_length=20, choices=EventKind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    # Kept as text so the event survives the user's deletion and names unknown users.
    username = models.CharField(_("who"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("from where"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}"


class UserProfile(models.Model):
    """What a person chose for themselves. One row per user, made on their first choice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="imp_profile",
        verbose_name=_("user"),
    )
    # Blank: never chosen, so pages follow the browser (Accept-Language) and mail and
    # exports use the site's default language.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language or '-'}"


class OrganisationIdentity(models.Model):
    """The organisation account (OpenID Connect) an account was made for at its first
    sign-in: the provider's issuer and the stable subject (``oid`` or ``sub``), never the
    e-mail. A local account is linked to one only by an administrator (the admin)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_identity",
        verbose_name=_("user"),
    )
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("first sign-in (UTC)"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in (UTC)"), null=True, blank=True)
    # The provider roles or groups of the last sign-in, as received (for the admin).
    provider_roles = models.JSONField(_("provider roles"), default=list, blank=True)

    class Meta:
        verbose_name = _("organisation identity")
        verbose_name_plural = _("organisation identities")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="organisation_identity_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"


class OrganisationSignInDevice(Device):
    """The second factor the organisation's provider asserted (``amr`` has ``mfa``, or the
    configured ``acr``). Not a device the user holds: it verifies no code, and is not counted
    as one the user set up (``user_has_device``); the sign-in puts it in the session, as a
    TOTP check does, so the second-factor rule reads the session as verified."""

    objects = OrganisationSignInDeviceManager()

    class Meta:
        verbose_name = _("organisation sign-in with multi-factor")
        verbose_name_plural = _("organisation sign-ins with multi-factor")

    def verify_token(self, token) -> bool:
        return False
