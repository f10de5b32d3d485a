"""The translation catalogues (``locale/<language>/LC_MESSAGES/{django,djangojs}.po``), kept
complete and current with the sources.

``make messages`` (``python -m imp_assess.messages update``) extracts every marked string into
the catalogues and lists what is left to translate; ``python -m imp_assess.messages check``
(and ``tests/i18n/test_catalogue.py`` in ``make test``) fails on an untranslated or fuzzy entry,
or on a catalogue whose msgids differ from a fresh extraction. Development and test only
(polib is a development requirement).
"""

import os
import sys
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

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


def main(argv: list[str]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imp_assess.settings")
    django.setup()
    command = argv[1] if len(argv) > 1 else "check"
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
