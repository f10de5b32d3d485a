"""Computing and storing scores. The method itself is pure (``scoring.method``);
this module loads its input, stores its result, and asks the workers for it."""

import datetime
import logging
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from assessments.models import Assessment, Response, ResponseStatus
from dashboards.cache import dashboards_scores_changed
from questionnaires.models import DimensionTag
from scoring.inputs import questionnaire_def, scoring_input
from scoring.method_v1 import METHOD_LABEL as METHOD_VERSION
from scoring.method_v1 import AssessmentResult, QuestionnaireDef, score_assessment
from scoring.models import (
    CoherenceLevelScore,
    ComponentDimensionScore,
    DimensionScore,
    ScoreSet,
    TagCount,
)

logger = logging.getLogger(__name__)


def scoring_request(*, assessment_id: int) -> None:
    """Ask for (re)scoring once the current transaction commits.

    The request time is stored first, in the same transaction as the change that
    needs scoring, so that the sweeper finds it even if the message is lost
    (Redis down). Sending never fails the user's request.
    """
    Assessment.objects.filter(pk=assessment_id).update(scoring_requested_at=timezone.now())
    transaction.on_commit(lambda: _send(assessment_id))


def _send(assessment_id: int) -> bool:
    from scoring.tasks import assessment_score

    try:
        assessment_score.apply_async(
            (assessment_id,),
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5},
        )
    except Exception:  # broker down: the sweeper will send it again
        logger.warning("could not send scoring of assessment %s; the sweeper will", assessment_id)
        return False
    return True


def _store(assessment: Assessment, result: AssessmentResult, tags: list) -> ScoreSet:
    ScoreSet.objects.filter(assessment=assessment, method_version=result.method_version).delete()
    score_set = ScoreSet.objects.create(
        assessment=assessment,
        mission_id=assessment.mission_id,
        period_id=assessment.period_id,
        method_version=result.method_version,
        computed_at=timezone.now(),
        index=result.index,
        score=result.score,
        stage=result.stage or "",
        completeness=result.completeness,
        sufficient=result.sufficient,
        components=[profile.component for profile in result.components],
        detail=result.as_dict(),
    )
    DimensionScore.objects.bulk_create(
        DimensionScore(
            score_set=score_set,
            dimension_code=d.code,
            score=d.score,
            completeness=d.completeness,
            sufficient=d.sufficient,
            target=d.target,
            gap=d.gap,
            gap_flag=d.gap_flag or "",
            divergence=d.divergence,
            divergence_flag=d.divergence_flag,
        )
        for d in result.dimensions
    )
    CoherenceLevelScore.objects.bulk_create(
        CoherenceLevelScore(
            score_set=score_set,
            level=c.level,
            score=c.score,
            completeness=c.completeness,
            sufficient=c.sufficient,
        )
        for c in result.coherence_levels
    )
    ComponentDimensionScore.objects.bulk_create(
        ComponentDimensionScore(
            score_set=score_set,
            component=profile.component,
            dimension_code=d.code,
            score=d.score,
            completeness=d.completeness,
        )
        for profile in result.components
        for d in profile.dimensions
    )
    kinds = dict(
        DimensionTag.objects.filter(
            dimension__questionnaire_id=assessment.questionnaire_id
        ).values_list("code", "kind")
    )
    counts = Counter((dimension_code, code) for dimension_code, _c, codes in tags for code in codes)
    TagCount.objects.bulk_create(
        TagCount(
            score_set=score_set,
            dimension_code=dimension_code,
            tag_code=code,
            kind=kinds.get(code, ""),
            count=n,
        )
        for (dimension_code, code), n in sorted(counts.items())
    )
    return score_set


def assessment_scores_compute_many(*, assessment_ids: list[int]) -> dict[str, int]:
    """Score a batch, each assessment in its own transaction; returns counts."""
    counts = {"scored": 0, "nothing_to_score": 0}
    questionnaires: dict[int, QuestionnaireDef] = {}
    for assessment_id in assessment_ids:
        result = assessment_scores_compute(assessment_id=assessment_id, cache=questionnaires)
        counts["scored" if result else "nothing_to_score"] += 1
    return counts


@transaction.atomic
def assessment_scores_compute(
    *, assessment_id: int, cache: dict[int, QuestionnaireDef] | None = None
) -> ScoreSet | None:
    """Score the assessment and store the result, replacing the previous one.

    The assessment row is locked for the duration, so two concurrent runs (a
    redelivered message and the sweeper, say) store one result set, not two.
    Returns None when there is nothing to score yet (no complete response).
    """
    assessment = Assessment.objects.select_for_update(of=("self",)).filter(pk=assessment_id).first()
    if assessment is None:
        return None
    questionnaire = None
    if cache is not None:
        if assessment.questionnaire_id not in cache:
            cache[assessment.questionnaire_id] = questionnaire_def(assessment.questionnaire_id)
        questionnaire = cache[assessment.questionnaire_id]
    data, tags = scoring_input(assessment, questionnaire)
    if not data.components:
        return None
    result = score_assessment(data)
    score_set = _store(assessment, result, tags)
    dashboards_scores_changed()
    return score_set


def scoring_pending(*, older_than: datetime.timedelta | None = None):
    """Assessments whose scoring was asked for a while ago and has no newer result."""
    if older_than is None:
        older_than = datetime.timedelta(seconds=settings.SCORING_SWEEP_AFTER_SECONDS)
    cutoff = timezone.now() - older_than
    fresh = ScoreSet.objects.filter(
        assessment=OuterRef("pk"),
        method_version=METHOD_VERSION,
        computed_at__gte=OuterRef("scoring_requested_at"),
    )
    has_complete = Response.objects.filter(
        assessment=OuterRef("pk"), status=ResponseStatus.COMPLETE
    )
    return (
        Assessment.objects.filter(scoring_requested_at__lte=cutoff)
        .filter(Exists(has_complete))
        .exclude(Exists(fresh))
        .order_by("scoring_requested_at")
    )


def scoring_sweep(*, limit: int = 500) -> int:
    """Send again every lost scoring request; returns how many were sent."""
    sent = 0
    for assessment_id in scoring_pending().values_list("pk", flat=True)[:limit]:
        if _send(assessment_id):
            sent += 1
    return sent


def assessments_for_rescore(
    *,
    questionnaire: str | None = None,
    method: str | None = None,
    mission: str | None = None,
    period: str | None = None,
):
    """Assessments that have something to score, filtered as ``rescore`` was asked.

    ``method`` picks the assessments whose stored scores came from that method
    version (e.g. the previous one, after the method changed).
    """
    qs = Assessment.objects.filter(
        Exists(Response.objects.filter(assessment=OuterRef("pk"), status=ResponseStatus.COMPLETE))
    )
    if questionnaire:
        code, _, version = questionnaire.partition(":")
        qs = qs.filter(questionnaire__code=code)
        if version:
            qs = qs.filter(questionnaire__version=int(version))
    if method:
        qs = qs.filter(score_sets__method_version=method)
    if mission:
        qs = qs.filter(mission__code=mission)
    if period:
        year, _, quarter = period.upper().partition("-Q")
        qs = qs.filter(period__year=int(year), period__quarter=int(quarter))
    return qs.order_by("pk")
