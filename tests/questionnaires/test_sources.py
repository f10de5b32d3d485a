"""IMP-CORE v2 rests on the text of the report: every quote is in the place its source cites.

The file is read with PyYAML directly, not through the loader, so these checks hold for the
content whatever the loader does with it. See docs/questionnaire.md ("Sources and quotes").
"""

import os
import re
from pathlib import Path

import pytest
import yaml

from questionnaires.quotes import Report, cited_places, normalise, report_at

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seeds" / "integrated-missions-revisited-oslo-2007.txt"
V1_FILE = ROOT / "questionnaires" / "data" / "imp-core-v1.yaml"
V2_FILE = ROOT / "questionnaires" / "data" / "imp-core-v2.yaml"

V1 = yaml.safe_load(V1_FILE.read_text(encoding="utf-8"))
V2 = yaml.safe_load(V2_FILE.read_text(encoding="utf-8"))

COMPONENTS = {
    "political",
    "military",
    "police",
    "mission_support",
    "humanitarian",
    "development",
    "human_rights",
    "rule_of_law",
}
MISSION_WIDE = ["mission"]
DIMENSION_CODES = ["LEAD", "POL", "HUM", "RES", "PLAN", "PART", "OWN", "ACC", "MS"]

# The file format agreed with the loader (issue 11): no other keys are allowed.
TOP_KEYS = {
    "code",
    "version",
    "languages",
    "title",
    "description",
    "translations",
    "glossary",
    "dimensions",
}
GLOSSARY_KEYS = {"term", "definition", "basis", "source", "quote", "note", "translations"}
DIMENSION_KEYS = {
    "code",
    "title",
    "description",
    "translations",
    "weight",
    "barrier_tags",
    "enabler_tags",
    "indicators",
}
TAG_KEYS = {"code", "label", "source", "quote", "basis", "note", "translations"}
INDICATOR_KEYS = {
    "code",
    "coherence_level",
    "weight",
    "applies_to",
    "target",
    "statement",
    "guidance",
    "source",
    "quote",
    "basis",
    "note",
    "rubric",
    "translations",
}
# What a translation may hold: the texts, never the source or the quote (citations of the
# English report stay as they are).
TRANSLATED_KEYS = {"title", "description", "term", "definition", "label", "statement", "guidance"}
TRANSLATED_KEYS |= {"rubric", "note"}

# Codes v1 had that v2 no longer uses. Empty: every v1 indicator and tag is kept (HUM-06 and
# PART-04 are kept as practice). A code listed here must never come back with another meaning.
DROPPED_CODES: set[str] = set()

# Tags the review found with no basis in the report (issue 11).
UNSUPPORTED_V1_TAGS = [
    "LEAD-E-RETREAT",
    "LEAD-E-TORS",
    "HUM-B-BLURRING",
    "HUM-E-CIVMIL",
    "HUM-E-HCDISTINCT",
    "PLAN-B-HQONLY",
    "PLAN-B-CYCLES",
    "PART-E-REGIONAL",
    "OWN-B-SUBSTITUTION",
]

# Indicators whose N/A is declared for the mission by the focal point, with a reason.
MISSION_NA_INDICATORS = ["POL-05", "HUM-03", "RES-04", "PART-02", "PART-04"]

# Words that open an instruction to the respondent rather than describe a situation.
IMPERATIVES = {"check", "watch", "make", "ensure", "note", "answer", "choose", "consider", "ask"}


# --------------------------------------------------------------------------- the seed text


def report() -> Report:
    """The report's text. The report ships beside the repository (``../shared/seeds/``), not in
    it: on a clone without it the tests that need it skip, saying so, unless
    ``REQUIRE_SHARED=1`` (``.ci/run``), where its absence fails them."""
    found = report_at(SEED)
    if found is None:
        reason = f"the report's text is not beside this clone ({SEED} is absent)"
        if os.environ.get("REQUIRE_SHARED") == "1":
            pytest.fail(f"REQUIRE_SHARED=1: {reason}")
        pytest.skip(reason)
    return found


