"""Synthetic quarterly answers for demo missions: plausible, reproducible, marked demo.

Each mission gets a baseline level per dimension, a slow trend over the quarters,
components that see some dimensions differently (the humanitarian component
lower on HUM, for instance), and some "not applicable" and "don't know". On a
questionnaire with applicability (IMP-CORE v2) each component answers only the
indicators asked of it, the focal point answers the mission-level ones in the
whole-mission response, and the scenario's declarations, band overrides, phase and
pinned findings (``demo.scenario``) are written with the quarters.

Past quarters are written in bulk, as they would stand after the workflow ran (the
services of ``assessments`` refuse changes to a closed quarter, which is right for
people and wrong for a history being made up). The focal point's declarations and
overrides get history rows, so the activity tab shows who declared what.
"""

import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assessments.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    DimensionTarget,
    IndicatorBandOverride,
    IndicatorNotApplicable,
    Response,
    ResponseStatus,
)
from demo.scenario import DemoMission
from missions.models import MISSION_WIDE, Component, Membership, MembershipRole, Mission, Period
from questionnaires.applicability import applies_to_component
from questionnaires.models import Dimension, Indicator, Questionnaire

_EVIDENCE = [
    "Synthetic demo evidence: minutes of the senior leadership team meeting.",
    "Synthetic demo evidence: joint workplan reviewed this quarter.",
    "Synthetic demo evidence: integrated task force terms of reference.",
    "Synthetic demo evidence: no written record; respondent's own observation.",
]
# Share of its indicators each response has answered in the open current quarter.
# The reason written with a synthetic "not applicable" answer (IMP-CORE v3 needs one).
_NA_REASON = "Not part of this component's work this quarter."
# A safeguard indicator's band per quarter: period id -> code -> (voice components, min, max).
SafeguardBands = dict[int, dict[str, tuple[tuple[str, ...], int, int]]]

_CURRENT_SHARE = {Component.POLITICAL: 0.6, Component.HUMANITARIAN: 0.3, MISSION_WIDE: 0.5}


@dataclass(frozen=True)
class _Plan:
    baseline: dict[str, float]
    trend: float
    bias: dict[tuple[str, str], float]


