"""A quarter scored by method 2 with every kind of finding, and one quarter only method 1 scored.

Mission A, current quarter, questionnaire TEST (bands: the dimension targets, LEAD 4–4 and
HUM 2–2). Two components: political answers; humanitarian never responds and the focal point
submits with a justification. The focal point overrides LEAD-02's band to 1–2 with a rationale
and records the phase (start-up). Political answers LEAD-01 2 (shortfall, −2), LEAD-02 4
(over-integration against the override, +2), HUM-01 5 (over-integration, +3).

Mission A, previous quarter: scored by method 1 only (a quarter scored before method 2).
"""

from dataclasses import dataclass

from django.db import transaction

from assessments.models import Answer, IndicatorBandOverride, Response, ResponseStatus
from assessments.services import assessment_open, assessment_submit
from missions.models import Component, MembershipRole
from questionnaires.models import Indicator
from scoring.method import METHODS
from scoring.models import ScoreSet
from scoring.services import assessment_scores_compute
from tests.factories import MembershipFactory, UserFactory

RATIONALE = "Start-up: one joint cell, no more."
JUSTIFICATION = "Cluster lead on mission travel."
V1, V2 = METHODS[1].label, METHODS[2].label


@dataclass
class FindingsData:
    personas: object
    v2: object  # the method-2 assessment
    v1: object  # the method-1-only assessment

    def score_set(self, method: str = V2) -> ScoreSet:
        assessment = self.v2 if method == V2 else self.v1
        return ScoreSet.objects.get(assessment=assessment, method_version=method)


def _answer(assessment, component: str, answers: dict[str, str]) -> None:
    indicators = {
        i.code: i for i in Indicator.objects.filter(questionnaire=assessment.questionnaire)
    }
    response = Response.objects.get(assessment=assessment, component=component)
    Answer.objects.bulk_create(
        Answer(response=response, indicator=indicators[code], choice=choice)
        for code, choice in answers.items()
    )
    Response.objects.filter(pk=response.pk).update(status=ResponseStatus.COMPLETE)


def build_findings_data(personas, previous, current) -> FindingsData:
    mission = personas.mission_a
    MembershipFactory(
        user=UserFactory(username="humanitarian_a"),
        mission=mission,
        role=MembershipRole.RESPONDENT,
        component=Component.HUMANITARIAN,
    )
    v2 = assessment_open(mission=mission, period=current)
    v2.phase = "start_up"
    v2.save(update_fields=["phase"])
    IndicatorBandOverride.objects.create(
        assessment=v2,
        indicator=Indicator.objects.get(questionnaire=v2.questionnaire, code="LEAD-02"),
        band_min=1,
        band_max=2,
        rationale=RATIONALE,
    )
    _answer(v2, "political", {"LEAD-01": "2", "LEAD-02": "4", "HUM-01": "5"})
    with transaction.atomic():
        assessment_submit(
            assessment=v2, by=personas.focal_point_a, justifications={"humanitarian": JUSTIFICATION}
        )
    assessment_scores_compute(assessment_id=v2.pk)

    v1 = assessment_open(mission=mission, period=previous)
    _answer(v1, "political", {"LEAD-01": "3", "LEAD-02": "3", "HUM-01": "2"})
    _answer(v1, "humanitarian", {"LEAD-01": "2", "LEAD-02": "1", "HUM-01": "1"})
    assessment_scores_compute(assessment_id=v1.pk, method=1)
    v2.refresh_from_db()
    return FindingsData(personas, v2, v1)
