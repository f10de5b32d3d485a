"""The scoring method on small hand-computed cases. Pure: no database, no Django."""

import json
from pathlib import Path

import pytest
import yaml

from scoring.method_v1 import (
    DIVERGENCE_FLAG_THRESHOLD,
    GAP_FLAG_THRESHOLD,
    METHOD_LABEL,
    MIN_COMPLETENESS,
    STEP_NAMES,
    AnswerValue,
    DimensionDef,
    IndicatorDef,
    QuestionnaireDef,
    ScoringInput,
    result_to_dict,
    score_assessment,
)

IMP_CORE = Path(__file__).resolve().parents[2] / "questionnaires" / "data" / "imp-core-v1.yaml"


def indicator(code, weight=1.0, level="policy_strategic"):
    """An indicator whose dimension is the part of its code before the dash: "PLAN-01"."""
    return IndicatorDef(code, code.split("-")[0], level, weight)


def questionnaire(*indicators, weights=None, targets=None):
    """Dimensions in order of first appearance; weight 1 and default target 3 unless given."""
    weights, targets = weights or {}, targets or {}
    codes = list(dict.fromkeys(i.dimension_code for i in indicators))
    codes += [code for code in {**weights, **targets} if code not in codes]
    return QuestionnaireDef(
        dimensions=tuple(DimensionDef(c, weights.get(c, 1.0), targets.get(c, 3)) for c in codes),
        indicators=tuple(indicators),
    )


def score(questionnaire, table, *, targets=None, components=None):
    """`table` maps indicator code -> {component: step, "na" or "dk"}. Components default to
    those named in the table; pass more to leave some of them silent."""
    answers = tuple(
        AnswerValue(component, code, answer, "step")
        if isinstance(answer, int)
        else AnswerValue(component, code, None, answer)
        for code, row in table.items()
        for component, answer in row.items()
    )
    if components is None:
        components = tuple(sorted({c for row in table.values() for c in row}))
    return score_assessment(ScoringInput(questionnaire, targets or {}, components, answers))


def dimension(result, code="X"):
    return next(d for d in result.dimensions if d.code == code)


def indicator_result(result, code="X-01"):
    return next(i for d in result.dimensions for i in d.indicators if i.code == code)


def profile(result, component):
    return next(p for p in result.components if p.component == component)


def one_dimension(*steps, target=3, code="X"):
    """One dimension with one indicator per step, answered by a single component."""
    q = questionnaire(*(indicator(f"{code}-{n:02d}") for n in range(len(steps))))
    table = {f"{code}-{n:02d}": {"political": step} for n, step in enumerate(steps)}
    return dimension(score(q, table, targets={code: target}), code)


# --- indicators --------------------------------------------------------------------------------


def test_indicator_value_is_the_mean_of_component_steps():
    result = score(questionnaire(indicator("X-01")), {"X-01": {"a": 1, "b": 2, "c": 4}})
    assert indicator_result(result).value == pytest.approx(7 / 3)
    assert indicator_result(result).counted == 3


def test_indicator_spread_is_population_stdev_and_range():
    result = score(questionnaire(indicator("X-01")), {"X-01": {"a": 1, "b": 3, "c": 5}})
    found = indicator_result(result)
    # deviations -2, 0, 2: sqrt((4 + 0 + 4) / 3)
    assert found.stdev == pytest.approx(1.633, abs=0.0005)
    assert (found.minimum, found.maximum, found.spread) == (1, 5, 4)


def test_indicator_answered_by_one_component_has_no_spread():
    result = score(questionnaire(indicator("X-01")), {"X-01": {"a": 4, "b": "na"}})
    found = indicator_result(result)
    assert (found.value, found.minimum, found.maximum) == (4.0, 4, 4)
    assert found.stdev is None
    assert found.spread is None


def test_indicator_lists_each_components_answer_including_silence():
    result = score(
        questionnaire(indicator("X-01")),
        {"X-01": {"b": "dk", "a": 2}},
        components=("c", "a", "b"),
    )
    assert indicator_result(result).per_component == {"a": 2, "b": "dk", "c": None}


# --- not applicable, don't know, missing -------------------------------------------------------


def test_not_applicable_answers_lower_completeness_but_not_the_score():
    result = score(questionnaire(indicator("X-01")), {"X-01": {"a": 4, "b": 2, "c": "na"}})
    assert dimension(result).score == 3.0
    assert dimension(result).completeness == pytest.approx(2 / 3)
    assert indicator_result(result).expected == 3


