"""What requesting, running and clean-up of exports share: file kinds, the error."""

from __future__ import annotations

import logging

from exports.models import ExportKind

logger = logging.getLogger(__name__)

# kind -> (file extension, content type)
EXTENSIONS: dict[str, tuple[str, str]] = {
    ExportKind.SCORECARD: ("pdf", "application/pdf"),
    ExportKind.BRIEFING_PACK: ("pdf", "application/pdf"),
    ExportKind.DATA_XLSX: (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ExportKind.DATA_CSV: ("zip", "application/zip"),
    ExportKind.BRIEFING_DECK: (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}


# Who did it, in the logs, when a management command (``by=None``) asked for an export.
SYSTEM_ACTOR = "system (management command)"


class ExportError(Exception):
    """An export cannot be made; the message is shown to the person who asked for it."""
