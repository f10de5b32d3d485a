"""Reads of assessments, responses and answers, always scoped to what the user may see."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from assessments.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    DimensionTarget,
    IndicatorBandOverride,
    IndicatorNotApplicable,
    Response,
)
from missions.models import MISSION_WIDE, RESPONSE_SCOPE_CHOICES, Membership, MembershipRole, Period
from missions.periods import quarter_previous
from missions.roles import User, account_of
from missions.selectors import context_profile_for, mission_list_visible_to, period_current
from questionnaires.applicability import applies_to_component
from questionnaires.context import indicator_applies, indicator_band
from questionnaires.models import Dimension, Indicator, Questionnaire


def assessment_list_visible_to(*, user: User) -> QuerySet[Assessment]:
    return Assessment.objects.filter(mission__in=mission_list_visible_to(user=user)).select_related(
        "mission", "period", "questionnaire"
    )


def assessment_get_for_user(*, user: User, assessment_id: int) -> Assessment:
    """Raises ``Assessment.DoesNotExist`` outside the user's missions."""
    return assessment_list_visible_to(user=user).get(pk=assessment_id)


def assessment_is_overdue(assessment: Assessment, *, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return assessment.status == AssessmentStatus.OPEN and today > assessment.period.closes_on


def scope_label(component: str) -> str:
    """The display name of a response's scope: a component, or the whole mission."""
    return str(dict(RESPONSE_SCOPE_CHOICES).get(component, component))


def questionnaire_has_bands(*, questionnaire: Questionnaire) -> bool:
    """Whether the version gives target bands per indicator (v2 on); v1 has dimension
    targets only, kept on the board as the dimension target form."""
    return questionnaire.indicators.filter(target_min__isnull=False).exists()


def assessment_expected_components(*, assessment: Assessment) -> list[str]:
    """Who answers: components with respondents, any that already responded, and the
    whole mission (the focal point) first when its response exists."""
    with_respondents = Membership.objects.filter(
        mission_id=assessment.mission_id, role=MembershipRole.RESPONDENT
    ).values_list("component", flat=True)
    responded = set(assessment.responses.values_list("component", flat=True))
    components = sorted((set(with_respondents) | responded) - {MISSION_WIDE})
    return [MISSION_WIDE, *components] if MISSION_WIDE in responded else components


def assessment_declared_not_applicable(
    *, assessment: Assessment
) -> dict[str, IndicatorNotApplicable]:
    """The focal point's mission-level N/A declarations this quarter, by indicator code."""
    return {
        row.indicator.code: row
        for row in IndicatorNotApplicable.objects.filter(assessment=assessment).select_related(
            "indicator__dimension", "declared_by"
        )
    }


def assessment_not_asked_by_profile(*, assessment: Assessment) -> set[int]:
    """Ids of the indicators the mission's context profile rules out this quarter (IMP-CORE
    v3 ``applies_when``): not asked of anyone, so never expected. Empty for v1 and v2."""
    profile = context_profile_for(mission=assessment.mission, period=assessment.period)
    return {
        indicator.pk
        for indicator in Indicator.objects.filter(
            questionnaire_id=assessment.questionnaire_id, rules__has_key="applies_when"
        ).only("pk", "code", "rules", "target_min", "target_max")
        if not indicator_applies(indicator, profile)[0]
    }


def assessment_context_reasons(*, assessment: Assessment) -> dict[str, tuple[str, str]]:
    """Per indicator code, why the context profile asks it ("Asked because …", or "Not asked
    because …") and why its band is what it is, for the indicators whose question or band the
    profile decides (IMP-CORE v3 ``applies_when``, ``target_by_phase``, ``band_when``): what
    the board's drill-down shows beside each. Empty for v1 and v2."""
    profile = context_profile_for(mission=assessment.mission, period=assessment.period)
    reasons = {}
    for indicator in Indicator.objects.filter(
        Q(rules__has_key="applies_when")
        | Q(rules__has_key="target_by_phase")
        | Q(rules__has_key="band_when"),
        questionnaire_id=assessment.questionnaire_id,
    ).only("pk", "code", "rules", "target_min", "target_max"):
        _applies, asked = indicator_applies(indicator, profile)
        rules = indicator.rules or {}
        band = (
            indicator_band(indicator, profile)
            if rules.get("target_by_phase") or rules.get("band_when")
            else None
        )
        reasons[indicator.code] = (asked, band.reason if band else "")
    return reasons


def response_applicable_indicators(*, assessment: Assessment, component: str) -> list[Indicator]:
    """The indicators asked of ``component`` (or of the focal point for MISSION_WIDE), in
    questionnaire order. Declared-N/A indicators are included: the page shows the reason.
    Indicators the context profile rules out are not asked."""
    not_asked = assessment_not_asked_by_profile(assessment=assessment)
    return [
        indicator
        for indicator in Indicator.objects.filter(questionnaire_id=assessment.questionnaire_id)
        .select_related("dimension")
        .order_by("dimension__order", "order")
        if applies_to_component(indicator.applies_to, component) and indicator.pk not in not_asked
    ]


def dimension_indicators_for(
    *, assessment: Assessment, component: str, dimension: Dimension
) -> tuple[list[Indicator], list[IndicatorNotApplicable]]:
    """What the answering page of ``dimension`` shows ``component``: the indicators to
    answer, and the declarations of those the focal point declared not applicable for
    the mission (shown with their reason instead of the question). An indicator the context
    profile decides carries its reason as ``asked_because`` ("Asked because …"); one the
    profile rules out is not asked."""
    profile = context_profile_for(mission=assessment.mission, period=assessment.period)
    asked = []
    for indicator in dimension.indicators.order_by("order"):
        applies, reason = indicator_applies(indicator, profile)
        if applies and applies_to_component(indicator.applies_to, component):
            indicator.asked_because = reason  # type: ignore[attr-defined]
            asked.append(indicator)
    declared = {
        row.indicator_id: row
        for row in IndicatorNotApplicable.objects.filter(
            assessment=assessment, indicator__in=asked
        ).select_related("indicator")
    }
    return (
        [indicator for indicator in asked if indicator.pk not in declared],
        [declared[indicator.pk] for indicator in asked if indicator.pk in declared],
    )


def assessment_expected_cells(
    *, assessment: Assessment, components: list[str] | None = None
) -> dict[str, list[str]]:
    """Indicator codes each response is expected to answer: those that apply to it, minus
    those the focal point declared not applicable for the mission. A respondent's own
    "not applicable" or "don't know" is an answer within these cells."""
    components = (
        components
        if components is not None
        else assessment_expected_components(assessment=assessment)
    )
    declared = set(
        IndicatorNotApplicable.objects.filter(assessment=assessment).values_list(
            "indicator_id", flat=True
        )
    ) | assessment_not_asked_by_profile(assessment=assessment)
    indicators = list(
        Indicator.objects.filter(questionnaire_id=assessment.questionnaire_id)
        .order_by("dimension__order", "order")
        .values_list("pk", "code", "applies_to")
    )
    return {
        component: [
            code
            for pk, code, applies_to in indicators
            if pk not in declared and applies_to_component(applies_to, component)
        ]
        for component in components
    }


@dataclass
class DimensionProgress:
    """A dimension with at least one indicator asked of the component. ``total`` counts
    the expected cells: applicable indicators not declared N/A for the mission."""

    dimension: Dimension
    answered: int
    total: int
    declared_not_applicable: int = 0

    @property
    def done(self) -> bool:
        return self.answered == self.total


@dataclass
class ResponseProgress:
    component: str
    response: Response | None
    dimensions: list[DimensionProgress] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(d.answered for d in self.dimensions)

    @property
    def total(self) -> int:
        return sum(d.total for d in self.dimensions)


def assessment_progress(
    *, assessment: Assessment, components: list[str] | None = None
) -> list[ResponseProgress]:
    """Answered / expected per dimension for each component, in a fixed number of queries.

    Only indicators that apply to the component count, minus those the focal point
    declared not applicable for the mission; "not applicable" and "don't know" given by a
    respondent are answers. Dimensions with nothing asked of the component are left out.
    """
    components = (
        components
        if components is not None
        else assessment_expected_components(assessment=assessment)
    )
    dimensions = list(
        Dimension.objects.filter(questionnaire_id=assessment.questionnaire_id).order_by("order")
    )
    indicators = list(
        Indicator.objects.filter(questionnaire_id=assessment.questionnaire_id).values_list(
            "pk", "dimension_id", "applies_to"
        )
    )
    declared = set(
        IndicatorNotApplicable.objects.filter(assessment=assessment).values_list(
            "indicator_id", flat=True
        )
    ) | assessment_not_asked_by_profile(assessment=assessment)
    responses = {r.component: r for r in assessment.responses.filter(component__in=components)}
    answered = set(
        Answer.objects.filter(response__assessment=assessment, response__component__in=components)
        .exclude(choice="")
        .values_list("response__component", "indicator_id")
    )
    progress = []
    for component in components:
        rows = []
        for dim in dimensions:
            asked = [
                pk
                for pk, dimension_id, applies_to in indicators
                if dimension_id == dim.pk and applies_to_component(applies_to, component)
            ]
            if not asked:
                continue
            expected = [pk for pk in asked if pk not in declared]
            rows.append(
                DimensionProgress(
                    dim,
                    answered=sum((component, pk) in answered for pk in expected),
                    total=len(expected),
                    declared_not_applicable=len(asked) - len(expected),
                )
            )
        progress.append(
            ResponseProgress(
                component=component, response=responses.get(component), dimensions=rows
            )
        )
    return progress


def response_for_component(*, assessment: Assessment, component: str) -> Response | None:
    """The component's response, or None if nobody started it."""
    return assessment.responses.filter(component=component).first()


def response_answers(*, response: Response) -> dict[str, Answer]:
    return {
        a.indicator.code: a
        for a in Answer.objects.filter(response=response).select_related("indicator")
    }


def response_previous_answers(*, response: Response) -> dict[str, Answer]:
    """Last quarter's answers of the same component of the same mission, by indicator code."""
    period = response.assessment.period
    year, quarter = quarter_previous(period.year, period.quarter)
    answers = Answer.objects.filter(
        response__assessment__mission_id=response.assessment.mission_id,
        response__assessment__period__year=year,
        response__assessment__period__quarter=quarter,
        response__component=response.component,
    ).select_related("indicator")
    return {a.indicator.code: a for a in answers}


def assessment_targets(*, assessment: Assessment) -> list[DimensionTarget]:
    return list(
        DimensionTarget.objects.filter(assessment=assessment)
        .select_related("dimension")
        .order_by("dimension__order")
    )


@dataclass
class IndicatorBand:
    """The target band that applies to one indicator this quarter."""

    indicator: Indicator
    default: tuple[int, int]
    override: IndicatorBandOverride | None

    @property
    def band(self) -> tuple[int, int]:
        if self.override is not None:
            return (self.override.band_min, self.override.band_max)
        return self.default

    @property
    def revision(self) -> int:
        """What a page built now saw; 0 when the default applies."""
        return self.override.revision if self.override is not None else 0


@dataclass
class DimensionBands:
    dimension: Dimension
    indicators: list[IndicatorBand]

    @property
    def summary(self) -> tuple[int, int] | None:
        """The dimension's target as a summary of its indicators' bands (lowest to highest)."""
        if not self.indicators:
            return None
        return (
            min(b.band[0] for b in self.indicators),
            max(b.band[1] for b in self.indicators),
        )

    @property
    def overridden(self) -> int:
        return sum(b.override is not None for b in self.indicators)


def assessment_bands(*, assessment: Assessment) -> list[DimensionBands]:
    """Each dimension's indicators with their band this quarter: the file's default, or the
    focal point's override (with its rationale). Three queries."""
    overrides = {
        o.indicator_id: o
        for o in IndicatorBandOverride.objects.filter(assessment=assessment).select_related(
            "updated_by"
        )
    }
    dimensions = {
        d.pk: DimensionBands(d, [])
        for d in Dimension.objects.filter(questionnaire_id=assessment.questionnaire_id).order_by(
            "order"
        )
    }
    for indicator in (
        Indicator.objects.filter(questionnaire_id=assessment.questionnaire_id)
        .select_related("dimension")
        .order_by("order")
    ):
        dimensions[indicator.dimension_id].indicators.append(
            IndicatorBand(indicator, indicator.default_band, overrides.get(indicator.pk))
        )
    return list(dimensions.values())


def assessment_band_revisions(*, assessment: Assessment) -> dict[str, int]:
    """Each indicator's band revision as a page built now sees it (0: default band)."""
    current = dict(
        IndicatorBandOverride.objects.filter(assessment=assessment).values_list(
            "indicator__code", "revision"
        )
    )
    codes = Indicator.objects.filter(questionnaire_id=assessment.questionnaire_id).values_list(
        "code", flat=True
    )
    return {code: current.get(code, 0) for code in codes}


def assessment_previous(*, mission_id: int, period: Period) -> Assessment | None:
    """The mission's latest assessment of a quarter before ``period``, if any."""
    return (
        Assessment.objects.filter(mission_id=mission_id)
        .filter(
            Q(period__year__lt=period.year)
            | Q(period__year=period.year, period__quarter__lt=period.quarter)
        )
        .order_by("-period__year", "-period__quarter")
        .first()
    )


def period_for_today(*, today: datetime.date | None = None) -> Period | None:
    return period_current(today=today)


@dataclass
class MyAssessmentRow:
    membership: Membership
    assessment: Assessment | None
    progress: ResponseProgress | None
    overdue: bool
    accepts_answers: bool = False  # set by the view (assessments.permissions)


def my_assessments(*, user: User, today: datetime.date | None = None) -> list[MyAssessmentRow]:
    """The current period's assessment for each of the user's memberships."""
    period = period_for_today(today=today)
    memberships = list(
        Membership.objects.filter(user=account_of(user))
        .select_related("mission")
        .order_by("mission__code")
    )
    assessments = {}
    if period is not None:
        assessments = {
            a.mission_id: a
            for a in Assessment.objects.filter(
                period=period, mission_id__in=[m.mission_id for m in memberships]
            ).select_related("period", "mission", "questionnaire")
        }
    rows = []
    for membership in memberships:
        assessment = assessments.get(membership.mission_id)
        progress = None
        if assessment is not None and membership.component:
            progress = assessment_progress(
                assessment=assessment, components=[membership.component]
            )[0]
        rows.append(
            MyAssessmentRow(
                membership=membership,
                assessment=assessment,
                progress=progress,
                overdue=bool(assessment and assessment_is_overdue(assessment, today=today)),
            )
        )
    return rows


def past_assessments_for_user(*, user: User, before: Period | None) -> QuerySet[Assessment]:
    qs = Assessment.objects.filter(mission__memberships__user=account_of(user)).distinct()
    if before is not None:
        qs = qs.filter(
            Q(period__year__lt=before.year)
            | Q(period__year=before.year, period__quarter__lt=before.quarter)
        )
    return qs.select_related("mission", "period").order_by(
        "-period__year", "-period__quarter", "mission__code"
    )


def assessment_safeguard_not_applicable(*, assessment: Assessment) -> list[Answer]:
    """Respondents' N/A answers on safeguard indicators this quarter, with their reasons, for
    the focal point to confirm (method v3 reads them only once confirmed); questionnaire
    order, then component."""
    return list(
        Answer.objects.filter(
            response__assessment=assessment, choice="na", indicator__safeguard=True
        )
        .select_related("indicator", "response", "na_confirmed_by")
        .order_by("indicator__dimension__order", "indicator__order", "response__component")
    )
