"""Personal access tokens for the read-only API.

A token is shown once, at creation; only its SHA-256 digest is kept (``key_hash``). A token
is 256 random bits, so a fast digest is enough: nobody can guess one from its digest, and the
lookup stays one indexed query per request. ``prefix`` (the first characters) lets a user
tell their tokens apart on the "API tokens" page.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Whether the session that created the token had passed the second factor: a token made
    # without it stops working once its user needs one (``api.permissions.token_sign_in_holds``).
    second_factor_verified = models.BooleanField(_("made with the second factor"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        """Neither revoked nor expired: it opens the API."""
        return self.revoked_at is None and self.expires_at > timezone.now()
