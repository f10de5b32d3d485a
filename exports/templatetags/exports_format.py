"""Number formats of the PDF exports."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def signed(value, digits: int = 1) -> str:
    """+1.2 / −0.5 / 0.0: the sign always shown (a typographic minus)."""
    if value is None:
        return "—"
    rounded = round(float(value), int(digits))
    text = number_format(abs(rounded), int(digits))
    if rounded > 0:
        return f"+{text}"
    if rounded < 0:
        return f"\u2212{text}"
    return text


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return _("%(value)s %%") % {"value": round(float(value) * 100)}
