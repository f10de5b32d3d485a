"""Scoring method v2 (`imp-score-2.0`): findings read against target bands, per indicator.

Integration is not an end in itself ("form follows function", report 1.2 and 1.3): each
indicator has a target band, and a mission value below it (shortfall) or above it
(over-integration) is a finding *at that indicator*. Dimensions and coherence levels count their
indicators' flags; no mean ever decides a flag. The headline is the target alignment (0-100): how
close the mission is to its own bands. The mean step survives as the "integration level", which
reads as a description, never as a grade (higher is not better).

Pure: plain dataclasses in and out, no Django, no ORM. docs/scoring.md states every rule and
threshold and works an example of each flag; tests reproduce it. Any change that can move a
number or a flag needs a new method version in `scoring.method`.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from questionnaires.steps import STEP_NAMES
from scoring.method_v1 import (
    COHERENCE_LEVELS,
    DONT_KNOW,
    NOT_APPLICABLE,
    OVER_INTEGRATION,
    SHORTFALL,
    STEP,
    STEPS,
    AnswerValue,
)

METHOD_LABEL = "imp-score-2.0"

# The key of the focal point's answers to indicators asked once for the whole mission
# (missions.models.MISSION_WIDE; the method stays free of Django, a test keeps them equal).
MISSION = "mission"
# A finding needs evidence: an indicator is sufficient when at least MIN_ANSWERS steps were
# given and they make at least MIN_COMPLETENESS of the answers expected from its components.
MIN_ANSWERS = 1
MIN_COMPLETENESS = 0.5
# Each step between the mission value and the band costs this many points of alignment on that
# indicator: 4 steps (the whole scale) cost all 100.
POINTS_PER_STEP = 25.0
# Components whose answers lie 1.5 steps apart (or more) see the indicator or dimension
# differently: a perception gap.
DIVERGENCE_FLAG_THRESHOLD = 1.5
# Weighted means of floats can land a hair off a threshold; comparisons forgive that much.
TOLERANCE = 1e-9

DEFAULT_BAND = "default"
OVERRIDDEN_BAND = "override"


# --- input -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DimensionDef:
    code: str
    weight: float


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    code: str
    dimension_code: str
    coherence_level: str
    weight: float
    band_min: int  # the questionnaire's default target band
    band_max: int
    # Component codes that answer it, (MISSION,) for the focal point, () for every component.
    applies_to: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QuestionnaireDef:
    dimensions: tuple[DimensionDef, ...]
    indicators: tuple[IndicatorDef, ...]


@dataclass(frozen=True, slots=True)
class BandOverride:
    """The focal point's band for one indicator this quarter, with its written rationale."""

    indicator_code: str
    band_min: int
    band_max: int
    rationale: str


@dataclass(frozen=True, slots=True)
class ScoringInput:
    """Everything method v2 needs for one assessment.

    ``components``: every component the mission has in the assessment (one per response row,
    MISSION included when the focal point has a mission-level response); they define what is
    expected, so a component that never responded is missing, not ignored. ``responded``: those
    whose response is complete; ``answers`` come from them only. ``not_applicable``: indicators
    the focal point declared not applicable to the mission, with the reason.
    """

    questionnaire: QuestionnaireDef
    components: tuple[str, ...]
    responded: tuple[str, ...]
    answers: tuple[AnswerValue, ...]
    overrides: tuple[BandOverride, ...] = ()
    not_applicable: Mapping[str, str] = field(default_factory=dict)
    phase: str = ""


# --- results -----------------------------------------------------------------------------------

_SCALARS = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """``method_v1.result_to_dict`` for v2 results, faster: a result has thousands of parts
    and storing it must not cost more than scoring it. Field names are looked up once per class."""
    if type(value) in _SCALARS:
        return value
    names = _FIELD_NAMES.get(type(value))
    if names is None:
        if not is_dataclass(value):
            if isinstance(value, tuple | list):
                return [_plain(item) for item in value]
            if isinstance(value, Mapping):
                return {str(key): _plain(item) for key, item in value.items()}
            return value
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in fields(value))
    return {name: _plain(getattr(value, name)) for name in names}


