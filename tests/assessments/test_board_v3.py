# ruff: noqa: F811 (the v3 quarter fixture is imported from the storage tests)
"""The board on an IMP-CORE v3 quarter: method v3's gated headline leads the findings, and a
respondent's N/A on a safeguard indicator waiting for the focal point's confirmation is listed
with what blocks submission, linked to the confirmation page."""

import pytest
from django.urls import reverse

from assessments.services import answer_not_applicable_confirm
from scoring.services import assessment_scores_compute
from tests.scoring.test_method_v3_storage import (  # noqa: F401 (fixture)
    _answer_all,
    _complete,
    assessment_v3,
)

pytestmark = pytest.mark.django_db


def _board(client, user, assessment):
    client.force_login(user)
    response = client.get(reverse("assessments:board", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_v3_headline_leads(client, personas, assessment_v3, django_capture_on_commit_callbacks):
    response = _answer_all(assessment_v3, personas.respondent_a, HUM_02="5")
    _complete(response, personas.respondent_a, django_capture_on_commit_callbacks)
    stored = assessment_scores_compute(assessment_id=assessment_v3.pk, method=3)
    page = _board(client, personas.focal_point_a, assessment_v3)
    findings = page[page.index('id="findings"') :]
    assert f'data-critical="{stored.critical_count}"' in findings
    # The headline comes before any dimension's findings.
    assert findings.index('class="headline"') < findings.index("<details")


def test_an_unconfirmed_safeguard_na_waits_until_confirmed(client, personas, assessment_v3):
    _answer_all(assessment_v3, personas.respondent_a, HUM_02="na")
    page = _board(client, personas.focal_point_a, assessment_v3)
    assert 'id="blockers-safeguard-na"' in page
    blockers = page[page.index('id="blockers"') : page.index('id="findings"')]
    confirm = reverse("assessments:not_applicable_confirm", args=[assessment_v3.pk])
    assert "1 “not applicable” answer on a safeguard indicator waits" in blockers
    assert f'href="{confirm}"' in blockers
    answer = assessment_v3.responses.get(component="political").answers.get(
        indicator__code="HUM-02"
    )
    answer_not_applicable_confirm(
        assessment=assessment_v3, answer_id=answer.pk, by=personas.focal_point_a
    )
    assert 'id="blockers-safeguard-na"' not in _board(client, personas.focal_point_a, assessment_v3)


def test_the_drill_down_says_why_the_profile_asks_each_indicator_and_sets_its_band(
    client, personas, assessment_v3, django_capture_on_commit_callbacks
):
    from assessments.selectors import assessment_context_reasons

    response = _answer_all(assessment_v3, personas.respondent_a)
    _complete(response, personas.respondent_a, django_capture_on_commit_callbacks)
    reasons = assessment_context_reasons(assessment=assessment_v3)
    asked = {code: why for code, (why, _band) in reasons.items() if why}
    banded = {code: band for code, (_why, band) in reasons.items() if band}
    assert asked["LEAD-02"].startswith("Asked because")
    assert banded
    page = _board(client, personas.focal_point_a, assessment_v3)
    row = page[page.index('data-indicator="LEAD-02"') :]
    row = row[: row.index("</tr>")]
    assert f'class="small text-body-secondary asked-because">{asked["LEAD-02"]}' in row
    code, band = next(iter(banded.items()))
    row = page[page.index(f'data-indicator="{code}"') :]
    assert band in row[: row.index("</tr>")]


def test_a_method_3_result_shows_its_findings_per_dimension_with_coverage_and_conditions(
    client, personas, assessment_v3, django_capture_on_commit_callbacks
):
    """Completing a response scores the quarter with method 3 (current): the board's table
    counts each dimension's critical findings first, states coverage (not completeness),
    shows no integration level column, and says that external context is reported as
    conditions, outside alignment."""
    response = _answer_all(assessment_v3, personas.respondent_a, HUM_02="5")
    _complete(response, personas.respondent_a, django_capture_on_commit_callbacks)
    page = _board(client, personas.focal_point_a, assessment_v3)
    table = page[page.index('id="scores-dimensions"') :]
    table = table[: table.index("</table>")]
    hum = table[table.index('href="#dimension-HUM"') :]
    hum = hum[: hum.index("</tr>")]
    assert "critical finding" in hum
    assert ">Coverage<" in table and "Integration level" not in table
    ms = table[table.index('href="#dimension-MS"') :]
    assert "external context: reported as conditions, outside alignment" in ms[: ms.index("</tr>")]
    # The drill-down marks HUM-02's finding with the critical style.
    row = page[page.index('data-indicator="HUM-02"') :]
    assert "flag-critical" in row[: row.index("</tr>")]
