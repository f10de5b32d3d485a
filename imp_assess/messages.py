"""The translation catalogues (``locale/<language>/LC_MESSAGES/{django,djangojs}.po``), kept
complete and current with the sources.

``make messages`` (``python -m imp_assess.messages update``) extracts every marked string into
the catalogues and lists what is left to translate; ``python -m imp_assess.messages check``
(and ``tests/i18n/test_catalogue.py`` in ``make test``) fails on an untranslated or fuzzy entry,
or on a catalogue whose msgids differ from a fresh extraction. ``python -m imp_assess.messages
typography`` lists the French texts (catalogues and questionnaire files) whose spacing breaks
the French rules of ``imp_assess.typography``; ``typography --fix`` fixes the catalogues (run it
after merging or translating). Development and test only (polib is a development requirement).
"""

import os
import shutil
import subprocess  # noqa: S404
import sys
import tempfile
from pathlib import Path

import polib
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

from imp_assess.typography import french_spacing, french_spacing_problems

# The languages whose catalogues must be complete (English is the source language).
TRANSLATED = ("fr",)
DOMAINS = ("django", "djangojs")
# Not product code: dependencies, vendored files, tests, tools, build output.
IGNORED = [
    ".venv",
    "venv",
    "node_modules",
    "staticfiles",
    "static/vendor",
    "tests",
    "benchmarks",
    "loadtest",
    "test-artifacts",
    "var",
    "deploy",
]
Key = tuple[str, str, str]  # msgctxt, msgid, msgid_plural


def _root() -> Path:
    return Path(settings.BASE_DIR)


def catalogue_path(language: str, domain: str, locale_dir: Path | None = None) -> Path:
    base = locale_dir or Path(settings.LOCALE_PATHS[0])
    return base / language / "LC_MESSAGES" / f"{domain}.po"


def extract(locale_dir: Path | None = None, languages: tuple[str, ...] = TRANSLATED) -> None:
    """Run makemessages for both domains into ``locale_dir`` (the project's by default),
    merging with the catalogues already there."""
    if locale_dir is None:
        _makemessages(_root(), Path(settings.LOCALE_PATHS[0]), languages, symlinks=False)
        return
    # makemessages writes next to any ``locale`` folder of the tree it walks: walk a copy of
    # the tree made of links to everything but the project's own catalogues.
    with tempfile.TemporaryDirectory() as temporary:
        tree = Path(temporary)
        for entry in _root().iterdir():
            if entry.name not in {"locale", ".git", *IGNORED}:
                (tree / entry.name).symlink_to(entry)
        _makemessages(tree, locale_dir, languages, symlinks=True)


def _makemessages(tree: Path, target: Path, languages: tuple[str, ...], *, symlinks: bool) -> None:
    previous = Path.cwd()
    os.chdir(tree)
    try:
        with override_settings(LOCALE_PATHS=[target]):
            for domain in DOMAINS:
                call_command(
                    "makemessages",
                    locale=list(languages),
                    domain=domain,
                    ignore_patterns=IGNORED,
                    add_location="file",
                    no_obsolete=True,
                    symlinks=symlinks,
                    verbosity=0,
                )
    finally:
        os.chdir(previous)


