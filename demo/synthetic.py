"""Synthetic quarterly answers for demo missions: plausible, reproducible, marked demo.

Each mission gets a baseline level per dimension, a slow trend over the quarters,
components that see some dimensions differently (the humanitarian component
lower on HUM, for instance), and some "not applicable" and "don't know".
"""

import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from assessments.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    DimensionTarget,
    Response,
    ResponseStatus,
)
from missions.models import Component, Mission, Period
from questionnaires.models import Dimension, Indicator, Questionnaire

# Components that answer in demo missions, besides political and humanitarian.
_OPTIONAL_COMPONENTS = [
    Component.MILITARY,
    Component.POLICE,
    Component.MISSION_SUPPORT,
    Component.DEVELOPMENT,
    Component.HUMAN_RIGHTS,
    Component.RULE_OF_LAW,
]
_EVIDENCE = [
    "Synthetic demo evidence: minutes of the senior leadership team meeting.",
    "Synthetic demo evidence: joint workplan reviewed this quarter.",
    "Synthetic demo evidence: integrated task force terms of reference.",
    "Synthetic demo evidence: no written record; respondent's own observation.",
]


@dataclass(frozen=True)
class _Plan:
    baseline: dict[str, float]
    trend: float
    components: list[str]
    bias: dict[tuple[str, str], float]


def _plan(mission: Mission, dimensions: list[Dimension], rng: random.Random) -> _Plan:
    components = [Component.POLITICAL, Component.HUMANITARIAN] + rng.sample(
        _OPTIONAL_COMPONENTS, rng.randint(1, 3)
    )
    bias = {}
    for component in components:
        for dim in dimensions:
            bias[(component, dim.code)] = rng.gauss(0, 0.4)
    for dim in dimensions:
        if dim.code == "HUM":
            bias[(Component.HUMANITARIAN, "HUM")] = -1.2  # keeps its distance
            bias[(Component.MILITARY, "HUM")] = 0.8  # sees more integration than there is
    return _Plan(
        baseline={dim.code: rng.uniform(1.8, 3.6) for dim in dimensions},
        trend=rng.uniform(-0.02, 0.08),
        components=components,
        bias=bias,
    )


def _choice(level: float, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.04:
        return "na"
    if roll < 0.06:
        return "dk"
    return str(min(5, max(1, round(level + rng.gauss(0, 0.6)))))


class SyntheticAnswers:
    """Writes demo assessments in bulk (no history rows: nobody typed these)."""

    def __init__(self, questionnaire: Questionnaire, seed: int = 2007):
        self.questionnaire = questionnaire
        self.dimensions = list(questionnaire.dimensions.order_by("order"))
        self.indicators = list(
            Indicator.objects.filter(questionnaire=questionnaire)
            .select_related("dimension")
            .prefetch_related("dimension__tags")
            .order_by("dimension__order", "order")
        )
        self.tags = {
            dim.pk: [t.code for t in dim.tags.all()]
            for dim in Dimension.objects.filter(questionnaire=questionnaire).prefetch_related(
                "tags"
            )
        }
        self.seed = seed

    @transaction.atomic
    def mission_history(
        self, mission: Mission, periods: list[Period], current: Period
    ) -> list[int]:
        """Create the mission's assessments for ``periods`` (skipping existing ones);
        returns the ids of the completed ones (to be scored)."""
        rng = random.Random(f"{self.seed}-{mission.code}")  # noqa: S311 (synthetic data)
        plan = _plan(mission, self.dimensions, rng)
        existing = set(
            Assessment.objects.filter(mission=mission).values_list("period_id", flat=True)
        )
        done, answers = [], []
        now = timezone.now()
        for age, period in enumerate(reversed(periods)):
            if period.pk in existing:
                continue
            is_current = period.pk == current.pk
            status = (
                AssessmentStatus.OPEN
                if is_current
                else AssessmentStatus.SUBMITTED
                if age == 1
                else AssessmentStatus.APPROVED
            )
            assessment = Assessment.objects.create(
                mission=mission,
                period=period,
                questionnaire=self.questionnaire,
                status=status,
                submitted_at=None if is_current else now,
                approved_at=now if status == AssessmentStatus.APPROVED else None,
            )
            DimensionTarget.objects.bulk_create(
                DimensionTarget(
                    assessment=assessment,
                    dimension=dim,
                    target_step=max(
                        1, min(5, dim.default_target_step + rng.choice([0, 0, 0, 1, -1]))
                    ),
                )
                for dim in self.dimensions
            )
            components = (
                [Component.POLITICAL, Component.HUMANITARIAN] if is_current else plan.components
            )
            responses = Response.objects.bulk_create(
                Response(
                    assessment=assessment,
                    component=component,
                    status=ResponseStatus.DRAFT if is_current else ResponseStatus.COMPLETE,
                    completed_at=None if is_current else now,
                )
                for component in components
            )
            share = {Component.POLITICAL: 0.6, Component.HUMANITARIAN: 0.3}
            for response in responses:
                for indicator in self.indicators:
                    if is_current and rng.random() > share.get(response.component, 0):
                        continue
                    code = indicator.dimension.code
                    level = (
                        plan.baseline[code]
                        - plan.trend * age
                        + plan.bias.get((response.component, code), 0)
                    )
                    tags = self.tags[indicator.dimension_id]
                    answers.append(
                        Answer(
                            response=response,
                            indicator=indicator,
                            choice=_choice(level, rng),
                            evidence=rng.choice(_EVIDENCE) if rng.random() < 0.3 else "",
                            tag_codes=[rng.choice(tags)] if tags and rng.random() < 0.12 else [],
                            revision=1,
                        )
                    )
            if not is_current:
                done.append(assessment.pk)
            if len(answers) >= 20000:
                Answer.objects.bulk_create(answers, batch_size=5000)
                answers = []
        Answer.objects.bulk_create(answers, batch_size=5000)
        return done
