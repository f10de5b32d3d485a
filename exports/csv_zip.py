"""The data export as a ZIP archive of CSV files, one per table, streamed into the archive.

Each CSV is UTF-8 (no byte-order mark), comma-separated, with a header row; booleans are
written TRUE/FALSE as in the workbook.
Every text cell passes through ``imp_assess.cells.cell_text`` (no XML-illegal character, no
formula).
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from pathlib import Path

from django.utils import timezone

from exports.progress import Progress
from exports.tables import TABLES, DataScope, readme_lines
from imp_assess.cells import cell_text
from imp_assess.marking import classification_marking

BATCH = 5000


def csv_cell(value):
    """A value as every CSV of the product writes it (the data export and the API)."""
    cls = value.__class__
    if cls is str:
        return cell_text(value)
    if cls is bool:
        return "TRUE" if value else "FALSE"
    return value


# Short texts (codes, quarter labels, components, tag lists) repeat on most of a table's
# million rows: each is made safe once per file and then looked up.
REMEMBERED_LENGTH = 64


def _write_csv(archive: zipfile.ZipFile, name: str, header, rows, progress) -> int:
    written = 0
    safe: dict[str, str] = {}
    known = safe.get

    def remember(value: str) -> str:
        cell = cell_text(value)
        if len(value) <= REMEMBERED_LENGTH:
            safe[value] = cell
        return cell

    with (
        archive.open(name, "w", force_zip64=True) as raw,
        io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
    ):
        writer = csv.writer(text)
        writer.writerow([csv_cell(value) for value in header])
        for row in rows:
            # csv_cell, written out: one function call less per cell of a million rows.
            writer.writerow(
                [
                    (known(value) or remember(value))
                    if value.__class__ is str
                    else (("TRUE" if value else "FALSE") if value.__class__ is bool else value)
                    for value in row
                ]
            )
            written += 1
            if progress is not None and written % BATCH == 0:
                progress.advance(BATCH)
    if progress is not None:
        progress.advance(written % BATCH)
    return written


def data_csv_zip_write(
    *,
    path: Path,
    scope: DataScope,
    progress: Progress | None = None,
    generated_at: datetime.datetime | None = None,
) -> dict[str, int]:
    """Write the archive to ``path``; returns the number of data rows per CSV file."""
    generated_at = generated_at or timezone.now()
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        lines = readme_lines(
            scope=scope, generated_at=generated_at, marking=classification_marking()
        )
        _write_csv(archive, "README.csv", ("item", "value", "meaning"), lines, None)
        for table in TABLES:
            counts[table.name] = _write_csv(
                archive, f"{table.name}.csv", table.headers, table.rows(scope), progress
            )
    return counts