def _plan(components: tuple[str, ...], dimension_codes: list[str], rng: random.Random) -> _Plan:
    bias = {}
    for component in components:
        for code in dimension_codes:
            bias[(component, code)] = rng.gauss(0, 0.4)
    bias[(Component.HUMANITARIAN, "HUM")] = -1.2  # keeps its distance
    bias[(Component.MILITARY, "HUM")] = 0.8  # sees more integration than there is
    return _Plan(
        baseline={code: rng.uniform(1.8, 3.6) for code in dimension_codes},
        trend=rng.uniform(-0.02, 0.08),
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
    """One questionnaire version as the writer needs it, loaded once."""

    def __init__(self, questionnaire: Questionnaire):
        self.questionnaire = questionnaire
        self.dimensions = list(questionnaire.dimensions.order_by("order"))
        self.indicators = list(
            Indicator.objects.filter(questionnaire=questionnaire)
            .select_related("dimension")
            .order_by("dimension__order", "order")
        )
        self.by_code = {indicator.code: indicator for indicator in self.indicators}
        self.tags = {
            dim.pk: [t.code for t in dim.tags.all()]
            for dim in Dimension.objects.filter(questionnaire=questionnaire).prefetch_related(
                "tags"
            )
        }
        # Target bands per indicator: a v2 questionnaire, with declarations and overrides.
        self.has_bands = any(i.target_min is not None for i in self.indicators)
        self.has_mission_level = any(
            applies_to_component(i.applies_to, MISSION_WIDE) for i in self.indicators
        )


class SyntheticHistory:
    """Writes one demo mission's assessments in bulk (answers without history rows:
    nobody typed these)."""

    def __init__(
        self,
        mission: Mission,
        scenario: DemoMission,
        versions: dict[int, SyntheticAnswers],
        seed: int = 2007,
        safeguard_bands: SafeguardBands | None = None,
    ):
        self.mission = mission
        self.scenario = scenario
        self.versions = versions
        # Where the voice component answers a safeguard (the humanitarian component on
        # humanitarian space, human rights on its reporting), the demo keeps it in the band
        # the mission's profile gives: breaches are the scenario's pinned ones, not noise.
        self.safeguard_bands = safeguard_bands or {}
        self.rng = random.Random(f"{seed}-{mission.code}")  # noqa: S311 (synthetic data)
        codes = sorted({d.code for version in versions.values() for d in version.dimensions})
        self.plan = _plan(scenario.components, codes, self.rng)
        focal = (
            Membership.objects.filter(mission=mission, role=MembershipRole.FOCAL_POINT)
            .select_related("user")
            .first()
        )
        self.focal_point = focal.user if focal else None

    @transaction.atomic
    def write(
        self, periods: list[Period], questionnaire_of: dict[int, Questionnaire], current: Period
    ) -> list[int]:
        """Create the mission's assessments for ``periods`` (oldest first; existing ones
        are kept as they are); returns the ids of the completed ones (to be scored)."""
        existing = set(
            Assessment.objects.filter(mission=self.mission).values_list("period_id", flat=True)
        )
        done, answers = [], []
        first_with_bands = True
        for index, period in enumerate(periods):
            version = self.versions[questionnaire_of[period.pk].pk]
            # Declarations are made in the first quarter on v2, carried forward after it.
            carried_forward = version.has_bands and not first_with_bands
            first_with_bands = first_with_bands and not version.has_bands
            if period.pk in existing:
                continue
            age = len(periods) - 1 - index
            assessment = self._assessment(period, version, age, is_current=period == current)
            if version.has_bands:
                self._quarter_settings(assessment, version, carried_forward)
            answers += self._answers(assessment, version, age, is_current=period == current)
            if period != current:
                done.append(assessment.pk)
            if len(answers) >= 20000:
                Answer.objects.bulk_create(answers, batch_size=5000)
                answers = []
        Answer.objects.bulk_create(answers, batch_size=5000)
        return done

    def _absent(self, age: int) -> str | None:
        """The component that did not respond in the last submitted quarter, if any."""
        return self.scenario.absent[0] if self.scenario.absent and age == 1 else None

    def _assessment(
        self, period: Period, version: SyntheticAnswers, age: int, *, is_current: bool
    ) -> Assessment:
        now = timezone.now()
        status = (
            AssessmentStatus.OPEN
            if is_current
            else AssessmentStatus.SUBMITTED
            if age == 1
            else AssessmentStatus.APPROVED
        )
        absent = self._absent(age)
        assessment = Assessment.objects.create(
            mission=self.mission,
            period=period,
            questionnaire=version.questionnaire,
            status=status,
            submitted_at=None if is_current else now,
            approved_at=now if status == AssessmentStatus.APPROVED else None,
            phase=self.scenario.phase if version.has_bands else "",
            missing_component_justifications=(
                {absent: self.scenario.absent[1]} if absent and self.scenario.absent else {}
            ),
        )
        rng = self.rng
        DimensionTarget.objects.bulk_create(
            DimensionTarget(
                assessment=assessment,
                dimension=dim,
                # v1's focal points moved the dimension targets; v2 sets bands instead.
                target_step=dim.default_target_step
                if version.has_bands
                else max(1, min(5, dim.default_target_step + rng.choice([0, 0, 0, 1, -1]))),
            )
            for dim in version.dimensions
        )
        return assessment

    def _quarter_settings(
        self, assessment: Assessment, version: SyntheticAnswers, carried_forward: bool
    ) -> None:
        """The focal point's N/A declarations and band overrides for the quarter."""
        by = self.focal_point
        bulk_create_with_history(
            [
                IndicatorNotApplicable(
                    assessment=assessment,
                    indicator=version.by_code[d.indicator_code],
                    reason=d.reason,
                    carried_forward=carried_forward,
                    declared_by=by,
                )
                for d in self.scenario.declarations
                if d.indicator_code in version.by_code
            ],
            IndicatorNotApplicable,
            default_user=by,
        )
        bulk_create_with_history(
            [
                IndicatorBandOverride(
                    assessment=assessment,
                    indicator=version.by_code[o.indicator_code],
                    band_min=o.band_min,
                    band_max=o.band_max,
                    rationale=o.rationale,
                    revision=1,
                    updated_by=by,
                )
                for o in self.scenario.overrides
                if o.indicator_code in version.by_code
            ],
            IndicatorBandOverride,
            default_user=by,
        )

    def _answers(
        self, assessment: Assessment, version: SyntheticAnswers, age: int, *, is_current: bool
    ) -> list[Answer]:
        rng, plan, now = self.rng, self.plan, timezone.now()
        absent = self._absent(age)
        components = list(self.scenario.components)
        if version.has_mission_level:
            components.append(MISSION_WIDE)
        complete = not is_current
        responses = Response.objects.bulk_create(
            Response(
                assessment=assessment,
                component=component,
                status=ResponseStatus.COMPLETE
                if complete and component != absent
                else ResponseStatus.DRAFT,
                completed_at=now if complete and component != absent else None,
            )
            for component in components
        )
        declared = {d.indicator_code for d in self.scenario.declarations}
        pinned = self.scenario.pinned_steps if version.has_bands else {}
        safeguards = self.safeguard_bands.get(assessment.period_id, {})
        answers = []
        for response in responses:
            if response.component == absent:
                continue
            for indicator in version.indicators:
                if not applies_to_component(indicator.applies_to, response.component):
                    continue
                if version.has_bands and indicator.code in declared:
                    continue  # nobody is asked an indicator declared not applicable
                if is_current and rng.random() > _CURRENT_SHARE.get(response.component, 0):
                    continue
                code = indicator.dimension.code
                level = (
                    plan.baseline[code]
                    - plan.trend * age
                    + plan.bias.get((response.component, code), 0)
                )
                choice = _choice(level, rng)
                guarded = safeguards.get(indicator.code)
                # The voice answers in band; where the mission has no voice component, the
                # mission's reading (every component's) does.
                if guarded and (
                    response.component in guarded[0] or not set(guarded[0]) & set(components)
                ):
                    low, high = guarded[1], guarded[2]
                    choice = str(low + age % (high - low + 1))  # no draw: the rest stays as it was
                if indicator.code in pinned:
                    choice = str(pinned[indicator.code])
                tags = version.tags[indicator.dimension_id]
                answers.append(
                    Answer(
                        response=response,
                        indicator=indicator,
                        choice=choice,
                        na_reason=_NA_REASON if choice == "na" else "",
                        evidence=rng.choice(_EVIDENCE) if rng.random() < 0.3 else "",
                        tag_codes=[rng.choice(tags)] if tags and rng.random() < 0.12 else [],
                        revision=1,
                    )
                )
        return answers
