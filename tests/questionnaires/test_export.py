"""questionnaire_export writes the load format back (lossless) and an XLSX for reviewers."""

from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from questionnaires.formats import spec_from_file, spec_from_yaml, spec_to_yaml
from questionnaires.models import Questionnaire
from questionnaires.selectors import questionnaire_spec

pytestmark = pytest.mark.django_db
DEFAULT_FILE = Path(__file__).resolve().parents[2] / "questionnaires/data/imp-core-v1.yaml"


def test_round_trip_file_to_database_to_file_is_lossless(write_yaml, small_data, tmp_path):
    source = write_yaml(small_data)
    call_command("questionnaire_load", str(source))
    call_command("questionnaire_export", "TEST", "1", "--out", str(tmp_path))
    exported = tmp_path / "test-v1.yaml"
    assert spec_from_file(exported) == spec_from_file(source)
    # Loading the exported file again is recognised as the same content.
    call_command("questionnaire_load", str(exported))
    assert Questionnaire.objects.count() == 1


def test_default_questionnaire_survives_the_round_trip_exactly(tmp_path):
    call_command("questionnaire_load", str(DEFAULT_FILE), "--publish")
    stored = questionnaire_spec(questionnaire=Questionnaire.objects.get())
    original = spec_from_file(DEFAULT_FILE)
    assert stored == original
    assert spec_from_yaml(spec_to_yaml(stored)) == original
    # Every text survives to the character, weights to the value.
    for (_, before), (_, after) in zip(original.indicators(), stored.indicators(), strict=True):
        assert before.rubric == after.rubric and before.statement == after.statement


def test_xlsx_export_has_one_row_per_indicator_with_the_five_rubric_steps(
    write_yaml, small_data, tmp_path
):
    call_command("questionnaire_load", str(write_yaml(small_data)))
    call_command("questionnaire_export", "TEST", "1", "--out", str(tmp_path))
    workbook = load_workbook(tmp_path / "test-v1.xlsx", read_only=True)
    assert workbook.sheetnames == [
        "Questionnaire",
        "Dimensions",
        "Indicators",
        "Barriers and enablers",
    ]
    rows = list(workbook["Indicators"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Dimension", "Code", "Coherence level")
    assert rows[0][6] == "Step 1: Co-existence" and rows[0][10] == "Step 5: Full integration"
    assert [row[1] for row in rows[1:]] == ["LEAD-01", "LEAD-02", "HUM-01"]
    assert rows[3][3] == 0.5
    assert rows[1][8].startswith("Coordination:")


def test_exporting_an_unknown_version_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No questionnaire NOPE version 3"):
        call_command("questionnaire_export", "NOPE", "3", "--out", str(tmp_path))


def test_v2_round_trip_file_to_database_to_file_is_lossless(write_yaml, small_v2_data, tmp_path):
    source = write_yaml(small_v2_data)
    call_command("questionnaire_load", str(source))
    stored = questionnaire_spec(questionnaire=Questionnaire.objects.get())
    assert stored == spec_from_file(source)
    call_command("questionnaire_export", "TEST", "2", "--out", str(tmp_path))
    exported = tmp_path / "test-v2.yaml"
    assert spec_from_file(exported) == spec_from_file(source)
    call_command("questionnaire_load", str(exported))
    assert Questionnaire.objects.count() == 1  # recognised as the same content
    text = exported.read_text()
    assert "target:\n      min: 3\n      max: 4" in text
    assert "basis: practice" in text and "glossary:" in text
    # The derived default step is left out, as in the source file; the given one stays.
    lead, hum = yaml.safe_load(text)["dimensions"]
    assert "default_target_step" not in lead


def test_v1_export_stays_in_the_v1_format(write_yaml, small_data, tmp_path):
    call_command("questionnaire_load", str(write_yaml(small_data)))
    call_command("questionnaire_export", "TEST", "1", "--out", str(tmp_path))
    data = yaml.safe_load((tmp_path / "test-v1.yaml").read_text())
    assert data == small_data


def test_xlsx_export_has_applicability_band_basis_quote_and_glossary(
    write_yaml, small_v2_data, tmp_path
):
    call_command("questionnaire_load", str(write_yaml(small_v2_data)))
    call_command("questionnaire_export", "TEST", "2", "--out", str(tmp_path))
    workbook = load_workbook(tmp_path / "test-v2.xlsx", read_only=True)
    assert workbook.sheetnames[-1] == "Glossary"
    rows = list(workbook["Indicators"].iter_rows(values_only=True))
    assert rows[0][11:18] == (
        "Source",
        "Answered by",
        "Target band from",
        "Target band to",
        "Basis",
        "Quote",
        "Note",
    )
    by_code = {row[1]: row for row in rows[1:]}
    assert by_code["LEAD-01"][12:16] == ("political, military", 3, 4, "report")
    assert by_code["LEAD-01"][16] == "form follows function"
    assert by_code["LEAD-02"][12:18] == (
        "mission",
        2,
        2,
        "practice",
        None,
        "Delegation of authority since 2019.",
    )
    assert by_code["HUM-01"][12] == "every component"
    tags = list(workbook["Barriers and enablers"].iter_rows(values_only=True))
    assert tags[0] == ("Dimension", "Kind", "Code", "Label", "Basis", "Source", "Quote", "Note")
    assert tags[1][6].startswith("absence of a methodical attempt")
    glossary = list(workbook["Glossary"].iter_rows(values_only=True))
    assert [row[0] for row in glossary[1:]] == ["DSRSG/RC/HC", "IMTF"]


def test_xlsx_export_has_the_v3_context_columns(tmp_path):
    v3 = Path(__file__).resolve().parents[2] / "questionnaires/data/imp-core-v3.yaml"
    call_command("questionnaire_load", str(v3))
    call_command("questionnaire_export", "IMP-CORE", "3", "--out", str(tmp_path))
    workbook = load_workbook(tmp_path / "imp-core-v3.xlsx", read_only=True)
    rows = list(workbook["Indicators"].iter_rows(values_only=True))
    header = rows[0]
    assert header[18:] == (
        "Asked when",
        "Band source",
        "Bands by phase",
        "Bands by profile",
        "Safeguard",
        "Voice",
        "Voice rationale",
        "External context",
    )
    by_code = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_code["LEAD-02"]["Asked when"] == "leadership = triple_hatted"
    hum = by_code["HUM-01"]
    assert hum["Band source"].startswith("report, Executive summary, para. 17")
    assert hum["Bands by profile"].startswith("when host_state_party = True: 2–2")
    assert (hum["Safeguard"], hum["Voice"]) == ("yes", "humanitarian")
    assert by_code["MS-01"]["External context"] == "yes"
    assert by_code["PLAN-10"]["Bands by phase"].startswith("start_up: 1–3 (practice:")