def seed_text() -> str:
    return report().text


def seed_places_of_report() -> dict[str, str]:
    return report().places


def quote_problem(quote: str, source: str) -> str | None:
    """The one quote check (questionnaires.quotes), which the loader runs on v3 files too."""
    return report().quote_problem(quote, source)


# --------------------------------------------------------------------------- the file


def dimensions():
    return V2["dimensions"]


def indicators():
    return [(dim, ind) for dim in dimensions() for ind in dim["indicators"]]


def tags():
    return [
        (dim, kind, tag)
        for dim in dimensions()
        for kind in ("barrier", "enabler")
        for tag in dim[f"{kind}_tags"]
    ]


def sourced_items():
    """Everything that must rest on the report or say it does not: (label, item)."""
    items = [(ind["code"], ind) for _, ind in indicators()]
    items += [(tag["code"], tag) for _, _, tag in tags()]
    items += [(f"glossary {entry['term']}", entry) for entry in V2["glossary"]]
    return items


def basis(item: dict) -> str:
    return item.get("basis", "report")


def indicator(code: str) -> dict:
    return next(ind for _, ind in indicators() if ind["code"] == code)


def all_codes(data: dict) -> list[str]:
    codes = []
    for dim in data["dimensions"]:
        codes.append(dim["code"])
        codes += [ind["code"] for ind in dim["indicators"]]
        codes += [tag["code"] for kind in ("barrier", "enabler") for tag in dim[f"{kind}_tags"]]
    return codes


REPORT_ITEMS = [(label, item) for label, item in sourced_items() if basis(item) == "report"]
PRACTICE_ITEMS = [(label, item) for label, item in sourced_items() if basis(item) == "practice"]


# --------------------------------------------------------------------------- the quote check


def test_seed_paragraph_numbering_matches_the_file_header():
    places = seed_places_of_report()
    assert places["para. 5"].startswith("Despite the diversity of experience")
    assert places["para. 6"].startswith("The absence of a methodical attempt")
    # Paragraphs broken by a page break count once.
    assert "peace develops, which should result in improved guidelines" in places["para. 11"]
    assert places["para. 12"].startswith("Participants also stressed that failure is inevitable")
    assert "develop more effective mission mandates" in places["para. 22"]
    assert places["para. 26"].startswith("Another recurring theme")
    assert len([place for place in places if place.startswith("para.")]) == 28


def test_quote_check_rejects_a_made_up_quote():
    assert quote_problem(
        "integration should always be maximised in every mission", "Executive summary, para. 6"
    ).startswith("not found")


def test_quote_check_rejects_a_real_quote_cited_at_the_wrong_paragraph():
    # v1 cited para. 1 ("regional perspectives") for partnerships with regional organisations.
    assert quote_problem("regional perspectives", "Executive summary, para. 1") is None
    problem = quote_problem(
        "the Peacebuilding Commission (PBC)", "Executive summary, para. 6 (leadership)"
    )
    assert problem and "not in ['para. 6']" in problem


def test_quote_check_reads_ranges_lists_and_sections_in_a_source():
    assert cited_places("Executive summary, paras. 16-17 (principles)") == {"para. 16", "para. 17"}
    assert cited_places("Executive summary, paras. 8, 19 and 24") == {
        "para. 8",
        "para. 19",
        "para. 24",
    }
    assert cited_places("1. Introduction (x); Executive summary, para. 10") == {
        "1. Introduction",
        "para. 10",
    }


def test_quote_check_joins_a_paragraph_across_a_page_break():
    quote = "improve the Council's working methods (and thus its ability to develop more"
    assert quote_problem(quote, "Executive summary, para. 22") is None