class _AsDict:
    __slots__ = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (tuples become lists), for a JSONField."""
        return cast(dict[str, Any], _plain(self))


@dataclass(frozen=True, slots=True)
class IndicatorResult(_AsDict):
    code: str
    dimension_code: str
    coherence_level: str
    weight: float
    band_min: int
    band_max: int
    band_source: str  # "default" | "override"
    rationale: str  # the override's rationale; "" for the default band
    applicable: bool  # False: declared N/A for the mission, or nobody it applies to is expected
    not_applicable_reason: str  # the focal point's reason for a mission-level N/A
    value: float | None  # mean of the counted steps
    distance: float | None  # 0 in the band, < 0 below it (shortfall), > 0 above (over-integration)
    flag: str | None  # "shortfall" | "over_integration" | None (in band, or insufficient)
    alignment: float | None  # 100 - 25 x |distance|, for sufficient indicators
    counted: int  # steps given
    expected: int  # components it applies to, minus their "not applicable" answers
    completeness: float | None  # counted / expected; None when nothing is expected
    sufficient: bool
    minimum: int | None
    maximum: int | None
    spread: int | None  # maximum - minimum; None below two counted steps
    stdev: float | None  # population standard deviation; None below two counted steps
    divergent: bool
    per_component: dict[str, int | str | None]  # over the components it applies to


@dataclass(frozen=True, slots=True)
class Findings(_AsDict):
    """Figures of a group of indicators (a dimension, a coherence level, the mission)."""

    alignment: float | None  # 0-100, 100 = every sufficient indicator in its band
    shortfall: float | None  # points of alignment lost below the bands
    over_integration: float | None  # points of alignment lost above the bands
    shortfall_indicators: tuple[str, ...]  # codes flagged shortfall
    over_integration_indicators: tuple[str, ...]  # codes flagged over-integration
    score: float | None  # mean step (1-5) of the sufficient indicators
    integration_level: float | None  # (score - 1) x 25: 0-100, higher is not better
    counted: int
    expected: int
    completeness: float | None
    sufficient: bool


@dataclass(frozen=True, slots=True)
class DimensionResult(_AsDict):
    code: str
    weight: float
    band_min: int | None  # the lowest and highest band step of its applicable indicators
    band_max: int | None
    target_step: int | None  # nearest step to the mean band midpoint (for v1-shaped displays)
    findings: Findings
    # One flag and distance for pages that show one per dimension: over-integration first (the
    # finding v1 hid), then shortfall; the distance is that direction's weighted mean in steps.
    main_flag: str | None
    main_distance: float | None
    not_applicable_indicators: tuple[str, ...]
    divergence: float | None  # mean spread over indicators with two or more counted steps
    divergence_stdev: float | None
    divergence_flag: bool
    indicators: tuple[IndicatorResult, ...]


@dataclass(frozen=True, slots=True)
class CoherenceLevelResult(_AsDict):
    level: str
    findings: Findings


@dataclass(frozen=True, slots=True)
class ComponentDimension(_AsDict):
    """One component's own answers on one dimension, read against the same bands."""

    code: str
    score: float | None
    counted: int
    expected: int
    completeness: float | None
    shortfall_indicators: tuple[str, ...]
    over_integration_indicators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ComponentProfile(_AsDict):
    component: str
    responded: bool
    counted: int
    expected: int
    completeness: float | None
    score: float | None
    dimensions: tuple[ComponentDimension, ...]


@dataclass(frozen=True, slots=True)
class AssessmentResult(_AsDict):
    method_version: str
    phase: str
    findings: Findings
    stage: str | None  # name of the step nearest to findings.score
    stage_step: int | None
    components: tuple[str, ...]  # every component expected (MISSION included when asked)
    not_responded: tuple[str, ...]  # of those, the ones without a complete response
    dimensions: tuple[DimensionResult, ...]
    coherence_levels: tuple[CoherenceLevelResult, ...]
    profiles: tuple[ComponentProfile, ...]


if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_Result = TypeVar("_Result", bound="DataclassInstance")


