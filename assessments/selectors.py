"""Reads of assessments, responses and answers, always scoped to what the user may see."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from assessments.models import Answer, Assessment, AssessmentStatus, DimensionTarget, Response
from missions.models import Membership, MembershipRole, Period
from missions.selectors import mission_list_visible_to
from questionnaires.models import Dimension

User = AbstractBaseUser | AnonymousUser


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


def assessment_expected_components(*, assessment: Assessment) -> list[str]:
    """Components that answer: those with respondents, and any that already responded."""
    with_respondents = Membership.objects.filter(
        mission_id=assessment.mission_id, role=MembershipRole.RESPONDENT
    ).values_list("component", flat=True)
    responded = assessment.responses.values_list("component", flat=True)
    return sorted(set(with_respondents) | set(responded))


@dataclass
class DimensionProgress:
    dimension: Dimension
    answered: int
    total: int

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
    """Answered / total per dimension for each component, in a fixed number of queries."""
    components = (
        components
        if components is not None
        else assessment_expected_components(assessment=assessment)
    )
    dimensions = list(
        Dimension.objects.filter(questionnaire_id=assessment.questionnaire_id)
        .annotate(total=Count("indicators"))
        .order_by("order")
    )
    responses = {r.component: r for r in assessment.responses.filter(component__in=components)}
    answered = defaultdict(int)
    rows = (
        Answer.objects.filter(response__assessment=assessment, response__component__in=components)
        .exclude(choice="")
        .values("response__component", "indicator__dimension_id")
        .annotate(n=Count("id"))
    )
    for row in rows:
        answered[(row["response__component"], row["indicator__dimension_id"])] = row["n"]
    return [
        ResponseProgress(
            component=component,
            response=responses.get(component),
            dimensions=[
                DimensionProgress(dim, answered[(component, dim.pk)], dim.total)
                for dim in dimensions
            ],
        )
        for component in components
    ]


def response_answers(*, response: Response) -> dict[str, Answer]:
    return {
        a.indicator.code: a
        for a in Answer.objects.filter(response=response).select_related("indicator")
    }


def response_previous_answers(*, response: Response) -> dict[str, Answer]:
    """Last quarter's answers of the same component of the same mission, by indicator code."""
    period = response.assessment.period
    year, quarter = (
        (period.year - 1, 4) if period.quarter == 1 else (period.year, period.quarter - 1)
    )
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


def period_for_today(*, today: datetime.date | None = None) -> Period | None:
    from missions.selectors import period_current

    return period_current(today=today)


@dataclass
class MyAssessmentRow:
    membership: Membership
    assessment: Assessment | None
    progress: ResponseProgress | None
    overdue: bool


def my_assessments(*, user: User, today: datetime.date | None = None) -> list[MyAssessmentRow]:
    """The current period's assessment for each of the user's memberships."""
    period = period_for_today(today=today)
    memberships = list(
        Membership.objects.filter(user=user).select_related("mission").order_by("mission__code")
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
    qs = Assessment.objects.filter(mission__memberships__user=user).distinct()
    if before is not None:
        qs = qs.filter(
            Q(period__year__lt=before.year)
            | Q(period__year=before.year, period__quarter__lt=before.quarter)
        )
    return qs.select_related("mission", "period").order_by(
        "-period__year", "-period__quarter", "mission__code"
    )
