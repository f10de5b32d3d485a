"""The v2 file format: who answers, target bands, quotes or practice notes, glossary.

Every problem is reported at once with its location, nothing is saved, and a v1 file
loads exactly as before."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from questionnaires.models import (
    Dimension,
    DimensionTag,
    GlossaryTerm,
    Indicator,
    Questionnaire,
)
from questionnaires.spec import IndicatorSpec, SpecInvalid, derived_target_step, spec_from_data
from tests.questionnaires.conftest import RUBRIC

pytestmark = pytest.mark.django_db


def _load_errors(write_yaml, data) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("questionnaire_load", str(write_yaml(data)))
    return str(excinfo.value)


def _nothing_saved():
    assert not Questionnaire.objects.exists()
    assert not Indicator.objects.exists()
    assert not GlossaryTerm.objects.exists()


def test_a_v2_file_stores_applicability_bands_sources_and_glossary(write_yaml, small_v2_data):
    call_command("questionnaire_load", str(write_yaml(small_v2_data)))
    questionnaire = Questionnaire.objects.get(code="TEST", version=2)
    lead01 = Indicator.objects.get(questionnaire=questionnaire, code="LEAD-01")
    assert lead01.applies_to == ["political", "military"]
    assert (lead01.target_min, lead01.target_max) == (3, 4)
    assert lead01.default_band == (3, 4)
    assert (lead01.basis, lead01.source, lead01.quote) == (
        "report",
        "1.2 Defining integration",
        "form follows function",
    )
    lead02 = Indicator.objects.get(questionnaire=questionnaire, code="LEAD-02")
    assert lead02.applies_to == ["mission"]
    assert (lead02.basis, lead02.quote, lead02.basis_note) == (
        "practice",
        "",
        "Delegation of authority since 2019.",
    )
    assert Indicator.objects.get(code="HUM-01").applies_to == []
    barrier = DimensionTag.objects.get(code="LEAD-B-COHESION")
    assert barrier.quote.startswith("absence of a methodical attempt")
    enabler = DimensionTag.objects.get(code="LEAD-E-DELEGATION")
    assert (enabler.basis, enabler.basis_note) == (
        "practice",
        "2019 delegation of authority to heads of mission.",
    )
    glossary = list(questionnaire.glossary.order_by("order"))
    assert [(g.term, g.basis) for g in glossary] == [
        ("DSRSG/RC/HC", "report"),
        ("IMTF", "practice"),
    ]
    assert glossary[0].quote == "the triple-hatted DSRSG/RC/HC"
    assert glossary[1].basis_note.startswith("Introduced by the 2006 IMPP")


def test_a_v1_file_loads_unchanged_without_bands_or_applicability(write_yaml, small_data):
    call_command("questionnaire_load", str(write_yaml(small_data)))
    lead01 = Indicator.objects.get(code="LEAD-01")
    assert lead01.applies_to == []
    assert (lead01.target_min, lead01.target_max) == (None, None)
    assert lead01.default_band == (4, 4)  # the dimension's step
    assert (lead01.basis, lead01.quote, lead01.basis_note) == ("report", "", "")
    assert not GlossaryTerm.objects.exists()
    assert Dimension.objects.get(code="HUM").default_target_step == 2


def test_band_min_above_max_is_reported_with_its_location(write_yaml, small_v2_data):
    small_v2_data["dimensions"][1]["indicators"][0]["target"] = {"min": 4, "max": 3}
    errors = _load_errors(write_yaml, small_v2_data)
    assert "dimensions[2] HUM › indicators[1] HUM-01 › target: min 4 is above max 3" in errors
    _nothing_saved()


def test_band_outside_1_to_5_is_reported_for_each_end(write_yaml, small_v2_data):
    small_v2_data["dimensions"][0]["indicators"][0]["target"] = {"min": 0, "max": 6}
    errors = _load_errors(write_yaml, small_v2_data)
    assert "indicators[1] LEAD-01 › target › min: step 0 outside 1–5" in errors
    assert "indicators[1] LEAD-01 › target › max: step 6 outside 1–5" in errors
    _nothing_saved()


def test_a_band_without_max_is_reported(write_yaml, small_v2_data):
    small_v2_data["dimensions"][0]["indicators"][0]["target"] = {"min": 3}
    assert "LEAD-01 › target › max: Field required" in _load_errors(write_yaml, small_v2_data)


def test_once_one_indicator_has_a_band_every_indicator_needs_one(write_yaml, small_v2_data):
    del small_v2_data["dimensions"][1]["indicators"][0]["target"]
    errors = _load_errors(write_yaml, small_v2_data)
    assert "indicators[1] HUM-01 › target: missing: once one indicator has a target band" in (
        errors
    )
    _nothing_saved()


def test_default_target_step_is_optional_when_every_indicator_has_a_band(write_yaml, small_v2_data):
    assert "default_target_step" not in small_v2_data["dimensions"][0]
    call_command("questionnaire_load", str(write_yaml(small_v2_data)))
    # LEAD bands 3–4 and 2–2, equal weights: midpoints 2 and 3.5, median 2.75 → 3.
    assert Dimension.objects.get(code="LEAD").default_target_step == 3
    # Given explicitly, it is kept.
    assert Dimension.objects.get(code="HUM").default_target_step == 2


def test_default_target_step_is_required_in_a_v1_file(write_yaml, small_data):
    del small_data["dimensions"][0]["default_target_step"]
    errors = _load_errors(write_yaml, small_data)
    assert "dimensions[1] LEAD: default_target_step: missing" in errors
    _nothing_saved()


def _indicators_with_bands(*bands: tuple[int, int, str]) -> list[IndicatorSpec]:
    return [
        IndicatorSpec(
            code=f"LEAD-0{n}",
            coherence_level="policy_strategic",
            weight=Decimal(weight),
            target={"min": low, "max": high},
            statement="s",
            guidance="g",
            source="s",
            rubric=RUBRIC,
        )
        for n, (low, high, weight) in enumerate(bands, start=1)
    ]


@pytest.mark.parametrize(
    ("bands", "step"),
    [
        ([(2, 3, "1"), (2, 3, "1"), (4, 4, "1")], 2),  # median 2.5: the less integrated step
        ([(1, 1, "1"), (5, 5, "1")], 3),  # even split: mean of the two middle midpoints
        ([(1, 1, "3"), (5, 5, "1")], 1),  # weight decides
        ([(4, 5, "1")], 4),  # 4.5 → 4
        ([(1, 2, "1")], 1),  # 1.5 → 1
        ([(3, 3, "1"), (4, 4, "1"), (4, 5, "1")], 4),
        ([(2, 2, "1"), (2, 3, "1"), (4, 5, "0.5")], 2),  # half the weight reached at 2.5
    ],
)
def test_derived_target_step_is_the_rounded_weighted_median_of_band_midpoints(bands, step):
    assert derived_target_step(_indicators_with_bands(*bands)) == step


def test_unknown_component_in_applies_to_is_reported(write_yaml, small_v2_data):
    small_v2_data["dimensions"][0]["indicators"][0]["applies_to"] = ["political", "navy"]
    errors = _load_errors(write_yaml, small_v2_data)
    assert "indicators[1] LEAD-01 › applies_to: unknown component 'navy'" in errors
    _nothing_saved()


def test_mission_must_stand_alone_in_applies_to(write_yaml, small_v2_data):
    small_v2_data["dimensions"][0]["indicators"][1]["applies_to"] = ["mission", "political"]
    errors = _load_errors(write_yaml, small_v2_data)
    assert "indicators[2] LEAD-02 › applies_to: 'mission' means the focal point" in errors


def test_a_component_listed_twice_in_applies_to_is_reported(write_yaml, small_v2_data):
    small_v2_data["dimensions"][0]["indicators"][0]["applies_to"] = ["military", "military"]
    assert "'military' listed more than once" in _load_errors(write_yaml, small_v2_data)


def test_report_based_indicator_needs_a_quote_once_the_file_quotes_the_report(
    write_yaml, small_v2_data
):
    del small_v2_data["dimensions"][0]["indicators"][0]["quote"]
    del small_v2_data["dimensions"][1]["indicators"][0]["source"]
    errors = _load_errors(write_yaml, small_v2_data)
    assert "indicators[1] LEAD-01 › quote: missing: a report-based item quotes" in errors
    assert "indicators[1] HUM-01 › source: missing: a report-based item names where" in errors
    _nothing_saved()


def test_report_based_tag_needs_source_and_quote_once_the_file_quotes_the_report(
    write_yaml, small_v2_data
):
    tag = small_v2_data["dimensions"][0]["barrier_tags"][0]
    del tag["quote"], tag["source"]
    errors = _load_errors(write_yaml, small_v2_data)
    assert "barrier_tags[1] LEAD-B-COHESION › source: missing" in errors
    assert "barrier_tags[1] LEAD-B-COHESION › quote: missing" in errors


def test_a_practice_item_needs_a_note_and_cannot_quote_the_report(write_yaml, small_v2_data):
    lead02 = small_v2_data["dimensions"][0]["indicators"][1]
    del lead02["note"]
    lead02["quote"] = "integration is not an end in itself"
    tag = small_v2_data["dimensions"][0]["enabler_tags"][0]
    tag["quote"] = "a quote"
    errors = _load_errors(write_yaml, small_v2_data)
    assert "indicators[2] LEAD-02 › quote: a practice item cannot quote the report" in errors
    assert "indicators[2] LEAD-02 › note: missing: a practice item says in note" in errors
    assert "enabler_tags[1] LEAD-E-DELEGATION › quote: a practice item cannot quote" in errors
    _nothing_saved()


def test_unknown_basis_is_reported(write_yaml, small_v2_data):
    small_v2_data["dimensions"][0]["indicators"][0]["basis"] = "hearsay"
    errors = _load_errors(write_yaml, small_v2_data)
    assert "indicators[1] LEAD-01 › basis: Input should be 'report' or 'practice'" in errors


def test_glossary_entries_follow_the_same_source_rules(write_yaml, small_v2_data):
    report_entry, practice_entry = small_v2_data["glossary"]
    del report_entry["quote"]
    practice_entry["quote"] = "quoted"
    del practice_entry["note"]
    small_v2_data["glossary"].append(dict(small_v2_data["glossary"][0]))
    errors = _load_errors(write_yaml, small_v2_data)
    assert "glossary[1] DSRSG/RC/HC › quote: missing" in errors
    assert "glossary[2] IMTF › quote: a practice item cannot quote the report" in errors
    assert "glossary[2] IMTF › note: missing" in errors
    assert "duplicate glossary term 'DSRSG/RC/HC' (2 times)" in errors
    _nothing_saved()


def test_a_report_glossary_entry_needs_its_quote_even_in_a_file_without_other_quotes(
    small_data,
):
    small_data["glossary"] = [{"term": "SRSG", "definition": "Head of mission.", "source": "6"}]
    with pytest.raises(SpecInvalid) as excinfo:
        spec_from_data(small_data)
    assert excinfo.value.problems == [
        "glossary[1] SRSG › quote: missing: a report-based item quotes the passage of the "
        "report it rests on (or is marked basis: practice with a note)"
    ]


def test_every_v2_problem_is_reported_at_once(write_yaml, small_v2_data):
    lead01, lead02 = small_v2_data["dimensions"][0]["indicators"]
    lead01["target"] = {"min": 5, "max": 1}
    lead02["applies_to"] = ["navy"]
    del small_v2_data["dimensions"][1]["indicators"][0]["quote"]
    del small_v2_data["glossary"][1]["note"]
    errors = _load_errors(write_yaml, small_v2_data)
    assert "4 problem(s), nothing was saved" in errors
    _nothing_saved()


def test_v1_tags_and_indicators_need_no_quote(small_data):
    spec = spec_from_data(small_data)
    assert all(ind.quote == "" and ind.target is None for _, ind in spec.indicators())
