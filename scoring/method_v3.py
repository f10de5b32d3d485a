"""Scoring method v3 (`imp-score-3.0`): safeguards gate the headline; not answering never pays.

Method v2 reads each indicator against its band; v3 keeps that and adds what a Member State
briefing must not miss (docs/scoring.md, "Method v3", states every rule with a worked example):

- **Safeguards.** On an indicator marked ``safeguard``, each *voice* component's own step is read
  against the band, never averaged away: a voice step, or the indicator's value, outside the
  band is a **critical finding**. A safeguard whose answers leave it possibly outside its band (a
  silent voice component, a "don't know") is **unverified**. Either *gates* the headline: the
  alignment shown is capped at ``CRITICAL_CAP``; the uncapped figure stays in the drill-down.
- **Voice over mean.** Where an indicator names voice components present in the mission, its
  value is the mean of the voice components' steps, not of everyone's; another component
  ``CONTESTED_STEPS`` or more away from a voice step makes the indicator **contested**.
- **Not answering never pays.** For the alignment, every expected cell without a step ("don't
  know", blank, a respondent's N/A the focal point has not confirmed) is read at whichever end of
  the scale costs the most (the *guaranteed* reading). So replacing any answer by dk, N/A or
  nothing can never raise the alignment, coverage or the count of indicators not settled in
  band. **Coverage** (applicable indicators with a sufficient finding) stands beside alignment;
  below ``COVERAGE_THRESHOLD`` there is no headline figure. A respondent's N/A needs a reason; on
  a safeguard it counts only once the focal point confirms it.
- **External context** indicators are read and flagged like any other, as conditions the mission
  works under, and stay out of alignment and coverage.
- **Bands** arrive resolved (phase and context profile, by the service); each result records the
  band in force, where it came from and why; an override carried from an earlier quarter says so.

Pure: plain dataclasses in and out, no Django. Any change that can move a number or a flag needs
a new method version in `scoring.method`.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.method_v1 import COHERENCE_LEVELS, NOT_APPLICABLE, OVER_INTEGRATION, SHORTFALL
from scoring.method_v2 import (
    MISSION,
    POINTS_PER_STEP,
    TOLERANCE,
    DimensionDef,
    _AsDict,
    _builder,
    band_distance,
)
from scoring.method_v3_input import (
    _CONFIRMED,
    PENDING_NOT_APPLICABLE,
    AnswerValue,
    BandOverride,
    IndicatorDef,
    QuestionnaireDef,
    ScoringInput,
    _answer_cells,
    _overrides,
    _plan,
)

__all__ = [
    "CONTESTED_STEPS",
    "COVERAGE_THRESHOLD",
    "CRITICAL_CAP",
    "MISSION",
    "PENDING_NOT_APPLICABLE",
    "AnswerValue",
    "AssessmentResult",
    "BandOverride",
    "DimensionDef",
    "IndicatorDef",
    "QuestionnaireDef",
    "ScoringInput",
    "score_assessment",
]

METHOD_LABEL = "imp-score-3.0"

# With a critical finding or an unverified safeguard, the alignment shown is at most this: a
# figure no briefing reads as good, whatever the other indicators say.
CRITICAL_CAP = 50.0
# Below this share of applicable indicators with a sufficient finding there is no headline
# figure, only "not enough answers".
COVERAGE_THRESHOLD = 0.6
# A component this many steps (or more) from a voice component's step contests the finding.
CONTESTED_STEPS = 2
# An indicator's finding needs at least this share of its expected answers (as in v2); a
# dimension needs at least this share of its applicable indicators sufficient.
MIN_COMPLETENESS = 0.5
MIN_SUFFICIENT_SHARE = 0.5

QUESTIONNAIRE_BAND = "questionnaire"
OVERRIDDEN_BAND = "override"

# Indicator statuses, one per indicator (``IndicatorResult.status``).
CRITICAL = "critical"
UNVERIFIED = "unverified"
IN_BAND = "in_band"
INSUFFICIENT = "insufficient"
NOT_APPLICABLE_STATUS = "not_applicable"


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorResult(_AsDict):
    code: str
    dimension_code: str
    coherence_level: str
    weight: float
    band_min: int
    band_max: int
    band_source: str  # "questionnaire" | "override"
    band_reason: str  # the questionnaire's reason, or the override's rationale
    carried_from: str  # quarter an override was carried from; ""
    safeguard: bool
    external: bool
    applicable: bool
    not_applicable_reason: str  # profile or mission-level N/A reason
    status: str  # critical | unverified | shortfall | over_integration | in_band | insufficient
    flag: str | None  # "shortfall" | "over_integration" | None, from the answers as given
    critical: bool
    unverified: bool
    contested: bool
    settled: bool  # in its band on every reading of its unanswered cells
    value: float | None  # mean of the voice steps where voice decides, else of all steps
    distance: float | None  # signed distance of ``value`` to the band
    alignment: float | None  # guaranteed: 100 - 25 x the worst distance over unanswered cells
    counted: int
    expected: int
    completeness: float | None
    sufficient: bool
    voice: tuple[str, ...]  # voice components expected here
    per_component: dict[str, int | str | None]


@dataclass(frozen=True, slots=True)
class GroupResult(_AsDict):
    """A dimension, a coherence level or the mission: its indicators' figures (internal only)."""

    key: str
    alignment: float | None  # uncapped, guaranteed reading
    coverage: float | None  # sufficient / applicable indicators
    sufficient: bool
    applicable: int
    sufficient_count: int
    critical: tuple[str, ...]
    unverified: tuple[str, ...]
    contested: tuple[str, ...]
    shortfall: tuple[str, ...]
    over_integration: tuple[str, ...]
    unsettled: tuple[str, ...]  # applicable indicators not settled in band (flags included)


