"""Scoring method v1 (`imp-score-1.0`): plain data in, plain data out.

Kept unchanged so that results stored by it stay reproducible and explainable (docs/scoring.md,
"Method v1"). New scoring uses method v2 (`scoring.method_v2`); `scoring.method` is the registry
that maps a method number to its scoring function and the version string it stores.

No Django and no ORM here, on purpose: the method must be testable line by line against
hand-computed numbers and versioned on its own (METHOD_LABEL).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, cast

from questionnaires.steps import STEP_NAMES

METHOD_LABEL = "imp-score-1.0"

# A gap of one full step between a dimension's score and its target is a finding.
GAP_FLAG_THRESHOLD = 1.0
# Components whose answers lie, on average, 1.5 steps apart see the mission differently.
DIVERGENCE_FLAG_THRESHOLD = 1.5
# Below half of the expected answers a score says more about who answered than about the mission.
MIN_COMPLETENESS = 0.5
# Dimensions where any score above the target is over-integration ("asymmetric integration":
# humanitarian actors keep their distance on purpose). Codes are stable across questionnaire
# versions, so this belongs to the method, not to a questionnaire.
ASYMMETRIC_DIMENSIONS = frozenset({"HUM"})
# Weighted means of floats can land a hair off an exact threshold (2.9999999999999996 for 3);
# comparisons with thresholds forgive that much, so a flag never depends on rounding noise.
TOLERANCE = 1e-9

STEPS = frozenset(STEP_NAMES)
# Results list coherence levels in this order; any other level follows, alphabetically.
COHERENCE_LEVELS = ("policy_strategic", "operational_programmatic", "administrative")
NOT_APPLICABLE = "na"
DONT_KNOW = "dk"
STEP = "step"

SHORTFALL = "shortfall"
OVER_INTEGRATION = "over_integration"


# --- input -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DimensionDef:
    code: str
    weight: float
    default_target_step: int


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    code: str
    dimension_code: str
    coherence_level: str
    weight: float


@dataclass(frozen=True, slots=True)
class QuestionnaireDef:
    dimensions: tuple[DimensionDef, ...]
    indicators: tuple[IndicatorDef, ...]


@dataclass(frozen=True, slots=True)
class AnswerValue:
    """One component's answer to one indicator: a step 1-5, or "na" / "dk" with step None."""

    component: str
    indicator_code: str
    step: int | None
    kind: str = STEP


@dataclass(frozen=True, slots=True)
class ScoringInput:
    """Everything the method needs. `components` are the components taking part in the
    assessment: they define the expected answers, so a silent component lowers completeness."""

    questionnaire: QuestionnaireDef
    targets: Mapping[str, int]
    components: tuple[str, ...]
    answers: tuple[AnswerValue, ...]


# --- results -----------------------------------------------------------------------------------


