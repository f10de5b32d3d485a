"""A quarter as people read it: "2026-Q3" in English, "T3 2026" in French; the code
"2026-Q3" stays in URLs, files and the API (Period.label)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from missions.models import Period
from missions.periods import quarter_display, quarter_display_of, quarter_label


def test_quarter_display_follows_the_language():
    assert quarter_display(2026, 3) == "2026-Q3"
    with translation.override("fr"):
        assert quarter_display(2026, 3) == "T3\u00a02026"
        assert quarter_display_of("2026-Q4") == "T4\u00a02026"
        assert quarter_display_of("no result") == "no result"
        assert quarter_label(2026, 3) == "2026-Q3"  # the code does not change


def test_period_shows_its_quarter_in_french_and_keeps_its_code():
    period = Period(year=2026, quarter=3)
    with translation.override("fr"):
        assert str(period) == "T3\u00a02026"
        assert period.label == "2026-Q3"
        assert period.get_quarter_display() == "T3"


@pytest.mark.parametrize("value", [Period(year=2026, quarter=3), "2026-Q3"])
def test_quarter_filter_shows_a_period_or_a_code_in_the_active_language(value):
    template = Template("{% load quarters %}{{ value|quarter }}")
    with translation.override("fr"):
        assert template.render(Context({"value": value})) == "T3\u00a02026"
    assert template.render(Context({"value": value})) == "2026-Q3"
