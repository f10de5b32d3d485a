"""A count shown to people goes through ngettext / {% blocktranslate count %} (French uses
the singular for 0 and 1: the catalogue's Plural-Forms says so). A catalogue entry that puts a
count placeholder before a noun ("%(n)d missions") without a plural form fails here."""

import re

import polib
import pytest

from imp_assess.messages import DOMAINS, TRANSLATED, catalogue_path

# A count placeholder followed by the noun it counts: "%(n)d missions", "{{ n }} indicators".
_COUNTED = re.compile(r"(%\((?:n|count|counter|copied|changed)\)[ds]|%d)\s+(?:more\s+)?[a-z]{3,}")
# Bounds, not counts of things shown (always several): "at most %(n)d characters",
# "the last %(n)d quarters", "fewer than %(k)d missions".
_BOUND = re.compile(r"(at most|limited to|last|within|fewer than|from)\s+$", re.IGNORECASE)
# Units and words that are not counted nouns.
_NOT_A_NOUN = {"days", "characters", "points", "of", "and", "or", "to"}


def count_strings_without_plural(entries) -> list[str]:
    found = []
    for entry in entries:
        if entry.msgid_plural or entry.obsolete:
            continue
        for match in _COUNTED.finditer(entry.msgid):
            noun = match.group(0).split()[-1]
            if noun in _NOT_A_NOUN or _BOUND.search(entry.msgid[: match.start()]):
                continue
            found.append(entry.msgid)
            break
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_count_string_has_a_plural_form(language):
    problems = [
        f"{domain}.po: {msgid!r}"
        for domain in DOMAINS
        for msgid in count_strings_without_plural(
            polib.pofile(str(catalogue_path(language, domain)))
        )
    ]
    assert not problems, "use ngettext / blocktranslate count (docs/i18n.md):\n" + "\n".join(
        problems
    )


def test_french_uses_the_singular_for_zero_and_one():
    header = polib.pofile(str(catalogue_path("fr", "django"))).metadata["Plural-Forms"]
    assert "plural=(n > 1)" in header


def test_the_check_finds_a_count_without_plural():
    entries = [
        polib.POEntry(msgid="%(n)d answers copied."),
        polib.POEntry(msgid="%(count)d notification(s) marked as read."),
        polib.POEntry(msgid="%(n)d more actions in the application."),
        polib.POEntry(msgid="%(n)d mission", msgid_plural="%(n)d missions"),
        polib.POEntry(msgid="At most %(n)d characters."),
        polib.POEntry(msgid="Over the last %(n)d quarters"),
    ]
    assert count_strings_without_plural(entries) == [
        "%(n)d answers copied.",
        "%(count)d notification(s) marked as read.",
        "%(n)d more actions in the application.",
    ]
