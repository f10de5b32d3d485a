"""The data export, read back: XLSX sheets and CSV files have the right headers, row counts
and content for a known data set, and no text cell can run as a formula."""

import csv
import datetime
import io
import zipfile

import pytest
from openpyxl import load_workbook

from exports.csv_zip import data_csv_zip_write
from exports.tables import TABLES, DataScope
from exports.xlsx import data_xlsx_write
from imp_assess.cells import neutralise
from scoring.method import METHOD_VERSION_LABEL
from tests.exports.conftest import HOSTILE_EVIDENCE

pytestmark = pytest.mark.django_db

EXPECTED_ROWS = {
    "missions": 2,
    "periods": 2,
    "dimensions": 2,
    "indicators": 3,
    "answers": 12,
    "targets": 8,
    "index": 4,
    "dimension_scores": 8,
    "indicator_scores": 12,
    "coherence_scores": 12,
    "actions": 0,  # tests/actions/test_exports.py fills and reads this sheet
}


def _xlsx_tables(path) -> dict[str, list[tuple]]:
    workbook = load_workbook(path, read_only=True)
    tables = {}
    for sheet in workbook.worksheets:
        rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
        # Write-only sheets store no empty trailing cells: pad to the widest row.
        width = max(len(row) for row in rows)
        tables[sheet.title] = [row + (None,) * (width - len(row)) for row in rows]
        formulas = [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
        assert not formulas, f"formula cells in {sheet.title}"
    workbook.close()
    return tables


def _csv_tables(path) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name.removesuffix(".csv"): list(
                csv.reader(io.TextIOWrapper(archive.open(name), encoding="utf-8", newline=""))
            )
            for name in archive.namelist()
        }


@pytest.fixture
def workbook(known_data, tmp_path):
    path = tmp_path / "data.xlsx"
    counts = data_xlsx_write(path=path, scope=DataScope())
    return counts, _xlsx_tables(path)


@pytest.fixture
def archive(known_data, tmp_path):
    path = tmp_path / "data.zip"
    counts = data_csv_zip_write(path=path, scope=DataScope())
    return counts, _csv_tables(path)


def test_neutralise_prefixes_formula_triggers_and_leaves_numbers_alone():
    for text in [*HOSTILE_EVIDENCE, "-", "=", "@"]:
        assert neutralise(text) == "'" + text
    for value in ["plain", "a = b", "1-2", "", -3, -2.5, 0, True, None]:
        assert neutralise(value) == value


def test_xlsx_has_a_readme_and_one_sheet_per_table_with_headers_and_row_counts(workbook):
    counts, tables = workbook
    assert list(tables) == ["README", *(table.name for table in TABLES)]
    assert counts == EXPECTED_ROWS
    for table in TABLES:
        header, *rows = tables[table.name]
        assert list(header) == table.headers, table.name
        assert len(rows) == EXPECTED_ROWS[table.name], table.name


def test_xlsx_readme_names_the_method_version_and_describes_every_column(workbook):
    _counts, tables = workbook
    readme = tables["README"]
    flat = [value for row in readme for value in row if value is not None]
    assert METHOD_VERSION_LABEL in flat
    assert "UN CONFIDENTIAL" in flat
    described = {(row[0], row[1]) for row in readme if row[0] and row[1]}
    for table in TABLES:
        for column in table.headers:
            assert (table.name, column) in described


def test_xlsx_answers_are_in_long_format_with_steps_as_numbers(workbook, known_data):
    _counts, tables = workbook
    header, *rows = tables["answers"]
    assert header == (
        "mission",
        "quarter",
        "component",
        "dimension",
        "indicator",
        "answer",
        "evidence",
        "barriers_enablers",
    )
    by_key = {(r[0], r[1], r[4]): r for r in rows}
    current = known_data.current_period.label
    previous = known_data.previous_period.label
    assert by_key[("MSN-A", current, "LEAD-01")][2:] == (
        "political",
        "LEAD",
        "LEAD-01",
        4,
        "'-2+3",
        "LEAD-E-RETREAT",
    )
    assert by_key[("MSN-A", current, "LEAD-02")][5] == "N/A"
    assert by_key[("MSN-B", previous, "LEAD-02")][5] == "DK"
    assert by_key[("MSN-A", previous, "LEAD-01")][5] == 2
    # Mission, then quarter, then component, then questionnaire order.
    assert [(r[0], r[1]) for r in rows] == sorted((r[0], r[1]) for r in rows)


def test_every_hostile_text_is_neutralised_in_the_xlsx(workbook):
    _counts, tables = workbook
    # XML turns a stored carriage return into a line feed when read; the quote stays first.
    evidence = {row[6].replace("\r", "\n") for row in tables["answers"][1:] if row[6]}
    for text in HOSTILE_EVIDENCE:
        assert "'" + text.replace("\r", "\n") in evidence
        assert text.replace("\r", "\n") not in evidence
    assert "Plain evidence, with a - inside." in evidence


