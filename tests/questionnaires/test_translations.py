"""Bilingual questionnaire files (issue 16): per-item ``translations``, a ``languages``
declaration that makes every translation required, and one accessor that reads a text in
the active language with English as the fallback."""

import copy
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from questionnaires.diff import ChangeKind, questionnaire_diff
from questionnaires.formats import spec_from_file, spec_to_yaml
from questionnaires.models import DimensionTag, GlossaryTerm, Indicator, Questionnaire
from questionnaires.selectors import questionnaire_spec, texts_by_code
from questionnaires.spec import (
    SpecInvalid,
    spec_from_data,
    translatable_count,
    translatable_items,
    translation_gaps,
)

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "questionnaires/data"
V1_FILE, V2_FILE = DATA / "imp-core-v1.yaml", DATA / "imp-core-v2.yaml"
RUBRIC_FR = {
    1: "Coexistence : chacun travaille de son côté.",
    2: "Mise en réseau / partage d’informations : on échange des nouvelles.",
    3: "Coordination : on évite les doublons.",
    4: "Collaboration / planification conjointe : on planifie ensemble.",
    5: "Intégration complète : une seule structure.",
}


def _french(item: dict) -> dict:
    """French for every text of one raw item (indicator, tag, glossary entry, dimension)."""
    if "statement" in item:
        texts = {
            "statement": f"Énoncé de {item['code']}.",
            "guidance": f"Conseils pour {item['code']}.",
            "rubric": dict(RUBRIC_FR),
        }
    elif "label" in item:
        texts = {"label": f"Libellé de {item['code']}"}
    elif "term" in item:
        texts = {"term": f"{item['term']} (fr)", "definition": "Définition."}
    else:
        texts = {"title": f"Titre de {item['code']}", "description": "Description."}
    if item.get("note"):
        texts["note"] = "Note en français."
    return {"fr": texts}


@pytest.fixture
def bilingual_data(small_v2_data) -> dict:
    data = small_v2_data
    data["languages"] = ["en", "fr"]
    data["translations"] = {
        "fr": {"title": "Questionnaire d’essai", "description": "Petit questionnaire."}
    }
    for entry in data["glossary"]:
        entry["translations"] = _french(entry)
    for dim in data["dimensions"]:
        dim["translations"] = _french(dim)
        for item in (
            *dim.get("barrier_tags", []),
            *dim.get("enabler_tags", []),
            *dim["indicators"],
        ):
            item["translations"] = _french(item)
    return data


def _load_errors(write_yaml, data) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("questionnaire_load", str(write_yaml(data)))
    return str(excinfo.value)


def test_a_bilingual_file_stores_every_translation_and_round_trips(write_yaml, bilingual_data):
    call_command("questionnaire_load", str(write_yaml(bilingual_data)))
    questionnaire = Questionnaire.objects.get(code="TEST")
    assert questionnaire.languages == ["en", "fr"]
    assert questionnaire.translations["fr"]["title"] == "Questionnaire d’essai"
    lead02 = Indicator.objects.get(code="LEAD-02")
    assert lead02.translations["fr"]["statement"] == "Énoncé de LEAD-02."
    assert lead02.translations["fr"]["rubric_3"] == "Coordination : on évite les doublons."
    assert lead02.translations["fr"]["basis_note"] == "Note en français."
    assert DimensionTag.objects.get(code="LEAD-E-DELEGATION").translations["fr"] == {
        "label": "Libellé de LEAD-E-DELEGATION",
        "basis_note": "Note en français.",
    }
    assert GlossaryTerm.objects.get(term="IMTF").translations["fr"]["term"] == "IMTF (fr)"
    spec = spec_from_data(bilingual_data)
    assert questionnaire_spec(questionnaire=questionnaire) == spec
    assert spec_from_data(yaml.safe_load(spec_to_yaml(spec))) == spec
    # Reloading the same file is a no-op, so the translations take part in the comparison.
    out = StringIO()
    call_command("questionnaire_load", str(write_yaml(bilingual_data)), stdout=out)
    assert "unchanged" in out.getvalue()
    assert "French (fr): all 36 texts translated." in out.getvalue()


def test_a_bilingual_file_without_one_french_statement_names_the_indicator(
    write_yaml, bilingual_data
):
    del bilingual_data["dimensions"][0]["indicators"][1]["translations"]["fr"]["statement"]
    message = _load_errors(write_yaml, bilingual_data)
    assert "1 problem(s), nothing was saved" in message
    assert (
        "dimensions[1] LEAD › indicators[2] LEAD-02 › translations › fr › statement: "
        "missing French text (the file declares languages: en, fr)"
    ) in message
    assert not Questionnaire.objects.exists()


