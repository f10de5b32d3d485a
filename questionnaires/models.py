"""Questionnaire definitions: versions, dimensions, indicators and their rubrics.

A published version is immutable; every content change goes into a new version.
Dimension and indicator codes stay stable across versions so that trends survive
revisions.
"""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from questionnaires.context import IndicatorRules
from questionnaires.steps import STEP_NAMES
from questionnaires.translations import SOURCE_LANGUAGE, text_in

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STEP_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


# The step names, for makemessages: steps.py keeps them as plain Python (no Django import).
_STEP_NAMES_TO_TRANSLATE = (
    gettext_noop("Co-existence"),
    gettext_noop("Networking / information sharing"),
    gettext_noop("Coordination"),
    gettext_noop("Collaboration / joint planning"),
    gettext_noop("Full integration"),
)


class IntegrationStep(models.IntegerChoices):
    """The 5-step spectrum of integration (Oslo 2007 report, section 1.2)."""

    COEXISTENCE = 1, _(STEP_NAMES[1])
    NETWORKING = 2, _(STEP_NAMES[2])
    COORDINATION = 3, _(STEP_NAMES[3])
    COLLABORATION = 4, _(STEP_NAMES[4])
    FULL_INTEGRATION = 5, _(STEP_NAMES[5])


class CoherenceLevel(models.TextChoices):
    """The three levels of coherence (section 1.2)."""

    POLICY_STRATEGIC = "policy_strategic", _("Policy / strategic")
    OPERATIONAL_PROGRAMMATIC = "operational_programmatic", _("Operational / programmatic")
    ADMINISTRATIVE = "administrative", _("Administrative")


class SourceBasis(models.TextChoices):
    """What an indicator, tag or glossary entry rests on."""

    REPORT = "report", _("Oslo 2007 report")
    PRACTICE = "practice", _("Practice since 2007")


class _Sourced:
    """An indicator, tag or glossary entry: it rests on the report or on practice."""

    basis: str

    @property
    def is_practice(self) -> bool:
        return self.basis == SourceBasis.PRACTICE


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


def _source_language_only() -> list[str]:
    return [SOURCE_LANGUAGE]


class Translatable(models.Model):
    """An item whose texts may exist in other languages than English.

    ``text(field)`` is the one way pages, exports and the API read a text: in the active
    language when the version has it, in English otherwise (``questionnaires.translations``).
    """

    # {"fr": {"statement": "…", "rubric_1": "…"}}: keyed by language, then by field name.
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def text(self, field: str, language: str | None = None) -> str:
        return text_in(self.translations, field, getattr(self, field), language)