def test_negative_numbers_stay_numbers(workbook):
    _counts, tables = workbook
    header, *rows = tables["dimension_scores"]
    gaps = [row[header.index("gap")] for row in rows]
    assert all(isinstance(gap, int | float) for gap in gaps if gap is not None)
    assert any(gap < 0 for gap in gaps if gap is not None), "the data set has an over-integration"


def test_index_sheet_has_one_row_per_assessment_with_status_and_score(workbook, known_data):
    _counts, tables = workbook
    header, *rows = tables["index"]
    row = next(r for r in rows if r[0] == "MSN-A" and r[1] == known_data.current_period.label)
    record = dict(zip(header, row, strict=True))
    assert record["questionnaire"] == "TEST"
    # The method that scored it: 2, as the current one (3) cannot read the test questionnaire.
    assert record["method_version"] == "imp-score-2.0"
    assert 0 <= record["index"] <= 100
    assert record["status"] == "open"


def _same_cell(csv_text: str, value) -> bool:
    """A CSV cell and the workbook's cell hold the same value."""
    if value is None:
        return csv_text == ""
    if isinstance(value, bool):
        return csv_text == ("TRUE" if value else "FALSE")
    if isinstance(value, int | float):
        return float(csv_text) == float(value)
    if isinstance(value, datetime.datetime):
        return csv_text == value.date().isoformat()
    # XML reads a stored carriage return back as a line feed.
    return csv_text.replace("\r", "\n") == value.replace("\r", "\n")


def test_csv_archive_holds_the_same_tables_as_the_workbook(workbook, archive):
    _xlsx_counts, xlsx = workbook
    csv_counts, tables = archive
    assert csv_counts == EXPECTED_ROWS
    assert set(tables) == {"README", *(table.name for table in TABLES)}
    for table in TABLES:
        csv_rows, xlsx_rows = tables[table.name], xlsx[table.name]
        assert len(csv_rows) == len(xlsx_rows), table.name
        for csv_row, xlsx_row in zip(csv_rows, xlsx_rows, strict=True):
            assert len(csv_row) == len(xlsx_row), table.name
            assert all(map(_same_cell, csv_row, xlsx_row)), (table.name, csv_row, xlsx_row)


def test_every_hostile_text_is_neutralised_in_the_csv(archive):
    _counts, tables = archive
    evidence = {row[6] for row in tables["answers"][1:]}
    for text in HOSTILE_EVIDENCE:
        assert "'" + text in evidence
        assert text not in evidence
    every_cell = [cell for rows in tables.values() for row in rows for cell in row]
    assert not [cell for cell in every_cell if cell.startswith(("=", "+", "@", "\t", "\r", "{="))]


def test_scope_limits_every_mission_table_to_the_chosen_missions(known_data, tmp_path):
    path = tmp_path / "a.zip"
    counts = data_csv_zip_write(path=path, scope=DataScope((known_data.personas.mission_a.pk,)))
    assert counts["missions"] == 1
    assert counts["answers"] == 6
    assert counts["index"] == 2
    tables = _csv_tables(path)
    mission_columns = [
        row[0]
        for name in ("answers", "targets", "index", "dimension_scores")
        for row in tables[name][1:]
    ]
    assert set(mission_columns) == {"MSN-A"}


def test_table_counts_match_the_rows_streamed(known_data):
    scope = DataScope()
    for table in TABLES:
        assert table.count(scope) == sum(1 for _ in table.rows(scope)), table.name


def test_fast_rows_read_back_exactly_as_openpyxls_own_writer(tmp_path):
    from openpyxl import Workbook

    from exports.xlsx import _add_sheet

    rows = [
        ["plain", 1, -2.5, True, False, None, "", 0, 1e-07, 123456789012],
        ["  padded  ", "a & b < c > d", "quote ' \" ", "line\nbreak", "cr\rhere", "ünïcødé ✓"],
        [None, None, "after two empty cells", 3.141592653589793, -0.0],
        ["x" * 2000],
    ]
    paths = {}
    for kind in ("openpyxl", "fast"):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("t") if kind == "openpyxl" else _add_sheet(workbook, "t")
        for row in rows:
            sheet.append(row)
        paths[kind] = tmp_path / f"{kind}.xlsx"
        workbook.save(paths[kind])

    def values(path):
        loaded = load_workbook(path)  # the full (validating) reader, not read-only
        return [[cell.value for cell in row] for row in loaded["t"].iter_rows()]

    fast, reference = values(paths["fast"]), values(paths["openpyxl"])
    # openpyxl's own writer lets XML turn a carriage return into a line feed; ours keeps it.
    assert [[v.replace("\r", "\n") if isinstance(v, str) else v for v in r] for r in fast] == [
        [v.replace("\r", "\n") if isinstance(v, str) else v for v in r] for r in reference
    ]
    assert fast[1][4] == "cr\rhere"
    assert [type(v) for v in fast[0][:5]] == [str, int, float, bool, bool]


def test_openpyxl_keeps_its_own_xml_writer_and_the_fast_row_path():
    """lxml is installed (python-pptx needs it); openpyxl must not switch to it, or the data
    export loses its fast row path (``exports.xlsx``) and takes 2.7 times as long."""
    import openpyxl.xml

    assert openpyxl.xml.LXML is False
