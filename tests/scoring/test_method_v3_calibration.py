"""Calibration cases for method v3, each built from a public account of a mission.

The answers are our reading of each account, made to test the method; they are not data from
the source and no mission scored itself this way. Bands are the shipped IMP-CORE bands
(``tests.scoring.v3_core``); every case says how method v2 would have read it and how v3 does.
"""

import dataclasses

from missions.context import DEFAULT_PROFILE
from scoring.method_v3 import CRITICAL_CAP, MISSION, BandOverride
from tests.scoring.v3_core import (
    COMPONENTS,
    core_questionnaire,
    every,
    in_band_answers,
    indicator,
    score,
)


def test_afghanistan_2009_separate_ocha_office_keeps_humanitarian_distance_contested_not_critical():
    """UNAMA, Afghanistan. Public accounts (e.g. V. Metcalfe, A. Giffen, S. Elhawary, "UN
    Integration and Humanitarian Space", HPG/Stimson Center, 2011) describe OCHA re-opening an
    office outside the mission in 2009 so that humanitarian coordination stayed distinct, while
    the mission's political and military side saw coordination as close. Reading: the
    humanitarian component answers HUM-02 at 2 (in band 2-3), political and military at 4."""
    result = score(
        in_band_answers(HUM_02={"humanitarian": 2, "political": 4, "military": 4, "police": 3})
    )
    hum_02 = indicator(result, "HUM-02")
    # The humanitarian voice decides: in band; the 2-step gap is shown as contested.
    assert (hum_02.value, hum_02.status, hum_02.contested) == (2.0, "in_band", True)
    assert result.headline.critical_count == 0
    assert result.headline.contested_count == 1
    assert result.headline.alignment == 100.0


def test_drc_human_rights_component_decides_mainstreaming_against_military_view():
    """MONUC/MONUSCO, Democratic Republic of the Congo. Public accounts of the mission's
    support to national army operations in 2009 and of the UN Human Rights Due Diligence Policy
    (2011) that followed describe the human rights component's findings as independent and
    integrated in mission decisions, while military contingents saw little of it. Reading:
    HUM-04 at 4 (the band) by the human rights component, 2 by military and police. v2's mean
    (3.1) made it a shortfall; the voice reads it in band, contested."""
    changes = {**every("HUM-04", 3), "human_rights": 4, "military": 2, "police": 2}
    hum_04 = indicator(score(in_band_answers(HUM_04=changes)), "HUM-04")
    assert (hum_04.status, hum_04.flag, hum_04.contested) == ("in_band", None, True)


def test_lebanon_no_triple_hatted_deputy_is_not_asked_about_one():
    """UNIFIL, Lebanon. A peacekeeping operation whose Resident and Humanitarian Coordinator
    role sits with the Special Coordinator for Lebanon (UNSCOL), not with a deputy head of
    UNIFIL (UN public pages on both offices), and humanitarian coordination runs outside it.
    Reading: the context profile (no triple-hatted deputy, no humanitarian operation under the
    mission) leaves out LEAD-02 and LEAD-09, which assume a triple-hatted deputy, and the
    humanitarian-space safeguards; v2 would have forced shortfalls."""
    questionnaire = core_questionnaire(
        dataclasses.replace(DEFAULT_PROFILE, leadership="none", humanitarian_operation=False)
    )
    result = score(in_band_answers(questionnaire=questionnaire), questionnaire=questionnaire)
    not_asked = {"LEAD-02", "LEAD-09", *(f"HUM-0{n}" for n in (1, 2, 3, 5, 6))}
    assert {i.code for i in result.indicators if not i.applicable} == not_asked
    lead_02 = indicator(result, "LEAD-02")
    assert lead_02.not_applicable_reason.startswith("Not asked because no deputy SRSG")
    assert result.mission.shortfall == ()
    assert (result.headline.alignment, result.headline.coverage) == (100.0, 1.0)


