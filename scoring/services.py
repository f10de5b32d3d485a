"""Computing and storing scores. The method itself is pure (``scoring.method``);
this module loads its input, stores its result, and asks the workers for it."""

import datetime
import logging
from collections import Counter
from typing import Any, cast

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from assessments.models import Assessment, Response, ResponseStatus
from imp_assess.tasks import send_on_commit, task_send
from missions.periods import quarter_parse
from questionnaires.models import DimensionTag, Questionnaire
from scoring import method_v1, method_v2, method_v3
from scoring.bulk import rows_insert
from scoring.inputs import (
    BandMapping,
    TagRows,
    questionnaire_def,
    questionnaire_def_v2,
    scoring_input_v1,
    scoring_inputs_v2,
)
from scoring.loader_v3 import V3Mapping, scoring_inputs_v3, v3_mapping, v3_readable
from scoring.method import FALLBACK_METHOD, LIVE_METHOD_LABELS, METHOD_VERSION, METHODS
from scoring.method_v3_input import descriptive_input
from scoring.models import (
    CoherenceLevelScore,
    ComponentDimensionScore,
    DimensionScore,
    IndicatorScore,
    ScoreSet,
    TagCount,
)
from scoring.selectors import INDICATOR_SCORE_FIELDS
from scoring.signals import scores_stored

logger = logging.getLogger(__name__)

# What a batch loads once: (method, questionnaire id) -> the questionnaire as that method reads
# it; ("tag kinds", questionnaire id) -> barrier or enabler by tag code.
QuestionnaireCache = dict[tuple[int | str, int], Any]


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


def _score_set_row(assessment: Assessment, result: method_v2.AssessmentResult) -> tuple[Any, ...]:
    findings = result.findings
    detail = result.as_dict()
    justifications = assessment.missing_component_justifications or {}
    # The focal point's justification for each component that had not completed at submission.
    detail["not_responded_justifications"] = {
        component: str(justifications.get(component, "")) for component in result.not_responded
    }
    return (
        assessment.pk,
        assessment.mission_id,
        assessment.period_id,
        result.method_version,
        timezone.now(),
        findings.integration_level,
        findings.score,
        result.stage or "",
        findings.completeness or 0.0,
        findings.sufficient,
        list(result.components),
        findings.alignment,
        findings.shortfall,
        findings.over_integration,
        len(findings.shortfall_indicators),
        len(findings.over_integration_indicators),
        list(result.not_responded),
        # Method v3's headline fields: none for v2.
        None,
        None,
        None,
        None,
        None,
        None,
        detail,
    )


def _columns(model: type[models.Model]) -> tuple[str, ...]:
    """The columns a stored row gives values for: every field but the id, in model order."""
    return tuple(str(f.column) for f in model._meta.concrete_fields if not f.primary_key)


# Rows are tuples in the order of their model's fields.
_SCORE_SET_COLUMNS = _columns(ScoreSet)
_DIMENSION_COLUMNS = _columns(DimensionScore)
_INDICATOR_COLUMNS = ("score_set_id", *INDICATOR_SCORE_FIELDS)
_LEVEL_COLUMNS = _columns(CoherenceLevelScore)
_COMPONENT_COLUMNS = _columns(ComponentDimensionScore)
_TAG_COLUMNS = _columns(TagCount)


def _flag_counts(findings: method_v2.Findings | method_v2.ComponentDimension) -> tuple[int, int]:
    """How many indicators are flagged short, and how many over-integrated."""
    return len(findings.shortfall_indicators), len(findings.over_integration_indicators)


