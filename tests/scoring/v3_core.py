"""IMP-CORE as method v3 reads it, for the v3 worked examples and calibration cases.

The bands are the shipped ones of `questionnaires/data/imp-core-v2.yaml`, read from the file, with
the v3 marks IMP-CORE v3 adds (issue 23): the humanitarian-space indicators are safeguards with
the humanitarian component's voice, HUM-04 (independent human rights reporting) with the human
rights component's; MS-01..04, RES-01 and ACC-07 are external context.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from scoring.method_v3 import (
    MISSION,
    AnswerValue,
    DimensionDef,
    IndicatorDef,
    QuestionnaireDef,
    ScoringInput,
    score_assessment,
)

CORE = Path(__file__).resolve().parents[2] / "questionnaires" / "data" / "imp-core-v2.yaml"
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
SAFEGUARDS = {
    "HUM-02": ("humanitarian",),
    "HUM-05": ("humanitarian",),
    "HUM-06": ("humanitarian",),
    "HUM-04": ("human_rights",),
}
EXTERNAL = {"MS-01", "MS-02", "MS-03", "MS-04", "RES-01", "ACC-07"}


def core_questionnaire() -> QuestionnaireDef:
    data = yaml.safe_load(CORE.read_text(encoding="utf-8"))
    dimensions, indicators = [], []
    for dimension in data["dimensions"]:
        dimensions.append(DimensionDef(dimension["code"], float(dimension.get("weight", 1.0))))
        for item in dimension["indicators"]:
            applies_to = tuple(item["applies_to"])
            indicators.append(
                IndicatorDef(
                    code=item["code"],
                    dimension_code=dimension["code"],
                    coherence_level=item["coherence_level"],
                    weight=float(item["weight"]),
                    band_min=item["target"]["min"],
                    band_max=item["target"]["max"],
                    band_reason="default band",
                    applies_to=(MISSION,) if applies_to == ("mission",) else applies_to,
                    safeguard=item["code"] in SAFEGUARDS,
                    voice=SAFEGUARDS.get(item["code"], ()),
                    external=item["code"] in EXTERNAL,
                )
            )
    return QuestionnaireDef(tuple(dimensions), tuple(indicators))


QUESTIONNAIRE = core_questionnaire()
BY_CODE = {i.code: i for i in QUESTIONNAIRE.indicators}


def scope(indicator: IndicatorDef, components: tuple[str, ...] = COMPONENTS) -> tuple[str, ...]:
    return tuple(c for c in (*components, MISSION) if c in indicator.applies_to)


def in_band_answers(
    components: tuple[str, ...] = COMPONENTS, **changes: dict[str, object]
) -> tuple[AnswerValue, ...]:
    """Every asked component at the lower end of each band, except ``changes``:
    ``{"HUM_02": {"political": 5, "humanitarian": "dk", "police": None}}`` (None: no answer;
    "na:reason" for an N/A with a reason)."""
    answers = []
    for indicator in QUESTIONNAIRE.indicators:
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
    **options: object,
):
    columns = (*components, MISSION)
    data = ScoringInput(
        QUESTIONNAIRE,
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