@dataclass(frozen=True, slots=True)
class Headline(_AsDict):
    """What every summary shows, in this order: critical findings, then the alignment (capped)
    with coverage beside it, or "not enough answers"."""

    critical_count: int
    unverified_count: int
    contested_count: int
    gated: bool  # a critical finding or an unverified safeguard caps the alignment
    enough_answers: bool  # coverage >= COVERAGE_THRESHOLD
    alignment: float | None  # shown: None without enough answers; capped when gated
    uncapped_alignment: float | None
    coverage: float | None


@dataclass(frozen=True, slots=True)
class AssessmentResult(_AsDict):
    method_version: str
    phase: str
    headline: Headline
    mission: GroupResult
    dimensions: tuple[GroupResult, ...]
    coherence_levels: tuple[GroupResult, ...]
    conditions: tuple[IndicatorResult, ...]  # external context indicators
    components: tuple[str, ...]
    not_responded: tuple[str, ...]
    indicators: tuple[IndicatorResult, ...]  # every indicator, questionnaire order


_new_indicator_result = _builder(IndicatorResult)
_new_group = _builder(GroupResult)


# --- the method --------------------------------------------------------------------------------


def score_assessment(data: ScoringInput) -> AssessmentResult:
    """Score one assessment with method v3; independent of the order of components and answers."""
    questionnaire = data.questionnaire
    plan = _plan(questionnaire)
    columns = set(data.components)
    if plan.asks_mission:
        columns.add(MISSION)
    ordered = tuple(sorted(columns))
    responded = set(data.responded)
    unknown = responded - columns
    if unknown:
        raise ValueError(f"responded but not expected: {sorted(unknown)}")
    by_code = plan.by_code
    cells = _answer_cells(by_code, plan.scopes(ordered), responded, data.answers)
    overrides = _overrides(by_code, data.overrides)
    declared = data.not_applicable
    for code in declared:
        if code not in by_code:
            raise ValueError(f"not-applicable declaration for unknown indicator {code!r}")

    results = []
    internal: list[IndicatorResult] = []
    by_dimension: dict[str, list[IndicatorResult]] = {d.code: [] for d in questionnaire.dimensions}
    by_level: dict[str, list[IndicatorResult]] = {}
    for i in questionnaire.indicators:
        code = i.code
        result = _indicator_result(i, overrides.get(code), declared.get(code), cells[code], ordered)
        results.append(result)
        if result.applicable and not i.external:
            internal.append(result)
            by_dimension[i.dimension_code].append(result)
            level = by_level.get(i.coherence_level)
            if level is None:
                level = by_level[i.coherence_level] = []
            level.append(result)
    dimensions = tuple(_group(d.code, by_dimension[d.code]) for d in questionnaire.dimensions)
    levels = [level for level in COHERENCE_LEVELS if level in by_level]
    levels += sorted(set(by_level) - set(COHERENCE_LEVELS))
    coherence_levels = tuple(_group(level, by_level[level]) for level in levels)
    # Across dimensions by dimension weight (as v2 nests them); every dimension with an
    # applicable indicator counts, sufficient or not, so that no answer withheld can drop one.
    weights = [
        (d.weight, g.alignment)
        for d, g in zip(questionnaire.dimensions, dimensions, strict=True)
        if g.alignment is not None
    ]
    uncapped = None
    if weights:
        total = sum(w for w, _ in weights)
        uncapped = sum(w * a for w, a in weights) / total
        uncapped = min(100.0, max(0.0, uncapped))
        if all(a == 100.0 for _, a in weights):
            uncapped = 100.0
    mission = _group("mission", internal, uncapped)
    gated = bool(mission.critical or mission.unverified)
    enough = mission.coverage is not None and mission.coverage >= COVERAGE_THRESHOLD - TOLERANCE
    shown = None
    if enough and uncapped is not None:
        shown = min(uncapped, CRITICAL_CAP) if gated else uncapped
    headline = Headline(
        critical_count=len(mission.critical),
        unverified_count=len(mission.unverified),
        contested_count=len(mission.contested),
        gated=gated,
        enough_answers=enough,
        alignment=shown,
        uncapped_alignment=uncapped,
        coverage=mission.coverage,
    )
    return AssessmentResult(
        method_version=METHOD_LABEL,
        phase=data.phase,
        headline=headline,
        mission=mission,
        dimensions=dimensions,
        coherence_levels=coherence_levels,
        conditions=tuple(r for r in results if r.applicable and r.external),
        components=ordered,
        not_responded=tuple(c for c in ordered if c not in responded),
        indicators=tuple(results),
    )


