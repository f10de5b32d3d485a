"""Action plans: what a mission agreed to do about its findings, followed quarter to quarter.

An action is agreed on a submitted (or approved) assessment, on one or more of its flagged
indicators or on a dimension, and carries forward until it is closed (done or dropped).
Every change to an action or a progress note is kept by django-simple-history, as answers are.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Assessment
from missions.models import Mission
from missions.periods import quarter_label

DESCRIPTION_MAX_LENGTH = 2000
OWNER_MAX_LENGTH = 200
REASON_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 2000


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# An action is open until it is done or dropped; open actions carry forward.
CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.DROPPED)


class Action(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="actions")
    # The assessment (mission × quarter) the action was agreed in.
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField(_("what will be done"), max_length=DESCRIPTION_MAX_LENGTH)
    # One dimension; the indicators (codes of the assessment's questionnaire version, stable
    # across versions) are in it. No indicator: the action addresses the dimension as a whole.
    dimension_code = models.CharField(_("dimension"), max_length=10)
    indicator_codes = models.JSONField(_("indicators"), default=list, blank=True)
    # Codes of the dimension's barrier tags the action addresses.
    barrier_codes = models.JSONField(_("barriers addressed"), default=list, blank=True)
    owner = models.CharField(
        _("owner (office or post)"),
        max_length=OWNER_MAX_LENGTH,
        help_text=_("e.g. Office of the DSRSG/RC/HC"),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner (user of the mission)"),
    )
    due_year = models.PositiveSmallIntegerField(_("due year"))
    due_quarter = models.PositiveSmallIntegerField(
        _("due quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    dropped_reason = models.TextField(
        _("reason for dropping"), max_length=REASON_MAX_LENGTH, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["mission__code", "due_year", "due_quarter", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_quarter__gte=1, due_quarter__lte=4),
                name="action_due_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(dropped_reason=""),
                name="action_dropped_has_reason",
            ),
            models.CheckConstraint(condition=~Q(description=""), name="action_has_description"),
            models.CheckConstraint(condition=~Q(owner=""), name="action_has_owner"),
        ]
        indexes = [models.Index(fields=["mission", "status"])]

    def __str__(self) -> str:
        return f"{self.mission.code} #{self.pk}: {self.description[:60]}"

    @property
    def due_label(self) -> str:
        return quarter_label(self.due_year, self.due_quarter)

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


class ActionNote(models.Model):
    """A dated progress note on an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    noted_on = models.DateField(_("date"))
    text = models.TextField(_("progress note"), max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["action", "-noted_on", "-pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="action_note_has_text")]

    def __str__(self) -> str:
        return f"{self.action_id} {self.noted_on}: {self.text[:60]}"
