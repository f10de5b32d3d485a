"""The analysts' actions view: filters in the URL, the table and its CSV."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.services import action_create
from assessments.models import Assessment, AssessmentStatus
from tests.actions.conftest import scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(personas, quarters):
    """Mission A: an overdue LEAD action on the barrier, a HUM action not due yet; mission B:
    one LEAD action whose text looks like a spreadsheet formula."""
    first = quarters.assessments[0]
    fp = personas.focal_point_a
    overdue = action_create(
        assessment=first, by=fp, description="Clarify roles", owner="Chief of Staff",
        indicator_codes=["LEAD-01"], barrier_codes=["LEAD-B-ROLES"],
        due=(first.period.year, first.period.quarter),
    )  # fmt: skip
    later = action_create(
        assessment=quarters.assessments[2], by=fp, description="Liaison forum", owner="OCHA",
        dimension_code="HUM", due=(2099, 4),
    )  # fmt: skip
    b_assessment = Assessment.objects.create(
        mission=personas.mission_b, period=quarters.periods[2],
        questionnaire=first.questionnaire, status=AssessmentStatus.SUBMITTED,
    )  # fmt: skip
    scores(b_assessment, {"LEAD-01": (1.0, "shortfall")}, {"LEAD": 20.0})
    formula = action_create(
        assessment=b_assessment, by=personas.focal_point_b,
        description='=HYPERLINK("http://evil.example","click")', owner="@SUM(A1)",
        indicator_codes=["LEAD-01"], due=(2099, 1),
    )  # fmt: skip
    return overdue, later, formula


def _ids(page: str) -> list[int]:
    return [int(part.split('"')[0]) for part in page.split('<tr data-action="')[1:]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["overdue", "later", "formula"]),
        ("?dimension=LEAD", ["overdue", "formula"]),
        ("?barrier=LEAD-B-ROLES", ["overdue"]),
        ("?status=planned&overdue=1", ["overdue"]),
        ("?dimension=HUM&status=done", []),
    ],
)
def test_filters_in_the_url(client, personas, portfolio, query, expected):
    names = dict(zip(["overdue", "later", "formula"], portfolio, strict=True))
    client.force_login(personas.analyst)
    response = client.get(reverse("dashboards:actions") + query)
    assert response.status_code == 200
    assert _ids(response.content.decode()) == [names[n].pk for n in expected]


def test_mission_filter(client, personas, portfolio):
    client.force_login(personas.analyst)
    page = client.get(
        reverse("dashboards:actions") + f"?mission={personas.mission_b.pk}"
    ).content.decode()
    assert _ids(page) == [portfolio[2].pk]


def test_bad_filter_names_the_field(client, personas, portfolio):
    client.force_login(personas.analyst)
    response = client.get(reverse("dashboards:actions") + "?mission=999999")
    assert response.status_code == 400
    assert "Mission: Unknown mission" in response.content.decode()


def test_csv_holds_every_row_and_neutralises_formulas(client, personas, portfolio):
    overdue, later, formula = portfolio
    client.force_login(personas.analyst)
    response = client.get(reverse("dashboards:actions") + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="actions.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Action", "Mission", "Agreed in", "Dimension", "Indicators", "Barriers addressed",
        "What will be done", "Owner", "Due", "Status", "Overdue",
    ]  # fmt: skip
    by_id = {row[0]: row for row in rows[1:]}
    assert len(by_id) == 3
    first = overdue.assessment.period.label
    assert by_id[str(overdue.pk)] == [
        str(overdue.pk), "MSN-A", first, "LEAD", "LEAD-01", "LEAD-B-ROLES", "Clarify roles",
        "Chief of Staff", first, "Planned", "yes",
    ]  # fmt: skip
    assert by_id[str(later.pk)][3:6] == ["HUM", "", ""]
    assert by_id[str(later.pk)][10] == "no"
    assert by_id[str(formula.pk)][6] == '\'=HYPERLINK("http://evil.example","click")'
    assert by_id[str(formula.pk)][7] == "'@SUM(A1)"


def test_portfolio_query_count_is_constant(client, personas, portfolio, quarters):
    client.force_login(personas.analyst)
    url = reverse("dashboards:actions")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _i in range(6):
        action_create(
            assessment=quarters.assessments[1], by=None, description="more", owner="x",
            dimension_code="HUM", due=(2099, 1),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(_ids(page)) == 9
    assert len(few) == len(many)