def _indicator_result(
    indicator: IndicatorDef,
    override: BandOverride | None,
    declared_reason: str | None,
    cells: dict[str, int | str | None],
    columns: tuple[str, ...],
) -> IndicatorResult:
    if override:
        band_min, band_max = override.band_min, override.band_max
        band_reason, carried_from = override.rationale, override.carried_from
    else:
        band_min, band_max = indicator.band_min, indicator.band_max
        band_reason, carried_from = indicator.band_reason, ""
    not_applicable_reason = ""
    if not indicator.applies:
        not_applicable_reason = indicator.applies_reason
    elif declared_reason is not None:
        not_applicable_reason = declared_reason
    # Cells (``_answer_cells``): a step; "na_confirmed" (not expected, not read); "na", an N/A
    # with a reason (not expected, but read at the far end); anything else is an expected
    # cell without a step. Every cell without a step is "unanswered" for the alignment.
    steps: list[int] = []
    unanswered = expected = 0
    voice_steps: list[int] = []
    voice_unanswered = 0
    voice_expected: list[str] = []
    other_steps: list[int] = []
    applicable = not not_applicable_reason
    if applicable:
        voice = indicator.voice
        if voice:
            for component, cell in cells.items():
                if cell == _CONFIRMED:
                    continue  # not expected, not read
                is_voice = component in voice
                if is_voice:
                    voice_expected.append(component)
                if type(cell) is int:
                    expected += 1
                    steps.append(cell)
                    (voice_steps if is_voice else other_steps).append(cell)
                    continue
                # Not a step: read at the far end; expected unless an N/A that counts.
                unanswered += 1
                if cell != NOT_APPLICABLE:
                    expected += 1
                if is_voice:
                    voice_unanswered += 1
        else:
            for cell in cells.values():
                if type(cell) is int:
                    steps.append(cell)
                elif cell != _CONFIRMED:
                    unanswered += 1
                    if cell != NOT_APPLICABLE:
                        expected += 1
            expected += len(steps)
        applicable = bool(steps) or unanswered > 0
        if not applicable:
            not_applicable_reason = "confirmed not applicable by every component asked"
    counted = len(steps)
    completeness = counted / expected if expected else None
    # Voice decides where a voice component is expected; else everyone's mean.
    if voice_expected:
        read_steps, read_unanswered = voice_steps, voice_unanswered
    else:
        read_steps, read_unanswered = steps, unanswered
    value = distance = alignment = None
    sufficient = (
        applicable
        and counted > 0
        and completeness is not None
        and completeness >= MIN_COMPLETENESS - TOLERANCE
        and (not voice_expected or voice_unanswered == 0)
    )
    total = sum(read_steps)
    if read_steps:
        value = total / len(read_steps)
        distance = band_distance(value, band_min, band_max)
    if applicable:
        if read_unanswered == 0 and distance is not None:
            alignment = 100.0 - POINTS_PER_STEP * abs(distance)
        else:
            # The guaranteed reading: unanswered cells all at step 1 or all at step 5, whichever
            # costs more (the distance to a band is convex in the mean, so an end is the worst).
            n = len(read_steps) + read_unanswered
            low = (total + read_unanswered) / n
            high = (total + 5 * read_unanswered) / n
            worst = max(
                abs(band_distance(low, band_min, band_max)),
                abs(band_distance(high, band_min, band_max)),
            )
            alignment = 100.0 - POINTS_PER_STEP * worst
    flag = None
    if sufficient and distance is not None:
        flag = SHORTFALL if distance < 0 else OVER_INTEGRATION if distance > 0 else None
    critical = unverified = contested = False
    if applicable and indicator.safeguard:
        critical = any(not band_min <= s <= band_max for s in voice_steps) or flag is not None
        unverified = not critical and alignment is not None and alignment < 100.0
    if voice_steps and other_steps:
        contested = any(abs(o - v) >= CONTESTED_STEPS for v in voice_steps for o in other_steps)
    settled = alignment == 100.0
    if not applicable:
        status = NOT_APPLICABLE_STATUS
    elif critical:
        status = CRITICAL
    elif unverified:
        status = UNVERIFIED
    elif flag:
        status = flag
    elif sufficient:
        status = IN_BAND
    else:
        status = INSUFFICIENT
    return _new_indicator_result(
        indicator.code,
        indicator.dimension_code,
        indicator.coherence_level,
        indicator.weight,
        band_min,
        band_max,
        OVERRIDDEN_BAND if override else QUESTIONNAIRE_BAND,
        band_reason,
        carried_from,
        indicator.safeguard,
        indicator.external,
        applicable,
        not_applicable_reason,
        status,
        flag,
        critical,
        unverified,
        contested,
        settled,
        value,
        distance,
        alignment,
        counted,
        expected,
        completeness,
        sufficient,
        tuple(c for c in columns if c in voice_expected),
        cells,  # per_component
    )