def test_dont_know_answers_lower_completeness_but_not_the_score():
    result = score(questionnaire(indicator("X-01")), {"X-01": {"a": 4, "b": 2, "c": "dk"}})
    assert dimension(result).score == 3.0
    assert dimension(result).completeness == pytest.approx(2 / 3)


def test_missing_answer_lowers_completeness_like_not_applicable():
    result = score(
        questionnaire(indicator("X-01")), {"X-01": {"a": 4, "b": 2}}, components=("a", "b", "c")
    )
    assert dimension(result).score == 3.0
    assert dimension(result).completeness == pytest.approx(2 / 3)
    assert result.completeness == pytest.approx(2 / 3)


def test_indicator_without_counted_answers_is_left_out_of_the_dimension_score():
    q = questionnaire(indicator("X-01"), indicator("X-02"))
    result = score(q, {"X-01": {"a": "na", "b": "dk"}, "X-02": {"a": 4, "b": 4}})
    assert indicator_result(result, "X-01").value is None
    assert dimension(result).score == 4.0
    assert dimension(result).completeness == 0.5


# --- weights -----------------------------------------------------------------------------------


def test_indicator_weights_shape_the_dimension_score():
    q = questionnaire(indicator("X-01", weight=3.0), indicator("X-02", weight=1.0))
    result = score(q, {"X-01": {"a": 4}, "X-02": {"a": 2}})
    assert dimension(result).score == 3.5  # (3*4 + 1*2) / 4, not the plain mean 3


def test_dimension_weights_shape_the_index():
    q = questionnaire(indicator("A-01"), indicator("B-01"), weights={"A": 3.0, "B": 1.0})
    result = score(q, {"A-01": {"a": 5}, "B-01": {"a": 1}})
    assert result.score == 4.0  # (3*5 + 1*1) / 4
    assert result.index == 75.0
    assert result.stage == "Collaboration / joint planning"


# --- empty data --------------------------------------------------------------------------------


def test_empty_dimension_has_no_score_no_gap_and_no_flags():
    q = questionnaire(indicator("A-01"), indicator("B-01"), targets={"B": 5})
    result = score(q, {"A-01": {"a": 2, "b": 4}, "B-01": {"a": "na", "b": "dk"}})
    empty = dimension(result, "B")
    assert empty.score is None
    assert empty.completeness == 0.0
    assert empty.sufficient is False
    assert empty.gap is None
    assert empty.gap_flag is None
    assert empty.divergence is None
    assert empty.divergence_flag is False
    # the index is the score of the dimension that has one
    assert result.score == 3.0


def test_dimension_without_indicators_has_no_score():
    q = questionnaire(indicator("A-01"), weights={"B": 1.0})
    result = score(q, {"A-01": {"a": 3}})
    assert dimension(result, "B").score is None
    assert dimension(result, "B").completeness == 0.0
    assert result.score == 3.0


def test_all_not_applicable_response_scores_without_crash_and_has_zero_completeness():
    q = questionnaire(indicator("X-01"), indicator("X-02"))
    result = score(q, {"X-01": {"a": 3, "b": "na"}, "X-02": {"a": 5, "b": "na"}})
    silent = profile(result, "b")
    assert silent.completeness == 0.0
    assert silent.score is None
    assert dimension(silent).score is None
    assert dimension(result).score == 4.0
    assert dimension(result).completeness == 0.5


def test_assessment_where_every_answer_is_not_applicable_has_no_index():
    q = questionnaire(indicator("X-01"), indicator("X-02"))
    result = score(q, {"X-01": {"a": "na", "b": "na"}, "X-02": {"a": "na", "b": "dk"}})
    assert (result.score, result.index, result.stage) == (None, None, None)
    assert result.completeness == 0.0
    assert result.sufficient is False
    assert all(level.score is None for level in result.coherence_levels)


def test_assessment_without_components_scores_nothing():
    result = score(questionnaire(indicator("X-01")), {}, components=())
    assert result.index is None
    assert result.completeness == 0.0
    assert result.components == ()


# --- divergence --------------------------------------------------------------------------------


def test_divergence_flag_raised_at_threshold():
    q = questionnaire(indicator("X-01"), indicator("X-02"))
    result = score(q, {"X-01": {"a": 3, "b": 4}, "X-02": {"a": 2, "b": 4}})
    found = dimension(result)
    assert found.divergence == DIVERGENCE_FLAG_THRESHOLD == 1.5  # ranges 1 and 2
    assert found.divergence_flag is True