def test_every_missing_french_text_is_reported_with_its_field(write_yaml, bilingual_data):
    hum01 = bilingual_data["dimensions"][1]["indicators"][0]
    del hum01["translations"]["fr"]["rubric"][4]
    del bilingual_data["glossary"][0]["translations"]
    del bilingual_data["dimensions"][0]["barrier_tags"][0]["translations"]
    message = _load_errors(write_yaml, bilingual_data)
    assert "4 problem(s)" in message
    assert "indicators[1] HUM-01 › translations › fr › rubric.4: missing French text" in message
    assert "glossary[1] DSRSG/RC/HC › translations › fr › term: missing French text" in message
    assert "glossary[1] DSRSG/RC/HC › translations › fr › definition" in message
    assert "barrier_tags[1] LEAD-B-COHESION › translations › fr › label" in message


def test_an_undeclared_language_may_be_partial_and_is_reported(write_yaml, small_v2_data):
    small_v2_data["dimensions"][0]["indicators"][0]["translations"] = {
        "es": {"statement": "Enunciado."}
    }
    out = StringIO()
    call_command("questionnaire_load", str(write_yaml(small_v2_data)), stdout=out)
    assert "Spanish (es): 35 of 36 texts missing" in out.getvalue()
    assert "indicators[1] LEAD-01 › translations › es › guidance: missing Spanish text" in (
        out.getvalue()
    )
    assert Indicator.objects.get(code="LEAD-01").text("statement", "es") == "Enunciado."


def test_languages_start_with_english_and_translation_keys_are_checked(small_v2_data):
    small_v2_data["languages"] = ["fr", "en"]
    small_v2_data["dimensions"][0]["indicators"][0]["translations"] = {
        "fr": {"statment": "typo", "rubric": {6: "x"}}
    }
    with pytest.raises(SpecInvalid) as excinfo:
        spec_from_data(small_v2_data)
    problems = "\n".join(excinfo.value.problems)
    assert "languages: the first language is en" in problems
    assert "translations › fr › statment: Extra inputs are not permitted" in problems
    assert "step 6 outside 1–5" in problems


def test_the_accessor_reads_the_active_language_and_falls_back_to_english(
    write_yaml, bilingual_data
):
    bilingual_data["dimensions"][0]["indicators"][0]["translations"]["fr"]["guidance"] = ""
    bilingual_data["languages"] = ["en"]  # now a work in progress: the empty text is allowed
    call_command("questionnaire_load", str(write_yaml(bilingual_data)))
    lead01 = Indicator.objects.get(code="LEAD-01")
    assert lead01.text("statement", "fr") == "Énoncé de LEAD-01."
    assert lead01.text("statement", "fr-ca") == "Énoncé de LEAD-01."
    assert lead01.text("statement", "en") == "Statement of LEAD-01."
    assert lead01.text("statement", "es") == "Statement of LEAD-01."
    assert lead01.text("guidance", "fr") == "Guidance for LEAD-01."  # no French: English
    with translation.override("fr"):
        assert lead01.text("statement") == "Énoncé de LEAD-01."
        assert lead01.rubric[2][2] == "Coordination : on évite les doublons."
        assert str(lead01.rubric[2][1])  # the step name comes from the catalogue
        titles = texts_by_code(lead01.questionnaire.dimensions.all(), "title")
        assert titles == {"LEAD": "Titre de LEAD", "HUM": "Titre de HUM"}
    with translation.override("en"):
        assert lead01.rubric[2][2] == "Coordination: regular meetings align the work."


def test_imp_core_v2_is_declared_bilingual_and_complete_in_french():
    spec = spec_from_file(V2_FILE)
    assert spec.languages == ["en", "fr"]
    assert translation_gaps(spec) == {"fr": []}
    assert translatable_count(spec) == 570
    # The quotes are citations of the English report: never translated.
    for _, ind in spec.indicators():
        assert ind.translations["fr"].statement != ind.statement, ind.code


def test_imp_core_v1_is_declared_bilingual_and_complete_in_french():
    spec = spec_from_file(V1_FILE)
    assert spec.languages == ["en", "fr"]
    assert translation_gaps(spec) == {"fr": []}
    assert translatable_count(spec) == 498
    call_command("questionnaire_load", str(V1_FILE), "--publish")
    lead01 = Indicator.objects.get(questionnaire__version=1, code="LEAD-01")
    with translation.override("fr"):
        assert lead01.text("statement").startswith("L’équipe de direction de la mission")


def _english_only(path: Path) -> dict:
    """The file's data as it was before its French: no ``translations``, English only."""

    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k != "translations"}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    data = strip(yaml.safe_load(path.read_text(encoding="utf-8")))
    data["languages"] = ["en"]
    return data


