"""The data export with method 2, read back (openpyxl, csv) and checked against the stored rows:
headline per assessment, findings per indicator with band, distance, flag, rationale and phase,
flag cells coloured from the one colour module; a quarter only method 1 scored still exports."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from exports.csv_zip import data_csv_zip_write
from exports.tables import TABLES, DataScope
from exports.xlsx import data_xlsx_write
from scoring.flags import FLAG_STYLES, OVER_INTEGRATION, SHORTFALL
from scoring.models import IndicatorScore
from tests.assessments.conftest import (  # noqa: F401 (fixtures re-used here)
    current_period,
    previous_period,
    questionnaire,
)
from tests.exports.findings_data import JUSTIFICATION, RATIONALE, V1, V2, build_findings_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def findings_data(personas, questionnaire, previous_period, current_period):  # noqa: F811
    return build_findings_data(personas, previous_period, current_period)


@pytest.fixture
def workbook(findings_data, tmp_path):
    path = tmp_path / "data.xlsx"
    data_xlsx_write(path=path, scope=DataScope((findings_data.personas.mission_a.pk,)))
    return load_workbook(path)  # the full reader: cell fills are read too


@pytest.fixture
def archive(findings_data, tmp_path):
    path = tmp_path / "data.zip"
    data_csv_zip_write(path=path, scope=DataScope((findings_data.personas.mission_a.pk,)))
    with zipfile.ZipFile(path) as zipped:
        return {
            name.removesuffix(".csv"): list(
                csv.DictReader(io.TextIOWrapper(zipped.open(name), encoding="utf-8", newline=""))
            )
            for name in zipped.namelist()
        }


def _records(sheet) -> list[dict]:
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [dict(zip(header, row + [None] * (len(header) - len(row)), strict=True)) for row in rows]


def test_index_sheet_holds_the_v2_headline_and_names_who_did_not_respond(workbook, findings_data):
    result = findings_data.score_set(V2)
    row = next(r for r in _records(workbook["index"]) if r["method_version"] == V2)
    assert row["alignment"] == pytest.approx(result.alignment)
    assert row["shortfall"] == pytest.approx(result.shortfall)
    assert row["over_integration"] == pytest.approx(result.over_integration)
    assert (row["shortfall_indicators"], row["over_integration_indicators"]) == (1, 2)
    assert row["index"] == pytest.approx(result.index)  # the integration level
    assert row["completeness"] == pytest.approx(result.completeness) and row["completeness"] < 1
    assert row["phase"] == "start_up"
    assert row["not_responded"] == "humanitarian"


def test_indicator_scores_sheet_has_one_row_per_stored_finding(workbook, findings_data):
    stored = {
        row.indicator_code: row
        for row in IndicatorScore.objects.filter(score_set=findings_data.score_set(V2))
    }
    records = {r["indicator"]: r for r in _records(workbook["indicator_scores"])}
    assert set(records) == set(stored)
    for code, row in stored.items():
        record = records[code]
        assert record["method_version"] == V2
        assert record["value"] == pytest.approx(row.value)
        assert (record["band_min"], record["band_max"]) == (row.band_min, row.band_max)
        assert record["distance"] == pytest.approx(row.distance)
        assert record["flag"] == row.flag
        assert record["phase"] == "start_up"
    lead_02 = records["LEAD-02"]
    assert (lead_02["band_min"], lead_02["band_max"], lead_02["band_source"]) == (1, 2, "override")
    assert lead_02["distance"] == pytest.approx(2.0)
    assert lead_02["flag"] == OVER_INTEGRATION
    assert lead_02["rationale"] == RATIONALE
    assert records["LEAD-01"]["flag"] == SHORTFALL and records["LEAD-01"]["rationale"] is None


def test_flag_cells_are_coloured_from_the_one_colour_module(workbook):
    sheet = workbook["indicator_scores"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("flag")
    coloured = {}
    for row in sheet.iter_rows(min_row=2):
        cell = row[column]
        coloured[cell.value] = (cell.fill.fgColor.rgb, cell.font.color.rgb)
    for key in (SHORTFALL, OVER_INTEGRATION):
        style = FLAG_STYLES[key]
        assert coloured[key] == (style.argb, "FF" + style.text_colour.lstrip("#").upper())


def test_dimension_scores_sheet_holds_bands_alignment_and_flag_counts(workbook, findings_data):
    result = findings_data.score_set(V2)
    records = {r["dimension"]: r for r in _records(workbook["dimension_scores"])}
    for dimension in result.dimensions.all():
        record = records[dimension.dimension_code]
        assert record["alignment"] == pytest.approx(dimension.alignment)
        assert (record["band_min"], record["band_max"]) == (dimension.band_min, dimension.band_max)
        assert record["shortfall_indicators"] == dimension.shortfall_count
        assert record["over_integration_indicators"] == dimension.over_integration_count
    assert records["LEAD"]["shortfall_indicators"] == 1
    assert records["LEAD"]["over_integration_indicators"] == 1


def test_csv_has_the_same_findings(archive, findings_data):
    assert [r["indicator"] for r in archive["indicator_scores"]] == ["LEAD-01", "LEAD-02", "HUM-01"]
    lead_02 = next(r for r in archive["indicator_scores"] if r["indicator"] == "LEAD-02")
    assert (lead_02["band_min"], lead_02["band_max"], lead_02["distance"]) == ("1", "2", "2.0")
    assert (lead_02["flag"], lead_02["rationale"], lead_02["phase"]) == (
        OVER_INTEGRATION,
        RATIONALE,
        "start_up",
    )
    headline = next(r for r in archive["index"] if r["method_version"] == V2)
    assert float(headline["alignment"]) == pytest.approx(findings_data.score_set(V2).alignment)
    assert headline["not_responded"] == "humanitarian"
    for table in TABLES:
        # An empty table (no action agreed here) has no record to read the header from.
        assert not archive[table.name] or list(archive[table.name][0]) == table.headers


def test_a_quarter_only_method_1_scored_still_exports(workbook, findings_data):
    result = findings_data.score_set(V1)
    quarter = findings_data.v1.period.label
    index = next(r for r in _records(workbook["index"]) if r["quarter"] == quarter)
    assert index["method_version"] == V1
    assert index["index"] == pytest.approx(result.index)
    assert index["alignment"] is None  # method 1 has no alignment
    dimensions = [r for r in _records(workbook["dimension_scores"]) if r["quarter"] == quarter]
    assert {r["dimension"] for r in dimensions} == {"LEAD", "HUM"}
    assert {r["method_version"] for r in dimensions} == {V1}
    assert not [r for r in _records(workbook["indicator_scores"]) if r["quarter"] == quarter]


def test_scorecard_reads_flag_colours_from_the_one_colour_module(findings_data):
    from exports.findings import scorecard_findings

    card = scorecard_findings(assessment=findings_data.v2, user=None)
    assert {row["code"]: row["style"]["colour"] for row in card.flagged} == {
        "LEAD-01": FLAG_STYLES[SHORTFALL].colour,
        "LEAD-02": FLAG_STYLES[OVER_INTEGRATION].colour,
        "HUM-01": FLAG_STYLES[OVER_INTEGRATION].colour,
    }
    assert card.styles[SHORTFALL]["colour"] == FLAG_STYLES[SHORTFALL].colour
    assert card.not_responded == (("Humanitarian", JUSTIFICATION),)
    assert card.completeness < 1
