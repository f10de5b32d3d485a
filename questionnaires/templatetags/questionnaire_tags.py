"""How questionnaire content reads on a page: who answers an indicator, its band.

Presentation only; the rule of who answers lives in ``questionnaires.applicability``.
"""

from django import template
from django.utils.translation import gettext as _

from questionnaires.applicability import applies_to_labels
from questionnaires.models import Indicator, Translatable

register = template.Library()


@register.filter
def answered_by(applies_to: list[str]) -> str:
    """``{{ indicator.applies_to|answered_by }}`` → "Political, Military"."""
    return ", ".join(str(label) for label in applies_to_labels(applies_to or []))


@register.filter
def target_band(indicator: Indicator) -> str:
    """``{{ indicator|target_band }}`` → "steps 2–3", "step 3", or the v1 dimension step."""
    low, high = indicator.default_band
    if indicator.target_min is None:
        return _("step %(step)s (the dimension's default target)") % {"step": low}
    if low == high:
        return _("step %(step)s") % {"step": low}
    return _("steps %(low)s–%(high)s") % {"low": low, "high": high}


@register.filter
def localised(item: Translatable, field: str) -> str:
    """``{{ indicator|localised:"statement" }}``: the text in the reader's language, English
    where the version has no translation (``Translatable.text``)."""
    return item.text(field)
