"""IMP-CORE v3 as method v3 reads it, for the v3 worked examples and calibration cases.

The shipped file (`questionnaires/data/imp-core-v3.yaml`) resolved for a context profile by the
service's own code (``scoring.inputs_v3``): the default profile is a triple-hatted peacekeeping
operation in consolidation with a protection mandate, a humanitarian operation and a country
team, the host state not a party to the conflict (``missions.context.DEFAULT_PROFILE``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from missions.context import DEFAULT_PROFILE, ContextProfile
from questionnaires.formats import spec_from_file
from scoring.inputs_v3 import questionnaire_def_v3_from_spec
from scoring.method_v3 import (
    MISSION,
    AnswerValue,
    IndicatorDef,
    QuestionnaireDef,
    ScoringInput,
    score_assessment,
)

CORE = Path(__file__).resolve().parents[2] / "questionnaires" / "data" / "imp-core-v3.yaml"
SPEC = spec_from_file(CORE)
COMPONENTS = (
    "political",
    "military",
    "police",
    "mission_support",
    "humanitarian",
    "development",
    "human_rights",
    "rule_of_law",
)


def core_questionnaire(profile: ContextProfile = DEFAULT_PROFILE) -> QuestionnaireDef:
    return questionnaire_def_v3_from_spec(dimensions=SPEC.dimensions, profile=profile)


QUESTIONNAIRE = core_questionnaire()
BY_CODE = {i.code: i for i in QUESTIONNAIRE.indicators}


def scope(indicator: IndicatorDef, components: tuple[str, ...] = COMPONENTS) -> tuple[str, ...]:
    return tuple(c for c in (*components, MISSION) if c in indicator.applies_to)


def in_band_answers(
    components: tuple[str, ...] = COMPONENTS,
    questionnaire: QuestionnaireDef = QUESTIONNAIRE,
    **changes: dict[str, object],
) -> tuple[AnswerValue, ...]:
    """Every asked component at the lower end of each band, except ``changes``:
    ``{"HUM_02": {"political": 5, "humanitarian": "dk", "police": None}}`` (None: no answer;
    "na:reason" for an N/A with a reason)."""
    answers = []
    for indicator in questionnaire.indicators:
        if not indicator.applies:
            continue
        changed = changes.get(indicator.code.replace("-", "_"), {})
        for component in scope(indicator, components):
            cell = changed.get(component, indicator.band_min)
            if cell is None:
                continue
            if isinstance(cell, int):
                answers.append(AnswerValue(component, indicator.code, cell))
            elif isinstance(cell, str) and cell.startswith("na"):
                reason = cell.partition(":")[2]
                answers.append(AnswerValue(component, indicator.code, None, "na", reason))
            else:
                answers.append(AnswerValue(component, indicator.code, None, str(cell)))
    return tuple(answers)


def every(indicator_code: str, step: object, components=COMPONENTS) -> dict[str, object]:
    return dict.fromkeys(scope(BY_CODE[indicator_code], components), step)


def score(
    answers: tuple[AnswerValue, ...],
    components: tuple[str, ...] = COMPONENTS,
    responded: tuple[str, ...] | None = None,
    questionnaire: QuestionnaireDef = QUESTIONNAIRE,
    **options: object,
):
    columns = (*components, MISSION)
    data = ScoringInput(
        questionnaire,
        columns,
        columns if responded is None else responded,
        answers,
        **options,  # type: ignore[arg-type]
    )
    return score_assessment(data)


def indicator(result, code: str):
    return next(i for i in result.indicators if i.code == code)


def with_questionnaire(data: ScoringInput, **changes: object) -> ScoringInput:
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]