def _store_v2_many(
    scored: list[tuple[Assessment, method_v2.AssessmentResult, TagRows]], cache: QuestionnaireCache
) -> list[ScoreSet]:
    """Store the results of a batch, one insertion per table whatever the batch size (plain
    rows through ``scoring.bulk``); returns the new score sets in batch order."""
    score_set_rows = [_score_set_row(assessment, result) for assessment, result, _tags in scored]
    ids = rows_insert(ScoreSet, _SCORE_SET_COLUMNS, score_set_rows, returning=True)
    pairs = [(pk, result) for pk, (_a, result, _t) in zip(ids, scored, strict=True)]
    rows_insert(
        DimensionScore,
        _DIMENSION_COLUMNS,
        [
            (
                pk,
                d.code,
                d.findings.score,
                d.findings.completeness or 0.0,
                d.findings.sufficient,
                d.target_step,
                # v1's sign: positive = shortfall.
                None if d.main_distance is None else -d.main_distance,
                d.main_flag or "",
                d.divergence,
                d.divergence_flag,
                d.band_min,
                d.band_max,
                d.findings.alignment,
                d.findings.shortfall,
                d.findings.over_integration,
                *_flag_counts(d.findings),
            )
            for pk, result in pairs
            for d in result.dimensions
        ],
    )
    overridden = method_v2.OVERRIDDEN_BAND
    rows_insert(
        IndicatorScore,
        _INDICATOR_COLUMNS,
        [
            (
                pk,
                # In the order of INDICATOR_SCORE_FIELDS.
                i.code,
                i.dimension_code,
                i.applicable,
                i.value,
                i.band_min,
                i.band_max,
                i.band_source == overridden,
                i.rationale,
                i.distance,
                i.flag or "",
                i.counted,
                i.expected,
                i.sufficient,
                i.spread,
            )
            for pk, result in pairs
            for d in result.dimensions
            for i in d.indicators
        ],
    )
    rows_insert(
        CoherenceLevelScore,
        _LEVEL_COLUMNS,
        [
            (
                pk,
                c.level,
                c.findings.score,
                c.findings.completeness or 0.0,
                c.findings.sufficient,
                c.findings.alignment,
                *_flag_counts(c.findings),
            )
            for pk, result in pairs
            for c in result.coherence_levels
        ],
    )
    rows_insert(
        ComponentDimensionScore,
        _COMPONENT_COLUMNS,
        [
            (
                pk,
                profile.component,
                d.code,
                d.score,
                d.completeness or 0.0,
                *_flag_counts(d),
            )
            for pk, result in pairs
            for profile in result.profiles
            for d in profile.dimensions
        ],
    )
    return _store_tags_and_sets(ids, scored, score_set_rows, cache)


def _spread(per_component: dict[str, Any]) -> int | None:
    steps = [cell for cell in per_component.values() if type(cell) is int]
    return max(steps) - min(steps) if steps else None


def _score_set_row_v3(
    assessment: Assessment,
    result: method_v3.AssessmentResult,
    described: method_v2.AssessmentResult,
) -> tuple[Any, ...]:
    headline, mission = result.headline, result.mission
    level = described.findings
    detail = result.as_dict()
    justifications = assessment.missing_component_justifications or {}
    detail["not_responded_justifications"] = {
        component: str(justifications.get(component, "")) for component in result.not_responded
    }
    return (
        assessment.pk,
        assessment.mission_id,
        assessment.period_id,
        result.method_version,
        timezone.now(),
        # The integration level and mean step describe (higher is not better); method 3's
        # findings never read them. Computed by method 2's rules over the same answers.
        level.integration_level,
        level.score,
        described.stage or "",
        mission.coverage or 0.0,  # completeness: the coverage
        headline.enough_answers,
        list(result.components),
        headline.alignment,  # the alignment shown: capped when gated, None without enough
        None,
        None,
        len(mission.shortfall),
        len(mission.over_integration),
        list(result.not_responded),
        headline.critical_count,
        headline.unverified_count,
        headline.contested_count,
        headline.coverage,
        headline.uncapped_alignment,
        headline.enough_answers,
        detail,
    )


_INDICATOR_COLUMNS_V3 = (
    *_INDICATOR_COLUMNS,
    "status",
    "contested",
    "band_reason",
)


V3Scored = tuple[method_v3.AssessmentResult, method_v2.AssessmentResult]