def _builder(cls: type[_Result]) -> Callable[..., _Result]:
    """A positional constructor for a frozen slots dataclass, three times as fast as its
    __init__, which goes through ``object.__setattr__`` for every field (the price of
    ``frozen=True``): with 40 indicators of 24 fields per assessment, that was a third of the
    scoring time. Arguments in field order; the instances are the same (equal, frozen,
    hashable). The body is generated, one slot setter call per field and no loop, as
    ``dataclasses`` generates ``__init__`` itself."""
    names = [f.name for f in fields(cls)]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    for n, name in enumerate(names):
        namespace[f"_set{n}"] = getattr(cls, name).__set__
    arguments = ", ".join(f"v{n}" for n in range(len(names)))
    body = "".join(f"    _set{n}(instance, v{n})\n" for n in range(len(names)))
    source = f"def build({arguments}):\n    instance = _new(_cls)\n{body}    return instance\n"
    exec(source, namespace)  # noqa: S102 (generated from the dataclass's own field names)
    build: Callable[..., _Result] = namespace["build"]
    return build


_new_indicator_result = _builder(IndicatorResult)
_new_component_dimension = _builder(ComponentDimension)
_new_findings = _builder(Findings)
_new_dimension_result = _builder(DimensionResult)
_new_component_profile = _builder(ComponentProfile)


# --- the method --------------------------------------------------------------------------------


def score_assessment(data: ScoringInput) -> AssessmentResult:
    """Score one assessment with method v2.

    Independent of the order of components, answers and overrides: components are sorted and
    every sum runs in questionnaire order.
    """
    questionnaire = data.questionnaire
    plan = _plan(questionnaire)
    columns = _columns(plan, data.components)
    responded = set(data.responded)
    unknown = responded.difference(columns)
    if unknown:
        raise ValueError(f"responded but not expected: {sorted(unknown)}")
    scopes = plan.scopes(columns)
    cells = _answer_cells(scopes, responded, data.answers)
    overrides = _overrides(scopes, data.overrides)
    not_applicable = data.not_applicable
    for code in not_applicable:
        if code not in scopes:
            raise ValueError(f"not-applicable declaration for unknown indicator {code!r}")

    dimension_defs = questionnaire.dimensions
    members: dict[str, list[IndicatorResult]] = {d.code: [] for d in dimension_defs}
    sums = {d.code: _Sums(d.weight) for d in dimension_defs}
    level_sums = {level: {d.code: _Sums(d.weight) for d in dimension_defs} for level in plan.levels}
    # The components' own profiles are tallied in the same pass over the cells, in the same
    # (questionnaire) order, so their float sums are those of a separate walk per dimension.
    tallies = {d.code: {c: _Tally() for c in columns} for d in dimension_defs}
    for indicator in questionnaire.indicators:
        code = indicator.code
        dimension_code = indicator.dimension_code
        result = _indicator_result(
            indicator,
            overrides.get(code),
            not_applicable.get(code),
            cells[code],
            tallies[dimension_code],
        )
        members[dimension_code].append(result)
        sums[dimension_code].add(result)
        level_sums[indicator.coherence_level][dimension_code].add(result)
    dimensions = tuple(_dimension_result(d, members[d.code], sums[d.code]) for d in dimension_defs)
    coherence_levels = tuple(
        CoherenceLevelResult(level=level, findings=_findings(list(level_sums[level].values())))
        for level in plan.levels
    )
    findings = _findings(list(sums.values()))
    stage_step = _nearest_step(findings.score)
    return AssessmentResult(
        method_version=METHOD_LABEL,
        phase=data.phase,
        findings=findings,
        stage=None if stage_step is None else STEP_NAMES[stage_step],
        stage_step=stage_step,
        components=columns,
        not_responded=tuple(c for c in columns if c not in responded),
        dimensions=dimensions,
        coherence_levels=coherence_levels,
        profiles=_profiles(plan, columns, tallies, responded),
    )


def band_distance(value: float, band_min: int, band_max: int) -> float:
    """Signed distance from a value to a band: 0 inside, negative below, positive above."""
    if value < band_min:
        return value - band_min
    if value > band_max:
        return value - band_max
    return 0.0


