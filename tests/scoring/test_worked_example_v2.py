"""docs/scoring.md, sections 8 and 10 (method v2), number by number.

The expected numbers are the ones printed in the doc, written here literally; the test also
checks that the doc still prints them. If this test fails, the doc or the method is wrong.
"""

from pathlib import Path

import pytest

from scoring import method_v1
from scoring.method_v1 import AnswerValue
from scoring.method_v2 import (
    MISSION,
    BandOverride,
    DimensionDef,
    IndicatorDef,
    QuestionnaireDef,
    ScoringInput,
    score_assessment,
)

DOC = (Path(__file__).resolve().parents[2] / "docs" / "scoring.md").read_text()
EVERY = ()
QUESTIONNAIRE = QuestionnaireDef(
    dimensions=(DimensionDef("PLAN", 2.0), DimensionDef("HUM", 1.0)),
    indicators=(
        IndicatorDef("PLAN-01", "PLAN", "policy_strategic", 2.0, 3, 4, EVERY),
        IndicatorDef("PLAN-02", "PLAN", "operational_programmatic", 1.0, 3, 4, EVERY),
        IndicatorDef("PLAN-03", "PLAN", "administrative", 1.0, 2, 3, (MISSION,)),
        IndicatorDef("HUM-01", "HUM", "policy_strategic", 1.0, 2, 3, EVERY),
        IndicatorDef(
            "HUM-02",
            "HUM",
            "operational_programmatic",
            1.0,
            1,
            2,
            ("political", "military", "humanitarian"),
        ),
        IndicatorDef("HUM-03", "HUM", "operational_programmatic", 1.0, 3, 4, (MISSION,)),
        IndicatorDef("HUM-04", "HUM", "operational_programmatic", 1.0, 3, 4, EVERY),
    ),
)
ANSWERS = {
    "PLAN-01": {"political": 3, "military": 4, "humanitarian": 1},
    "PLAN-02": {"political": 3, "military": 4, "humanitarian": "dk"},
    "PLAN-03": {MISSION: 2},
    "HUM-01": {"political": 2, "military": 3, "humanitarian": 2},
    "HUM-02": {"political": 5, "military": 5, "humanitarian": 5},
    "HUM-04": {"political": 2, "military": "na", "humanitarian": "dk"},
}
RATIONALE = "Drawdown: joint planning handed over to the UN country team."
NO_POC = "No protection-of-civilians mandate."


def _answers(table):
    return tuple(
        AnswerValue(component, code, answer)
        if isinstance(answer, int)
        else AnswerValue(component, code, None, answer)
        for code, row in table.items()
        for component, answer in row.items()
    )


def _three(value):
    return pytest.approx(value, abs=0.0005)


@pytest.fixture(scope="module")
def result():
    return score_assessment(
        ScoringInput(
            questionnaire=QUESTIONNAIRE,
            components=("political", "military", "humanitarian", "human_rights", MISSION),
            responded=("political", "military", "humanitarian", MISSION),
            answers=_answers(ANSWERS),
            overrides=(BandOverride("PLAN-02", 3, 3, RATIONALE),),
            not_applicable={"HUM-03": NO_POC},
            phase="drawdown",
        )
    )


def _indicator(result, code):
    return next(i for d in result.dimensions for i in d.indicators if i.code == code)


def _dimension(result, code):
    return next(d for d in result.dimensions if d.code == code)


def test_the_doc_prints_the_numbers_tested_here():
    for text in (
        "| PLAN-01 | 3 / 4 = 0.75 | (3+4+1)/3 = 2.667 | 3–4 | −0.333 | **shortfall** | 91.667 |",
        "| PLAN-02 | 2 / 4 = 0.50 | (3+4)/2 = 3.500 | 3–3 | +0.500 | **over_integration** | 87.500",
        "| PLAN-03 | 1 / 1 = 1.00 | 2.000 | 2–3 | 0 | **in band** | 100.000 |",
        "| HUM-04 | 1 / 3 = 0.33 | 2.000 | 3–4 | −1.000 | none: **insufficient** |",
        "alignment = 100 − 4.167 − 3.125 = **92.708**",
        "**target alignment = 100 − 2.778 − 14.583 = 82.639**",
        "completeness = 13 / 19 = **0.684**",
        "mission alignment (100 + 85)/2 = **92.5**",
        "**target alignment falls from 92.5 to 65**",
        "index rises from **37.5 to 75**",
        RATIONALE,
        NO_POC,
    ):
        assert text in DOC, text