def test_divergence_flag_not_raised_just_below_threshold():
    codes = [f"X-0{n}" for n in range(1, 6)]
    q = questionnaire(*(indicator(code) for code in codes))
    ranges = [1, 2, 1, 2, 1]
    result = score(q, {c: {"a": 2, "b": 2 + r} for c, r in zip(codes, ranges, strict=True)})
    assert dimension(result).divergence == pytest.approx(1.4)
    assert dimension(result).divergence_flag is False


def test_divergence_flag_uses_mean_range_and_reports_mean_stdev_beside_it():
    q = questionnaire(indicator("X-01"), indicator("X-02"))
    result = score(q, {"X-01": {"a": 3, "b": 4}, "X-02": {"a": 2, "b": 4}})
    # stdevs 0.5 and 1.0: far below 1.5, yet the mean range flags
    assert dimension(result).divergence_stdev == 0.75
    assert dimension(result).divergence_flag is True


def test_divergence_ignores_indicators_answered_by_one_component():
    q = questionnaire(indicator("X-01"), indicator("X-02"))
    result = score(q, {"X-01": {"a": 1, "b": 5}, "X-02": {"a": 3, "b": "na"}})
    assert dimension(result).divergence == 4.0
    assert dimension(result).divergence_stdev == 2.0


def test_divergence_ignores_indicator_weights():
    q = questionnaire(indicator("X-01", weight=9.0), indicator("X-02"))
    result = score(q, {"X-01": {"a": 1, "b": 4}, "X-02": {"a": 3, "b": 3}})
    assert dimension(result).divergence == 1.5


# --- gap flags ---------------------------------------------------------------------------------


def test_shortfall_flagged_at_one_step_below_target():
    found = one_dimension(3, 3, target=4)
    assert found.gap == GAP_FLAG_THRESHOLD == 1.0
    assert found.gap_flag == "shortfall"


def test_shortfall_not_flagged_within_one_step():
    found = one_dimension(3, 4, target=4)
    assert found.gap == 0.5
    assert found.gap_flag is None


def test_shortfall_flag_is_not_lost_to_float_rounding():
    # (0.1*2 + 0.1*4) / 0.2 is 3.0000000000000004 in floating point
    q = questionnaire(indicator("X-01", weight=0.1), indicator("X-02", weight=0.1))
    result = score(q, {"X-01": {"a": 2}, "X-02": {"a": 4}}, targets={"X": 4})
    assert dimension(result).gap == pytest.approx(1.0)
    assert dimension(result).gap_flag == "shortfall"


def test_over_integration_flagged_one_step_above_target_outside_hum():
    found = one_dimension(3, 3, target=2)
    assert found.gap == -1.0
    assert found.gap_flag == "over_integration"


def test_small_over_integration_not_flagged_outside_hum():
    found = one_dimension(2, 3, target=2)
    assert found.gap == -0.5
    assert found.gap_flag is None


def test_any_over_integration_flagged_in_hum():
    found = one_dimension(2, 3, target=2, code="HUM")
    assert found.gap == -0.5
    assert found.gap_flag == "over_integration"


def test_hum_on_target_not_flagged():
    assert one_dimension(2, 2, target=2, code="HUM").gap_flag is None


def test_hum_shortfall_follows_the_common_threshold():
    assert one_dimension(2, 3, target=3, code="HUM").gap_flag is None
    assert one_dimension(2, 2, target=3, code="HUM").gap_flag == "shortfall"


# --- insufficient data -------------------------------------------------------------------------


def test_dimension_below_min_completeness_is_insufficient_but_keeps_its_score():
    q = questionnaire(indicator("X-01"), indicator("X-02"))
    result = score(q, {"X-01": {"a": 2, "b": "na", "c": "dk"}}, components=("a", "b", "c"))
    found = dimension(result)
    assert found.completeness == pytest.approx(1 / 6)
    assert found.completeness < MIN_COMPLETENESS
    assert found.sufficient is False
    assert found.score == 2.0


def test_dimension_at_min_completeness_is_sufficient():
    q = questionnaire(indicator("X-01"), indicator("X-02"))
    result = score(q, {"X-01": {"a": 2, "b": 3}, "X-02": {"a": "na", "b": "dk"}})
    assert dimension(result).completeness == MIN_COMPLETENESS == 0.5
    assert dimension(result).sufficient is True


def test_insufficient_dimension_raises_no_flags():
    q = questionnaire(indicator("X-01"), indicator("X-02"), indicator("X-03"))
    result = score(q, {"X-01": {"a": 1, "b": 5}}, components=("a", "b"), targets={"X": 5})
    found = dimension(result)
    assert found.sufficient is False
    assert found.gap == 2.0
    assert found.divergence == 4.0
    assert found.gap_flag is None
    assert found.divergence_flag is False


