"""The data tables' cells: ``dash_cell`` gives ``floatformat(value, 2)``'s exact string (its short
path is a speed-up, not a new format) and ``dash_row`` the markup of the template loop it
replaced."""

import random

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation

from dashboards.tables import Missing
from dashboards.templatetags.dashboards import dash_cell

EDGES = [0.0, -0.0, -0.001, -0.005, -0.004999, 0.005, 2.675, 1.005, 1.015, -1.005, 99.995]
EDGES += [100.0, -100.0, 999.995, 1000.0, 1234.5678, -9999.999, 12345678.125, 1e15, 1e-20]
EDGES += [0.1 + 0.2, float("nan"), float("inf"), float("-inf")]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_two_decimal_cells_match_floatformat(language):
    generator = random.Random(12)  # noqa: S311 (reproducible test values)
    values = EDGES + [generator.uniform(-200, 200) for _ in range(20000)]
    values += [generator.randint(-2000, 2000) / 200 for _ in range(5000)]
    with translation.override(language):
        different = [v for v in values if str(dash_cell(v)) != str(floatformat(v, 2))]
        assert different == []
        assert str(dash_cell(2.675)) == ("2.68" if language == "en" else "2,68")
        assert str(dash_cell(-0.001)) == ("0.00" if language == "en" else "0,00")


OLD_LOOP = Template(
    '{% load dashboards %}{% for cell in row %}{% if forloop.first %}<th scope="row">'
    "{{ cell }}</th>{% else %}<td>{{ cell|dash_cell }}</td>{% endif %}{% endfor %}"
)
NEW_TAG = Template("{% load dashboards %}{% dash_row row %}")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_row_tag_renders_what_the_loop_rendered(language):
    row = ("MSN <A> & co", 83.745, None, 3, "▲ over: 1", Missing("insufficient data"), 1234.5, -0.0)
    with translation.override(language):
        new = NEW_TAG.render(Context({"row": row}))
        assert new == OLD_LOOP.render(Context({"row": row}))
    assert new.startswith('<th scope="row">MSN &lt;A&gt; &amp; co</th><td>')
    assert '<span class="dash-missing">' in new
    assert NEW_TAG.render(Context({"row": ()})) == ""