@pytest.mark.parametrize("label,item", REPORT_ITEMS, ids=[label for label, _ in REPORT_ITEMS])
def test_every_report_based_quote_is_found_where_its_source_points(label, item):
    assert item.get("quote", "").strip(), f"{label}: report-based item without a quote"
    assert item.get("source", "").strip(), f"{label}: report-based item without a source"
    assert "note" not in item, f"{label}: a note belongs to practice items"
    problem = quote_problem(item["quote"], item["source"])
    assert problem is None, f"{label}: {problem}"


@pytest.mark.parametrize("label,item", REPORT_ITEMS, ids=[label for label, _ in REPORT_ITEMS])
def test_quotes_are_short_passages_not_paragraphs(label, item):
    # "A sentence or less": at most one full stop inside, and no longer than a long sentence.
    quote = normalise(item["quote"])
    assert len(quote) <= 260, label
    assert quote.rstrip(".").count(". ") == 0, label


@pytest.mark.parametrize("label,item", PRACTICE_ITEMS, ids=[label for label, _ in PRACTICE_ITEMS])
def test_practice_items_carry_a_note_and_no_report_citation(label, item):
    assert item.get("note", "").strip(), f"{label}: practice item without a note"
    assert "quote" not in item, f"{label}: practice item with a report quote"
    source = item.get("source", "Practice")
    assert source.startswith("Practice"), f"{label}: practice item cites {source!r}"
    assert not cited_places(source), label


def test_basis_is_report_or_practice_and_glossary_says_which():
    for label, item in sourced_items():
        assert basis(item) in {"report", "practice"}, label
    for entry in V2["glossary"]:
        assert entry.get("basis") in {"report", "practice"}, entry["term"]


# --------------------------------------------------------------------------- the format


def test_file_uses_only_the_keys_of_the_v2_format():
    assert set(V2) == TOP_KEYS
    assert V2["code"] == "IMP-CORE" and V2["version"] == 2
    for entry in V2["glossary"]:
        assert set(entry) <= GLOSSARY_KEYS, entry["term"]
    for dim in dimensions():
        assert set(dim) == DIMENSION_KEYS, dim["code"]  # no default_target_step in v2
    for _, _, tag in tags():
        assert set(tag) <= TAG_KEYS, tag["code"]
    for _, ind in indicators():
        assert set(ind) <= INDICATOR_KEYS, ind["code"]
        assert set(ind["target"]) == {"min", "max"}, ind["code"]


def test_v2_is_bilingual_and_translations_never_touch_sources_or_quotes():
    assert V2["languages"] == ["en", "fr"]
    items = [V2, *V2["glossary"], *dimensions(), *(tag for _, _, tag in tags())]
    items += [ind for _, ind in indicators()]
    for item in items:
        assert set(item["translations"]) == {"fr"}
        assert set(item["translations"]["fr"]) <= TRANSLATED_KEYS