class _AsDict:
    __slots__ = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (tuples become lists), for a JSONField."""
        return cast(dict[str, Any], result_to_dict(self))


@dataclass(frozen=True, slots=True)
class IndicatorResult(_AsDict):
    code: str
    dimension_code: str
    coherence_level: str
    value: float | None  # mean of the counted steps
    counted: int  # components that answered with a step
    expected: int  # components taking part
    stdev: float | None  # population standard deviation; None below two counted steps
    minimum: int | None
    maximum: int | None
    spread: int | None  # maximum - minimum; None below two counted steps
    per_component: dict[str, int | str | None]  # step, "na", "dk" or None (no answer)
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class DimensionResult(_AsDict):
    code: str
    score: float | None
    completeness: float
    sufficient: bool
    target: int
    gap: float | None  # target - score: positive = shortfall, negative = over-integration
    gap_flag: str | None  # "shortfall" | "over_integration" | None
    divergence: float | None  # mean range between components over the indicators
    divergence_stdev: float | None  # mean standard deviation, shown beside the range
    divergence_flag: bool
    indicators: tuple[IndicatorResult, ...]
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class CoherenceLevelResult(_AsDict):
    level: str
    score: float | None
    completeness: float
    sufficient: bool


@dataclass(frozen=True, slots=True)
class ComponentProfile(_AsDict):
    """One component's view of the mission. Its dimensions carry no indicators: each
    indicator's per-component step is already in the mission's IndicatorResult.per_component."""

    component: str
    dimensions: tuple[DimensionResult, ...]
    completeness: float
    score: float | None = None


@dataclass(frozen=True, slots=True)
class AssessmentResult(_AsDict):
    method_version: str
    index: float | None  # 0-100
    stage: str | None  # STEP_NAMES of the nearest step to `score`
    score: float | None  # 1-5, dimension-weighted mean of the dimension scores
    completeness: float
    sufficient: bool
    dimensions: tuple[DimensionResult, ...]
    coherence_levels: tuple[CoherenceLevelResult, ...]
    components: tuple[ComponentProfile, ...]
    stage_step: int | None = None


def result_to_dict(result: Any) -> Any:
    """Turn any result (or nested part of one) into JSON-ready dicts, lists and scalars."""
    if is_dataclass(result) and not isinstance(result, type):
        return {field.name: result_to_dict(getattr(result, field.name)) for field in fields(result)}
    if isinstance(result, tuple | list):
        return [result_to_dict(item) for item in result]
    if isinstance(result, Mapping):
        return {str(key): result_to_dict(item) for key, item in result.items()}
    return result


# --- the method --------------------------------------------------------------------------------


def score_assessment(data: ScoringInput) -> AssessmentResult:
    """Score one assessment: indicators, dimensions, coherence levels, index, component profiles.

    Deterministic and independent of the order of `answers` and `components`: components are
    sorted and every sum runs in questionnaire order, so permuted input gives equal floats.
    """
    questionnaire = data.questionnaire
    groups = _indicators_by_dimension(questionnaire)
    targets = _resolve_targets(questionnaire, data.targets)
    components = tuple(sorted(set(data.components)))
    cells = _answer_cells(questionnaire, components, data.answers)

    indicator_results = {
        dimension_code: [_indicator_result(i, components, cells[i.code]) for i in members]
        for dimension_code, members in groups.items()
    }
    dimensions = tuple(
        _mission_dimension(d, targets[d.code], indicator_results[d.code], len(components))
        for d in questionnaire.dimensions
    )
    score = _dimension_mean(dimensions)
    counted = sum(i.counted for results in indicator_results.values() for i in results)
    completeness = _share(counted, len(questionnaire.indicators) * len(components))
    stage_step = _nearest_step(score)
    return AssessmentResult(
        method_version=METHOD_LABEL,
        index=None if score is None else (score - 1.0) * 25.0,
        stage=None if stage_step is None else STEP_NAMES[stage_step],
        score=score,
        completeness=completeness,
        sufficient=score is not None and _enough(completeness),
        dimensions=dimensions,
        coherence_levels=_coherence_levels(questionnaire, indicator_results, len(components)),
        components=tuple(
            _component_profile(questionnaire, groups, targets, cells, component, position)
            for position, component in enumerate(components)
        ),
        stage_step=stage_step,
    )


def _indicator_result(
    indicator: IndicatorDef, components: tuple[str, ...], cells: list[int | str | None]
) -> IndicatorResult:
    steps = [cell for cell in cells if type(cell) is int]
    counted = len(steps)
    value = minimum = maximum = stdev = spread = None
    if counted:
        total = sum(steps)
        value = total / counted
        minimum, maximum = min(steps), max(steps)
        if counted > 1:
            # n*sum(x^2) - sum(x)^2 is an exact integer, so the stdev does not depend on order.
            squares = sum(map(operator.mul, steps, steps))
            stdev = math.sqrt(counted * squares - total * total) / counted
            spread = maximum - minimum
    return IndicatorResult(
        code=indicator.code,
        dimension_code=indicator.dimension_code,
        coherence_level=indicator.coherence_level,
        value=value,
        counted=counted,
        expected=len(components),
        stdev=stdev,
        minimum=minimum,
        maximum=maximum,
        spread=spread,
        per_component=dict(zip(components, cells, strict=True)),
        weight=indicator.weight,
    )


def _mission_dimension(
    dimension: DimensionDef, target: int, indicators: list[IndicatorResult], n_components: int
) -> DimensionResult:
    counted = sum(i.counted for i in indicators)
    # Divergence compares components, so only indicators answered by two or more take part.
    # (spread and stdev are both set from two counted steps on, or both None)
    compared = [
        (i.spread, i.stdev) for i in indicators if i.spread is not None and i.stdev is not None
    ]
    divergence = divergence_stdev = None
    if compared:
        divergence = sum(spread for spread, _ in compared) / len(compared)
        divergence_stdev = sum(stdev for _, stdev in compared) / len(compared)
    return _dimension_result(
        dimension,
        target,
        score=_indicator_mean(indicators),
        completeness=_share(counted, len(indicators) * n_components),
        divergence=divergence,
        divergence_stdev=divergence_stdev,
        indicators=tuple(indicators),
    )


def _dimension_result(
    dimension: DimensionDef,
    target: int,
    *,
    score: float | None,
    completeness: float,
    divergence: float | None,
    divergence_stdev: float | None,
    indicators: tuple[IndicatorResult, ...],
) -> DimensionResult:
    """Gap, sufficiency and flags. A flag is a finding, and findings need enough data: an
    insufficient dimension keeps its numbers for explanation but raises no flag."""
    sufficient = score is not None and _enough(completeness)
    gap = None if score is None else target - score
    gap_flag = None
    if sufficient and gap is not None:
        if gap >= GAP_FLAG_THRESHOLD - TOLERANCE:
            gap_flag = SHORTFALL
        elif gap <= TOLERANCE - GAP_FLAG_THRESHOLD or (
            dimension.code in ASYMMETRIC_DIMENSIONS and gap < -TOLERANCE
        ):
            gap_flag = OVER_INTEGRATION
    divergence_flag = (
        sufficient
        and divergence is not None
        and divergence >= DIVERGENCE_FLAG_THRESHOLD - TOLERANCE
    )
    return DimensionResult(
        code=dimension.code,
        score=score,
        completeness=completeness,
        sufficient=sufficient,
        target=target,
        gap=gap,
        gap_flag=gap_flag,
        divergence=divergence,
        divergence_stdev=divergence_stdev,
        divergence_flag=divergence_flag,
        indicators=indicators,
        weight=dimension.weight,
    )


def _coherence_levels(
    questionnaire: QuestionnaireDef,
    indicator_results: Mapping[str, list[IndicatorResult]],
    n_components: int,
) -> tuple[CoherenceLevelResult, ...]:
    """Per level: each dimension's weighted mean of its indicators at that level, then the
    dimension-weighted mean of those. A dimension without indicators (or counted answers) at
    the level stays out, so a level is not dragged down by dimensions that do not ask about it."""
    present = {indicator.coherence_level for indicator in questionnaire.indicators}
    ordered = [level for level in COHERENCE_LEVELS if level in present]
    ordered += sorted(present - set(COHERENCE_LEVELS))
    results = []
    for level in ordered:
        weights, sub_scores = [], []
        counted = expected = 0
        for dimension in questionnaire.dimensions:
            members = [i for i in indicator_results[dimension.code] if i.coherence_level == level]
            counted += sum(i.counted for i in members)
            expected += len(members) * n_components
            sub_score = _indicator_mean(members)
            if sub_score is not None:
                weights.append(dimension.weight)
                sub_scores.append(sub_score)
        score = _weighted_mean(weights, sub_scores)
        completeness = _share(counted, expected)
        results.append(
            CoherenceLevelResult(
                level=level,
                score=score,
                completeness=completeness,
                sufficient=score is not None and _enough(completeness),
            )
        )
    return tuple(results)


def _component_profile(
    questionnaire: QuestionnaireDef,
    groups: Mapping[str, tuple[IndicatorDef, ...]],
    targets: Mapping[str, int],
    cells: Mapping[str, list[int | str | None]],
    component: str,
    position: int,
) -> ComponentProfile:
    """The dimension scores from one component's answers alone: same weights, targets and
    flags, no spread (there is nobody to differ from)."""
    dimensions = []
    counted = 0
    for dimension in questionnaire.dimensions:
        members = groups[dimension.code]
        weights, steps = [], []
        for indicator in members:
            cell = cells[indicator.code][position]
            if type(cell) is int:
                weights.append(indicator.weight)
                steps.append(cell)
        counted += len(steps)
        dimensions.append(
            _dimension_result(
                dimension,
                targets[dimension.code],
                score=_weighted_mean(weights, steps),
                completeness=_share(len(steps), len(members)),
                divergence=None,
                divergence_stdev=None,
                indicators=(),
            )
        )
    return ComponentProfile(
        component=component,
        dimensions=tuple(dimensions),
        completeness=_share(counted, len(questionnaire.indicators)),
        score=_dimension_mean(dimensions),
    )


# --- small helpers -----------------------------------------------------------------------------


def _weighted_mean(weights: Sequence[float], values: Sequence[float]) -> float | None:
    """sum(w * x) / sum(w), or None without values. Clamped to the range of the values, where
    a mean always lies, so float rounding never shows 5.000000000000001 or 2.9999999999999996
    for a column of 3s."""
    if not values:
        return None
    mean: float = sum(map(operator.mul, weights, values)) / sum(weights)
    return min(max(mean, min(values)), max(values))


def _indicator_mean(indicators: Iterable[IndicatorResult]) -> float | None:
    scored = [(i.weight, i.value) for i in indicators if i.value is not None]
    return _weighted_mean([weight for weight, _ in scored], [value for _, value in scored])


def _dimension_mean(dimensions: Iterable[DimensionResult]) -> float | None:
    scored = [(d.weight, d.score) for d in dimensions if d.score is not None]
    return _weighted_mean([weight for weight, _ in scored], [score for _, score in scored])


def _share(counted: int, expected: int) -> float:
    return counted / expected if expected else 0.0


def _enough(completeness: float) -> bool:
    return completeness >= MIN_COMPLETENESS - TOLERANCE


def _nearest_step(score: float | None) -> int | None:
    """Round half up (2.5 -> 3), unlike Python's round(), which rounds half to even."""
    if score is None:
        return None
    return min(5, max(1, math.floor(score + 0.5 + TOLERANCE)))


