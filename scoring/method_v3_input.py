"""Method v3's input: the plain data it reads, and the checks and per-questionnaire plan that
turn it into cells (``scoring.method_v3`` scores them). Pure, no Django."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from scoring import method_v1, method_v2
from scoring.method_v1 import DONT_KNOW, NOT_APPLICABLE, STEP, STEPS
from scoring.method_v2 import MISSION, DimensionDef

# --- input -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    """One indicator with its band already resolved for the mission's phase and profile."""

    code: str
    dimension_code: str
    coherence_level: str
    weight: float
    band_min: int
    band_max: int
    band_reason: str = ""  # why this band applies ("phase: drawdown", "host state a party" …)
    # Component codes that answer it, (MISSION,) for the focal point, () for every component.
    applies_to: tuple[str, ...] = ()
    safeguard: bool = False
    voice: tuple[str, ...] = ()  # components whose view decides
    external: bool = False  # about what Member States or headquarters do
    applies: bool = True  # the context profile asks it
    applies_reason: str = ""  # why it is (not) asked


@dataclass(frozen=True, slots=True)
class QuestionnaireDef:
    dimensions: tuple[DimensionDef, ...]
    indicators: tuple[IndicatorDef, ...]


@dataclass(frozen=True, slots=True)
class AnswerValue:
    """One component's answer: a step 1-5, or "na" / "dk" with step None.

    A "na" counts as not applicable only with a ``reason``, and on a safeguard only once the
    focal point has ``confirmed`` it; otherwise it is an expected answer not given.
    """

    component: str
    indicator_code: str
    step: int | None
    kind: str = STEP
    reason: str = ""
    confirmed: bool = False


@dataclass(frozen=True, slots=True)
class BandOverride:
    """The focal point's band for one indicator, with its rationale; ``carried_from`` names the
    quarter it was set in when it is carried forward ("2026-Q3"), "" when set this quarter."""

    indicator_code: str
    band_min: int
    band_max: int
    rationale: str
    carried_from: str = ""


@dataclass(frozen=True, slots=True)
class ScoringInput:
    """One assessment: as in v2 (``components`` expected, ``responded`` complete, answers from
    those only, the focal point's mission-level N/A declarations with their reasons)."""

    questionnaire: QuestionnaireDef
    components: tuple[str, ...]
    responded: tuple[str, ...]
    answers: tuple[AnswerValue, ...]
    overrides: tuple[BandOverride, ...] = ()
    not_applicable: Mapping[str, str] = field(default_factory=dict)
    phase: str = ""


def descriptive_input(data: ScoringInput) -> method_v2.ScoringInput:
    """The same answers as method 2 reads them, for the figures that describe rather than judge:
    the integration level and mean steps (higher is not better), each component's view of
    each dimension and how far they diverge. Only the indicators the context profile asks and
    that are not external context; each answer as given (a step, "na" or "dk", none of which
    moves a mean). Method 3's findings never read this (``scoring.services`` stores both)."""
    indicators = tuple(
        method_v2.IndicatorDef(
            code=i.code,
            dimension_code=i.dimension_code,
            coherence_level=i.coherence_level,
            weight=i.weight,
            band_min=i.band_min,
            band_max=i.band_max,
            applies_to=i.applies_to,
        )
        for i in data.questionnaire.indicators
        if i.applies and not i.external
    )
    asked = {i.code for i in indicators}
    return method_v2.ScoringInput(
        questionnaire=method_v2.QuestionnaireDef(data.questionnaire.dimensions, indicators),
        components=data.components,
        responded=data.responded,
        answers=tuple(
            method_v1.AnswerValue(a.component, a.indicator_code, a.step, a.kind)
            for a in data.answers
            if a.indicator_code in asked
        ),
        overrides=tuple(
            method_v2.BandOverride(o.indicator_code, o.band_min, o.band_max, o.rationale)
            for o in data.overrides
            if o.indicator_code in asked
        ),
        not_applicable={c: r for c, r in data.not_applicable.items() if c in asked},
        phase=data.phase,
    )


# --- input checks ------------------------------------------------------------------------------

_CONFIRMED = "na_confirmed"
# An N/A that does not count (no reason; on a safeguard, not confirmed): expected, not given.
PENDING_NOT_APPLICABLE = "na_pending"


@dataclass(slots=True)
class _Plan:
    """What scoring needs from a questionnaire alone, worked out once per questionnaire object
    (a service scores many assessments against one frozen definition)."""

    questionnaire: QuestionnaireDef  # kept alive so its id() is not reused while cached
    by_code: dict[str, IndicatorDef]
    asks_mission: bool
    _scopes: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def scopes(self, columns: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        """indicator code -> the columns it applies to (() in applies_to: every component)."""
        scopes = self._scopes.get(columns)
        if scopes is None:
            if len(self._scopes) >= _CACHE_SIZE:
                self._scopes.clear()
            everyone = tuple(c for c in columns if c != MISSION)
            scopes = self._scopes[columns] = {
                code: tuple(c for c in columns if c in i.applies_to) if i.applies_to else everyone
                for code, i in self.by_code.items()
            }
        return scopes


_CACHE_SIZE = 256
_PLANS: dict[int, _Plan] = {}


def _plan(questionnaire: QuestionnaireDef) -> _Plan:
    plan = _PLANS.get(id(questionnaire))
    if plan is not None and plan.questionnaire is questionnaire:
        return plan
    _check(questionnaire)  # only a valid questionnaire is cached: a bad one fails every time
    plan = _Plan(
        questionnaire,
        {i.code: i for i in questionnaire.indicators},
        any(MISSION in i.applies_to for i in questionnaire.indicators),
    )
    if len(_PLANS) >= _CACHE_SIZE:
        _PLANS.clear()
    _PLANS[id(questionnaire)] = plan
    return plan


def _check(questionnaire: QuestionnaireDef) -> None:
    """v2's checks (codes, weights, dimensions, bands: the same fields), then v3's own."""
    method_v2._check(cast(Any, questionnaire))
    for indicator in questionnaire.indicators:
        if indicator.safeguard and not indicator.voice:
            raise ValueError(f"indicator {indicator.code}: a safeguard needs voice components")


def _overrides(
    known: Mapping[str, IndicatorDef], overrides: Iterable[BandOverride]
) -> dict[str, BandOverride]:
    """The overrides by indicator code, checked as v2 checks them (the same fields)."""
    return cast(dict[str, BandOverride], method_v2._overrides(known, cast(Any, overrides)))


def _answer_cells(
    by_code: Mapping[str, IndicatorDef],
    scopes: Mapping[str, tuple[str, ...]],
    responded: set[str],
    answers: Iterable[AnswerValue],
) -> dict[str, dict[str, int | str | None]]:
    """indicator code -> {column in scope: step, "na" (counts), "na_confirmed", "na_pending"
    (an N/A that does not count), "dk" or None (no answer)}."""
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
        elif kind == NOT_APPLICABLE and step is None:
            if answer.confirmed and answer.reason.strip():
                row[component] = _CONFIRMED
            elif answer.reason.strip() and not by_code[code].safeguard:
                row[component] = NOT_APPLICABLE
            else:
                row[component] = PENDING_NOT_APPLICABLE
        elif kind == DONT_KNOW and step is None:
            row[component] = DONT_KNOW
        else:
            raise ValueError(f"{code}: invalid answer {kind!r} / {step!r}")
    return cells
