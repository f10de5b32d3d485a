"""French formats: Django's own (``d/m/Y``, decimal comma), with the thousands separator of
the UN's French services, a narrow no-break space (U+202F: 1 000), not Django's U+00A0.
Grouping shows where a number asks for it (``|grouped``, ``number_format(force_grouping=True)``,
Plotly's ``separators``); ``USE_THOUSAND_SEPARATOR`` stays off so that ids and years print
as they are."""

from django.conf.locale.fr.formats import *  # noqa: F403

THOUSAND_SEPARATOR = "\u202f"
