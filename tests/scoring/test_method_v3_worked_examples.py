"""Method v3 on the cases that made method v2 mislead (issue 24), with the shipped bands.

Each test is one case from the top of the issue, asserted as the report now reads it: critical
findings first, the alignment shown (capped when gated) with coverage beside it. The figures
are those worked in docs/scoring.md ("Method v3").
"""

import pytest

from scoring.method import METHODS, method_number
from scoring.method_v3 import (
    COVERAGE_THRESHOLD,
    CRITICAL_CAP,
    MISSION,
    BandOverride,
    ScoringInput,
    score_assessment,
)
from tests.scoring.v3_core import (
    COMPONENTS,
    QUESTIONNAIRE,
    every,
    in_band_answers,
    indicator,
    score,
)


def test_method_3_is_registered_with_its_label():
    assert METHODS[3].score is score_assessment
    assert method_number("imp-score-3.0") == 3


def test_every_indicator_in_band_reads_100_with_full_coverage():
    headline = score(in_band_answers()).headline
    assert (headline.critical_count, headline.alignment, headline.coverage) == (0, 100.0, 1.0)


def test_one_humanitarian_breach_is_a_critical_finding_that_caps_the_headline():
    """v2: every component answers HUM-02 at 5, alignment 99.1 reaches the slide."""
    result = score(in_band_answers(HUM_02=every("HUM-02", 5)))
    assert result.headline.critical_count == 1
    assert result.mission.critical == ("HUM-02",)
    assert result.headline.alignment == CRITICAL_CAP
    # The uncapped figure stays in the drill-down: what v2 would have put on the slide.
    assert result.headline.uncapped_alignment == pytest.approx(99.107, abs=1e-3)
    assert indicator(result, "HUM-02").status == "critical"
    assert indicator(result, "HUM-02").flag == "over_integration"


def test_the_humanitarian_voice_is_not_outvoted_by_the_mean():
    """v2: HUM-02 at 5 (political), 3 (military, police), 1 (humanitarian): mean 3, in band."""
    result = score(
        in_band_answers(HUM_02={"political": 5, "military": 3, "police": 3, "humanitarian": 1})
    )
    hum_02 = indicator(result, "HUM-02")
    assert hum_02.value == 1.0  # the voice component's step, not the mean of 3
    assert (hum_02.status, hum_02.flag, hum_02.contested) == ("critical", "shortfall", True)
    assert (result.headline.critical_count, result.headline.contested_count) == (1, 1)
    assert result.headline.alignment == CRITICAL_CAP


def test_softened_human_rights_findings_are_critical_over_integration_not_a_shortfall():
    """v2: HUM-04 at 5 by the human rights component and 3 by the others read as a shortfall."""
    result = score(in_band_answers(HUM_04={**every("HUM-04", 3), "human_rights": 5}))
    hum_04 = indicator(result, "HUM-04")
    assert (hum_04.status, hum_04.flag, hum_04.contested) == ("critical", "over_integration", True)
    assert hum_04.voice == ("human_rights",)
    assert result.headline.alignment == CRITICAL_CAP


def _ms(cell):
    return {f"MS_0{n}": {MISSION: cell} for n in range(1, 5)}


def test_member_state_indicators_are_conditions_outside_alignment():
    """v2: the focal point's MS-01..04 at 1 cost 5.4 points and gave four shortfalls."""
    result = score(in_band_answers(**_ms(1)))
    assert result.headline.alignment == 100.0
    conditions = {c.code: c.status for c in result.conditions}
    assert [conditions[f"MS-0{n}"] for n in range(1, 5)] == ["shortfall"] * 4
    assert result.mission.shortfall == ()


def test_dont_know_on_member_state_indicators_no_longer_raises_the_headline():
    """v2: "don't know" instead of 1 on MS-01..04 raised alignment from 94.6 to 99.1."""
    answered = score(in_band_answers(**_ms(1))).headline
    unknown = score(in_band_answers(**_ms("dk"))).headline
    assert unknown.alignment == answered.alignment == 100.0
    assert unknown.coverage == answered.coverage


def test_respondents_na_to_every_hum_indicator_does_not_make_the_dimension_disappear():
    """v2: N/A without a reason on all HUM indicators: alignment 99, completeness 100 %."""
    na_everywhere = {f"HUM_0{n}": every(f"HUM-0{n}", "na") for n in range(1, 7)}
    result = score(in_band_answers(**na_everywhere))
    hum = next(d for d in result.dimensions if d.key == "HUM")
    # HUM-07 (not asked of anyone here by N/A) is the one sufficient indicator left.
    assert (hum.applicable, hum.sufficient_count, hum.sufficient) == (7, 1, False)
    # Every unanswered cell read at the costlier end of the scale: the voice at 5 on the five
    # humanitarian safeguards (2 steps over 2-3 or 3-3: 50 each), at 1 on HUM-04 (3 steps under
    # 4-4: 25), HUM-07 answered in band (100): (5 x 50 + 25 + 100) / 7.
    assert hum.alignment == pytest.approx(375 / 7)
    assert result.headline.coverage == pytest.approx(49 / 55)
    # The six safeguards are unverified: the headline is capped.
    assert result.headline.unverified_count == 6
    assert result.headline.alignment == CRITICAL_CAP