@pytest.mark.parametrize(
    ("code", "counted", "expected", "value", "band", "distance", "flag", "alignment", "sufficient"),
    [
        ("PLAN-01", 3, 4, 2.667, (3, 4), -0.333, "shortfall", 91.667, True),
        ("PLAN-02", 2, 4, 3.500, (3, 3), 0.500, "over_integration", 87.500, True),
        ("PLAN-03", 1, 1, 2.000, (2, 3), 0.0, None, 100.0, True),
        ("HUM-01", 3, 4, 2.333, (2, 3), 0.0, None, 100.0, True),
        ("HUM-02", 3, 3, 5.000, (1, 2), 3.0, "over_integration", 25.0, True),
        ("HUM-04", 1, 3, 2.000, (3, 4), -1.0, None, None, False),
    ],
)
def test_indicator_table(
    result, code, counted, expected, value, band, distance, flag, alignment, sufficient
):
    indicator = _indicator(result, code)
    assert (indicator.counted, indicator.expected) == (counted, expected)
    assert indicator.value == _three(value)
    assert (indicator.band_min, indicator.band_max) == band
    assert indicator.distance == _three(distance)
    assert indicator.flag == flag
    assert indicator.alignment == (None if alignment is None else _three(alignment))
    assert indicator.sufficient is sufficient


def test_override_carries_its_rationale_and_the_declared_na_its_reason(result):
    plan_02 = _indicator(result, "PLAN-02")
    assert (plan_02.band_source, plan_02.rationale) == ("override", RATIONALE)
    assert _indicator(result, "PLAN-01").band_source == "default"
    hum_03 = _indicator(result, "HUM-03")
    assert (hum_03.applicable, hum_03.not_applicable_reason) == (False, NO_POC)
    assert (hum_03.expected, hum_03.value, hum_03.flag) == (0, None, None)
    assert result.phase == "drawdown"


def test_divergence_is_computed_over_the_components_an_indicator_applies_to(result):
    assert _indicator(result, "PLAN-01").divergent is True
    assert _indicator(result, "HUM-02").per_component == {
        "humanitarian": 5,
        "military": 5,
        "political": 5,
    }


def test_planning_holds_one_shortfall_and_one_over_integration(result):
    plan = _dimension(result, "PLAN")
    f = plan.findings
    assert (f.shortfall, f.over_integration, f.alignment) == (
        _three(4.167),
        _three(3.125),
        _three(92.708),
    )
    assert (f.shortfall_indicators, f.over_integration_indicators) == (("PLAN-01",), ("PLAN-02",))
    assert f.integration_level == _three(42.708)
    assert f.completeness == _three(0.667)
    assert plan.divergence == _three(2.0)
    assert plan.divergence_flag is True


def test_humanitarian_dimension_flags_hum_02(result):
    hum = _dimension(result, "HUM")
    f = hum.findings
    assert (f.shortfall, f.over_integration, f.alignment) == (0.0, 37.5, 62.5)
    assert (f.shortfall_indicators, f.over_integration_indicators) == ((), ("HUM-02",))
    assert f.integration_level == _three(66.667)
    assert f.completeness == _three(0.7)
    assert hum.not_applicable_indicators == ("HUM-03",)
    assert hum.divergence == _three(0.5)
    assert hum.divergence_flag is False


