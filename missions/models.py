"""Missions, quarterly periods and who works for which mission."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from missions.periods import quarter_display, quarter_label


class MissionKind(models.TextChoices):
    PEACEKEEPING = "pko", _("Peacekeeping operation")
    SPECIAL_POLITICAL = "spm", _("Special political mission")


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA_PACIFIC = "asia_pacific", _("Asia and the Pacific")
    EUROPE = "europe", _("Europe")
    MIDDLE_EAST = "middle_east", _("Middle East")


class Component(models.TextChoices):
    """The parts of an integrated mission that answer the questionnaire separately."""

    POLITICAL = "political", _("Political")
    MILITARY = "military", _("Military")
    POLICE = "police", _("Police")
    MISSION_SUPPORT = "mission_support", _("Mission support")
    HUMANITARIAN = "humanitarian", _("Humanitarian")
    DEVELOPMENT = "development", _("Development / UN country team")
    HUMAN_RIGHTS = "human_rights", _("Human rights")
    RULE_OF_LAW = "rule_of_law", _("Rule of law")


# Answers to indicators that apply to the mission as a whole (e.g. budget committee, Member State
# coherence) are given once, by the focal point, in a response under this key instead of a
# component. It is not a Component: nobody is a "mission" respondent.
MISSION_WIDE = "mission"


# What a component response may be keyed by: a component, or the mission as a whole.
RESPONSE_SCOPE_CHOICES = [*Component.choices, (MISSION_WIDE, _("Whole mission (focal point)"))]


class MissionPhase(models.TextChoices):
    """Where the mission stands in its life cycle; "form follows function" (report, 1.2)."""

    START_UP = "start_up", _("Start-up")
    CONSOLIDATION = "consolidation", _("Consolidation")
    DRAWDOWN = "drawdown", _("Drawdown / transition")


class Mission(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=3, choices=MissionKind.choices)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        help_text=_("Fictional mission with synthetic data; marked as demo data wherever shown."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Only active missions get each new quarter's assessment."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Period(models.Model):
    """One quarter of the assessment cycle, e.g. 2026-Q3."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        choices=[
            (1, pgettext_lazy("quarter of the year", "Q1")),
            (2, pgettext_lazy("quarter of the year", "Q2")),
            (3, pgettext_lazy("quarter of the year", "Q3")),
            (4, pgettext_lazy("quarter of the year", "Q4")),
        ],
    )
    # The answering window: opens on the open date, due on the due date (an assessment still
    # open after it is overdue). Defaults: missions.periods.quarter_default_dates.
    opens_on = models.DateField(
        _("open date"), help_text=_("The quarter's assessments open for every active mission.")
    )
    closes_on = models.DateField(
        _("due date"), help_text=_("Last day of answering; reminders count down to it.")
    )
    # Set once when the quarter's assessments were opened for every active mission (by the
    # daily task on the open date, or by the administrator's action), so it happens once.
    assessments_opened_at = models.DateTimeField(
        _("assessments opened at"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["year", "quarter"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="period_unique_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="period_quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="period_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def label(self) -> str:
        """The quarter's code, ``2026-Q3`` (URLs, files, the API)."""
        return quarter_label(self.year, self.quarter)

    @property
    def display(self) -> str:
        """The quarter as people read it in the active language (``T3 2026`` in French)."""
        return quarter_display(self.year, self.quarter)


class MembershipRole(models.TextChoices):
    RESPONDENT = "respondent", _("Respondent")
    FOCAL_POINT = "focal_point", _("Focal point")


class Membership(models.Model):
    """A user's role in one mission. Respondents answer for one component."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mission_memberships",
        verbose_name=_("user"),
    )
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("mission")
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices)
    component = models.CharField(
        _("component"),
        max_length=20,
        choices=Component.choices,
        blank=True,
        help_text=_("Required for respondents: the component they answer for."),
    )

    class Meta:
        ordering = ["mission__code", "role", "component"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "mission", "role", "component"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=~Q(role="respondent") | ~Q(component=""),
                name="membership_respondent_has_component",
            ),
        ]

    def __str__(self) -> str:
        component = f" ({self.get_component_display()})" if self.component else ""
        return f"{self.user} — {self.mission.code}: {self.get_role_display()}{component}"


class MissionType(models.TextChoices):
    """The profile's mission type (``missions.context.MISSION_TYPES``)."""

    PEACEKEEPING = "peacekeeping", _("Peacekeeping operation")
    SPECIAL_POLITICAL = "special_political", _("Special political mission")


class Leadership(models.TextChoices):
    """Integrated leadership (``missions.context.LEADERSHIP``)."""

    TRIPLE_HATTED = "triple_hatted", _("Deputy SRSG is also Resident and Humanitarian Coordinator")
    DOUBLE_HATTED = "double_hatted", _("Deputy SRSG is also Resident Coordinator only")
    NONE = "none", _("No deputy SRSG holds the coordinator roles")


class MissionContextProfile(models.Model):
    """One recording of a mission's context profile (``missions.context.ContextProfile``).

    Rows are history: each is what the profile became in ``period`` when it was recorded,
    with who recorded it and why. The profile of a quarter is the latest row of that quarter
    or of the quarters before it (it carries forward); ``missions.selectors`` reads it.
    """

    mission = models.ForeignKey(
        Mission,
        on_delete=models.CASCADE,
        related_name="context_profiles",
        verbose_name=_("mission"),
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="+", verbose_name=_("quarter")
    )
    mission_type = models.CharField(_("mission type"), max_length=20, choices=MissionType.choices)
    leadership = models.CharField(
        _("integrated leadership"), max_length=20, choices=Leadership.choices
    )
    poc_mandate = models.BooleanField(_("protection of civilians in the mandate"))
    human_rights_mandate = models.BooleanField(_("human rights reporting in the mandate"))
    humanitarian_operation = models.BooleanField(
        _("active humanitarian operation with a humanitarian country team")
    )
    country_team = models.BooleanField(_("UN country team present"))
    host_state_party = models.BooleanField(_("host state a party to the conflict"))
    phase = models.CharField(_("phase"), max_length=20, choices=MissionPhase.choices)
    reason = models.TextField(_("reason for the change"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    set_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["mission", "period__year", "period__quarter", "set_at", "pk"]
        verbose_name = _("mission context profile")
        verbose_name_plural = _("mission context profiles")
        indexes = [models.Index(fields=["mission", "period"], name="context_profile_mission")]

    def __str__(self) -> str:
        return f"{self.mission.code} {self.period}: {self.get_phase_display()}"