def _indicators_by_dimension(
    questionnaire: QuestionnaireDef,
) -> dict[str, tuple[IndicatorDef, ...]]:
    """Check the questionnaire and group its indicators by dimension, in questionnaire order."""
    dimension_codes = [d.code for d in questionnaire.dimensions]
    if len(set(dimension_codes)) != len(dimension_codes):
        raise ValueError("duplicate dimension code in questionnaire")
    indicator_codes = [i.code for i in questionnaire.indicators]
    if len(set(indicator_codes)) != len(indicator_codes):
        raise ValueError("duplicate indicator code in questionnaire")
    for dimension in questionnaire.dimensions:
        if not dimension.weight > 0:
            raise ValueError(f"dimension {dimension.code}: weight must be positive")
        if dimension.default_target_step not in STEPS:
            raise ValueError(f"dimension {dimension.code}: default target must be a step 1-5")
    known = set(dimension_codes)
    for indicator in questionnaire.indicators:
        if indicator.dimension_code not in known:
            raise ValueError(f"indicator {indicator.code}: unknown dimension")
        if not indicator.weight > 0:
            raise ValueError(f"indicator {indicator.code}: weight must be positive")
    groups: dict[str, list[IndicatorDef]] = {code: [] for code in dimension_codes}
    for indicator in questionnaire.indicators:
        groups[indicator.dimension_code].append(indicator)
    return {code: tuple(members) for code, members in groups.items()}


