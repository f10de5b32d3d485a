"""Computing and storing scores. The method itself is pure (``scoring.method``);
this module loads its input, stores its result, and asks the workers for it."""

import datetime
import logging
from collections import Counter
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from assessments.models import Assessment, Response, ResponseStatus
from imp_assess.tasks import send_on_commit, task_send
from missions.periods import quarter_parse
from questionnaires.models import DimensionTag, Questionnaire
from scoring import method_v1, method_v2
from scoring.inputs import (
    BandMapping,
    TagRows,
    questionnaire_def,
    questionnaire_def_v2,
    scoring_input_v1,
    scoring_input_v2,
)
from scoring.method import METHOD_VERSION, METHOD_VERSION_LABEL, METHODS
from scoring.models import (
    CoherenceLevelScore,
    ComponentDimensionScore,
    DimensionScore,
    IndicatorScore,
    ScoreSet,
    TagCount,
)
from scoring.signals import scores_stored

logger = logging.getLogger(__name__)


def scoring_request(*, assessment_id: int) -> None:
    """Ask for (re)scoring once the current transaction commits.

    The request time is stored first, in the same transaction as the change that
    needs scoring, so that the sweeper finds it even if the message is lost
    (Redis down). Sending never fails the user's request.
    """
    Assessment.objects.filter(pk=assessment_id).update(scoring_requested_at=timezone.now())
    send_on_commit(_send, assessment_id)


def _send(assessment_id: int) -> bool:
    from scoring.tasks import assessment_score  # the tasks module imports this one

    return task_send(assessment_score, assessment_id, what=f"scoring of assessment {assessment_id}")


def _store_v1(
    assessment: Assessment, result: method_v1.AssessmentResult, tags: TagRows
) -> ScoreSet:
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
    _store_tags(assessment, score_set, tags)
    return score_set


def _store_v2(
    assessment: Assessment, result: method_v2.AssessmentResult, tags: TagRows
) -> ScoreSet:
    findings = result.findings
    detail = result.as_dict()
    justifications = assessment.missing_component_justifications or {}
    # The focal point's justification for each component that had not completed at submission.
    detail["not_responded_justifications"] = {
        component: str(justifications.get(component, "")) for component in result.not_responded
    }
    score_set = ScoreSet.objects.create(
        assessment=assessment,
        mission_id=assessment.mission_id,
        period_id=assessment.period_id,
        method_version=result.method_version,
        computed_at=timezone.now(),
        index=findings.integration_level,
        score=findings.score,
        stage=result.stage or "",
        completeness=findings.completeness or 0.0,
        sufficient=findings.sufficient,
        components=list(result.components),
        alignment=findings.alignment,
        shortfall=findings.shortfall,
        over_integration=findings.over_integration,
        shortfall_count=len(findings.shortfall_indicators),
        over_integration_count=len(findings.over_integration_indicators),
        not_responded=list(result.not_responded),
        detail=detail,
    )
    DimensionScore.objects.bulk_create(
        DimensionScore(
            score_set=score_set,
            dimension_code=d.code,
            score=d.findings.score,
            completeness=d.findings.completeness or 0.0,
            sufficient=d.findings.sufficient,
            target=d.target_step,
            # v1's sign: positive = shortfall.
            gap=None if d.main_distance is None else -d.main_distance,
            gap_flag=d.main_flag or "",
            divergence=d.divergence,
            divergence_flag=d.divergence_flag,
            band_min=d.band_min,
            band_max=d.band_max,
            alignment=d.findings.alignment,
            shortfall=d.findings.shortfall,
            over_integration=d.findings.over_integration,
            shortfall_count=len(d.findings.shortfall_indicators),
            over_integration_count=len(d.findings.over_integration_indicators),
        )
        for d in result.dimensions
    )
    IndicatorScore.objects.bulk_create(
        IndicatorScore(
            score_set=score_set,
            indicator_code=i.code,
            dimension_code=i.dimension_code,
            applicable=i.applicable,
            value=i.value,
            band_min=i.band_min,
            band_max=i.band_max,
            band_overridden=i.band_source == method_v2.OVERRIDDEN_BAND,
            rationale=i.rationale,
            distance=i.distance,
            flag=i.flag or "",
            counted=i.counted,
            expected=i.expected,
            sufficient=i.sufficient,
            spread=i.spread,
        )
        for d in result.dimensions
        for i in d.indicators
    )
    CoherenceLevelScore.objects.bulk_create(
        CoherenceLevelScore(
            score_set=score_set,
            level=c.level,
            score=c.findings.score,
            completeness=c.findings.completeness or 0.0,
            sufficient=c.findings.sufficient,
            alignment=c.findings.alignment,
            shortfall_count=len(c.findings.shortfall_indicators),
            over_integration_count=len(c.findings.over_integration_indicators),
        )
        for c in result.coherence_levels
    )
    ComponentDimensionScore.objects.bulk_create(
        ComponentDimensionScore(
            score_set=score_set,
            component=profile.component,
            dimension_code=d.code,
            score=d.score,
            completeness=d.completeness or 0.0,
            shortfall_count=len(d.shortfall_indicators),
            over_integration_count=len(d.over_integration_indicators),
        )
        for profile in result.profiles
        for d in profile.dimensions
    )
    _store_tags(assessment, score_set, tags)
    return score_set