def _indicator_result(
    indicator: IndicatorDef,
    override: BandOverride | None,
    not_applicable_reason: str | None,
    cells: dict[str, int | str | None],
    tallies: dict[str, _Tally],
) -> IndicatorResult:
    """The indicator's figures, and its cells added to the components' ``tallies`` of its
    dimension (one walk over the cells for both)."""
    if override:
        band_min, band_max = override.band_min, override.band_max
    else:
        band_min, band_max = indicator.band_min, indicator.band_max
    # One pass over the cells; every sum here is of integers, so exact in any order.
    counted = expected = total = squares = 0
    minimum = maximum = None
    if not_applicable_reason is None:
        # Tallying before knowing the indicator is applicable is safe: when it is not, every
        # cell is "na", and "na" cells are not tallied.
        code, weight = indicator.code, indicator.weight
        expected = len(cells)
        for component, cell in cells.items():
            if cell == NOT_APPLICABLE:
                expected -= 1
                continue
            tally = tallies[component]
            tally.expected += 1
            if type(cell) is not int:
                continue
            counted += 1
            total += cell
            squares += cell * cell
            if minimum is None or cell < minimum:
                minimum = cell
            if maximum is None or cell > maximum:
                maximum = cell
            tally.counted += 1
            tally.weight += weight
            tally.weighted += weight * cell
            if cell < tally.lowest:
                tally.lowest = cell
            if cell > tally.highest:
                tally.highest = cell
            if cell < band_min:
                tally.short.append(code)
            elif cell > band_max:
                tally.over.append(code)
    applicable = expected > 0
    completeness = counted / expected if expected else None
    sufficient = (
        applicable
        and counted >= MIN_ANSWERS
        and completeness is not None
        and completeness >= MIN_COMPLETENESS - TOLERANCE
    )
    value = distance = spread = stdev = None
    if counted:
        value = total / counted
        # band_distance(), inlined: this runs for every indicator of every assessment.
        if value < band_min:
            distance = value - band_min
        elif value > band_max:
            distance = value - band_max
        else:
            distance = 0.0
        if counted > 1 and maximum is not None and minimum is not None:
            # n*sum(x^2) - sum(x)^2 is an exact integer, so the stdev does not depend on order.
            stdev = math.sqrt(counted * squares - total * total) / counted
            spread = maximum - minimum
    flag = None
    if sufficient and distance is not None:
        if distance < 0:
            flag = SHORTFALL
        elif distance > 0:
            flag = OVER_INTEGRATION
    return _new_indicator_result(
        indicator.code,
        indicator.dimension_code,
        indicator.coherence_level,
        indicator.weight,
        band_min,
        band_max,
        OVERRIDDEN_BAND if override else DEFAULT_BAND,  # band_source
        override.rationale if override else "",  # rationale
        applicable,
        not_applicable_reason or "",  # not_applicable_reason
        value,
        distance,
        flag,
        # alignment
        100.0 - POINTS_PER_STEP * abs(distance) if sufficient and distance is not None else None,
        counted,
        expected,
        completeness,
        sufficient,
        minimum,
        maximum,
        spread,
        stdev,
        sufficient and spread is not None and spread >= DIVERGENCE_FLAG_THRESHOLD,  # divergent
        cells,  # per_component
    )


@dataclass(slots=True)
class _Sums:
    """Running sums over some indicators of one dimension (all of them, or one level's)."""

    dimension_weight: float
    counted: int = 0
    expected: int = 0
    weight: float = 0.0  # of the sufficient indicators
    below: float = 0.0  # weighted steps below the bands
    above: float = 0.0  # weighted steps above the bands
    weighted_value: float = 0.0
    lowest: float = math.inf
    highest: float = -math.inf
    short: list[str] = field(default_factory=list)
    over: list[str] = field(default_factory=list)

    def add(self, indicator: IndicatorResult) -> None:
        self.counted += indicator.counted
        self.expected += indicator.expected
        if not indicator.sufficient:
            return
        # A sufficient indicator has a value and a distance.
        weight = indicator.weight
        value, distance = cast(float, indicator.value), cast(float, indicator.distance)
        self.weight += weight
        self.weighted_value += weight * value
        # min()/max() without the calls: the same result, the old value kept on ties.
        if value < self.lowest:
            self.lowest = value
        if value > self.highest:
            self.highest = value
        if distance < 0:
            self.below -= weight * distance
            self.short.append(indicator.code)
        elif distance > 0:
            self.above += weight * distance
            self.over.append(indicator.code)


