"""Presentation helpers for the dashboard templates: table cells and links with filters kept."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html

from dashboards.plotly_css import MAPLIBRE_STYLE_ID
from dashboards.tables import Missing

register = template.Library()


@register.filter
def dash_cell(value):
    """A table cell: missing values as their label (styled hatched), numbers rounded."""
    if isinstance(value, Missing):
        return format_html('<span class="dash-missing">{}</span>', value)
    if isinstance(value, float):
        return floatformat(value, 2)
    return value


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
