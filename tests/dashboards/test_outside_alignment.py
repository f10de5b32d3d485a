"""A method 3 result has no figure for a dimension outside its alignment (IMP-CORE v3's
Member State coherence: external context, reported as conditions): the portfolio says so
instead of "insufficient data", in its data table and on its chart."""

import json
import re

import pytest
from django.urls import reverse

from tests.assessments.conftest import *  # noqa: F403 (questionnaire and assessment fixtures)
from tests.scoring.test_headline_surfaces import breached  # noqa: F401 (fixture)
from tests.scoring.test_method_v3_storage import assessment_v3  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_portfolio_marks_a_dimension_outside_method_3s_alignment(client, personas, breached):  # noqa: F811
    client.force_login(personas.analyst)
    url = reverse("dashboards:portfolio") + f"?period={breached.period_id}"
    page = client.get(url).content.decode()
    # The data table: MS (external context) is outside alignment, LEAD has its figure.
    rows = re.findall(r"<tr><th scope=\"row\">MSN-A.*?</tr>", page, re.S)
    row = max(rows, key=lambda r: r.count("<td>"))  # the data table's, not the headline's
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    dimensions = cells[1:10]  # after "Critical findings": LEAD … ACC, then MS
    assert dimensions[-1] == '<span class="dash-missing">outside alignment</span>'
    assert all("dash-missing" not in cell for cell in dimensions[:-1])
    # The chart says the same in the cell's text.
    figures = re.findall(r'<script id="[^"]+" type="application/json">(.*?)</script>', page, re.S)
    assert any("outside alignment" in json.dumps(json.loads(f)) for f in figures)
