"""The security log: who did what, when (UTC) and from where."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
