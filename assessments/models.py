"""Quarterly assessments: one mission × one period, answered per component.

Every change to an answer, a target or a status is kept by django-simple-history
(who, when, old and new values) and shown on the assessment's activity tab.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from missions.models import (
    RESPONSE_SCOPE_CHOICES,
    Mission,
    MissionPhase,
    Period,
)
from questionnaires.models import (
    STEP_VALIDATORS,
    Dimension,
    Indicator,
    IntegrationStep,
    Questionnaire,
)

EVIDENCE_MAX_LENGTH = 2000
OTHER_TAGS_MAX_LENGTH = 200
REASON_MAX_LENGTH = 1000
HIGHLIGHTS_MAX_LENGTH = 1500


class AssessmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


class Assessment(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="assessments")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="assessments")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.OPEN
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Written justification for each component that had not completed at submission.
    missing_component_justifications = models.JSONField(default=dict, blank=True)
    status_reason = models.TextField(_("reason for the last status change"), blank=True)
    # The focal point's short note for the quarter, printed on the scorecard (plain text).
    highlights = models.TextField(_("highlights"), max_length=HIGHLIGHTS_MAX_LENGTH, blank=True)
    # Optimistic concurrency for the highlights, as for answers: a stale board is refused.
    highlights_revision = models.PositiveIntegerField(default=0)
    # The mission's phase this quarter, recorded by the focal point with the target bands.
    phase = models.CharField(_("phase"), max_length=20, choices=MissionPhase.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When scoring was last asked for; the sweeper re-sends requests that found no result.
    scoring_requested_at = models.DateTimeField(null=True, blank=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["created_at", "scoring_requested_at"])

    class Meta:
        ordering = ["-period__year", "-period__quarter", "mission__code"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["mission", "period"], name="assessment_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.mission.code} {self.period.display}"

    @property
    def is_open(self) -> bool:
        return self.status == AssessmentStatus.OPEN


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETE = "complete", _("Complete")


class Response(models.Model):
    """One component's answers within an assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    # A component code, or MISSION_WIDE for the focal point's mission-level answers.
    component = models.CharField(_("component"), max_length=20, choices=RESPONSE_SCOPE_CHOICES)
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["assessment", "component"]
        verbose_name = _("component response")
        verbose_name_plural = _("component responses")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "component"], name="response_unique_component"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.get_component_display()}"

    @property
    def is_complete(self) -> bool:
        return self.status == ResponseStatus.COMPLETE


class AnswerChoice(models.TextChoices):
    STEP_1 = "1", format_lazy("1 — {}", IntegrationStep.COEXISTENCE.label)
    STEP_2 = "2", format_lazy("2 — {}", IntegrationStep.NETWORKING.label)
    STEP_3 = "3", format_lazy("3 — {}", IntegrationStep.COORDINATION.label)
    STEP_4 = "4", format_lazy("4 — {}", IntegrationStep.COLLABORATION.label)
    STEP_5 = "5", format_lazy("5 — {}", IntegrationStep.FULL_INTEGRATION.label)
    NOT_APPLICABLE = "na", _("Not applicable")
    DONT_KNOW = "dk", _("Don't know")


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="answers")
    choice = models.CharField(_("answer"), max_length=2, choices=AnswerChoice.choices, blank=True)
    evidence = models.TextField(_("evidence"), max_length=EVIDENCE_MAX_LENGTH, blank=True)
    # Codes of the dimension's barrier/enabler tags; codes are stable across versions.
    tag_codes = models.JSONField(_("barriers and enablers"), default=list, blank=True)
    other_tags = models.CharField(
        _("other barriers or enablers"), max_length=OTHER_TAGS_MAX_LENGTH, blank=True
    )
    # A respondent's N/A needs a written reason (IMP-CORE v3 and later, method v3 reads it);
    # on a safeguard indicator it counts only once the focal point confirms it.
    na_reason = models.TextField(
        _("why it does not apply"), max_length=REASON_MAX_LENGTH, blank=True
    )
    na_confirmed_at = models.DateTimeField(_("N/A confirmed at"), null=True, blank=True)
    na_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Optimistic concurrency: each save increments it; a stale page is detected.
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "updated_by"])

    class Meta:
        ordering = ["response", "indicator__dimension__order", "indicator__order"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "indicator"], name="answer_unique_indicator"
            ),
            models.CheckConstraint(
                condition=Q(choice__in=["", "1", "2", "3", "4", "5", "na", "dk"]),
                name="answer_choice_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response} {self.indicator.code}: {self.choice or '—'}"

    @property
    def na_confirmed(self) -> bool:
        return self.choice == "na" and self.na_confirmed_at is not None


class DimensionTarget(models.Model):
    """The focal point's target step for a dimension this quarter ("form follows function")."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="targets")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    target_step = models.PositiveSmallIntegerField(_("target step"), validators=STEP_VALIDATORS)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "dimension__order"]
        verbose_name = _("dimension target")
        verbose_name_plural = _("dimension targets")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension"], name="target_unique_dimension"
            ),
            models.CheckConstraint(
                condition=Q(target_step__gte=1, target_step__lte=5), name="target_step_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.dimension.code} → {self.target_step}"


class IndicatorBandOverride(models.Model):
    """The focal point's target band for one indicator, replacing the file's default band;
    only with a written rationale. No row means the default band applies. Carried forward to
    the next quarter's assessment with its rationale until withdrawn (cleared), like an N/A
    declaration; ``carried_from`` names the quarter it was set in ("" when set this quarter)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="band_overrides"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    band_min = models.PositiveSmallIntegerField(_("target band from"), validators=STEP_VALIDATORS)
    band_max = models.PositiveSmallIntegerField(_("target band to"), validators=STEP_VALIDATORS)
    rationale = models.TextField(_("rationale"), max_length=REASON_MAX_LENGTH)
    carried_from = models.CharField(_("carried from the quarter"), max_length=7, blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["assessment", "indicator__dimension__order", "indicator__order"]
        verbose_name = _("target band override")
        verbose_name_plural = _("target band overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="band_override_unique_indicator"
            ),
            models.CheckConstraint(
                condition=Q(band_min__gte=1, band_max__lte=5, band_min__lte=models.F("band_max")),
                name="band_override_valid",
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="band_override_has_rationale"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.indicator.code} → {self.band_min}–{self.band_max}"


class IndicatorNotApplicable(models.Model):
    """The focal point's declaration that an indicator does not apply to the mission this
    quarter (no Peacebuilding Commission engagement, no protection mandate …). Carried forward
    to the next quarter's assessment until withdrawn (deleted; the history keeps it)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="not_applicable"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    carried_forward = models.BooleanField(
        _("carried forward from the previous quarter"), default=False
    )
    declared_at = models.DateTimeField(auto_now_add=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["declared_at"])

    class Meta:
        ordering = ["assessment", "indicator__dimension__order", "indicator__order"]
        verbose_name = _("indicator declared not applicable")
        verbose_name_plural = _("indicators declared not applicable")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="not_applicable_unique_indicator"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="not_applicable_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.indicator.code}: N/A"
