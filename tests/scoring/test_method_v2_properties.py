"""Properties of method v2 that must hold for any questionnaire and any answers (issue 12)."""

import dataclasses

from hypothesis import assume, given, settings
from hypothesis import strategies as st

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

COMPONENTS = ("political", "military", "police", "humanitarian", "development", "human_rights")
LEVELS = ("policy_strategic", "operational_programmatic", "administrative")
weights = st.floats(min_value=0.01, max_value=100.0, allow_nan=False, allow_infinity=False)
steps = st.integers(min_value=1, max_value=5)
cells = st.one_of(st.none(), st.sampled_from(("na", "dk")), steps, steps, steps)


@st.composite
def bands(draw):
    low = draw(steps)
    return low, draw(st.integers(min_value=low, max_value=5))


@st.composite
def scoring_inputs(draw):
    codes = draw(st.lists(st.sampled_from(("HUM", "PLAN", "LEAD", "MS")), min_size=1, unique=True))
    components = tuple(draw(st.lists(st.sampled_from(COMPONENTS), min_size=1, unique=True)))
    indicators = []
    for code in codes:
        for n in range(draw(st.integers(min_value=1, max_value=4))):
            applies_to = draw(
                st.one_of(
                    st.just(()),
                    st.just((MISSION,)),
                    st.lists(st.sampled_from(COMPONENTS), min_size=1, unique=True).map(tuple),
                )
            )
            indicators.append(
                IndicatorDef(
                    f"{code}-{n:02d}",
                    code,
                    draw(st.sampled_from(LEVELS)),
                    draw(weights),
                    *draw(bands()),
                    applies_to,
                )
            )
    questionnaire = QuestionnaireDef(
        tuple(DimensionDef(code, draw(weights)) for code in codes), tuple(indicators)
    )
    columns = set(components) | (
        {MISSION} if any(MISSION in i.applies_to for i in indicators) else set()
    )
    responded = tuple(c for c in sorted(columns) if draw(st.booleans()) or c == MISSION)
    answers = []
    for indicator in indicators:
        scope = (
            [c for c in columns if c != MISSION]
            if not indicator.applies_to
            else [c for c in columns if c in indicator.applies_to]
        )
        for component in sorted(scope):
            if component not in responded:
                continue
            cell = draw(cells)
            if isinstance(cell, int):
                answers.append(AnswerValue(component, indicator.code, cell))
            elif cell is not None:
                answers.append(AnswerValue(component, indicator.code, None, cell))
    overridden = draw(st.lists(st.sampled_from([i.code for i in indicators]), unique=True))
    overrides = tuple(BandOverride(code, *draw(bands()), "Phase.") for code in overridden)
    declared = draw(st.lists(st.sampled_from([i.code for i in indicators]), unique=True))
    return ScoringInput(
        questionnaire,
        components,
        responded,
        tuple(answers),
        overrides,
        dict.fromkeys(declared, "No mandate."),
    )


def _indicators(result):
    return {i.code: i for d in result.dimensions for i in d.indicators}


def _with_answers(data, answers):
    return dataclasses.replace(data, answers=tuple(answers))


@settings(max_examples=100, deadline=None)
@given(scoring_inputs())
def test_alignment_is_100_exactly_when_every_sufficient_indicator_is_in_band(data):
    result = score_assessment(data)
    sufficient = [i for i in _indicators(result).values() if i.sufficient]
    if not sufficient:
        assert result.findings.alignment is None
        return
    in_band = all(i.distance == 0 for i in sufficient)
    assert (result.findings.alignment == 100.0) is in_band
    assert 0.0 <= result.findings.alignment <= 100.0
    assert result.findings.alignment == (
        100.0 - result.findings.shortfall - result.findings.over_integration
    ) or abs(result.findings.alignment + result.findings.shortfall
             + result.findings.over_integration - 100.0) < 1e-9  # fmt: skip
    for dimension in result.dimensions:
        flagged = dimension.findings.shortfall_indicators + (
            dimension.findings.over_integration_indicators
        )
        assert set(flagged) == {i.code for i in dimension.indicators if i.flag}


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_moving_an_in_band_indicator_out_of_its_band_never_raises_alignment(data):
    original = data.draw(scoring_inputs())
    candidates = [
        i
        for i in _indicators(score_assessment(original)).values()
        if i.sufficient and (i.band_min, i.band_max) != (1, 5)
    ]
    assume(candidates)
    moved = data.draw(st.sampled_from(candidates))
    inside = data.draw(st.integers(min_value=moved.band_min, max_value=moved.band_max))
    outside = data.draw(
        st.sampled_from([s for s in range(1, 6) if not moved.band_min <= s <= moved.band_max])
    )

    def every_step_of_moved(step):
        return _with_answers(
            original,
            [
                dataclasses.replace(a, step=step)
                if a.indicator_code == moved.code and a.step
                else a
                for a in original.answers
            ],
        )

    before = score_assessment(every_step_of_moved(inside))
    after = score_assessment(every_step_of_moved(outside))
    assert _indicators(before)[moved.code].flag is None
    assert _indicators(after)[moved.code].flag is not None
    assert after.findings.alignment < before.findings.alignment


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_permuting_components_and_answers_changes_nothing(data):
    original = data.draw(scoring_inputs())
    permuted = dataclasses.replace(
        original,
        components=tuple(data.draw(st.permutations(original.components))),
        responded=tuple(data.draw(st.permutations(original.responded))),
        answers=tuple(data.draw(st.permutations(original.answers))),
        overrides=tuple(data.draw(st.permutations(original.overrides))),
    )
    assert score_assessment(permuted).as_dict() == score_assessment(original).as_dict()


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_not_applicable_never_changes_another_indicators_figures(data):
    original = data.draw(scoring_inputs())
    codes = [i.code for i in original.questionnaire.indicators]
    target = data.draw(st.sampled_from(codes))
    declared = dataclasses.replace(
        original, not_applicable={**original.not_applicable, target: "No mandate."}
    )
    # ... and the same indicator answered "not applicable" by every component that answered it.
    answered_na = _with_answers(
        original,
        [
            AnswerValue(a.component, a.indicator_code, None, "na")
            if a.indicator_code == target
            else a
            for a in original.answers
        ],
    )
    before = _indicators(score_assessment(original))
    for changed in (declared, answered_na):
        after = _indicators(score_assessment(changed))
        for code in codes:
            if code != target:
                assert after[code] == before[code]
