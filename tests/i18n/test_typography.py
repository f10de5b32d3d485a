"""French typography (issue #28, docs/i18n.md): a breaking space before : ; ? ! » or after «,
or between the digit groups of 1 000, in a French msgstr or a questionnaire's French text fails
here. `python -m imp_assess.messages typography --fix` fixes the catalogues."""

import pytest

from imp_assess.messages import (
    TRANSLATED,
    main,
    questionnaire_files,
    questionnaire_texts,
    typography_problems,
)
from imp_assess.typography import french_spacing, french_spacing_problems

NBSP, NNBSP = "\u00a0", "\u202f"


def test_french_catalogues_and_questionnaires_use_no_break_spaces():
    problems = typography_problems("fr")
    assert not problems, (
        "run `python -m imp_assess.messages typography --fix` (docs/i18n.md):\n"
        + "\n".join(problems)
    )


def test_french_is_a_translated_language():
    assert "fr" in TRANSLATED


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Statut : ouvert", f"Statut{NBSP}: ouvert"),
        ("Statut: ouvert", "Statut: ouvert"),  # no space at all (a time, a URL) is left alone
        ("Prêt ? Oui ; non !", f"Prêt{NNBSP}? Oui{NNBSP}; non{NNBSP}!"),
        (f"Prêt{NBSP}?", f"Prêt{NNBSP}?"),
        ("« Abandonnée »", f"«{NBSP}Abandonnée{NBSP}»"),
        ("«Abandonnée»", f"«{NBSP}Abandonnée{NBSP}»"),
        ("1 000 et 12 500 000 réponses", f"1{NNBSP}000 et 12{NNBSP}500{NNBSP}000 réponses"),
        ("T3 2026, échelons 2 à 3", "T3 2026, échelons 2 à 3"),
        ("%(value)s %%", f"%(value)s{NBSP}%%"),
        ("de %(n)d %(unit)s", "de %(n)d %(unit)s"),
        ("https://example.org/?a=1", "https://example.org/?a=1"),
    ],
)
def test_french_spacing_puts_the_no_break_spaces_in(typed, expected):
    assert french_spacing(typed) == expected
    assert french_spacing(expected) == expected  # idempotent
    assert not french_spacing_problems(expected)


@pytest.mark.parametrize("typed", ["Statut : x", "Prêt ?", "a ; b", "« x", "x »", "1 000", "45 %%"])
def test_the_check_finds_a_breaking_space(typed):
    assert french_spacing_problems(typed)


def test_typography_command_exits_zero_when_the_french_is_clean(capsys, monkeypatch):
    monkeypatch.setattr("django.setup", lambda: None)
    assert main(["messages", "typography"]) == 0
    assert "0 French typography problem(s)" in capsys.readouterr().out


def test_every_questionnaire_version_has_its_french_checked():
    counts = {path.stem: len(questionnaire_texts(path)) for path in questionnaire_files()}
    assert counts["imp-core-v1"] == 498 and counts["imp-core-v2"] == 570
