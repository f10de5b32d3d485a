"""The classification marking printed on pages and exports, in the active language: the
marking is an official label, so each language has its own configured text
(``CLASSIFICATION_MARKING`` for English, ``CLASSIFICATION_MARKINGS`` for the others)."""

from django.conf import settings
from django.utils.translation import get_language


def classification_marking() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return str(settings.CLASSIFICATION_MARKINGS.get(language, settings.CLASSIFICATION_MARKING))