def test_index_includes_insufficient_dimensions_that_have_a_score():
    q = questionnaire(indicator("A-01"), indicator("B-01"), indicator("B-02"), indicator("B-03"))
    table = {"A-01": {"a": 4, "b": 4}, "B-01": {"a": 2}}
    result = score(q, table, components=("a", "b"))
    assert dimension(result, "B").sufficient is False
    assert result.score == 3.0  # (4 + 2) / 2


def test_index_is_insufficient_when_overall_completeness_is_below_minimum():
    q = questionnaire(indicator("X-01"), indicator("X-02"), indicator("X-03"))
    result = score(q, {"X-01": {"a": 3}}, components=("a", "b"))
    assert result.completeness == pytest.approx(1 / 6)
    assert result.sufficient is False
    assert result.index == 50.0  # still computed, for explanation


# --- index and stage ---------------------------------------------------------------------------


def test_index_maps_step_1_to_0_and_step_5_to_100():
    q = questionnaire(indicator("X-01"))
    lowest = score(q, {"X-01": {"a": 1}})
    highest = score(q, {"X-01": {"a": 5}})
    assert (lowest.index, lowest.stage) == (0.0, "Co-existence")
    assert (highest.index, highest.stage) == (100.0, "Full integration")


def test_stage_label_rounds_half_up():
    q = questionnaire(indicator("X-01"), indicator("X-02"))
    result = score(q, {"X-01": {"a": 2}, "X-02": {"a": 3}})
    assert result.score == 2.5
    assert result.stage == STEP_NAMES[3] == "Coordination"  # Python's round(2.5) would say 2


def test_stage_label_rounds_down_below_the_half():
    q = questionnaire(indicator("X-01", weight=3.0), indicator("X-02", weight=2.0))
    result = score(q, {"X-01": {"a": 2}, "X-02": {"a": 3}})
    assert result.score == pytest.approx(2.4)
    assert result.stage == "Networking / information sharing"
    assert result.stage_step == 2


# --- coherence levels --------------------------------------------------------------------------


def test_coherence_level_is_dimension_weighted_mean_of_level_subscores():
    q = questionnaire(
        indicator("A-01", level="policy_strategic"),
        indicator("A-02", level="operational_programmatic"),
        indicator("B-01", level="policy_strategic"),
        weights={"A": 2.0, "B": 1.0},
    )
    result = score(q, {"A-01": {"a": 4}, "A-02": {"a": 2}, "B-01": {"a": 1}})
    levels = {level.level: level for level in result.coherence_levels}
    assert levels["policy_strategic"].score == 3.0  # (2*4 + 1*1) / 3
    assert levels["operational_programmatic"].score == 2.0  # B has no such indicator
    assert "administrative" not in levels


def test_coherence_level_leaves_out_dimensions_without_counted_answers_at_that_level():
    q = questionnaire(indicator("A-01"), indicator("B-01"), weights={"A": 1.0, "B": 5.0})
    result = score(q, {"A-01": {"a": 4, "b": 2}, "B-01": {"a": "na", "b": "na"}})
    level = result.coherence_levels[0]
    assert level.score == 3.0
    assert level.completeness == 0.5
    assert level.sufficient is True


# --- component profiles ------------------------------------------------------------------------


def test_component_profile_scores_each_component_alone():
    q = questionnaire(indicator("X-01"), indicator("X-02", weight=3.0))
    result = score(q, {"X-01": {"mil": 4, "pol": 2}, "X-02": {"mil": 2, "pol": "na"}})
    military, political = profile(result, "mil"), profile(result, "pol")
    assert dimension(military).score == 2.5  # (1*4 + 3*2) / 4
    assert dimension(military).completeness == 1.0
    assert dimension(political).score == 2.0
    assert dimension(political).completeness == 0.5
    assert political.completeness == 0.5


def test_component_profile_has_no_spread_and_no_indicator_copies():
    q = questionnaire(indicator("X-01"))
    found = dimension(profile(score(q, {"X-01": {"a": 1, "b": 5}}), "a"))
    assert found.divergence is None
    assert found.divergence_stdev is None
    assert found.divergence_flag is False
    assert found.indicators == ()


def test_component_profile_flags_gaps_against_the_mission_target():
    q = questionnaire(indicator("X-01"))
    result = score(q, {"X-01": {"a": 1, "b": 3}}, targets={"X": 3})
    assert dimension(profile(result, "a")).gap_flag == "shortfall"
    assert dimension(profile(result, "b")).gap_flag is None


