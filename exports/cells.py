"""Cell values that are safe to open in a spreadsheet.

Text typed by mission staff (evidence, highlights, other barriers) ends up in CSV and XLSX
files that analysts open in Excel or LibreOffice. A cell that begins with ``=``, ``+``,
``-``, ``@``, a tab, a carriage return or ``{=`` may be run as a formula there (CSV/formula
injection, OWASP). Such text gets a leading single quote, which spreadsheets show as text
and which a reader can strip. Numbers, booleans, dates and empty values are left alone.
"""

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "{=")
# XML 1.0 cannot hold these control characters; openpyxl refuses them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value):
    """The value, with text that a spreadsheet could read as a formula made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def xml_safe(value):
    """Text without the control characters an XLSX file cannot hold (they become spaces)."""
    if isinstance(value, str) and _XML_ILLEGAL.search(value):
        return _XML_ILLEGAL.sub(" ", value)
    return value