def _resolve_targets(questionnaire: QuestionnaireDef, targets: Mapping[str, int]) -> dict[str, int]:
    resolved = {d.code: d.default_target_step for d in questionnaire.dimensions}
    for code, step in targets.items():
        if code not in resolved:
            raise ValueError(f"target for unknown dimension {code!r}")
        if step not in STEPS:
            raise ValueError(f"target for {code} must be a step 1-5, not {step!r}")
        resolved[code] = step
    return resolved


def _answer_cells(
    questionnaire: QuestionnaireDef, components: tuple[str, ...], answers: Iterable[AnswerValue]
) -> dict[str, list[int | str | None]]:
    """indicator code -> one cell per component (sorted): the step, "na", "dk" or None.

    Two answers for the same pair, or answers for unknown components or indicators, are caller
    bugs; accepting them would make the result depend on the order of the answers.
    """
    position = {component: index for index, component in enumerate(components)}
    cells: dict[str, list[int | str | None]] = {
        indicator.code: [None] * len(components) for indicator in questionnaire.indicators
    }
    for answer in answers:
        row = cells.get(answer.indicator_code)
        if row is None:
            raise ValueError(f"answer to unknown indicator {answer.indicator_code!r}")
        column = position.get(answer.component)
        if column is None:
            raise ValueError(f"answer from a component not taking part: {answer.component!r}")
        if row[column] is not None:
            raise ValueError(f"two answers from {answer.component} to {answer.indicator_code}")
        kind, step = answer.kind, answer.step
        if kind == STEP:
            if type(step) is not int or step not in STEPS:
                raise ValueError(f"{answer.indicator_code}: step must be 1-5, not {step!r}")
            row[column] = step
        elif kind in (NOT_APPLICABLE, DONT_KNOW) and step is None:
            row[column] = kind
        else:
            raise ValueError(f"{answer.indicator_code}: invalid answer {kind!r} / {step!r}")
    return cells