def _findings(groups: Sequence[_Sums]) -> Findings:
    """Alignment, the two losses, flags and integration level of a group of indicators.

    Weights as the file says: within a dimension by indicator weight, across dimensions by
    dimension weight, over the *sufficient* indicators only (a finding needs evidence). Per
    dimension first, then across dimensions: the file's nesting, and fewer float products.
    """
    counted = expected = 0
    scored = []
    short: list[str] = []
    over_codes: list[str] = []
    for g in groups:
        counted += g.counted
        expected += g.expected
        short += g.short
        over_codes += g.over
        if g.weight > 0:
            scored.append(g)
    completeness = counted / expected if expected else None
    alignment = shortfall = over = score = None
    if len(scored) == 1:
        # A weighted mean of one value, clamped to that value (as _weighted_mean does), is
        # the value itself: the same floats without the sums.
        (g,) = scored
        shortfall = POINTS_PER_STEP * (g.below / g.weight)
        over = POINTS_PER_STEP * (g.above / g.weight)
        score = min(max(g.weighted_value / g.weight, g.lowest), g.highest)
    elif scored:
        weights = [g.dimension_weight for g in scored]
        # (never None: ``scored`` is not empty)
        shortfall = POINTS_PER_STEP * cast(
            float, _weighted_mean(weights, [g.below / g.weight for g in scored])
        )
        over = POINTS_PER_STEP * cast(
            float, _weighted_mean(weights, [g.above / g.weight for g in scored])
        )
        # A mean lies within its values; clamping keeps float noise from showing (3.0000000004).
        score = _weighted_mean(
            weights,
            [min(max(g.weighted_value / g.weight, g.lowest), g.highest) for g in scored],
        )
    if shortfall is not None and over is not None:  # that is, if scored
        # Exactly 100 when nothing is lost: both losses are then sums of zeros.
        alignment = min(100.0, max(0.0, 100.0 - (shortfall + over)))
    return _new_findings(
        alignment,
        shortfall,
        over,  # over_integration
        tuple(short),  # shortfall_indicators
        tuple(over_codes),  # over_integration_indicators
        score,
        None if score is None else (score - 1.0) * POINTS_PER_STEP,  # integration_level
        counted,
        expected,
        completeness,
        # sufficient
        bool(scored) and completeness is not None and completeness >= MIN_COMPLETENESS - TOLERANCE,
    )


def _dimension_result(
    dimension: DimensionDef, indicators: list[IndicatorResult], sums: _Sums
) -> DimensionResult:
    findings = _findings([sums])
    band_min = band_max = None
    spreads = 0
    stdevs = []
    not_applicable = []
    for i in indicators:
        if i.not_applicable_reason:
            not_applicable.append(i.code)
        if not i.applicable:
            continue
        if band_min is None or i.band_min < band_min:
            band_min = i.band_min
        if band_max is None or i.band_max > band_max:
            band_max = i.band_max
        if i.spread is not None and i.stdev is not None:  # both set, or both None
            spreads += i.spread
            stdevs.append(i.stdev)
    divergence = divergence_stdev = None
    if stdevs:
        divergence = spreads / len(stdevs)
        divergence_stdev = sum(stdevs) / len(stdevs)
    main_flag = main_distance = None
    if findings.over_integration_indicators:
        # (findings of sufficient indicators: the losses are numbers)
        main_flag = OVER_INTEGRATION
        main_distance = cast(float, findings.over_integration) / POINTS_PER_STEP
    elif findings.shortfall_indicators:
        main_flag, main_distance = SHORTFALL, -cast(float, findings.shortfall) / POINTS_PER_STEP
    elif findings.alignment is not None:
        main_distance = 0.0
    return _new_dimension_result(
        dimension.code,
        dimension.weight,
        band_min,
        band_max,
        _summary_step(indicators) if indicators else None,  # target_step
        findings,
        main_flag,
        main_distance,
        tuple(not_applicable),  # not_applicable_indicators
        divergence,
        divergence_stdev,
        (  # divergence_flag
            findings.sufficient
            and divergence is not None
            and divergence >= DIVERGENCE_FLAG_THRESHOLD - TOLERANCE
        ),
        tuple(indicators),  # indicators
    )


@dataclass(slots=True)
class _Tally:
    """One component's own answers on one dimension, summed as they come."""

    counted: int = 0
    expected: int = 0
    weight: float = 0.0
    weighted: float = 0.0
    lowest: int = 5
    highest: int = 1
    short: list[str] = field(default_factory=list)
    over: list[str] = field(default_factory=list)