def test_every_text_is_non_empty():
    def texts(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from texts(value)
        elif isinstance(node, list):
            for value in node:
                yield from texts(value)
        else:
            yield node

    for value in texts(V2):
        assert value not in ("", None) and (not isinstance(value, str) or value.strip())


def test_dimensions_are_the_nine_fixed_codes_in_order():
    assert [dim["code"] for dim in dimensions()] == DIMENSION_CODES


def test_codes_are_unique_and_prefixed_by_their_dimension():
    codes = all_codes(V2)
    assert len(codes) == len(set(codes))
    for dim, ind in indicators():
        assert re.fullmatch(rf"{dim['code']}-\d{{2}}", ind["code"]), ind["code"]
    for dim, kind, tag in tags():
        assert tag["code"].startswith(f"{dim['code']}-{kind[0].upper()}-"), tag["code"]


def test_every_indicator_has_five_named_rubric_steps():
    names = [
        "Co-existence: ",
        "Networking / information sharing: ",
        "Coordination: ",
        "Collaboration / joint planning: ",
        "Full integration: ",
    ]
    for _, ind in indicators():
        assert sorted(ind["rubric"]) == [1, 2, 3, 4, 5], ind["code"]
        for step, name in enumerate(names, start=1):
            assert ind["rubric"][step].startswith(name), (ind["code"], step)


# --------------------------------------------------------------------------- codes over time


def test_every_v1_code_is_kept_unless_dropped():
    v2_codes = set(all_codes(V2))
    missing = set(all_codes(V1)) - DROPPED_CODES - v2_codes
    assert not missing, f"v1 codes missing from v2: {sorted(missing)}"


def test_dropped_codes_are_never_reused():
    assert not DROPPED_CODES & set(all_codes(V2))


def test_new_codes_do_not_take_the_place_of_v1_codes():
    v1_codes = set(all_codes(V1))
    new = sorted(set(all_codes(V2)) - v1_codes)
    assert new == ["ACC-07", "LEAD-B-COHESION"]


# --------------------------------------------------------------------------- applicability


def test_applies_to_is_known_components_or_the_mission_alone():
    for _, ind in indicators():
        applies = ind["applies_to"]
        assert applies, ind["code"]
        assert len(applies) == len(set(applies)), ind["code"]
        assert applies == MISSION_WIDE or set(applies) <= COMPONENTS, (ind["code"], applies)


def test_military_is_never_asked_about_the_budget_committee_or_the_imf():
    assert indicator("MS-04")["applies_to"] == MISSION_WIDE
    assert indicator("PART-02")["applies_to"] == MISSION_WIDE
    for _, ind in indicators():
        text = " ".join([ind["statement"], ind["guidance"], *ind["rubric"].values()])
        if re.search(r"\bIMF\b|Fifth Committee|ACABQ|budget committee", text):
            assert "military" not in ind["applies_to"], ind["code"]


def test_member_state_and_security_council_indicators_are_answered_for_the_whole_mission():
    for code in ["MS-01", "MS-02", "MS-03", "MS-04", "RES-01", "RES-02", "PLAN-03"]:
        assert indicator(code)["applies_to"] == MISSION_WIDE, code


def test_every_component_has_questions_in_most_dimensions():
    for component in COMPONENTS:
        answered = {dim["code"] for dim, ind in indicators() if component in ind["applies_to"]}
        assert len(answered) >= 6, (component, sorted(answered))


@pytest.mark.parametrize("code", MISSION_NA_INDICATORS)
def test_guidance_says_the_focal_point_may_declare_the_indicator_not_applicable(code):
    guidance = indicator(code)["guidance"]
    assert "the focal point may declare this indicator not applicable to the mission" in guidance
    assert "reason" in guidance
    assert 'Answer "not applicable"' not in guidance


# --------------------------------------------------------------------------- target bands


def test_every_indicator_has_a_band_within_the_five_steps():
    for _, ind in indicators():
        band = ind["target"]
        assert isinstance(band["min"], int) and isinstance(band["max"], int), ind["code"]
        assert 1 <= band["min"] <= band["max"] <= 5, ind["code"]


def test_human_rights_aims_higher_than_humanitarian_space():
    humanitarian_space = ["HUM-01", "HUM-02", "HUM-03", "HUM-05", "HUM-06"]
    human_rights = indicator("HUM-04")["target"]
    for code in humanitarian_space:
        band = indicator(code)["target"]
        assert band["max"] <= 3, code  # steps 4-5 are over-integration (paras. 16-17)
        assert band["max"] < human_rights["min"], code
    # HUM-04: "step 4 is usually desirable"; step 5 describes a loss of independence.
    assert human_rights == {"min": 4, "max": 4}


def test_a_band_that_stops_below_step_five_is_explained_in_the_guidance_or_the_dimension():
    for dim, ind in indicators():
        if ind["target"]["max"] < 5:
            explained = ind["guidance"] + " " + dim["description"]
            assert re.search(r"[Ss]tep 5|[Ss]teps 4 and 5|over-integration", explained), ind["code"]


def test_no_rubric_step_is_an_instruction_to_the_respondent():
    for _, ind in indicators():
        for step, text in ind["rubric"].items():
            situation = text.split(": ", 1)[1]
            for clause in re.split(r"[;:]\s*|\.\s+", situation):
                first = clause.strip().split(" ", 1)[0].lower()
                assert first not in IMPERATIVES, (ind["code"], step, clause)


def test_v1_step_five_instructions_are_rewritten_as_situations():
    for code in ["LEAD-08", "POL-04", "PART-01", "PART-04", "MS-05"]:
        top = indicator(code)["rubric"][5]
        assert not re.search(r"\b(check|watch) that\b", top), code


# --------------------------------------------------------------------------- v1 problems gone


def test_part_04_no_longer_cites_the_regional_seminars():
    part_04 = indicator("PART-04")
    assert "regional perspectives" not in part_04["source"]
    assert basis(part_04) == "practice"


def test_hum_06_is_not_given_a_report_citation():
    hum_06 = indicator("HUM-06")
    assert basis(hum_06) == "practice" and not cited_places(hum_06["source"])


def test_pol_03_no_longer_rests_on_the_doctrine_paragraph():
    assert "para. 11" not in cited_places(indicator("POL-03")["source"])


def test_res_02_links_assessed_and_voluntary_funding_instead_of_merging_them():
    res_02 = indicator("RES-02")
    assert "one programme" not in (res_02["statement"] + res_02["rubric"][5])
    assert "link" in res_02["statement"]
    assert "improve the link between assessed and voluntary funding" in res_02["quote"]


@pytest.mark.parametrize("code", UNSUPPORTED_V1_TAGS)
def test_tags_without_basis_in_the_report_are_practice_or_quote_the_report(code):
    found = [tag for _, _, tag in tags() if tag["code"] == code]
    if not found:
        assert code in DROPPED_CODES
        return
    tag = found[0]
    if basis(tag) == "practice":
        assert tag["note"].strip() and "quote" not in tag
    else:
        assert quote_problem(tag["quote"], tag["source"]) is None


def test_senior_leadership_cohesion_barrier_quotes_the_report():
    lead = next(dim for dim in dimensions() if dim["code"] == "LEAD")
    barrier = next(tag for tag in lead["barrier_tags"] if tag["code"] == "LEAD-B-COHESION")
    wanted = (
        "absence of a methodical attempt to build the senior leadership group as a cohesive unit"
    )
    assert wanted in barrier["quote"]
    assert cited_places(barrier["source"]) == {"para. 6"}


def test_headquarters_support_indicator_rests_on_field_and_headquarters_passage():
    acc_07 = indicator("ACC-07")
    assert "both in the field and at headquarters" in acc_07["quote"]
    assert acc_07["applies_to"]


# --------------------------------------------------------------------------- glossary


def test_glossary_defines_the_terms_respondents_meet():
    terms = {entry["term"] for entry in V2["glossary"]}
    for term in ["IMTF", "ISF", "HCT", "UNCT", "DSRSG/RC/HC", "SRSG", "QIPs", "PBC"]:
        assert term in terms, term
    assert any("DPO" in term and "DPPA" in term and "DOS" in term for term in terms)
    assert any(term.startswith("Delegation of authority") for term in terms)
    assert any(term.startswith("Resident Coordinator system") for term in terms)


def test_post_2007_glossary_terms_are_practice():
    practice = {entry["term"] for entry in V2["glossary"] if entry["basis"] == "practice"}
    assert {"IMTF", "ISF", "HCT", "UNCT"} <= practice
    assert all(
        any(term.startswith(prefix) for term in practice)
        for prefix in ["DPO", "Delegation of authority", "Resident Coordinator system"]
    )
