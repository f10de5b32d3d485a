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
    # Method v2 and later (None for v1 rows). For v2 rows ``index`` holds the integration level
    # (0-100, higher is not better) and ``score`` the mean step behind it.
    alignment = models.FloatField(_("target alignment"), null=True)
    shortfall = models.FloatField(_("alignment points lost to shortfall"), null=True)
    over_integration = models.FloatField(_("alignment points lost to over-integration"), null=True)
    shortfall_count = models.PositiveSmallIntegerField(_("indicators short"), null=True)
    over_integration_count = models.PositiveSmallIntegerField(
        _("indicators over-integrated"), null=True
    )
    not_responded = models.JSONField(_("components that did not respond"), default=list)
    # Method v3 and later (None for v1 and v2 rows): the gated headline. ``alignment`` holds
    # the alignment shown (capped at 50 with a critical finding or an unverified safeguard,
    # None without enough answers); ``uncapped_alignment`` the figure before the cap.
    critical_count = models.PositiveSmallIntegerField(_("critical findings"), null=True)
    unverified_count = models.PositiveSmallIntegerField(_("unverified safeguards"), null=True)
    contested_count = models.PositiveSmallIntegerField(_("contested indicators"), null=True)
    coverage = models.FloatField(_("coverage"), null=True)
    uncapped_alignment = models.FloatField(_("uncapped alignment"), null=True)
    enough_answers = models.BooleanField(_("enough answers for a headline"), null=True)
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
    # v1: the dimension's target step. v2: the summary step of its bands in force (weighted
    # median of the midpoints, half down), a label only.
    target = models.PositiveSmallIntegerField(null=True)
    # v1: target - score. v2: one summary per dimension, over-integration first (negative),
    # else shortfall (positive), in mean steps; the counts below are the findings.
    gap = models.FloatField(null=True)
    gap_flag = models.CharField(max_length=20, blank=True)
    divergence = models.FloatField(null=True)
    divergence_flag = models.BooleanField(default=False)
    # Method v2 and later (None for v1 rows).
    band_min = models.PositiveSmallIntegerField(null=True)
    band_max = models.PositiveSmallIntegerField(null=True)
    alignment = models.FloatField(null=True)
    shortfall = models.FloatField(null=True)
    over_integration = models.FloatField(null=True)
    shortfall_count = models.PositiveSmallIntegerField(null=True)
    over_integration_count = models.PositiveSmallIntegerField(null=True)

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
    alignment = models.FloatField(null=True)  # method v2 and later
    shortfall_count = models.PositiveSmallIntegerField(null=True)
    over_integration_count = models.PositiveSmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["score_set", "level"], name="coherence_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.score}"


class IndicatorScore(models.Model):
    """Method v2 and later: one indicator's finding, against the band that applied."""

    score_set = models.ForeignKey(ScoreSet, on_delete=models.CASCADE, related_name="indicators")
    indicator_code = models.CharField(max_length=20)
    dimension_code = models.CharField(max_length=10)
    applicable = models.BooleanField()
    value = models.FloatField(null=True)
    band_min = models.PositiveSmallIntegerField()
    band_max = models.PositiveSmallIntegerField()
    band_overridden = models.BooleanField(default=False)
    rationale = models.TextField(blank=True)  # the override's rationale
    distance = models.FloatField(null=True)  # 0 in band, < 0 shortfall, > 0 over-integration
    flag = models.CharField(max_length=20, blank=True)
    counted = models.PositiveSmallIntegerField()
    expected = models.PositiveSmallIntegerField()
    sufficient = models.BooleanField()
    spread = models.PositiveSmallIntegerField(null=True)
    # Method v3 and later: the finding ("critical", "unverified", "shortfall",
    # "over_integration", "in_band", "insufficient", "not_applicable"), whether it is
    # contested, and why its band applied (or why it is not applicable); the quarter a carried
    # override was set in is in the score set's ``detail``. Few columns on purpose: SQLite
    # inserts a 55-indicator set in one statement only below 999 values. (Database defaults:
    # method v2 stores its rows without these columns.)
    status = models.CharField(max_length=20, blank=True, db_default="")
    contested = models.BooleanField(null=True)
    band_reason = models.TextField(blank=True, db_default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["score_set", "indicator_code"], name="indicator_score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code}: {self.value} ({self.flag or 'in band'})"

    @property
    def critical(self) -> bool:
        return self.status == "critical"


class ComponentDimensionScore(models.Model):
    """One component's own profile: how it sees each dimension."""

    score_set = models.ForeignKey(
        ScoreSet, on_delete=models.CASCADE, related_name="component_dimensions"
    )
    component = models.CharField(max_length=20)
    dimension_code = models.CharField(max_length=10)
    score = models.FloatField(null=True)
    completeness = models.FloatField()
    shortfall_count = models.PositiveSmallIntegerField(null=True)  # method v2 and later
    over_integration_count = models.PositiveSmallIntegerField(null=True)

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