class Questionnaire(Translatable):
    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The languages every text is complete in (the file's ``languages``); English first.
    languages = models.JSONField(_("languages"), default=_source_language_only)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=QuestionnaireStatus.choices,
        default=QuestionnaireStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="questionnaire_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == QuestionnaireStatus.DRAFT


class Dimension(Translatable):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    default_target_step = models.PositiveSmallIntegerField(
        _("default target step"), choices=IntegrationStep.choices, validators=STEP_VALIDATORS
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["questionnaire", "order"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="dimension_unique_code"),
            models.CheckConstraint(
                condition=Q(default_target_step__gte=1, default_target_step__lte=5),
                name="dimension_target_step_1_to_5",
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="dimension_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class Indicator(_Sourced, Translatable):
    # Denormalised from the dimension so that codes are unique per version.
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="indicators"
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    coherence_level = models.CharField(
        _("coherence level"), max_length=30, choices=CoherenceLevel.choices
    )
    statement = models.TextField(_("statement"))
    guidance = models.TextField(_("guidance for respondents"))
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    source = models.CharField(
        _("source"), max_length=300, help_text=_("Where in the source report this comes from.")
    )
    # A short verbatim passage of the report the indicator rests on (empty for practice).
    quote = models.TextField(_("quote"), blank=True)
    basis = models.CharField(
        _("basis"), max_length=10, choices=SourceBasis.choices, default=SourceBasis.REPORT
    )
    basis_note = models.TextField(_("note on the basis"), blank=True)
    # Who answers: component codes, or ["mission"] (missions.models.MISSION_WIDE) for an
    # indicator answered once by the focal point. Empty means every component (IMP-CORE v1).
    applies_to = models.JSONField(_("answered by"), default=list, blank=True)
    # The default target band; None in versions that only had a dimension target (v1).
    target_min = models.PositiveSmallIntegerField(
        _("target band from"), null=True, blank=True, validators=STEP_VALIDATORS
    )
    target_max = models.PositiveSmallIntegerField(
        _("target band to"), null=True, blank=True, validators=STEP_VALIDATORS
    )
    # IMP-CORE v3 (questionnaires.rules_spec): over-integration here is a harm, and these
    # component kinds' view decides (``voice``), for the reason ``voice_rationale`` gives.
    safeguard = models.BooleanField(_("safeguard"), default=False)
    voice = models.JSONField(_("components whose view decides"), default=list, blank=True)
    voice_rationale = models.TextField(_("why their view decides"), blank=True)
    # About what Member States or headquarters do: a condition the mission works under.
    is_external = models.BooleanField(_("external context"), default=False)
    # The context rules as the file gives them: {"applies_when": {…}, "band_source": {…},
    # "target_by_phase": {…}, "band_when": […]} (keys only when they hold something).
    rules = models.JSONField(_("context rules"), default=dict, blank=True)
    rubric_1 = models.TextField(_("step 1: co-existence"))
    rubric_2 = models.TextField(_("step 2: networking / information sharing"))
    rubric_3 = models.TextField(_("step 3: coordination"))
    rubric_4 = models.TextField(_("step 4: collaboration / joint planning"))
    rubric_5 = models.TextField(_("step 5: full integration"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["dimension__order", "order"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="indicator_unique_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="indicator_weight_positive"),
            models.CheckConstraint(
                condition=(Q(target_min__isnull=True) & Q(target_max__isnull=True))
                | Q(
                    target_min__gte=1,
                    target_max__lte=5,
                    target_min__lte=models.F("target_max"),
                ),
                name="indicator_target_band_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def default_band(self) -> tuple[int, int]:
        """The file's target band; a v1 indicator falls back to its dimension's target step."""
        if self.target_min is not None and self.target_max is not None:
            return (self.target_min, self.target_max)
        step = self.dimension.default_target_step
        return (step, step)

    @property
    def context_rules(self) -> "IndicatorRules":
        """What decides whether the indicator is asked and its band, as plain data."""
        target = None
        if self.target_min is not None and self.target_max is not None:
            target = (self.target_min, self.target_max)
        return IndicatorRules.of(code=self.code, target=target, rules=self.rules or {})

    @property
    def rubric(self) -> "list[tuple[int, StrOrPromise, str]]":
        """(step, step name, description) for the five steps, in order, in the active
        language."""
        return [
            (step.value, step.label, self.text(f"rubric_{step.value}")) for step in IntegrationStep
        ]


class TagKind(models.TextChoices):
    BARRIER = "barrier", _("Barrier")
    ENABLER = "enabler", _("Enabler")


class DimensionTag(_Sourced, Translatable):
    """A barrier or enabler respondents may tag on a dimension (fixed list per version)."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(_("kind"), max_length=10, choices=TagKind.choices)
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)
    quote = models.TextField(_("quote"), blank=True)
    basis = models.CharField(
        _("basis"), max_length=10, choices=SourceBasis.choices, default=SourceBasis.REPORT
    )
    basis_note = models.TextField(_("note on the basis"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["dimension__order", "kind", "order"]
        verbose_name = _("barrier or enabler tag")
        verbose_name_plural = _("barrier and enabler tags")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="dimension_tag_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"


class GlossaryTerm(_Sourced, Translatable):
    """A term respondents meet (IMTF, ISF, DSRSG/RC/HC …), defined per questionnaire version."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="glossary"
    )
    term = models.CharField(_("term"), max_length=80)
    definition = models.TextField(_("definition"))
    basis = models.CharField(
        _("basis"), max_length=10, choices=SourceBasis.choices, default=SourceBasis.PRACTICE
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    quote = models.TextField(_("quote"), blank=True)
    basis_note = models.TextField(_("note on the basis"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["questionnaire", "order"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "term"], name="glossary_unique_term")
        ]

    def __str__(self) -> str:
        return self.term
