"""The questionnaire method v3 reads is resolved from the mission's context profile."""

import dataclasses

from missions.context import DEFAULT_PROFILE
from tests.scoring.v3_core import (
    core_questionnaire,
    in_band_answers,
    indicator,
    score,
)


def _by_code(questionnaire):
    return {i.code: i for i in questionnaire.indicators}


def test_host_state_party_tightens_humanitarian_bands_and_says_why():
    default = _by_code(core_questionnaire())["HUM-02"]
    party = _by_code(
        core_questionnaire(dataclasses.replace(DEFAULT_PROFILE, host_state_party=True))
    )
    assert (default.band_min, default.band_max) == (2, 3)
    assert (party["HUM-02"].band_min, party["HUM-02"].band_max) == (2, 2)
    assert party["HUM-02"].band_reason.startswith("The host state is a party to the conflict")


def test_drawdown_phase_band_is_recorded_with_its_reason():
    drawdown = _by_code(core_questionnaire(dataclasses.replace(DEFAULT_PROFILE, phase="drawdown")))
    assert (drawdown["OWN-01"].band_min, drawdown["OWN-01"].band_max) == (5, 5)
    assert drawdown["OWN-01"].band_reason == "The band for a mission in drawdown or transition."


def test_same_answers_under_a_host_state_party_profile_become_a_critical_finding():
    party = core_questionnaire(dataclasses.replace(DEFAULT_PROFILE, host_state_party=True))
    answers = in_band_answers(HUM_02={"humanitarian": 3})
    assert indicator(score(answers), "HUM-02").status == "in_band"
    assert indicator(score(answers, questionnaire=party), "HUM-02").status == "critical"


def test_safeguards_voices_and_external_context_come_from_the_file():
    questionnaire = _by_code(core_questionnaire())
    assert questionnaire["HUM-04"].voice == ("human_rights",)
    assert questionnaire["HUM-04"].safeguard
    assert questionnaire["MS-01"].external and questionnaire["MS-01"].applies_to == ("mission",)
