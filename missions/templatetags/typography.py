"""``{{ items|join_clauses }}``: a list joined with "; " in the active language's typography
("\u202f; " in French, ``imp_assess.typography.join_clauses``); items are escaped."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from imp_assess.typography import join_clauses as _join_clauses
from imp_assess.typography import list_separator as _list_separator

register = template.Library()


@register.filter(needs_autoescape=True)
def join_clauses(items: Iterable[Any], autoescape: bool = True) -> SafeString:
    escape = conditional_escape if autoescape else str
    return mark_safe(_join_clauses(escape(item) for item in items))  # noqa: S308 (escaped above)


@register.simple_tag
def list_separator() -> str:
    """``{% list_separator %}``: "; " between the items a template lists ("\u202f; " in French)."""
    return _list_separator()


@register.filter
def grouped(value: Any) -> str:
    """``{{ n|grouped }}``: 12,500 in English, 12 500 (U+202F) in French, for a count a
    person reads (``USE_THOUSAND_SEPARATOR`` is off: ids and years print as they are)."""
    if value is None or value == "":
        return ""
    return number_format(value, force_grouping=True)
