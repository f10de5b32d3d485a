"""Computing scores. The method itself is pure (``scoring.method``); this module loads its
input, has ``scoring.storage`` store its result, and asks the workers for it."""

import datetime
import logging
from typing import cast

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from assessments.models import Assessment, Response, ResponseStatus
from imp_assess.tasks import send_on_commit, task_send
from missions.periods import quarter_parse
from questionnaires.models import Questionnaire
from scoring import method_v1, method_v2
from scoring.inputs import (
    BandMapping,
    questionnaire_def,
    questionnaire_def_v2,
    scoring_input_v1,
    scoring_inputs_v2,
)
from scoring.loader_v3 import V3Mapping, scoring_inputs_v3, v3_mapping, v3_readable
from scoring.method import FALLBACK_METHOD, LIVE_METHOD_LABELS, METHOD_VERSION, METHODS
from scoring.method_v3_input import descriptive_input
from scoring.models import (
    ScoreSet,
)
from scoring.signals import scores_stored
from scoring.storage import (
    QuestionnaireCache,
    store_v1_result,
    store_v2_results,
    store_v3_results,
)

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


STORABLE_METHODS = frozenset({1, 2, 3})


def _check_method(method: int) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown scoring method {method!r}")
    if method not in STORABLE_METHODS:
        raise ValueError(f"scoring method {method} cannot be stored yet")


def assessment_scores_compute_many(
    *, assessment_ids: list[int], method: int = METHOD_VERSION
) -> dict[str, int]:
    """Score a batch and store the results; returns counts.

    Method v2 and later score the whole batch in one transaction, in a fixed number of queries
    (the batch's rows locked, read, replaced and inserted set-wise). If that fails, each
    assessment is scored again in its own transaction, so that one bad assessment does not
    cost the others their results. Method v1 scores one assessment per transaction.
    """
    questionnaires: QuestionnaireCache = {}
    _check_method(method)
    if method != 1:
        try:
            stored = _scores_compute_batch(
                assessment_ids=assessment_ids, cache=questionnaires, method=method
            )
        except Exception:
            logger.exception("batch scoring failed; scoring its assessments one by one")
        else:
            return {"scored": len(stored), "nothing_to_score": len(assessment_ids) - len(stored)}
    counts = {"scored": 0, "nothing_to_score": 0}
    for assessment_id in assessment_ids:
        result = assessment_scores_compute(
            assessment_id=assessment_id, cache=questionnaires, method=method
        )
        counts["scored" if result else "nothing_to_score"] += 1
    return counts


def _questionnaire(
    questionnaire_id: int, method: int, cache: QuestionnaireCache | None
) -> method_v1.QuestionnaireDef | method_v2.QuestionnaireDef:
    """The questionnaire as ``method`` reads it, loaded once per batch when given a cache."""
    key = (method, questionnaire_id)
    if cache is not None and key in cache:
        return cast(method_v1.QuestionnaireDef | method_v2.QuestionnaireDef, cache[key])
    questionnaire: method_v1.QuestionnaireDef | method_v2.QuestionnaireDef
    if method == 1:
        questionnaire = questionnaire_def(questionnaire_id)
    else:
        questionnaire, _mapping = questionnaire_def_v2(questionnaire_id)
    if cache is not None:
        cache[key] = questionnaire
    return questionnaire


@transaction.atomic
def _scores_compute_batch(
    *, assessment_ids: list[int], cache: QuestionnaireCache, method: int = 2
) -> dict[int, ScoreSet]:
    """Score assessments with method v2 or v3 and store the results, replacing that method's
    previous results; the new score sets by assessment id, for those that had something to
    score.

    Method 3 reads a questionnaire with safeguards, or an earlier version mapped to the newest
    published one that has them (``scoring.loader_v3``). An assessment it cannot read (no
    version with safeguards is published: IMP-CORE v3 not loaded) is scored with method 2, the
    newest method that reads it, rather than left without a result.

    The assessment rows are locked (in id order, so two batches never wait on each other in a
    circle) until the results are stored: a concurrent run waits and then replaces them, so a
    result is never doubled.
    """
    assessments = list(
        Assessment.objects.select_for_update(of=("self",))
        .filter(pk__in=assessment_ids)
        .order_by("pk")
    )
    if not assessments:
        return {}
    if method == 3:
        readable = v3_readable({a.questionnaire_id for a in assessments}, cache)
        stored = _batch_v3([a for a in assessments if a.questionnaire_id in readable], cache)
        stored |= _batch_v2([a for a in assessments if a.questionnaire_id not in readable], cache)
    else:
        stored = _batch_v2(assessments, cache)
    if stored:
        # One notice for the batch: the dashboards drop their cache once, not once per
        # assessment.
        scores_stored.send(sender=ScoreSet, assessment_ids=list(stored))
    return stored