def _profiles(
    plan: _Plan,
    columns: tuple[str, ...],
    tallies: dict[str, dict[str, _Tally]],
    responded: set[str],
) -> tuple[ComponentProfile, ...]:
    """Each component's own steps per dimension, each read against the indicator's band."""
    profiles = []
    for component in columns:
        dimensions = []
        counted = expected = 0
        weights, scores = [], []
        for code, dimension_weight in plan.dimension_weights:
            t = tallies[code][component]
            # The weighted mean, kept within its values against float noise.
            score = None
            if t.counted:
                # min(max(mean, lowest), highest) without the calls (an int when clamped, too).
                score = t.weighted / t.weight
                if t.lowest > score:
                    score = t.lowest
                if t.highest < score:
                    score = t.highest
            dimensions.append(
                _new_component_dimension(
                    code,
                    score,
                    t.counted,
                    t.expected,
                    t.counted / t.expected if t.expected else None,  # completeness
                    tuple(t.short),  # shortfall_indicators
                    tuple(t.over),  # over_integration_indicators
                )
            )
            counted += t.counted
            expected += t.expected
            if score is not None:
                weights.append(dimension_weight)
                scores.append(score)
        profiles.append(
            _new_component_profile(
                component,
                component in responded,  # responded
                counted,
                expected,
                counted / expected if expected else None,  # completeness
                _weighted_mean(weights, scores),  # score
                tuple(dimensions),  # dimensions
            )
        )
    return tuple(profiles)


