"""Properties of the scoring method that must hold for any questionnaire and any answers."""

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.method_v1 import (
    STEP_NAMES,
    AnswerValue,
    DimensionDef,
    IndicatorDef,
    QuestionnaireDef,
    ScoringInput,
    score_assessment,
)

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
LEVELS = ("policy_strategic", "operational_programmatic", "administrative")
weights = st.floats(min_value=0.01, max_value=100.0, allow_nan=False, allow_infinity=False)
steps = st.integers(min_value=1, max_value=5)
# None: the component left the question blank
answers_or_blank = st.one_of(st.none(), st.sampled_from(("na", "dk")), steps)


@st.composite
def scoring_inputs(draw):
    codes = draw(st.lists(st.sampled_from(("HUM", "PLAN", "LEAD", "MS")), max_size=4, unique=True))
    dimensions = tuple(DimensionDef(code, draw(weights), draw(steps)) for code in codes)
    indicators = tuple(
        IndicatorDef(f"{code}-{n:02d}", code, draw(st.sampled_from(LEVELS)), draw(weights))
        for code in codes
        for n in range(draw(st.integers(min_value=0, max_value=4)))
    )
    components = tuple(draw(st.lists(st.sampled_from(COMPONENTS), max_size=5, unique=True)))
    answers = []
    for item in indicators:
        for component in components:
            answer = draw(answers_or_blank)
            if isinstance(answer, int):
                answers.append(AnswerValue(component, item.code, answer, "step"))
            elif answer is not None:
                answers.append(AnswerValue(component, item.code, None, answer))
    targeted = draw(st.lists(st.sampled_from(codes), unique=True)) if codes else []
    targets = {code: draw(steps) for code in targeted}
    return ScoringInput(
        QuestionnaireDef(dimensions, indicators), targets, components, tuple(answers)
    )


def _within(value, low, high):
    return value is None or low <= value <= high


def _all_dimensions(result):
    yield from result.dimensions
    for profile in result.components:
        yield from profile.dimensions


@settings(max_examples=200, deadline=None)
@given(scoring_inputs())
def test_scores_index_and_completeness_stay_in_range(data):
    result = score_assessment(data)
    assert _within(result.score, 1.0, 5.0)
    assert _within(result.index, 0.0, 100.0)
    assert 0.0 <= result.completeness <= 1.0
    assert result.stage is None or result.stage in STEP_NAMES.values()
    for dimension in _all_dimensions(result):
        assert _within(dimension.score, 1.0, 5.0)
        assert 0.0 <= dimension.completeness <= 1.0
        assert _within(dimension.divergence, 0.0, 4.0)
        for item in dimension.indicators:
            assert _within(item.value, 1.0, 5.0)
            assert 0 <= item.counted <= item.expected
    for level in result.coherence_levels:
        assert _within(level.score, 1.0, 5.0)
        assert 0.0 <= level.completeness <= 1.0
    for profile in result.components:
        assert _within(profile.score, 1.0, 5.0)
        assert 0.0 <= profile.completeness <= 1.0


@settings(max_examples=200, deadline=None)
@given(scoring_inputs())
def test_flags_need_sufficient_data_and_a_score(data):
    for dimension in _all_dimensions(score_assessment(data)):
        if not dimension.sufficient:
            assert dimension.gap_flag is None
            assert dimension.divergence_flag is False
        if dimension.score is None:
            assert dimension.gap is None
            assert dimension.sufficient is False


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_results_do_not_depend_on_the_order_of_answers_or_components(data):
    original = data.draw(scoring_inputs())
    permuted = ScoringInput(
        original.questionnaire,
        original.targets,
        tuple(data.draw(st.permutations(original.components))),
        tuple(data.draw(st.permutations(original.answers))),
    )
    assert score_assessment(permuted) == score_assessment(original)
    assert score_assessment(permuted).as_dict() == score_assessment(original).as_dict()