def test_liberia_drawdown_override_carried_forward_shows_no_false_decline():
    """UNMIL, Liberia. Its last mandate (Security Council resolution 2333 (2016)) set the
    mission's close by 2018 with a transition plan; public accounts describe joint structures
    handed to national and UN country team actors over several quarters. Reading: the focal
    point lowers the bands of joint planning and ownership in the drawdown; the same answers the
    next quarter, the overrides carried, give the same findings (v2: five new shortfalls)."""
    codes = ("PLAN-01", "PLAN-02", "PLAN-04", "PLAN-07", "PLAN-08")
    answers = in_band_answers(**{c.replace("-", "_"): every(c, 3) for c in codes})
    rationale = "Drawdown: joint planning handed to national authorities and the UN country team."
    first = score(answers, overrides=tuple(BandOverride(c, 2, 3, rationale) for c in codes))
    carried = tuple(BandOverride(c, 2, 3, rationale, "2027-Q1") for c in codes)
    second = score(answers, overrides=carried)
    assert [i.status for i in second.indicators] == [i.status for i in first.indicators]
    assert second.headline == first.headline
    assert second.headline.alignment == 100.0
    # Without the override (v2 after it lapsed) the same answers read as shortfalls.
    assert len(score(answers).mission.shortfall) == 5


def test_south_sudan_2014_silent_humanitarian_component_leaves_safeguards_unverified():
    """UNMISS, South Sudan. After December 2013 the mission sheltered civilians in protection
    of civilians sites and its mandate was refocused on protection (Security Council resolution
    2155 (2014)); public accounts describe humanitarian actors keeping their distance from a
    mission whose host state was a party to the conflict. Reading: the humanitarian component
    does not respond this quarter; the others answer in band. v2 read HUM-02/05/06 in band on
    the others' views; v3 leaves them unverified and caps the headline."""
    responded = tuple(c for c in (*COMPONENTS, MISSION) if c != "humanitarian")
    answers = tuple(a for a in in_band_answers() if a.component != "humanitarian")
    result = score(answers, responded=responded)
    assert [indicator(result, c).status for c in ("HUM-02", "HUM-05", "HUM-06")] == [
        "unverified"
    ] * 3
    assert result.headline.gated
    assert result.headline.alignment == CRITICAL_CAP


def test_mali_military_assets_in_humanitarian_delivery_is_critical():
    """MINUSMA, Mali. Public accounts of its stabilisation mandate (Security Council resolution
    2100 (2013)) and of humanitarian organisations' concern about blurred lines describe mission
    assets and escorts used for aid delivery without agreed rules. Reading: HUM-06 answered 4 by
    the humanitarian component, 5 by military and mission support (band 2-3). v2: one
    over-integration flag, alignment still 98; v3: a critical finding leading the headline."""
    result = score(in_band_answers(HUM_06={"humanitarian": 4, "military": 5, "mission_support": 5}))
    hum_06 = indicator(result, "HUM-06")
    assert (hum_06.status, hum_06.flag) == ("critical", "over_integration")
    assert result.headline.critical_count == 1
    assert result.headline.alignment == CRITICAL_CAP
    assert result.headline.uncapped_alignment > 98.0


def test_haiti_2010_respondents_na_without_reason_does_not_hide_the_humanitarian_dimension():
    """MINUSTAH, Haiti. After the January 2010 earthquake humanitarian coordination ran through
    the cluster system beside an integrated mission; public accounts (the HPG/Stimson study above
    has a Haiti case) describe uncertainty over who answered for humanitarian space. Reading:
    the political, military and police components answer N/A to every HUM indicator without a
    reason. v2 dropped their cells (completeness 100 %); v3 reads them as not given."""
    na = {
        f"HUM_0{n}": dict.fromkeys(("political", "military", "police"), "na") for n in range(1, 7)
    }
    result = score(in_band_answers(**na))
    hum = next(d for d in result.dimensions if d.key == "HUM")
    # The humanitarian voice still decides the safeguards, but where fewer than half the
    # expected answers were given they are insufficient (HUM-04, HUM-06 and HUM-07 keep enough):
    # the dimension shows as not sufficient, not as 100 %.
    assert (hum.sufficient_count, hum.applicable, hum.sufficient) == (3, 7, False)
    assert indicator(result, "HUM-01").per_component["political"] == "na_pending"
    assert indicator(result, "HUM-01").expected == 5
    assert result.headline.coverage < 1.0
