"""French typography of translated texts, as the UN's French services write it: a no-break
space (U+00A0) before ":" and inside « », a narrow no-break space (U+202F) before ";", "?",
"!" and as the thousands separator (1 000).

Pure functions over strings, so the same rules check (tests/i18n/test_typography.py) and fix
(``python -m imp_assess.messages typography --fix``) the catalogues and the questionnaires'
French texts.
"""

import re

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
