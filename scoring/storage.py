"""Storing a scoring method's result: one score set per assessment and method, with its
dimension, indicator, coherence-level, component and tag rows, each table in one insertion per
batch (plain rows through ``scoring.bulk``). The methods are pure (``scoring.method``); the
service that loads their input and asks the workers for them is ``scoring.services``."""

from collections import Counter
from collections.abc import Iterable
from typing import Any, cast

from django.db import connection, models
from django.utils import timezone

from assessments.models import Assessment
from questionnaires.models import DimensionTag
from scoring import method_v1, method_v2, method_v3
from scoring.bulk import rows_insert
from scoring.inputs import TagRows
from scoring.models import (
    CoherenceLevelScore,
    ComponentDimensionScore,
    DimensionScore,
    IndicatorScore,
    ScoreSet,
    TagCount,
)
from scoring.selectors import INDICATOR_SCORE_FIELDS

# What a batch loads once: (method, questionnaire id) -> the questionnaire as that method reads
# it; ("tag kinds", questionnaire id) -> barrier or enabler by tag code.
QuestionnaireCache = dict[tuple[int | str, int], Any]


def store_v1_result(
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


def store_v2_results(
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
    _store_component_views(pairs)
    return _store_tags_and_sets(ids, scored, score_set_rows, cache)


def _store_component_views(pairs: Iterable[tuple[int, method_v2.AssessmentResult]]) -> None:
    """Each component's view of each dimension, as method 2 reads it (score set id, result)."""
    rows_insert(
        ComponentDimensionScore,
        _COMPONENT_COLUMNS,
        [
            (pk, profile.component, d.code, d.score, d.completeness or 0.0, *_flag_counts(d))
            for pk, result in pairs
            for profile in result.profiles
            for d in profile.dimensions
        ],
    )


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


def store_v3_results(
    scored: list[tuple[Assessment, V3Scored, TagRows]], cache: QuestionnaireCache
) -> list[ScoreSet]:
    """Store a batch of method v3 results, one insertion per table (as ``store_v2_results``).

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
    _store_component_views(described_of.items())
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
