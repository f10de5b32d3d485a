"""Exports survive any text a user can type: no XML-illegal character in any file, and no
text cell that a spreadsheet could run as a formula, in every CSV and XLSX the product writes."""

import contextlib
import csv
import dataclasses
import io
import zipfile

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.models import Answer, Assessment
from exports import csv_zip, pdf, rows, xlsx
from exports.csv_zip import data_csv_zip_write
from exports.tables import TABLES, DataScope
from exports.xlsx import data_xlsx_write
from imp_assess.cells import REPLACEMENT, XML_ILLEGAL, cell_text, neutralise, xml_safe
from missions.models import Mission
from tests.dashboards.test_disclosure import TINY_SVG

# Every code point XML 1.0 forbids. A lone surrogate cannot even be encoded as UTF-8 and
# PostgreSQL refuses NUL, so no database column holds those: the writers get them directly.
ILLEGAL_CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
SURROGATES = "".join(chr(c) for c in (0xD800, 0xDBFF, 0xDC00, 0xDFFF))
EVERY_ILLEGAL = ILLEGAL_CONTROLS + "\ufffe\uffff" + SURROGATES
STORABLE_ILLEGAL = (
    ILLEGAL_CONTROLS + "\ufffe\uffff"
    if connection.vendor != "postgresql"
    else ILLEGAL_CONTROLS[1:] + "\ufffe\uffff"
)

FORMULAS = [
    "=1+1",
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(1)",
    "{=A1}",
    "\tleading tab",
    "\rleading carriage return",
    " =1+1",
    "   +1",
    '\u00a0=HYPERLINK("http://example.invalid")',
    "\n=1+1",
    "\r\n@cmd",
    "\u200b=1",
    "\ufeff=1",
    "\u3000=1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(1)",
    " ＝1",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_every_way_of_starting_a_formula_is_neutralised(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["plain", "a = b", "1-2", "", " plain", -3, -2.5, 0, True, None])
def test_plain_text_and_numbers_are_left_alone(value):
    assert neutralise(value) == value


def test_every_xml_illegal_code_point_is_replaced_and_nothing_else():
    assert xml_safe(EVERY_ILLEGAL) == REPLACEMENT * len(EVERY_ILLEGAL)
    legal = "tab\tline\nreturn\r é ✓ \ud7ff\ue000\ufffd \U0001f600"
    assert xml_safe(legal) == legal
    for code in range(0x110000):
        char = chr(code)
        legal_char = (
            code in (0x9, 0xA, 0xD)
            or 0x20 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD
            or code >= 0x10000
        )
        assert bool(XML_ILLEGAL.match(char)) is not legal_char, hex(code)


def test_cell_text_cleans_then_neutralises():
    assert cell_text("\x00=1") == "'" + REPLACEMENT + "=1"
    assert cell_text("\uffff") == REPLACEMENT
    assert cell_text(3.5) == 3.5


@pytest.fixture
def poisoned(known_data):
    """One evidence note made of every storable XML-illegal code point, one with a formula
    behind invisible characters, and a mission named like a formula."""
    answers = Answer.objects.filter(
        response__assessment=known_data.assessment("A", "current")
    ).order_by("pk")
    first, second = answers[:2]
    Answer.objects.filter(pk=first.pk).update(evidence="note " + STORABLE_ILLEGAL + " end")
    Answer.objects.filter(pk=second.pk).update(evidence="\u00a0\n＝HYPERLINK(1)")
    Mission.objects.filter(pk=known_data.personas.mission_b.pk).update(name="-2+3 Mission")
    return known_data


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _no_formula_anywhere(cells):
    """Text cells that a spreadsheet could run (a CSV's numbers are text too: not those)."""
    return [
        c
        for c in cells
        if isinstance(c, str)
        and c
        and not c.startswith("'")
        and not _is_number(c)
        and neutralise(c) != c
    ]


def test_an_xlsx_with_every_illegal_character_opens_in_openpyxl(poisoned, tmp_path):
    path = tmp_path / "data.xlsx"
    data_xlsx_write(path=path, scope=DataScope())
    workbook = load_workbook(path)  # raised on U+FFFF before
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    assert "note " + REPLACEMENT * len(STORABLE_ILLEGAL) + " end" in values
    assert "'\u00a0\n＝HYPERLINK(1)" in values
    assert "'-2+3 Mission" in values
    assert not _no_formula_anywhere(values)
    assert not [v for v in values if isinstance(v, str) and XML_ILLEGAL.search(v)]


def test_a_lone_surrogate_reaches_neither_the_xlsx_nor_the_csv(known_data, tmp_path, monkeypatch):
    original = rows.mission_rows

    def with_surrogates(scope):
        for code, name, *rest in original(scope):
            yield (code, name + EVERY_ILLEGAL, *rest)

    missions_only = (dataclasses.replace(TABLES[0], rows=with_surrogates),)
    monkeypatch.setattr(xlsx, "TABLES", missions_only)
    monkeypatch.setattr(csv_zip, "TABLES", missions_only)
    xlsx_path, zip_path = tmp_path / "data.xlsx", tmp_path / "data.zip"
    data_xlsx_write(path=xlsx_path, scope=DataScope())
    data_csv_zip_write(path=zip_path, scope=DataScope())
    names = [row[1] for row in load_workbook(xlsx_path)["missions"].iter_rows(values_only=True)]
    assert "Mission A" + REPLACEMENT * len(EVERY_ILLEGAL) in names
    with zipfile.ZipFile(zip_path) as archive:
        text = archive.read("missions.csv").decode("utf-8")  # valid UTF-8 throughout
    assert "Mission A" + REPLACEMENT * len(EVERY_ILLEGAL) in text


def test_the_csv_archive_holds_no_illegal_character_and_no_formula(poisoned, tmp_path):
    path = tmp_path / "data.zip"
    data_csv_zip_write(path=path, scope=DataScope())
    with zipfile.ZipFile(path) as archive:
        cells = [
            cell
            for name in archive.namelist()
            for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8"), newline=""))
            for cell in row
        ]
    assert "'\u00a0\n＝HYPERLINK(1)" in cells
    assert "'-2+3 Mission" in cells
    assert not _no_formula_anywhere(cells)
    assert not [c for c in cells if XML_ILLEGAL.search(c)]


def test_dashboard_chart_csvs_are_neutralised(client, poisoned):
    personas = poisoned.personas
    Mission.objects.filter(pk=personas.mission_b.pk).update(code="=B1")
    client.force_login(personas.analyst)
    url = reverse("dashboards:portfolio") + "?format=csv&chart=heatmap"
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode())))
    labels = [row[0] for row in rows[1:]]
    assert "'=B1" in labels
    assert not _no_formula_anywhere([cell for row in rows for cell in row])


def test_a_scorecard_pdf_survives_every_illegal_character(poisoned, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "figure_svg_later", lambda figure, *, width, height: TINY_SVG)
    monkeypatch.setattr(pdf, "figure_batch", contextlib.nullcontext)
    Assessment.objects.filter(pk=poisoned.assessment("A", "current").pk).update(
        highlights="Before " + STORABLE_ILLEGAL + " after"
    )
    path = tmp_path / "card.pdf"
    pdf.scorecard_pdf_write(
        path=path,
        user=poisoned.personas.analyst,
        mission_id=poisoned.personas.mission_a.pk,
        period_id=poisoned.current_period.pk,
    )
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Before" in text and "after" in text