def test_a_published_v1_without_french_takes_the_french_and_nothing_else(write_yaml):
    """Where v1 was published before it had French, loading the bilingual file stores the
    French; an English change to a published version is still refused."""
    call_command("questionnaire_load", str(write_yaml(_english_only(V1_FILE))), "--publish")
    v1 = Questionnaire.objects.get(code="IMP-CORE", version=1)
    lead01 = Indicator.objects.get(questionnaire=v1, code="LEAD-01")
    assert lead01.translations == {}
    before = {i.pk: (i.statement, i.target_min, i.weight) for i in v1.indicators.all()}

    out = StringIO()
    call_command("questionnaire_load", str(V1_FILE), stdout=out)
    assert "IMP-CORE version 1: translations updated" in out.getvalue()
    v1.refresh_from_db()
    assert v1.status == "published" and v1.languages == ["en", "fr"]
    assert questionnaire_spec(questionnaire=v1) == spec_from_file(V1_FILE)
    assert {i.pk: (i.statement, i.target_min, i.weight) for i in v1.indicators.all()} == before
    tag = DimensionTag.objects.get(dimension__questionnaire=v1, code="LEAD-E-TORS")
    assert tag.text("label", "fr") == "Mandats convenus pour les fonctions de direction"
    call_command("questionnaire_load", str(V1_FILE), stdout=(again := StringIO()))
    assert "unchanged" in again.getvalue()

    reworded = yaml.safe_load(V1_FILE.read_text(encoding="utf-8"))
    reworded["dimensions"][0]["indicators"][0]["statement"] = "Another statement."
    with pytest.raises(CommandError, match="cannot change"):
        call_command("questionnaire_load", str(write_yaml(reworded)))
    assert Indicator.objects.get(pk=lead01.pk).statement == lead01.statement


def test_imp_core_v2_loads_and_reads_in_french():
    out = StringIO()
    call_command("questionnaire_load", str(V2_FILE), "--publish", stdout=out)
    assert "French (fr): all 570 texts translated." in out.getvalue()
    hum04 = Indicator.objects.get(questionnaire__version=2, code="HUM-04")
    with translation.override("fr"):
        assert hum04.text("statement") == hum04.translations["fr"]["statement"]
        assert "droits de l’homme" in hum04.text("statement")


FRENCH_STEP_NAMES = {
    1: "Coexistence",
    2: "Mise en réseau / partage d’informations",
    3: "Coordination",
    4: "Collaboration / planification conjointe",
    5: "Intégration complète",
}


@pytest.mark.parametrize("path", [V1_FILE, V2_FILE], ids=["v1", "v2"])
def test_imp_core_french_rubric_steps_start_with_the_french_step_name(path):
    for _, ind in spec_from_file(path).indicators():
        for step, text in ind.translations["fr"].rubric.items():
            assert text.startswith(f"{FRENCH_STEP_NAMES[step]}\u00a0: "), (ind.code, step)


@pytest.mark.parametrize("path", [V1_FILE, V2_FILE], ids=["v1", "v2"])
def test_imp_core_french_is_not_the_english_copied(path):
    spec = spec_from_file(path)
    same = [
        (location, field)
        for location, item in translatable_items(spec)
        for field, english in item.texts().items()
        if english and item.translations["fr"].flat().get(field) == english
    ]
    # the acronym French UN texts use too (v1 has no glossary)
    assert same == ([("glossary[17] IAP", "term")] if path == V2_FILE else [])


def test_xlsx_export_of_v2_has_a_translations_sheet_with_every_text(tmp_path):
    call_command("questionnaire_load", str(V2_FILE))
    call_command("questionnaire_export", "IMP-CORE", "2", "--out", str(tmp_path))
    workbook = load_workbook(tmp_path / "imp-core-v2.xlsx", read_only=True)
    rows = list(workbook["Translations"].iter_rows(values_only=True))
    assert rows[0] == ("Item", "Field", "English", "fr")
    assert len(rows) == 1 + 570
    hq = next(row for row in rows if row[0].endswith("LEAD-B-HQCONTROL") and row[1] == "label")
    assert hq[2:] == (
        "Key decisions kept at headquarters",
        "Décisions essentielles gardées au Siège",
    )


def test_xlsx_export_of_an_english_only_version_has_no_translations_sheet(
    tmp_path, write_yaml, small_v2_data
):
    call_command("questionnaire_load", str(write_yaml(small_v2_data)))
    call_command("questionnaire_export", "TEST", "2", "--out", str(tmp_path))
    (exported,) = tmp_path.glob("*.xlsx")
    workbook = load_workbook(exported, read_only=True)
    assert "Translations" not in workbook.sheetnames


def test_questionnaire_diff_lists_translation_changes(bilingual_data):
    old = spec_from_data(bilingual_data)
    changed = copy.deepcopy(bilingual_data)
    lead01 = changed["dimensions"][0]["indicators"][0]["translations"]["fr"]
    lead01["statement"] = "Nouvel énoncé."
    lead01["rubric"][3] = "Coordination : autre texte."
    changed["languages"] = ["en"]
    new = spec_from_data(changed)
    listed = {(c.code, c.kind, c.detail) for c in questionnaire_diff(old, new)}
    assert listed == {
        ("LEAD-01", ChangeKind.TRANSLATION_CHANGED, "fr: rubric.3, statement"),
        ("TEST", ChangeKind.QUESTIONNAIRE_CHANGED, "languages"),
    }