def _store_v3_many(
    scored: list[tuple[Assessment, V3Scored, TagRows]], cache: QuestionnaireCache
) -> list[ScoreSet]:
    """Store a batch of method v3 results, one insertion per table (as ``_store_v2_many``).

    Each result comes with the descriptive reading of the same answers
    (``method_v3_input.descriptive_input`` scored by method 2): its integration level, mean
    steps, divergence and each component's view of each dimension are stored beside method 3's
    findings, so that the radar, the level trends and the component profiles go on; every
    alignment, flag, count and status stored is method 3's."""
    score_set_rows = [
        _score_set_row_v3(a, result, described) for a, (result, described), _tags in scored
    ]
    ids = rows_insert(ScoreSet, _SCORE_SET_COLUMNS, score_set_rows, returning=True)
    described_of = {
        pk: described for pk, (_a, (_r, described), _t) in zip(ids, scored, strict=True)
    }
    pairs = [(pk, result) for pk, (_a, (result, _d), _t) in zip(ids, scored, strict=True)]

    def dimension_row(pk: int, d: method_v3.GroupResult) -> tuple[Any, ...]:
        seen = next((x for x in described_of[pk].dimensions if x.code == d.key), None)
        return (
            pk,
            d.key,
            seen.findings.score if seen else None,
            d.coverage or 0.0,
            d.sufficient,
            seen.target_step if seen else None,
            None,  # gap and its flag: a judgement from a mean, which method 3 never makes
            "",
            seen.divergence if seen else None,
            seen.divergence_flag if seen else False,
            seen.band_min if seen else None,
            seen.band_max if seen else None,
            d.alignment,
            None,
            None,
            len(d.shortfall),
            len(d.over_integration),
        )

    rows_insert(
        DimensionScore,
        _DIMENSION_COLUMNS,
        [dimension_row(pk, d) for pk, result in pairs for d in result.dimensions if d.applicable],
    )
    overridden = method_v3.OVERRIDDEN_BAND
    rows_insert(
        IndicatorScore,
        _INDICATOR_COLUMNS_V3,
        [
            (
                pk,
                i.code,
                i.dimension_code,
                i.applicable,
                i.value,
                i.band_min,
                i.band_max,
                i.band_source == overridden,
                i.band_reason if i.band_source == overridden else "",
                i.distance,
                i.flag or "",
                i.counted,
                i.expected,
                i.sufficient,
                _spread(i.per_component),
                i.status,
                i.contested,
                i.band_reason or i.not_applicable_reason,
            )
            for pk, result in pairs
            for i in result.indicators
        ],
    )
    levels = {
        (pk, c.level): c.findings.score
        for pk, described in described_of.items()
        for c in described.coherence_levels
    }
    rows_insert(
        CoherenceLevelScore,
        _LEVEL_COLUMNS,
        [
            (
                pk,
                c.key,
                levels.get((pk, c.key)),
                c.coverage or 0.0,
                c.sufficient,
                c.alignment,
                len(c.shortfall),
                len(c.over_integration),
            )
            for pk, result in pairs
            for c in result.coherence_levels
        ],
    )
    rows_insert(
        ComponentDimensionScore,
        _COMPONENT_COLUMNS,
        [
            (pk, profile.component, d.code, d.score, d.completeness or 0.0, *_flag_counts(d))
            for pk, described in described_of.items()
            for profile in described.profiles
            for d in profile.dimensions
        ],
    )
    return _store_tags_and_sets(ids, scored, score_set_rows, cache)


def _store_tags_and_sets(
    ids: list[int],
    scored: list[Any],
    score_set_rows: list[tuple[Any, ...]],
    cache: QuestionnaireCache | None,
) -> list[ScoreSet]:
    """What every method stores last: each result's tag counts, then the stored score sets as
    instances, as a query would return them."""
    rows_insert(
        TagCount,
        _TAG_COLUMNS,
        [
            row
            for pk, (assessment, _result, tags) in zip(ids, scored, strict=True)
            for row in _tag_rows(pk, tags, _tag_kinds(assessment.questionnaire_id, cache))
        ],
    )
    names = ["id", *_SCORE_SET_COLUMNS]
    return [
        ScoreSet.from_db(connection.alias, names, [pk, *row])
        for pk, row in zip(ids, score_set_rows, strict=True)
    ]


def _tag_kinds(questionnaire_id: int, cache: QuestionnaireCache | None) -> dict[str, str]:
    """Barrier or enabler, by tag code, of a questionnaire's tags; once per batch."""
    key = ("tag kinds", questionnaire_id)
    if cache is not None and key in cache:
        return cast(dict[str, str], cache[key])
    kinds = dict(
        DimensionTag.objects.filter(dimension__questionnaire_id=questionnaire_id).values_list(
            "code", "kind"
        )
    )
    if cache is not None:
        cache[key] = kinds
    return kinds


def _tag_rows(score_set_id: int, tags: TagRows, kinds: dict[str, str]) -> list[tuple[Any, ...]]:
    counts = Counter((dimension_code, code) for dimension_code, _c, codes in tags for code in codes)
    return [
        (score_set_id, dimension_code, code, kinds.get(code, ""), n)
        for (dimension_code, code), n in sorted(counts.items())
    ]


def _store_tags(assessment: Assessment, score_set: ScoreSet, tags: TagRows) -> None:
    kinds = _tag_kinds(assessment.questionnaire_id, None)
    rows_insert(TagCount, _TAG_COLUMNS, _tag_rows(score_set.pk, tags, kinds))


# The methods this module can load inputs for and store results of (every registered one; a
# method added to ``scoring.method`` before its loader is wired stays out of this set, so that
# asking for it fails loudly rather than storing another method's result under its name).
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
    score_sets = _store_v3_many(scored_v3, cache)
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
    score_sets = _store_v2_many(scored, cache)
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
    score_set = _store_v1(assessment, result, tags)
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