def test_na_with_a_reason_is_not_expected_but_earns_nothing():
    with_reason = {f"HUM_0{n}": every(f"HUM-0{n}", "na:No view of it") for n in range(1, 8)}
    result = score(in_band_answers(**with_reason))
    hum_07 = indicator(result, "HUM-07")  # band 4-5: every cell read at step 1
    assert (hum_07.expected, hum_07.sufficient, hum_07.alignment) == (0, False, 25.0)
    # On a safeguard a respondent's N/A counts only once the focal point confirms it.
    assert indicator(result, "HUM-02").expected == 4
    assert indicator(result, "HUM-02").status == "unverified"


def test_confirmed_na_on_a_safeguard_counts():
    answers = tuple(
        a
        if (a.indicator_code, a.component) != ("HUM-02", "police")
        else type(a)("police", "HUM-02", None, "na", "No police deployed there.", True)
        for a in in_band_answers()
    )
    hum_02 = indicator(score(answers), "HUM-02")
    assert (hum_02.expected, hum_02.status, hum_02.alignment) == (3, "in_band", 100.0)
    assert hum_02.per_component["police"] == "na_confirmed"


def test_a_silent_humanitarian_component_leaves_its_safeguards_unverified():
    """v2: with the humanitarian component silent, HUM-02/05/06 came out "in band"."""
    responded = tuple(c for c in (*COMPONENTS, MISSION) if c != "humanitarian")
    answers = tuple(a for a in in_band_answers() if a.component != "humanitarian")
    result = score(answers, responded=responded)
    assert result.mission.unverified == ("HUM-01", "HUM-02", "HUM-03", "HUM-05", "HUM-06")
    for code in result.mission.unverified:
        assert indicator(result, code).sufficient is False
    assert result.not_responded == ("humanitarian",)
    assert result.headline.alignment == CRITICAL_CAP


DRAWDOWN_CODES = ("PLAN-01", "PLAN-02", "PLAN-04", "PLAN-07", "OWN-01")


def _drawdown_overrides(carried_from=""):
    return tuple(
        BandOverride(code, 2, 3, "Drawdown: joint structures are being handed over.", carried_from)
        for code in DRAWDOWN_CODES
    )


def test_an_override_carried_forward_gives_identical_findings_next_quarter():
    """v2: overrides lapsed after a quarter: identical drawdown answers, five new shortfalls."""
    drawdown = in_band_answers(**{c.replace("-", "_"): every(c, 2) for c in DRAWDOWN_CODES})
    this_quarter = score(drawdown, overrides=_drawdown_overrides(), phase="drawdown")
    next_quarter = score(drawdown, overrides=_drawdown_overrides("2026-Q3"), phase="drawdown")
    assert [i.status for i in next_quarter.indicators] == [
        i.status for i in this_quarter.indicators
    ]
    assert next_quarter.headline == this_quarter.headline
    assert this_quarter.headline.alignment == 100.0
    plan_01 = indicator(next_quarter, "PLAN-01")
    assert (plan_01.band_source, plan_01.carried_from) == ("override", "2026-Q3")
    assert plan_01.band_reason.startswith("Drawdown")


def test_result_records_which_band_applied_and_why():
    result = score(in_band_answers())
    assert indicator(result, "HUM-02").band_reason == "The default band."
    assert indicator(result, "HUM-02").band_source == "questionnaire"


def test_not_enough_answers_means_no_headline_figure():
    answers = tuple(a for a in in_band_answers() if a.component in ("political", MISSION))
    result = score(answers)
    assert result.headline.coverage < COVERAGE_THRESHOLD
    assert result.headline.enough_answers is False
    assert result.headline.alignment is None
    assert result.headline.uncapped_alignment is not None


def test_an_indicator_the_profile_does_not_ask_is_not_applicable_with_its_reason():
    import dataclasses

    indicators = tuple(
        dataclasses.replace(i, applies=False, applies_reason="no triple-hatted deputy")
        if i.code == "LEAD-02"
        else i
        for i in QUESTIONNAIRE.indicators
    )
    questionnaire = dataclasses.replace(QUESTIONNAIRE, indicators=indicators)
    answers = tuple(a for a in in_band_answers() if a.indicator_code != "LEAD-02")
    columns = (*COMPONENTS, MISSION)
    result = score_assessment(ScoringInput(questionnaire, columns, columns, answers))
    lead_02 = indicator(result, "LEAD-02")
    assert (lead_02.applicable, lead_02.not_applicable_reason) == (False, "no triple-hatted deputy")
    assert result.headline.alignment == 100.0


def test_a_safeguard_without_voice_is_refused():
    import dataclasses

    bad = dataclasses.replace(QUESTIONNAIRE.indicators[0], safeguard=True, voice=())
    questionnaire = dataclasses.replace(QUESTIONNAIRE, indicators=(bad,))
    with pytest.raises(ValueError, match="safeguard needs voice"):
        score_assessment(ScoringInput(questionnaire, (), (), ()))


def test_an_unanswered_cell_is_read_at_the_costlier_end_for_the_alignment():
    hum_07 = indicator(score(in_band_answers(HUM_07={"rule_of_law": None})), "HUM-07")
    # Five at 4 (band 4-5), one silent read at 1: mean 3.5, half a step under.
    assert (hum_07.value, hum_07.status, hum_07.alignment, hum_07.settled) == (
        4.0,
        "in_band",
        87.5,
        False,
    )