def _keys(path: Path) -> set[Key]:
    return {
        (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")
        for entry in polib.pofile(str(path))
        if not entry.obsolete
    }


def untranslated(language: str) -> list[str]:
    """Entries of the language's catalogues that are missing, untranslated or fuzzy."""
    problems = []
    for domain in DOMAINS:
        path = catalogue_path(language, domain)
        if not path.exists():
            problems.append(f"{path}: missing")
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            if entry.fuzzy:
                problems.append(f"{domain}.po fuzzy: {entry.msgid!r}")
            elif not entry.translated():
                problems.append(f"{domain}.po untranslated: {entry.msgid!r}")
    return problems


def out_of_date(language: str) -> list[str]:
    """Msgids that a fresh extraction finds and the catalogue lacks, or the reverse."""
    problems = []
    with tempfile.TemporaryDirectory() as temporary:
        fresh_dir = Path(temporary) / "locale"
        fresh_dir.mkdir()
        extract(fresh_dir, languages=(language,))
        for domain in DOMAINS:
            committed_path = catalogue_path(language, domain)
            fresh_path = catalogue_path(language, domain, fresh_dir)
            fresh = _keys(fresh_path) if fresh_path.exists() else set()
            committed = _keys(committed_path) if committed_path.exists() else set()
            problems += [f"{domain}.po lacks {key[1]!r}" for key in sorted(fresh - committed)]
            problems += [
                f"{domain}.po no longer used: {key[1]!r}" for key in sorted(committed - fresh)
            ]
    return problems


def translations(language: str, domain: str = "django") -> dict[str, str]:
    """msgid -> translation of the language's catalogue (singular entries, translated only)."""
    return {
        entry.msgid: entry.msgstr
        for entry in polib.pofile(str(catalogue_path(language, domain)))
        if not entry.obsolete and not entry.fuzzy and entry.msgstr and not entry.msgid_plural
    }


def _msgstrs(entry: polib.POEntry) -> list[str]:
    return [entry.msgstr, *entry.msgstr_plural.values()] if entry.msgid_plural else [entry.msgstr]


def questionnaire_files() -> list[Path]:
    return sorted((_root() / "questionnaires" / "data").glob("*.yaml"))


def questionnaire_texts(path: Path, language: str = "fr") -> list[tuple[str, str]]:
    """(where, text) of every text under a ``translations: <language>:`` of the file."""
    return [(where, text) for where, _english, text in questionnaire_pairs(path, language)]


def questionnaire_pairs(path: Path, language: str = "fr") -> list[tuple[str, str, str]]:
    """(where, English text, translated text) of every text under a ``translations:
    <language>:`` of the file, the English being the item's own field of the same key."""
    found: list[tuple[str, str, str]] = []

    def texts(node: object, english: object, where: str) -> None:
        if isinstance(node, str):
            found.append((where, english if isinstance(english, str) else "", node))
        elif isinstance(node, dict):
            source = english if isinstance(english, dict) else {}
            for key, value in node.items():
                texts(value, source.get(key), f"{where}.{key}")
        elif isinstance(node, list):
            source_list = english if isinstance(english, list) else []
            for index, value in enumerate(node):
                match = source_list[index] if index < len(source_list) else None
                texts(value, match, f"{where}[{index}]")

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "translations" and isinstance(value, dict) and language in value:
                    texts(value[language], node, f"{where}.{language}")
                else:
                    walk(value, f"{where}.{node.get('code', key)}")
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.stem)
    return found


def typography_problems(language: str = "fr") -> list[str]:
    """French texts with a breaking space where a no-break space belongs."""
    problems = []
    for domain in DOMAINS:
        for entry in polib.pofile(str(catalogue_path(language, domain))):
            for text in _msgstrs(entry):
                problems += [
                    f"{domain}.po {entry.msgid[:60]!r}: {place!r}"
                    for place in french_spacing_problems(text)
                ]
    for path in questionnaire_files():
        for where, text in questionnaire_texts(path, language):
            problems += [f"{where}: {place!r}" for place in french_spacing_problems(text)]
    return problems


def typography_fix(language: str = "fr") -> int:
    """Put the no-break spaces into the language's catalogues; the number of entries fixed.
    (The questionnaire files are checked, not rewritten: fix them by hand.)"""
    fixed = 0
    for domain in DOMAINS:
        path = catalogue_path(language, domain)
        catalogue = polib.pofile(str(path), wrapwidth=79)
        changed = False
        for entry in catalogue:
            if entry.msgid_plural:
                spaced = {k: french_spacing(v) for k, v in entry.msgstr_plural.items()}
                if spaced != entry.msgstr_plural:
                    entry.msgstr_plural, changed, fixed = spaced, True, fixed + 1
            elif french_spacing(entry.msgstr) != entry.msgstr:
                entry.msgstr, changed, fixed = french_spacing(entry.msgstr), True, fixed + 1
        if changed:
            catalogue.save()
            if shutil.which("msgcat"):  # gettext's own line wrapping, as makemessages writes it
                subprocess.run(["msgcat", str(path), "-o", str(path)], check=True)  # noqa: S603,S607
    return fixed


def main(argv: list[str]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imp_assess.settings")
    django.setup()
    command = argv[1] if len(argv) > 1 else "check"
    if command == "typography":
        if "--fix" in argv:
            print(f"{typography_fix('fr')} French entries given their no-break spaces")
        spacing = typography_problems("fr")
        for problem in spacing:
            print(problem)
        print(f"{len(spacing)} French typography problem(s)")
        return 1 if spacing else 0
    if command == "update":
        extract()
    problems = [p for language in TRANSLATED for p in untranslated(language)]
    if command == "check":
        problems += [p for language in TRANSLATED for p in out_of_date(language)]
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in the catalogues of {', '.join(TRANSLATED)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
