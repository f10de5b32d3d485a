"""Text that is safe in any file the product writes: every CSV, XLSX and PDF.

One home for two rules, used by every writer (the data exports, the dashboards' chart CSVs,
the questionnaire workbook, the PDFs). Pure functions, no Django: any layer may import them.

1. **XML 1.0 characters only** (``xml_safe``). XLSX is XML, and XML 1.0 cannot hold the C0
   control characters (except tab, line feed and carriage return), the surrogates
   U+D800–U+DFFF (a lone one cannot even be encoded as UTF-8) nor U+FFFE and U+FFFF. One such
   character in one evidence note made the whole workbook unreadable. Each becomes U+FFFD, the
   replacement character, so that the reader sees that something was there.
2. **No formulas** (``neutralise``). Text typed by users (evidence, highlights, mission names,
   tag labels) ends up in files analysts open in Excel or LibreOffice, where a cell that starts
   with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or ``{=`` may run as a formula
   (CSV/formula injection, OWASP). The check looks through what a spreadsheet would look
   through: the text is NFKC-normalised (full-width ＝＋－＠ become = + - @) and leading
   whitespace, control and format characters (spaces, no-break spaces, line feeds, zero-width
   spaces, byte-order marks) are skipped first. Such text gets a leading single quote, which
   spreadsheets show as text and a reader can strip. Numbers, booleans, dates and empty values
   are left alone.

Speed: a data export passes millions of cells through ``cell_text``. Most are printable ASCII
(codes, quarter labels, English evidence), for which NFKC changes nothing and the only
characters skipped before a trigger are spaces, and which hold no XML-illegal character: those
take a short path with the same result (``tests/exports/test_cells_fast_path.py`` compares
both paths on random text).
"""

from __future__ import annotations

import re
import unicodedata

FORMULA_TRIGGERS = ("=", "+", "-", "@", "{=")
# Characters a spreadsheet treats as a formula start even before any normalisation.
LEADING_TRIGGERS = ("\t", "\r")
# XML 1.0 (Char production): #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-…].
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"
# Unicode categories skipped before looking for a trigger: separators, controls, format.
_SKIPPED = {"Zs", "Zl", "Zp", "Cc", "Cf"}


def xml_safe(value):
    """Text without the characters XML 1.0 forbids (each becomes U+FFFD); other values as
    they are."""
    if isinstance(value, str) and XML_ILLEGAL.search(value):
        return XML_ILLEGAL.sub(REPLACEMENT, value)
    return value


def _looks_like_formula(text: str) -> bool:
    if text.startswith(LEADING_TRIGGERS):
        return True
    normalised = unicodedata.normalize("NFKC", text)
    start = 0
    while start < len(normalised) and (
        normalised[start].isspace() or unicodedata.category(normalised[start]) in _SKIPPED
    ):
        start += 1
    return normalised.startswith(FORMULA_TRIGGERS, start)


def neutralise(value):
    """The value, with text that a spreadsheet could read as a formula made inert."""
    if isinstance(value, str) and value and _looks_like_formula(value):
        return "'" + value
    return value


def cell_text(value):
    """Both rules: what every text cell of a CSV or XLSX file goes through. The formula check
    comes first, so that it looks through control characters before they are replaced."""
    if isinstance(value, str):
        if value.isascii() and value.isprintable():
            # U+0020–U+007E only: NFKC leaves it as it is, the space is the only character
            # skipped before a trigger, and XML 1.0 allows every one of them.
            if value.lstrip(" ").startswith(FORMULA_TRIGGERS):
                return "'" + value
            return value
        return xml_safe(neutralise(value))
    return value
