"""Notifications: what each user was told, once, in the app and by e-mail.

A notification is keyed by (kind, user, assessment, date). The key is unique in the
database: a rule that runs twice, a retried task or two workers at once store it once, and
only the one that stored it sends its e-mail.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder before the due date (respondents)")
    OVERDUE = "overdue", _("Overdue assessment (focal points)")
    COMPONENTS_COMPLETE = "complete", _("Every component complete (focal points)")
    REOPENED = "reopened", _("Assessment reopened (respondents)")
    DIGEST = "digest", _("Weekly digest (analysts)")


# The focal point cannot turn this e-mail off: an overdue assessment is theirs to chase.
EMAIL_ALWAYS_SENT = frozenset({NotificationKind.OVERDUE})


class EmailState(models.TextChoices):
    PENDING = "pending", _("To be sent")
    SENT = "sent", _("Sent")
    TURNED_OFF = "off", _("Not sent: turned off by the user")
    NO_ADDRESS = "no_address", _("Not sent: no e-mail address")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=NotificationKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # None for the weekly digest, which covers every mission.
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The day the rule is for (a reminder's scheduled day, the digest's Monday): part of the key.
    on_date = models.DateField(_("date"))
    # What the message says (due date, components, reason, digest lines), kept as it was.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user", "assessment", "on_date"],
                condition=Q(assessment__isnull=False),
                name="notification_unique_key",
            ),
            # NULLs are distinct in a unique index: the digest's key needs its own.
            models.UniqueConstraint(
                fields=["kind", "user", "on_date"],
                condition=Q(assessment__isnull=True),
                name="notification_unique_key_without_assessment",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["email_state", "created_at"], name="notification_email_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.user} ({self.on_date})"


class EmailOptOut(models.Model):
    """A user turned one kind of e-mail off (the notification still shows in the app)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=NotificationKind.choices)

    class Meta:
        verbose_name = _("e-mail turned off")
        verbose_name_plural = _("e-mails turned off")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_unique"),
            models.CheckConstraint(
                condition=~Q(kind__in=[k.value for k in EMAIL_ALWAYS_SENT]),
                name="email_opt_out_not_always_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} off"
