"""French typography of translated texts, as the UN's French services write it: a no-break
space (U+00A0) before ":" and inside « », a narrow no-break space (U+202F) before ";", "?",
"!" and as the thousands separator (1 000).

Pure functions over strings, so the same rules check (tests/i18n/test_typography.py) and fix
(``python -m imp_assess.messages typography --fix``) the catalogues and the questionnaires'
French texts.

``join_clauses`` and ``labelled`` put lists and "label: value" pairs that code assembles (not a
translator) into the active language's typography: "a; b" and "Answers: x" in English,
"a\u202f; b" and "Réponses\u00a0: x" in French. Code joins clauses with them, never with
``"; ".join`` or ``f"{label}: {value}"``, when the text is shown to people.
"""

import re
from collections.abc import Iterable

from django.utils.translation import get_language, pgettext

NO_BREAK_SPACE = "\u00a0"
NARROW_NO_BREAK_SPACE = "\u202f"
# Breaking whitespace (an ordinary space, a tab, a line break) or a no-break space of the
# wrong width, before a French high punctuation mark, or after « / before ».
_BEFORE_COLON = re.compile(r"[ \t\n\u202f]+:")
_BEFORE_HIGH = re.compile(r"[ \t\n\u00a0]+([;?!])")
_AFTER_OPEN_QUOTE = re.compile(r"«[ \t\n\u00a0\u202f]*")
_BEFORE_CLOSE_QUOTE = re.compile(r"[ \t\n\u00a0\u202f]*»")
# 45 %: a percent sign (``%%`` in a format string), not a placeholder such as ``%(n)d``.
_BEFORE_PERCENT = re.compile(r"(?<=[\d)s]) (%%|%(?![(sd]))")
# 1 000 or 12 500 written with an ordinary or a no-break space between digit groups.
_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})[ \u00a0](?=\d{3}(?!\d))")
# What the check reports: a breaking space where a no-break one belongs.
_PROBLEM = re.compile(
    r"[ \t\n][:;?!»]|«[ \t\n]|(?<![\d.,])\d{1,3} \d{3}(?!\d)|(?<=[\d)s]) (%%|%(?![(sd]))"
)


def french_spacing(text: str) -> str:
    """The text with the French no-break spaces in place (idempotent)."""
    text = _BEFORE_COLON.sub(NO_BREAK_SPACE + ":", text)
    text = _BEFORE_HIGH.sub(NARROW_NO_BREAK_SPACE + r"\1", text)
    text = _AFTER_OPEN_QUOTE.sub("«" + NO_BREAK_SPACE, text)
    text = _BEFORE_CLOSE_QUOTE.sub(NO_BREAK_SPACE + "»", text)
    text = _BEFORE_PERCENT.sub(NO_BREAK_SPACE + r"\1", text)
    previous = None
    while previous != text:  # 1 000 000: groups overlap
        previous = text
        text = _THOUSANDS.sub(r"\1" + NARROW_NO_BREAK_SPACE, text)
    return text


def french_spacing_problems(text: str) -> list[str]:
    """The places (a few characters around each) where a breaking space stands before
    : ; ? ! » or after «, or between digit groups."""
    return [
        text[max(0, match.start() - 12) : match.end() + 12] for match in _PROBLEM.finditer(text)
    ]


def list_separator(language: str | None = None) -> str:
    """What separates the clauses of a list: "; ", and "\u202f; " in French."""
    language = language or get_language() or ""
    return f"{NARROW_NO_BREAK_SPACE}; " if language.startswith("fr") else "; "


def join_clauses(parts: Iterable[object], language: str | None = None) -> str:
    """``"a; b"`` in the active language's typography (``"a\u202f; b"`` in French)."""
    return list_separator(language).join(str(part) for part in parts)


def labelled(label: object, value: object) -> str:
    """``"label: value"``, ``"label\u00a0: value"`` in French (the catalogue's label suffix)."""
    return pgettext("label suffix", "%(label)s: %(value)s") % {"label": label, "value": value}
