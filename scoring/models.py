"""Stored scores: one score set per assessment and scoring-method version.

Dashboards and exports read these rows, never the raw answers. A rerun of the
same method replaces the set (unique per assessment × method version), so
results are never doubled.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from missions.models import Mission, Period


class ScoreSet(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="score_sets")
    # Denormalised for dashboard queries that filter by mission and quarter.
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    method_version = models.CharField(_("scoring method version"), max_length=40)
    computed_at = models.DateTimeField(_("computed at"))
    index = models.FloatField(_("integration index"), null=True)
    score = models.FloatField(_("mean score (1–5)"), null=True)
    stage = models.CharField(_("stage"), max_length=60, blank=True)
    completeness = models.FloatField(_("completeness"))
    sufficient = models.BooleanField(_("sufficient data"))
    components = models.JSONField(_("components scored"), default=list)
    # The method's full result: the drill-down ("why is our Planning score 2.4?").
    detail = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("score set")
        verbose_name_plural = _("score sets")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "method_version"], name="score_set_unique_method"
            )
        ]
        indexes = [models.Index(fields=["period", "method_version"])]

    def __str__(self) -> str:
        return f"{self.assessment} ({self.method_version})"


class DimensionScore(models.Model):
    score_set = models.ForeignKey(ScoreSet, on_delete=models.CASCADE, related_name="dimensions")
    dimension_code = models.CharField(max_length=10)
    score = models.FloatField(null=True)
    completeness = models.FloatField()
    sufficient = models.BooleanField()
    target = models.PositiveSmallIntegerField()
    gap = models.FloatField(null=True)
    gap_flag = models.CharField(max_length=20, blank=True)
    divergence = models.FloatField(null=True)
    divergence_flag = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["score_set", "dimension_code"], name="dimension_score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension_code}: {self.score}"


class CoherenceLevelScore(models.Model):
    score_set = models.ForeignKey(
        ScoreSet, on_delete=models.CASCADE, related_name="coherence_levels"
    )
    level = models.CharField(max_length=30)
    score = models.FloatField(null=True)
    completeness = models.FloatField()
    sufficient = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["score_set", "level"], name="coherence_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.score}"


class ComponentDimensionScore(models.Model):
    """One component's own profile: how it sees each dimension."""

    score_set = models.ForeignKey(
        ScoreSet, on_delete=models.CASCADE, related_name="component_dimensions"
    )
    component = models.CharField(max_length=20)
    dimension_code = models.CharField(max_length=10)
    score = models.FloatField(null=True)
    completeness = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["score_set", "component", "dimension_code"],
                name="component_dimension_score_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.component} {self.dimension_code}: {self.score}"


class TagCount(models.Model):
    """How often a barrier or enabler was tagged on a dimension in the assessment."""

    score_set = models.ForeignKey(ScoreSet, on_delete=models.CASCADE, related_name="tag_counts")
    dimension_code = models.CharField(max_length=10)
    tag_code = models.CharField(max_length=40)
    kind = models.CharField(max_length=10)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["score_set", "dimension_code", "tag_code"], name="tag_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tag_code} × {self.count}"