def _group(key: str, members: list[IndicatorResult], *nested: float | None) -> GroupResult:
    """Figures of some applicable internal indicators: alignment by indicator weight, unless
    ``nested`` gives it (the mission's, by dimension weight). One pass, in questionnaire order."""
    weight = credit = 0.0
    sufficient_count = 0
    critical: list[str] = []
    unverified: list[str] = []
    contested: list[str] = []
    short: list[str] = []
    over: list[str] = []
    unsettled: list[str] = []
    for r in members:
        code = r.code
        weight += r.weight
        if r.settled:
            credit += r.weight * 100.0
        else:
            unsettled.append(code)
            credit += r.weight * (r.alignment or 0.0)
        if r.sufficient:
            sufficient_count += 1
        if r.critical:
            critical.append(code)
        elif r.unverified:
            unverified.append(code)
        if r.contested:
            contested.append(code)
        flag = r.flag
        if flag is not None:
            (short if flag == SHORTFALL else over).append(code)
    if nested:
        alignment = nested[0]
    elif not members:
        alignment = None
    elif not unsettled:
        alignment = 100.0  # exactly: no float noise on "every indicator settled"
    else:
        alignment = min(100.0, max(0.0, credit / weight))
    coverage = sufficient_count / len(members) if members else None
    return _new_group(
        key,
        alignment,
        coverage,
        coverage is not None and coverage >= MIN_SUFFICIENT_SHARE - TOLERANCE,
        len(members),
        sufficient_count,
        tuple(critical),
        tuple(unverified),
        tuple(contested),
        tuple(short),
        tuple(over),
        tuple(unsettled),
    )
