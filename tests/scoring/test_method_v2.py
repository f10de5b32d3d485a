"""Method v2 on small cases: applicability, N/A versus don't know, errors, the registry."""

import pytest

from missions.models import MISSION_WIDE
from scoring import method_v1, method_v2, method_v3
from scoring.method import (
    FALLBACK_METHOD,
    LIVE_METHOD_LABELS,
    METHOD_VERSION,
    METHOD_VERSION_LABEL,
    METHODS,
    method_number,
)
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


def _q(*indicators):
    codes = dict.fromkeys(i.dimension_code for i in indicators)
    return QuestionnaireDef(tuple(DimensionDef(c, 1.0) for c in codes), indicators)


def _score(questionnaire, table, *, components=None, responded=None, **extra):
    answers = tuple(
        AnswerValue(c, code, v) if isinstance(v, int) else AnswerValue(c, code, None, v)
        for code, row in table.items()
        for c, v in row.items()
    )
    named = sorted({c for row in table.values() for c in row})
    components = tuple(named) if components is None else components
    responded = tuple(named) if responded is None else responded
    return score_assessment(ScoringInput(questionnaire, components, responded, answers, **extra))


def _ind(result, code="X-01"):
    return next(i for d in result.dimensions for i in d.indicators if i.code == code)


def test_registry_maps_each_method_number_to_its_function_and_stored_string():
    # Method 3 is current; method 2 scores what it cannot read.
    assert METHOD_VERSION == 3
    assert METHOD_VERSION_LABEL == "imp-score-3.0"
    assert FALLBACK_METHOD == 2
    assert LIVE_METHOD_LABELS == ("imp-score-3.0", "imp-score-2.0")
    assert METHODS[1].score is method_v1.score_assessment
    assert METHODS[2].score is method_v2.score_assessment
    assert METHODS[3].score is method_v3.score_assessment
    assert method_number("imp-score-1.0") == 1
    assert method_number("imp-score-2.0") == 2
    assert method_number("imp-score-3.0") == 3
    assert method_number("nope") is None


def test_the_pure_mission_key_is_the_models_one():
    assert MISSION == MISSION_WIDE


def test_not_applicable_removes_the_cell_but_dont_know_stays_expected():
    q = _q(IndicatorDef("X-01", "X", "policy_strategic", 1.0, 2, 3))
    na = _ind(_score(q, {"X-01": {"a": 3, "b": "na"}}))
    dk = _ind(_score(q, {"X-01": {"a": 3, "b": "dk"}}))
    assert (na.counted, na.expected, na.completeness) == (1, 1, 1.0)
    assert (dk.counted, dk.expected, dk.completeness) == (1, 2, 0.5)


def test_a_component_that_never_responded_is_missing_and_named():
    q = _q(IndicatorDef("X-01", "X", "policy_strategic", 1.0, 2, 3))
    result = _score(q, {"X-01": {"a": 3}}, components=("a", "b", "c"), responded=("a",))
    assert _ind(result).expected == 3
    assert _ind(result).sufficient is False  # 1 of 3 is below half
    assert result.not_responded == ("b", "c")
    assert result.findings.completeness == pytest.approx(1 / 3)


def test_an_indicator_applies_only_to_its_components_and_mission_ones_to_the_focal_point():
    q = _q(
        IndicatorDef("X-01", "X", "policy_strategic", 1.0, 2, 3, ("humanitarian",)),
        IndicatorDef("X-02", "X", "policy_strategic", 1.0, 2, 3, (MISSION,)),
        IndicatorDef("X-03", "X", "policy_strategic", 1.0, 2, 3, ("police",)),
    )
    result = _score(
        q,
        {"X-01": {"humanitarian": 1}, "X-02": {MISSION: 5}},
        components=("humanitarian", "military", MISSION),
    )
    assert _ind(result, "X-01").per_component == {"humanitarian": 1}
    assert _ind(result, "X-01").flag == "shortfall"
    assert _ind(result, "X-02").per_component == {MISSION: 5}
    assert _ind(result, "X-02").flag == "over_integration"
    # The mission has no police component: nothing is expected, nothing is found.
    assert (_ind(result, "X-03").applicable, _ind(result, "X-03").expected) == (False, 0)


def test_a_single_out_of_band_answer_outweighs_no_mean():
    q = _q(*(IndicatorDef(f"X-0{n}", "X", "policy_strategic", 1.0, 1, 2) for n in range(1, 6)))
    result = _score(q, {f"X-0{n}": {"a": 5 if n == 2 else 1} for n in range(1, 6)})
    assert result.dimensions[0].findings.over_integration_indicators == ("X-02",)
    assert result.findings.score == pytest.approx(1.8)  # the mean is inside the band


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"overrides": (BandOverride("X-01", 2, 3, "  "),)}, "without a rationale"),
        ({"overrides": (BandOverride("X-01", 4, 3, "Why."),)}, "band must be"),
        ({"overrides": (BandOverride("Y-01", 2, 3, "Why."),)}, "unknown indicator"),
        ({"not_applicable": {"Y-01": "No."}}, "unknown indicator"),
    ],
)
def test_bad_decisions_are_refused(kwargs, message):
    q = _q(IndicatorDef("X-01", "X", "policy_strategic", 1.0, 2, 3))
    with pytest.raises(ValueError, match=message):
        _score(q, {"X-01": {"a": 3}}, **kwargs)


def test_answers_outside_scope_or_from_incomplete_responses_are_refused():
    q = _q(IndicatorDef("X-01", "X", "policy_strategic", 1.0, 2, 3, ("a",)))
    with pytest.raises(ValueError, match="does not apply"):
        _score(q, {"X-01": {"b": 3}})
    with pytest.raises(ValueError, match="not complete"):
        _score(q, {"X-01": {"a": 3}}, components=("a",), responded=())
    with pytest.raises(ValueError, match="band must be"):
        _score(_q(IndicatorDef("X-01", "X", "policy_strategic", 1.0, 0, 3)), {})


def test_the_fast_serialiser_gives_what_the_generic_one_gives():
    from scoring.method_v1 import result_to_dict

    q = _q(
        IndicatorDef("X-01", "X", "policy_strategic", 1.0, 2, 3),
        IndicatorDef("X-02", "X", "administrative", 2.0, 1, 2, (MISSION,)),
    )
    result = _score(
        q,
        {"X-01": {"a": 3, "b": "dk", "c": 5}, "X-02": {MISSION: 4}},
        components=("a", "b", "c", "d", MISSION),
        overrides=(BandOverride("X-01", 2, 4, "Why."),),
    )
    assert result.as_dict() == result_to_dict(result)


@pytest.mark.parametrize(
    ("bands", "step"),
    [
        (((2, 3), (2, 3), (4, 4)), 2),  # midpoints 2.5, 2.5, 4: median 2.5, half down
        (((4, 5), (4, 5)), 4),
        (((1, 2),), 1),
        (((2, 2), (4, 4)), 3),  # running weight exactly half: mean of 2 and 4
        (((3, 3), (3, 3), (5, 5)), 3),
    ],
)
def test_a_dimensions_summary_step_is_the_weighted_median_of_band_midpoints_half_down(bands, step):
    q = _q(
        *(
            IndicatorDef(f"X-0{n}", "X", "policy_strategic", 1.0, low, high)
            for n, (low, high) in enumerate(bands)
        )
    )
    assert _score(q, {"X-00": {"a": 3}}).dimensions[0].target_step == step
