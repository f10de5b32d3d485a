"""Webhooks that administrators configure, and the log of what was sent to them."""

import ipaddress
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from webhooks.network import address_allowed
from webhooks.secret_box import webhook_secret_encrypt, webhook_secret_new


class WebhookEventKind(models.TextChoices):
    ASSESSMENT_SUBMITTED = "assessment.submitted", _("Assessment submitted")
    ASSESSMENT_APPROVED = "assessment.approved", _("Assessment approved")
    ASSESSMENT_REOPENED = "assessment.reopened", _("Assessment reopened")
    SCORING_FINISHED = "scoring.finished", _("Scoring finished")


def _new_secret() -> str:
    """A new signing secret, stored encrypted (``webhooks.secret_box``)."""
    return webhook_secret_encrypt(webhook_secret_new())


def _internal_host(host: str) -> bool:
    """An address written in the URL that webhooks may not reach (host names are checked
    after resolution, at every attempt: ``webhooks.network``)."""
    if host == "localhost" or host.endswith(".localhost"):
        return not address_allowed(ipaddress.ip_address("127.0.0.1"))
    try:
        return not address_allowed(ipaddress.ip_address(host))
    except ValueError:
        return False


def validate_webhook_url(url: str) -> None:
    """HTTPS only; plain HTTP to this machine only where WEBHOOK_ALLOW_LOCAL_HTTP is on
    (tests and development); never an internal address unless WEBHOOK_INTERNAL_RECEIVERS
    lists it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme == "https" and host
    local = (
        settings.WEBHOOK_ALLOW_LOCAL_HTTP
        and parts.scheme == "http"
        and host in ("127.0.0.1", "localhost")
    )
    if not (secure or local):
        raise ValidationError(_("A webhook URL must start with https://."))
    if _internal_host(host):
        raise ValidationError(
            _(
                "A webhook cannot be sent to an internal address (loopback, private, "
                "link-local or metadata) unless it is listed as an allowed internal receiver."
            )
        )


class Webhook(models.Model):
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500, validators=[validate_webhook_url])
    # Made by the server, shown once to the administrator, stored encrypted.
    secret = models.CharField(
        _("signing secret (encrypted)"), max_length=300, default=_new_secret, editable=False
    )
    events = models.JSONField(
        _("events"),
        default=list,
        blank=True,
        help_text=_("Event types to send (empty: all of them)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(_("events failed in a row"), default=0)
    disabled_at = models.DateTimeField(_("switched off automatically"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = set(self.events or []) - set(WebhookEventKind.values)
        if unknown:
            raise ValidationError({"events": _("Unknown event types: %s") % ", ".join(unknown)})


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one webhook, with every attempt to send it."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event = models.CharField(_("event"), max_length=40, choices=WebhookEventKind.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook}"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"
