"""Questionnaire texts in the reader's language: the one rule every page, export and API uses.

A questionnaire's main texts are written in English (``SOURCE_LANGUAGE``, also the language of
the report's quotes). Each stored item keeps its other languages in a ``translations`` JSON
field keyed by language, then by model field name:
``{"fr": {"statement": "…", "rubric_1": "…"}}``. ``text_in`` picks the text of the active
language (``fr-ca`` falls back to ``fr``), and English when no translation exists, so a version
that is not bilingual (IMP-CORE v1) reads in English everywhere.
"""

from typing import Any

from django.utils.translation import get_language

SOURCE_LANGUAGE = "en"

# Readable names for the loader's messages ("missing French text"); others print their code.
LANGUAGE_NAMES = {"en": "English", "fr": "French", "es": "Spanish", "ar": "Arabic"}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def _candidates(language: str) -> list[str]:
    language = language.lower().replace("_", "-")
    base = language.split("-")[0]
    return [language] if base == language else [language, base]


def text_in(
    translations: dict[str, Any] | None, field: str, source: str, language: str | None = None
) -> str:
    """``field``'s text in ``language`` (default: the active language), else ``source``."""
    language = language or get_language() or SOURCE_LANGUAGE
    for code in _candidates(language):
        if code == SOURCE_LANGUAGE:
            return source
        text = ((translations or {}).get(code) or {}).get(field)
        if text:
            return str(text)
    return source
