"""CSV for tools that read a URL directly (Power Query, Power BI): ``?format=csv`` or
``Accept: text/csv``. One header row, then the page's rows; the link to the next page is in
the ``Link`` header. Cells are written as in the data export (``exports.csv_zip.csv_cell``:
TRUE/FALSE, no formula, no XML-illegal character)."""

import csv
import io
from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import BaseRenderer

from exports.csv_zip import csv_cell


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        view = (renderer_context or {}).get("view")
        header = list(getattr(view, "csv_header", None) or [])
        rows: list[dict[str, Any]]
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        elif isinstance(data, dict):
            rows = [data]  # an error, or one object: its fields as one row
        else:
            rows = []
        if not header:
            header = list(rows[0]) if rows else []
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([csv_cell(name) for name in header])
        for row in rows:
            writer.writerow([csv_cell(_flat(row.get(name))) for name in header])
        return buffer.getvalue().encode(self.charset)


def _flat(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    return value