# --- small helpers -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Plan:
    """What scoring needs from a questionnaire alone, worked out once per questionnaire object:
    a service scores many assessments against one (frozen) definition."""

    questionnaire: QuestionnaireDef  # kept alive so its id() is not reused while cached
    asks_mission: bool
    levels: tuple[str, ...]
    dimension_weights: tuple[tuple[str, float], ...]
    _scopes: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def scopes(self, columns: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        """indicator code -> the columns it applies to (few distinct sets of columns occur)."""
        scopes = self._scopes.get(columns)
        if scopes is None:
            if len(self._scopes) >= _CACHE_SIZE:
                self._scopes.clear()
            scopes = self._scopes[columns] = {
                i.code: _scope(i, columns) for i in self.questionnaire.indicators
            }
        return scopes


_CACHE_SIZE = 256
_PLANS: dict[int, _Plan] = {}


def _plan(questionnaire: QuestionnaireDef) -> _Plan:
    plan = _PLANS.get(id(questionnaire))
    if plan is not None and plan.questionnaire is questionnaire:
        return plan
    _check(questionnaire)  # only a valid questionnaire is cached: a bad one fails every time
    present = {i.coherence_level for i in questionnaire.indicators}
    levels = [level for level in COHERENCE_LEVELS if level in present]
    levels += sorted(present - set(COHERENCE_LEVELS))
    plan = _Plan(
        questionnaire=questionnaire,
        asks_mission=any(MISSION in i.applies_to for i in questionnaire.indicators),
        levels=tuple(levels),
        dimension_weights=tuple((d.code, d.weight) for d in questionnaire.dimensions),
    )
    if len(_PLANS) >= _CACHE_SIZE:
        _PLANS.clear()
    _PLANS[id(questionnaire)] = plan
    return plan


def _weighted_mean(weights: list[float], values: list[float]) -> float | None:
    """sum(w * x) / sum(w), kept within the range of the values (no 2.9999999999999996)."""
    if not values:
        return None
    mean: float = sum(map(operator.mul, weights, values)) / sum(weights)
    return min(max(mean, min(values)), max(values))


def _summary_step(indicators: Sequence[IndicatorResult]) -> int:
    """A dimension's one-step summary of its bands in force: the weighted median of the band
    midpoints, rounded half *down* (between two steps the less integrated one). The same rule
    as ``questionnaires.spec.derived_target_step`` for the file's default bands."""
    return _weighted_median_step(tuple((i.band_min, i.band_max, i.weight) for i in indicators))


# Few sets of bands occur (the file's, and the odd override): each is worked out once.
@functools.lru_cache(maxsize=1024)
def _weighted_median_step(bands: tuple[tuple[int, int, float], ...]) -> int:
    pairs = sorted(((band_min + band_max) / 2, weight) for band_min, band_max, weight in bands)
    half = sum(weight for _, weight in pairs) / 2
    running = 0.0
    median = pairs[-1][0]
    for index, (midpoint, weight) in enumerate(pairs):
        running += weight
        if abs(running - half) <= TOLERANCE and index + 1 < len(pairs):
            median = (midpoint + pairs[index + 1][0]) / 2
            break
        if running >= half - TOLERANCE:
            median = midpoint
            break
    return math.ceil(median - 0.5 - TOLERANCE)


def _nearest_step(score: float | None) -> int | None:
    """Round half up (2.5 -> 3), unlike Python's round()."""
    if score is None:
        return None
    return min(5, max(1, math.floor(score + 0.5 + TOLERANCE)))


def _check(questionnaire: QuestionnaireDef) -> None:
    dimension_codes = [d.code for d in questionnaire.dimensions]
    if len(set(dimension_codes)) != len(dimension_codes):
        raise ValueError("duplicate dimension code in questionnaire")
    indicator_codes = [i.code for i in questionnaire.indicators]
    if len(set(indicator_codes)) != len(indicator_codes):
        raise ValueError("duplicate indicator code in questionnaire")
    for dimension in questionnaire.dimensions:
        if not dimension.weight > 0:
            raise ValueError(f"dimension {dimension.code}: weight must be positive")
    known = set(dimension_codes)
    for indicator in questionnaire.indicators:
        if indicator.dimension_code not in known:
            raise ValueError(f"indicator {indicator.code}: unknown dimension")
        if not indicator.weight > 0:
            raise ValueError(f"indicator {indicator.code}: weight must be positive")
        _check_band(indicator.code, indicator.band_min, indicator.band_max)


def _check_band(code: str, band_min: int, band_max: int) -> None:
    if band_min not in STEPS or band_max not in STEPS or band_min > band_max:
        raise ValueError(
            f"{code}: band must be steps 1-5 with min <= max, not {band_min}-{band_max}"
        )


def _overrides(
    known: Mapping[str, object], overrides: Iterable[BandOverride]
) -> dict[str, BandOverride]:
    """The overrides by indicator code; ``known``: the questionnaire's indicator codes."""
    resolved: dict[str, BandOverride] = {}
    for override in overrides:
        if override.indicator_code not in known:
            raise ValueError(f"band override for unknown indicator {override.indicator_code!r}")
        if override.indicator_code in resolved:
            raise ValueError(f"two band overrides for {override.indicator_code}")
        if not override.rationale.strip():
            raise ValueError(f"band override for {override.indicator_code} without a rationale")
        _check_band(override.indicator_code, override.band_min, override.band_max)
        resolved[override.indicator_code] = override
    return resolved


def _columns(plan: _Plan, components: Iterable[str]) -> tuple[str, ...]:
    """Every expected column, sorted: the components, and MISSION when something asks it."""
    columns = set(components)
    if plan.asks_mission:
        columns.add(MISSION)
    return tuple(sorted(columns))


def _scope(indicator: IndicatorDef, columns: tuple[str, ...]) -> tuple[str, ...]:
    """The columns an indicator applies to: () means every component (never MISSION)."""
    if not indicator.applies_to:
        return tuple(c for c in columns if c != MISSION)
    return tuple(c for c in columns if c in indicator.applies_to)


def _answer_cells(
    scopes: Mapping[str, tuple[str, ...]],
    responded: set[str],
    answers: Iterable[AnswerValue],
) -> dict[str, dict[str, int | str | None]]:
    """indicator code -> {column in its scope: step, "na", "dk" or None (no answer)}.

    Answers outside an indicator's scope, from a response that is not complete, twice for one
    cell, or malformed, are caller bugs: accepting them would make results depend on order.
    """
    cells = {code: dict.fromkeys(scope) for code, scope in scopes.items()}
    for answer in answers:
        code, component = answer.indicator_code, answer.component
        row = cells.get(code)
        if row is None:
            raise ValueError(f"answer to unknown indicator {code!r}")
        if component not in row:
            raise ValueError(f"answer to {code} from {component!r}, which it does not apply to")
        if component not in responded:
            raise ValueError(f"answer from {component!r}, whose response is not complete")
        if row[component] is not None:
            raise ValueError(f"two answers from {component} to {code}")
        kind, step = answer.kind, answer.step
        if kind == STEP:
            if type(step) is not int or step not in STEPS:
                raise ValueError(f"{code}: step must be 1-5, not {step!r}")
            row[component] = step
        elif kind in (NOT_APPLICABLE, DONT_KNOW) and step is None:
            row[component] = kind
        else:
            raise ValueError(f"{code}: invalid answer {kind!r} / {step!r}")
    return cells
