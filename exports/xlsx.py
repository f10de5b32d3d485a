"""The data export as one XLSX workbook, written by openpyxl in write-only (streaming) mode.

Rows go straight from the database cursor to the sheet's temporary file, so memory stays
flat however many answers there are.
Every text cell passes through ``imp_assess.cells.cell_text`` (no XML-illegal character, no
formula).

Speed: without lxml, openpyxl builds and serialises an ElementTree element for every cell,
about 15 µs each, which makes 900,000 answers × 8 columns take two minutes. Sheets here
are ``PlainRowsWorksheet``: openpyxl's write-only sheet, in which a row of plain values
(text, numbers, booleans, empty) is serialised with string formatting into the same XML
openpyxl writes (inline strings, ``t="n"``/``t="b"`` values); any other row (styled header
cells, dates) takes openpyxl's own path. Everything else (styles, workbook parts, the ZIP
container) is openpyxl's. The tests read the files back with openpyxl.
"""

from __future__ import annotations

import datetime
import math
from pathlib import Path

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.progress import Progress
from exports.tables import TABLES, DataScope, readme_lines
from imp_assess.cells import cell_text
from imp_assess.marking import classification_marking
from scoring.flags import FLAG_STYLES

BATCH = 2000
_PLAIN = (str, int, float, bool, type(None))


class Styled(str):
    """Text written with a registered cell style (``style_id``): the flag cells."""

    __slots__ = ("style_id",)
    style_id: int

    def __new__(cls, text: str, style_id: int):
        value = super().__new__(cls, text)
        value.style_id = style_id
        return value


_FAST = (*_PLAIN, Styled)
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


class PlainRowsWorksheet(WriteOnlyWorksheet):
    """A write-only worksheet with a fast path for rows of plain values (see module doc)."""

    def _write_rows(self):
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        raw = getattr(xf, "_file", None)  # et_xmlfile's writer; lxml's has no raw path
        letters: list[str] = []
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    if raw is not None and all(value.__class__ in _FAST for value in row):
                        if len(row) > len(letters):
                            letters = [get_column_letter(i) for i in range(1, len(row) + 1)]
                        raw(_row_xml(row, row_idx, letters))
                    else:
                        row = [_styled_cell(self, v) if v.__class__ is Styled else v for v in row]
                        cells = self._values_to_row(row, row_idx)
                        self._writer.write_row(xf, cells, row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


def _row_xml(row, row_idx: int, letters: list[str]) -> str:
    parts = [f'<row r="{row_idx}">']
    append = parts.append
    for letter, value in zip(letters, row, strict=False):
        cls = value.__class__
        if value is None:
            continue
        if cls is str or cls is Styled:
            if not value:
                continue
            text = value.translate(_ESCAPES)
            space = ' xml:space="preserve"' if value != value.strip() else ""
            style = f' s="{value.style_id}"' if cls is Styled else ""
            append(
                f'<c r="{letter}{row_idx}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'
            )
        elif cls is bool:
            append(f'<c r="{letter}{row_idx}" t="b"><v>{int(value)}</v></c>')
        elif cls is float and not math.isfinite(value):
            continue  # Excel has no NaN or infinity: an empty cell, as for a missing score
        else:
            append(f'<c r="{letter}{row_idx}" t="n"><v>{value!r}</v></c>')
    append("</row>")
    return "".join(parts)


def _styled_cell(sheet, value: Styled) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=str(value))
    cell._style = sheet.parent._cell_styles[value.style_id].__copy__()  # noqa: SLF001
    return cell


def flag_style_ids(sheet) -> dict[str, int]:
    """Register a fill and text colour per flag key (from the one colour module) in the
    workbook; returns the style id of each, for ``Styled`` cells."""
    ids = {}
    for key, style in FLAG_STYLES.items():
        cell = WriteOnlyCell(sheet, value=key)
        cell.fill = PatternFill("solid", start_color=style.argb, end_color=style.argb)
        cell.font = Font(color="FF" + style.text_colour.lstrip("#").upper())
        ids[key] = cell.style_id
    return ids


def _add_sheet(workbook: Workbook, title: str) -> PlainRowsWorksheet:
    sheet = PlainRowsWorksheet(parent=workbook, title=title)
    workbook._add_sheet(sheet)  # noqa: SLF001 (what Workbook.create_sheet does in write-only)
    return sheet


def _safe(value):
    return cell_text(value) if value.__class__ is str else value


def _header(sheet, names) -> list[WriteOnlyCell]:
    bold = Font(bold=True)
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=_safe(name))
        cell.font = bold
        cells.append(cell)
    return cells


def data_xlsx_write(
    *,
    path: Path,
    scope: DataScope,
    progress: Progress | None = None,
    generated_at: datetime.datetime | None = None,
) -> dict[str, int]:
    """Write the workbook to ``path``; returns the number of data rows per sheet."""
    generated_at = generated_at or timezone.now()
    workbook = Workbook(write_only=True)
    readme = _add_sheet(workbook, "README")
    readme.column_dimensions["A"].width = 22
    readme.column_dimensions["B"].width = 28
    readme.column_dimensions["C"].width = 90
    for line in readme_lines(
        scope=scope, generated_at=generated_at, marking=classification_marking()
    ):
        readme.append([_safe(value) for value in line])

    counts: dict[str, int] = {}
    for table in TABLES:
        sheet = _add_sheet(workbook, table.name)
        sheet.freeze_panes = "A2"
        sheet.append(_header(sheet, table.headers))
        written = 0
        append = sheet.append
        flags = [i for i, column in enumerate(table.columns) if column.flag]
        style_ids = flag_style_ids(sheet) if flags else {}
        for row in table.rows(scope):
            values = [cell_text(value) if value.__class__ is str else value for value in row]
            for i in flags:
                if values[i] in style_ids:
                    values[i] = Styled(values[i], style_ids[values[i]])
            append(values)
            written += 1
            if progress is not None and written % BATCH == 0:
                progress.advance(BATCH)
        if progress is not None:
            progress.advance(written % BATCH)
        counts[table.name] = written
    workbook.save(path)
    return counts
