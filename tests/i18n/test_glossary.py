"""The French glossary (docs/i18n.md, "French glossary") is used consistently: where an English
text of the catalogue or of a questionnaire holds a glossary term, its French holds the term's
rendering, and no French text holds a rendering the glossary rules out."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from imp_assess.messages import (
    DOMAINS,
    catalogue_path,
    questionnaire_files,
    questionnaire_pairs,
)

_PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|\{\{[^}]*\}\}|%[sd]")
# English that holds a glossary word without meaning the term: idioms, and a glossary entry's
# definition, which starts with the term it defines (the French term is the entry's `term`).
_NOT_THE_TERM = re.compile(
    r"\bout of step\b|\bstep into\b|^Humanitarian country team: ", re.IGNORECASE
)


def glossary() -> list[tuple[str, list[str], list[str]]]:
    """(English term, accepted French forms, French forms ruled out) from docs/i18n.md."""
    text = (Path(settings.BASE_DIR) / "docs" / "i18n.md").read_text(encoding="utf-8")
    section = text.split("## French glossary", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("English", "---"):
            continue
        english, french, never = cells

        def forms(cell: str) -> list[str]:
            return [form.strip() for form in cell.split(" / ") if form.strip()]

        rows.append((english, forms(french), forms(never)))
    return rows


def _normal(text: str) -> str:
    return " ".join(text.replace("'", "’").split()).lower()


def _pairs() -> list[tuple[str, str, str]]:
    """(where, English, French) of every catalogue entry and questionnaire text."""
    pairs = []
    for domain in DOMAINS:
        for entry in polib.pofile(str(catalogue_path("fr", domain))):
            english = f"{entry.msgid} {entry.msgid_plural}"
            french = " ".join(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr
            pairs.append((f"{domain}.po {entry.msgid[:60]!r}", english, french))
    for path in questionnaire_files():
        pairs += questionnaire_pairs(path, "fr")
    return pairs


@pytest.fixture(scope="module")
def pairs():
    return _pairs()


def test_the_glossary_is_read_from_the_docs():
    terms = {english: french for english, french, _never in glossary()}
    assert terms["step"] == ["échelon"]
    assert "missions comparables" in terms["peer missions"]
    assert len(terms) >= 30


def test_french_texts_use_the_glossary_renderings(pairs):
    problems = []
    for english_term, french_forms, _never in glossary():
        term = re.compile(rf"\b{re.escape(english_term)}(s|es)?\b", re.IGNORECASE)
        forms = [_normal(form) for form in french_forms]
        for where, english, french in pairs:
            plain = _NOT_THE_TERM.sub(" ", _PLACEHOLDER.sub(" ", english))
            if not english or not term.search(plain):
                continue
            if not any(form in _normal(french) for form in forms):
                problems.append(f"{english_term} -> {french_forms[0]}: {where}: {french[:100]!r}")
    assert not problems, "French off the glossary (docs/i18n.md):\n" + "\n".join(problems)


def test_no_french_text_uses_a_rendering_the_glossary_rules_out(pairs):
    problems = [
        f"{form!r} ({english_term}): {where}"
        for english_term, _forms, never in glossary()
        for form in never
        for where, _english, french in pairs
        if form in french  # case matters: « États Membres » is right, « États membres » not
    ]
    assert not problems, "\n".join(problems)


def test_step_is_echelon_outside_planning_stages(pairs):
    """« étape » only for the stages of a planning process, never for a step of the scale."""
    problems = [
        f"{where}: {french[:120]!r}"
        for where, _english, french in pairs
        for match in re.finditer(r"étapes?\b[^.;]{0,12}", french)
        if re.match(r"étapes?\s*\(?\d", match.group(0)) or "étape basse" in french
    ]
    assert not problems, "\n".join(problems)


def test_every_questionnaire_version_with_french_is_checked(pairs):
    """IMP-CORE v1 has its French too (issue 28): its texts are among those checked here."""
    files = {where.split(".", 1)[0] for where, _english, _french in pairs}
    assert {"imp-core-v1", "imp-core-v2", "imp-core-v3"} <= files
    v1 = [french for where, _english, french in pairs if where.startswith("imp-core-v1.")]
    assert len(v1) == 498