def test_coherence_levels(result):
    levels = {level.level: level.findings for level in result.coherence_levels}
    assert levels["policy_strategic"].alignment == _three(94.444)
    assert levels["policy_strategic"].shortfall_indicators == ("PLAN-01",)
    assert levels["operational_programmatic"].alignment == _three(66.667)
    assert levels["operational_programmatic"].over_integration_indicators == (
        "PLAN-02",
        "HUM-02",
    )
    assert levels["administrative"].alignment == 100.0


def test_mission_headline(result):
    f = result.findings
    assert f.shortfall == _three(2.778)
    assert f.over_integration == _three(14.583)
    assert f.alignment == _three(82.639)
    assert round(f.alignment) == 83
    assert f.alignment == pytest.approx(100 - f.shortfall - f.over_integration)
    assert f.integration_level == _three(50.694)
    assert result.stage == "Coordination"
    assert f.completeness == _three(13 / 19)
    assert result.not_responded == ("human_rights",)
    assert result.method_version == "imp-score-2.0"


# --- section 10 ----------------------------------------------------------------------------------

BANDS = {"HUM-01": (1, 2), "HUM-02": (1, 2), "HUM-03": (1, 2), "HUM-04": (2, 3), "HUM-05": (1, 2)}
SEPARATE = {"HUM-01": 1, "HUM-02": 5, "HUM-03": 1, "HUM-04": 2, "HUM-05": 1}
ABSORBED = dict.fromkeys(BANDS, 5)


def _both_methods(hum):
    answers = _answers(
        {"PLAN-01": {"political": 3}, **{c: {"political": s} for c, s in hum.items()}}
    )
    v2 = score_assessment(
        ScoringInput(
            QuestionnaireDef(
                (DimensionDef("PLAN", 1.0), DimensionDef("HUM", 1.0)),
                (IndicatorDef("PLAN-01", "PLAN", "policy_strategic", 1.0, 3, 4),)
                + tuple(
                    IndicatorDef(code, "HUM", "operational_programmatic", 1.0, *band)
                    for code, band in BANDS.items()
                ),
            ),
            ("political",),
            ("political",),
            answers,
        )
    )
    v1 = method_v1.score_assessment(
        method_v1.ScoringInput(
            method_v1.QuestionnaireDef(
                (method_v1.DimensionDef("PLAN", 1.0, 3), method_v1.DimensionDef("HUM", 1.0, 2)),
                (method_v1.IndicatorDef("PLAN-01", "PLAN", "policy_strategic", 1.0),)
                + tuple(
                    method_v1.IndicatorDef(code, "HUM", "operational_programmatic", 1.0)
                    for code in BANDS
                ),
            ),
            {},
            ("political",),
            answers,
        )
    )
    return v1, v2


def test_a_single_over_integrated_indicator_is_flagged_where_v1_saw_nothing():
    v1, v2 = _both_methods(SEPARATE)
    v1_hum = next(d for d in v1.dimensions if d.code == "HUM")
    assert (v1_hum.score, v1_hum.gap, v1_hum.gap_flag) == (2.0, 0.0, None)
    hum = _dimension(v2, "HUM").findings
    assert hum.over_integration_indicators == ("HUM-02",)
    assert hum.alignment == 85.0
    assert (v2.findings.alignment, v2.findings.over_integration) == (92.5, 7.5)


def test_absorbing_humanitarians_lowers_alignment_while_the_level_rises():
    v1_before, v2_before = _both_methods(SEPARATE)
    v1_after, v2_after = _both_methods(ABSORBED)
    assert (v1_before.index, v1_after.index) == (37.5, 75.0)
    assert (v2_before.findings.integration_level, v2_after.findings.integration_level) == (
        37.5,
        75.0,
    )
    assert (v2_before.findings.alignment, v2_after.findings.alignment) == (92.5, 65.0)
    assert _dimension(v2_after, "HUM").findings.alignment == 30.0
    assert v2_after.findings.over_integration == 35.0
    assert len(v2_after.findings.over_integration_indicators) == 5