# --- targets -----------------------------------------------------------------------------------


def test_targets_default_from_questionnaire():
    q = questionnaire(indicator("X-01"), targets={"X": 4})
    assert dimension(score(q, {"X-01": {"a": 2}})).target == 4


def test_assessment_target_overrides_the_default():
    q = questionnaire(indicator("X-01"), indicator("Y-01"), targets={"X": 4, "Y": 4})
    result = score(q, {"X-01": {"a": 2}, "Y-01": {"a": 2}}, targets={"X": 2})
    assert (dimension(result, "X").target, dimension(result, "X").gap_flag) == (2, None)
    assert (dimension(result, "Y").target, dimension(result, "Y").gap_flag) == (4, "shortfall")


# --- results -----------------------------------------------------------------------------------


def test_results_carry_the_method_version():
    result = score(questionnaire(indicator("X-01")), {"X-01": {"a": 3}})
    assert result.method_version == METHOD_LABEL == "imp-score-1.0"


def test_result_as_dict_survives_a_json_round_trip():
    q = questionnaire(indicator("X-01"), indicator("HUM-01", level="administrative"))
    result = score(q, {"X-01": {"a": 3, "b": "dk"}, "HUM-01": {"a": 2, "b": "na"}})
    stored = result.as_dict()
    assert json.loads(json.dumps(stored)) == stored
    assert stored == result_to_dict(result)
    assert stored["method_version"] == "imp-score-1.0"
    assert stored["dimensions"][0]["indicators"][0]["per_component"] == {"a": 3, "b": "dk"}


def test_scores_the_real_imp_core_questionnaire_with_all_eight_components():
    content = yaml.safe_load(IMP_CORE.read_text(encoding="utf-8"))
    q = QuestionnaireDef(
        dimensions=tuple(
            DimensionDef(d["code"], float(d["weight"]), d["default_target_step"])
            for d in content["dimensions"]
        ),
        indicators=tuple(
            IndicatorDef(i["code"], d["code"], i["coherence_level"], float(i["weight"]))
            for d in content["dimensions"]
            for i in d["indicators"]
        ),
    )
    components = (
        "political",
        "military",
        "police",
        "mission_support",
        "humanitarian",
        "development",
        "human_rights",
        "rule_of_law",
    )
    table = {i.code: dict.fromkeys(components, 3) for i in q.indicators}
    result = score(q, table, components=components)
    assert [d.code for d in result.dimensions] == [d.code for d in q.dimensions]
    assert result.index == 50.0
    assert result.completeness == 1.0
    flags = {d.code: d.gap_flag for d in result.dimensions}
    assert flags["HUM"] == "over_integration"  # default target 2
    assert flags["PART"] is None  # default target 3


# --- input errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (AnswerValue("a", "X-01", 0, "step"), "step must be 1-5"),
        (AnswerValue("a", "X-01", 6, "step"), "step must be 1-5"),
        (AnswerValue("a", "X-01", None, "step"), "step must be 1-5"),
        (AnswerValue("a", "X-01", 3, "na"), "invalid answer"),
        (AnswerValue("a", "X-01", None, "maybe"), "invalid answer"),
        (AnswerValue("z", "X-01", 3, "step"), "component not taking part"),
        (AnswerValue("a", "Q-99", 3, "step"), "unknown indicator"),
    ],
)
def test_invalid_answers_are_refused(answer, message):
    data = ScoringInput(questionnaire(indicator("X-01")), {}, ("a",), (answer,))
    with pytest.raises(ValueError, match=message):
        score_assessment(data)


def test_two_answers_from_one_component_to_one_indicator_are_refused():
    answers = (AnswerValue("a", "X-01", 3, "step"), AnswerValue("a", "X-01", None, "na"))
    data = ScoringInput(questionnaire(indicator("X-01")), {}, ("a",), answers)
    with pytest.raises(ValueError, match="two answers"):
        score_assessment(data)


@pytest.mark.parametrize(
    ("targets", "message"), [({"Q": 3}, "unknown dimension"), ({"X": 6}, "must be a step")]
)
def test_invalid_targets_are_refused(targets, message):
    with pytest.raises(ValueError, match=message):
        score(questionnaire(indicator("X-01")), {"X-01": {"a": 3}}, targets=targets)


def test_non_positive_weights_are_refused():
    with pytest.raises(ValueError, match="weight must be positive"):
        score(questionnaire(indicator("X-01", weight=0.0)), {"X-01": {"a": 3}})
