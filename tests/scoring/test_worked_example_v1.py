"""The worked example of docs/scoring-v1.md, section 9, number by number.

The expected numbers are the hand-computed ones printed in the doc, written here literally and
compared to the decimals shown there. If this test fails, the doc or the method is wrong.
"""

import pytest

from scoring.method_v1 import (
    AnswerValue,
    DimensionDef,
    IndicatorDef,
    QuestionnaireDef,
    ScoringInput,
    score_assessment,
)

QUESTIONNAIRE = QuestionnaireDef(
    dimensions=(
        DimensionDef(code="PLAN", weight=2.0, default_target_step=4),
        DimensionDef(code="HUM", weight=1.0, default_target_step=2),
    ),
    indicators=(
        IndicatorDef("PLAN-01", "PLAN", "policy_strategic", 2.0),
        IndicatorDef("PLAN-02", "PLAN", "operational_programmatic", 1.0),
        IndicatorDef("PLAN-03", "PLAN", "administrative", 1.0),
        IndicatorDef("HUM-01", "HUM", "policy_strategic", 1.0),
        IndicatorDef("HUM-02", "HUM", "operational_programmatic", 1.0),
    ),
)
COMPONENTS = ("political", "military", "humanitarian")
ANSWERS = {
    "PLAN-01": (3, 4, 1),
    "PLAN-02": (2, 3, "dk"),
    "PLAN-03": (2, 2, 1),
    "HUM-01": (3, 3, "na"),
    "HUM-02": (2, 3, 2),
}

THREE_DECIMALS = 0.0005
TWO_DECIMALS = 0.005


def _three(value):
    return pytest.approx(value, abs=THREE_DECIMALS)


@pytest.fixture(scope="module")
def result():
    answers = tuple(
        AnswerValue(component, code, answer, "step")
        if isinstance(answer, int)
        else AnswerValue(component, code, None, answer)
        for code, row in ANSWERS.items()
        for component, answer in zip(COMPONENTS, row, strict=True)
    )
    return score_assessment(
        ScoringInput(
            questionnaire=QUESTIONNAIRE, targets={}, components=COMPONENTS, answers=answers
        )
    )


def _dimension(result, code):
    return next(d for d in result.dimensions if d.code == code)


def _indicator(result, code):
    return next(i for d in result.dimensions for i in d.indicators if i.code == code)


@pytest.mark.parametrize(
    ("code", "counted", "value", "minimum", "maximum", "spread", "stdev"),
    [
        ("PLAN-01", 3, 2.667, 1, 4, 3, 1.247),
        ("PLAN-02", 2, 2.500, 2, 3, 1, 0.500),
        ("PLAN-03", 3, 1.667, 1, 2, 1, 0.471),
        ("HUM-01", 2, 3.000, 3, 3, 0, 0.000),
        ("HUM-02", 3, 2.333, 2, 3, 1, 0.471),
    ],
)
def test_indicator_table(result, code, counted, value, minimum, maximum, spread, stdev):
    indicator = _indicator(result, code)
    assert indicator.counted == counted
    assert indicator.expected == 3
    assert indicator.value == _three(value)
    assert (indicator.minimum, indicator.maximum, indicator.spread) == (minimum, maximum, spread)
    assert indicator.stdev == _three(stdev)


def test_dont_know_and_not_applicable_are_kept_per_component(result):
    assert _indicator(result, "PLAN-02").per_component == {
        "humanitarian": "dk",
        "military": 3,
        "political": 2,
    }
    assert _indicator(result, "HUM-01").per_component["humanitarian"] == "na"


def test_planning_is_2_4_with_a_shortfall_and_divergent_components(result):
    plan = _dimension(result, "PLAN")
    assert plan.score == _three(2.375)
    assert plan.completeness == _three(0.889)
    assert plan.sufficient is True
    assert plan.target == 4
    assert plan.gap == _three(1.625)
    assert plan.gap_flag == "shortfall"
    assert plan.divergence == _three(1.667)
    assert plan.divergence_flag is True
    assert plan.divergence_stdev == pytest.approx(0.74, abs=TWO_DECIMALS)


def test_humanitarian_dimension_flags_over_integration_below_the_threshold(result):
    hum = _dimension(result, "HUM")
    assert hum.score == _three(2.667)
    assert hum.completeness == _three(0.833)
    assert hum.sufficient is True
    assert hum.target == 2
    assert hum.gap == _three(-0.667)
    assert hum.gap_flag == "over_integration"
    assert hum.divergence == _three(0.500)
    assert hum.divergence_flag is False
    assert hum.divergence_stdev == _three(0.236)


def test_coherence_levels(result):
    levels = {level.level: level for level in result.coherence_levels}
    assert list(levels) == ["policy_strategic", "operational_programmatic", "administrative"]
    assert levels["policy_strategic"].score == _three(2.778)
    assert levels["policy_strategic"].completeness == _three(0.833)
    assert levels["operational_programmatic"].score == _three(2.444)
    assert levels["operational_programmatic"].completeness == _three(0.833)
    assert levels["administrative"].score == _three(1.667)
    assert levels["administrative"].completeness == _three(1.000)
    assert all(level.sufficient for level in levels.values())


def test_integration_index(result):
    assert result.method_version == "imp-score-1.0"
    assert result.score == _three(2.472)
    assert result.index == _three(36.806)
    assert round(result.index) == 37
    assert result.stage == "Networking / information sharing"
    assert result.completeness == _three(0.867)
    assert result.sufficient is True


@pytest.mark.parametrize(
    ("component", "plan", "hum", "score", "completeness"),
    [
        # (score, completeness, gap, flag) per dimension
        (
            "humanitarian",
            (1.000, 0.667, 3.000, "shortfall"),
            (2.000, 0.500, 0.000, None),
            1.333,
            0.6,
        ),
        (
            "military",
            (3.250, 1.000, 0.750, None),
            (3.000, 1.000, -1.000, "over_integration"),
            3.167,
            1.0,
        ),
        (
            "political",
            (2.500, 1.000, 1.500, "shortfall"),
            (2.500, 1.000, -0.500, "over_integration"),
            2.500,
            1.0,
        ),
    ],
)
def test_component_profiles(result, component, plan, hum, score, completeness):
    profile = next(p for p in result.components if p.component == component)
    assert profile.score == _three(score)
    assert profile.completeness == _three(completeness)
    for dimension, (d_score, d_completeness, d_gap, d_flag) in zip(
        profile.dimensions, (plan, hum), strict=True
    ):
        assert dimension.score == _three(d_score)
        assert dimension.completeness == _three(d_completeness)
        assert dimension.sufficient is True
        assert dimension.gap == _three(d_gap)
        assert dimension.gap_flag == d_flag
        assert dimension.divergence is None


def test_profiles_are_listed_by_component_name(result):
    assert [p.component for p in result.components] == ["humanitarian", "military", "political"]
