"""Presentation helpers for the dashboard templates: table cells and links with filters kept."""

import math
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.html import format_html, format_html_join

from dashboards.plotly_css import MAPLIBRE_STYLE_ID
from dashboards.tables import Missing

register = template.Library()


@register.filter
def dash_cell(value):
    """A table cell: missing values as their label (styled hatched), numbers rounded."""
    if isinstance(value, Missing):
        return format_html('<span class="dash-missing">{}</span>', value)
    if isinstance(value, float):
        return _two_places(value)
    return value


@register.simple_tag(takes_context=True)
def dash_row(context, row) -> str:
    """A table row's cells: the first a row header, the others through ``dash_cell``. The same
    markup as the template loop it replaces, in one call per row instead of a loop, an ``if``
    and a filter node per cell (the portfolio's table has 1,600 cells)."""
    if not row:
        return ""
    first, *others = row
    return format_html(
        '<th scope="row">{}</th>{}',
        render_value_in_context(first, context),
        format_html_join(
            "", "<td>{}</td>", ((render_value_in_context(dash_cell(c), context),) for c in others)
        ),
    )


_HUNDREDTH = Decimal("0.01")


def _two_places(value: float) -> str:
    """The string ``floatformat(value, 2)`` gives, without its general-purpose work: a table
    has thousands of cells (the portfolio's spent 50 ms in ``floatformat``). Same rounding
    (``ROUND_HALF_UP`` of the shortest repr), no minus before a zero, the language's decimal
    separator (``number_format`` from 1,000 on); anything unusual goes to ``floatformat``.
    Digits, sign and separator only: nothing to escape."""
    if not math.isfinite(value) or abs(value) >= 1e15:
        return floatformat(value, 2)
    rounded = Decimal(repr(value)).quantize(_HUNDREDTH, ROUND_HALF_UP)
    number = f"{rounded:f}" if rounded else "0.00"
    if abs(rounded) < 1000:  # no thousands separator to place
        return number.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
    return formats.number_format(number, 2, use_l10n=True)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (``None`` removes one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None and value != "":
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def plotly_maplibre_style_id() -> str:
    """The id that stops plotly.js injecting its map library's <style> (dashboards.plotly_css)."""
    return MAPLIBRE_STYLE_ID