def _store_tags(assessment: Assessment, score_set: ScoreSet, tags: TagRows) -> None:
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


def assessment_scores_compute_many(
    *, assessment_ids: list[int], method: int = METHOD_VERSION
) -> dict[str, int]:
    """Score a batch, each assessment in its own transaction; returns counts."""
    counts = {"scored": 0, "nothing_to_score": 0}
    questionnaires: QuestionnaireCache = {}
    for assessment_id in assessment_ids:
        result = assessment_scores_compute(
            assessment_id=assessment_id, cache=questionnaires, method=method
        )
        counts["scored" if result else "nothing_to_score"] += 1
    return counts


# (method, questionnaire id) -> the questionnaire as that method reads it
QuestionnaireCache = dict[tuple[int, int], method_v1.QuestionnaireDef | method_v2.QuestionnaireDef]


def _questionnaire(
    questionnaire_id: int, method: int, cache: QuestionnaireCache | None
) -> method_v1.QuestionnaireDef | method_v2.QuestionnaireDef:
    """The questionnaire as ``method`` reads it, loaded once per batch when given a cache."""
    key = (method, questionnaire_id)
    if cache is not None and key in cache:
        return cache[key]
    questionnaire: method_v1.QuestionnaireDef | method_v2.QuestionnaireDef
    if method == 1:
        questionnaire = questionnaire_def(questionnaire_id)
    else:
        questionnaire, _mapping = questionnaire_def_v2(questionnaire_id)
    if cache is not None:
        cache[key] = questionnaire
    return questionnaire


@transaction.atomic
def assessment_scores_compute(
    *, assessment_id: int, cache: QuestionnaireCache | None = None, method: int = METHOD_VERSION
) -> ScoreSet | None:
    """Score the assessment with ``method`` (default: the current one) and store the result,
    replacing that method's previous result; results of other methods are kept.

    The assessment row is locked for the duration, so two concurrent runs (a
    redelivered message and the sweeper, say) store one result set, not two.
    Returns None when there is nothing to score yet (no complete response).
    """
    if method not in METHODS:
        raise ValueError(f"unknown scoring method {method!r}")
    assessment = Assessment.objects.select_for_update(of=("self",)).filter(pk=assessment_id).first()
    if assessment is None:
        return None
    questionnaire = _questionnaire(assessment.questionnaire_id, method, cache)
    data: method_v1.ScoringInput | method_v2.ScoringInput
    store: Callable[[Assessment, Any, TagRows], ScoreSet]
    if method == 1:
        data, tags = scoring_input_v1(assessment, cast(method_v1.QuestionnaireDef, questionnaire))
        if not data.components:
            return None
        store = _store_v1
    else:
        data, tags = scoring_input_v2(assessment, cast(method_v2.QuestionnaireDef, questionnaire))
        if not data.responded:
            return None
        store = _store_v2
    result = METHODS[method].score(data)
    ScoreSet.objects.filter(assessment=assessment, method_version=result.method_version).delete()
    score_set = store(assessment, result, tags)
    scores_stored.send(sender=ScoreSet, assessment_id=assessment.pk)
    return score_set


def scoring_pending(*, older_than: datetime.timedelta | None = None) -> QuerySet[Assessment]:
    """Assessments whose scoring was asked for a while ago and has no newer result."""
    if older_than is None:
        older_than = datetime.timedelta(seconds=settings.SCORING_SWEEP_AFTER_SECONDS)
    cutoff = timezone.now() - older_than
    fresh = ScoreSet.objects.filter(
        assessment=OuterRef("pk"),
        method_version=METHOD_VERSION_LABEL,
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
    scored_with: str | None = None,
    mission: str | None = None,
    period: str | None = None,
) -> QuerySet[Assessment]:
    """Assessments that have something to score, filtered as ``rescore`` was asked.

    ``scored_with`` picks the assessments that have stored scores from that method version
    string (e.g. "imp-score-1.0": the history to recompute after the method changed).
    """
    qs = Assessment.objects.filter(
        Exists(Response.objects.filter(assessment=OuterRef("pk"), status=ResponseStatus.COMPLETE))
    )
    if questionnaire:
        code, _, version = questionnaire.partition(":")
        qs = qs.filter(questionnaire__code=code)
        if version:
            qs = qs.filter(questionnaire__version=int(version))
    if scored_with:
        qs = qs.filter(score_sets__method_version=scored_with)
    if mission:
        qs = qs.filter(mission__code=mission)
    if period:
        year, quarter = quarter_parse(period)
        qs = qs.filter(period__year=year, period__quarter=quarter)
    return qs.order_by("pk")


def rescore_band_mappings(*, assessment_ids: list[int]) -> list[tuple[str, BandMapping]]:
    """For each questionnaire of these assessments that has no bands of its own, where method
    v2 takes its default bands from and which indicator codes it could not map."""
    questionnaires = Questionnaire.objects.filter(assessments__pk__in=assessment_ids).distinct()
    mappings = []
    for questionnaire in questionnaires.order_by("code", "version"):
        _definition, mapping = questionnaire_def_v2(questionnaire.pk)
        if mapping.mapped or mapping.unmapped:
            mappings.append((f"{questionnaire.code} v{questionnaire.version}", mapping))
    return mappings
