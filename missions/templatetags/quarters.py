"""``{{ period|quarter }}``: a quarter as people read it in the active language (``T3 2026``
in French), from a Period, any value with ``year`` and ``quarter``, or a code like ``2026-Q3``.
Use the code itself (``period.label``) in URLs, form values and file names."""

from django import template

from missions.periods import quarter_display, quarter_display_of

register = template.Library()


@register.filter
def quarter(value: object) -> str:
    if value is None or value == "":
        return ""
    year, number = getattr(value, "year", None), getattr(value, "quarter", None)
    if isinstance(year, int) and isinstance(number, int):
        return quarter_display(year, number)
    return quarter_display_of(str(value))