def _batch_v3(assessments: list[Assessment], cache: QuestionnaireCache) -> dict[int, ScoreSet]:
    if not assessments:
        return {}
    scoring_method = METHODS[3]
    inputs_v3 = scoring_inputs_v3(assessments, cache)
    scored_v3 = []
    for assessment in assessments:
        data_v3, tags = inputs_v3[assessment.pk]
        if data_v3.responded:
            described = method_v2.score_assessment(descriptive_input(data_v3))
            scored_v3.append((assessment, (scoring_method.score(data_v3), described), tags))
    if not scored_v3:
        return {}
    ScoreSet.objects.filter(
        assessment__in=[assessment for assessment, _r, _t in scored_v3],
        method_version=scoring_method.label,
    ).only("pk").delete()
    stored_ids = [assessment.pk for assessment, _r, _t in scored_v3]
    score_sets = store_v3_results(scored_v3, cache)
    return dict(zip(stored_ids, score_sets, strict=True))


def _batch_v2(assessments: list[Assessment], cache: QuestionnaireCache) -> dict[int, ScoreSet]:
    if not assessments:
        return {}
    method_2 = METHODS[FALLBACK_METHOD]
    definitions = {
        questionnaire_id: cast(
            method_v2.QuestionnaireDef, _questionnaire(questionnaire_id, method_2.number, cache)
        )
        for questionnaire_id in {assessment.questionnaire_id for assessment in assessments}
    }
    inputs = scoring_inputs_v2(assessments, definitions)
    scored = []
    for assessment in assessments:
        data, tags = inputs[assessment.pk]
        if data.responded:
            scored.append((assessment, method_2.score(data), tags))
    if not scored:
        return {}
    ScoreSet.objects.filter(
        assessment__in=[assessment for assessment, _r, _t in scored],
        method_version=method_2.label,
    ).only("pk").delete()  # the rows' ids are all a delete needs; their details are large
    score_sets = store_v2_results(scored, cache)
    stored_ids = [assessment.pk for assessment, _r, _t in scored]
    return dict(zip(stored_ids, score_sets, strict=True))


def assessment_scores_compute(
    *, assessment_id: int, cache: QuestionnaireCache | None = None, method: int = METHOD_VERSION
) -> ScoreSet | None:
    """Score the assessment with ``method`` (default: the current one) and store the result,
    replacing that method's previous result; results of other methods are kept.

    The assessment row is locked for the duration, so two concurrent runs (a
    redelivered message and the sweeper, say) store one result set, not two.
    Returns None when there is nothing to score yet (no complete response).
    """
    _check_method(method)
    if method != 1:
        stored = _scores_compute_batch(
            assessment_ids=[assessment_id], cache={} if cache is None else cache, method=method
        )
        return stored.get(assessment_id)
    return _scores_compute_v1(assessment_id=assessment_id, cache=cache)


@transaction.atomic
def _scores_compute_v1(*, assessment_id: int, cache: QuestionnaireCache | None) -> ScoreSet | None:
    method = METHODS[1]
    assessment = Assessment.objects.select_for_update(of=("self",)).filter(pk=assessment_id).first()
    if assessment is None:
        return None
    questionnaire = _questionnaire(assessment.questionnaire_id, method.number, cache)
    data, tags = scoring_input_v1(assessment, cast(method_v1.QuestionnaireDef, questionnaire))
    if not data.components:
        return None
    result = method.score(data)
    ScoreSet.objects.filter(assessment=assessment, method_version=result.method_version).delete()
    score_set = store_v1_result(assessment, result, tags)
    scores_stored.send(sender=ScoreSet, assessment_ids=[assessment.pk])
    return score_set


def scoring_pending(*, older_than: datetime.timedelta | None = None) -> QuerySet[Assessment]:
    """Assessments whose scoring was asked for a while ago and has no newer result."""
    if older_than is None:
        older_than = datetime.timedelta(seconds=settings.SCORING_SWEEP_AFTER_SECONDS)
    cutoff = timezone.now() - older_than
    fresh = ScoreSet.objects.filter(
        assessment=OuterRef("pk"),
        method_version__in=LIVE_METHOD_LABELS,
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


def rescore_v3_mappings(*, assessment_ids: list[int]) -> list[tuple[V3Mapping, list[int]]]:
    """For each questionnaire of these assessments, how method v3 reads it (its own version,
    or the newest one with safeguards, answers mapped by code) and which assessments use it."""
    by_questionnaire: dict[int, list[int]] = {}
    for pk, questionnaire_id in (
        Assessment.objects.filter(pk__in=assessment_ids)
        .order_by("pk")
        .values_list("pk", "questionnaire_id")
    ):
        by_questionnaire.setdefault(questionnaire_id, []).append(pk)
    return [
        (v3_mapping(questionnaire_id), ids) for questionnaire_id, ids in by_questionnaire.items()
    ]
