"""The board's score panel for method 2: headline alignment, flags per indicator (colour, symbol
and label from scoring/flags.py), band overrides with rationale, phase, components that did not
respond; method-1 results keep their old display."""

import re

import pytest
from django.urls import reverse

from assessments.models import Assessment, IndicatorBandOverride, Response
from assessments.services import AnswerInput, response_answers_save, response_mark_complete
from questionnaires.models import Indicator
from scoring.flags import OVER_INTEGRATION, SHORTFALL, flag_style
from scoring.method import METHODS
from scoring.models import IndicatorScore, ScoreSet

pytestmark = pytest.mark.django_db

V2 = METHODS[2].label
RATIONALE = "Start-up: the leadership team is still being formed."
JUSTIFICATION = "Cluster lead on mission travel."


@pytest.fixture
def answered(personas, assessment_a, django_capture_on_commit_callbacks):
    """Political answers LEAD-01 2 (short of 4), LEAD-02 4 (band overridden to 3-4), HUM-01 5
    (over 2); the humanitarian component never completes its response."""
    Response.objects.create(assessment=assessment_a, component="humanitarian")
    Assessment.objects.filter(pk=assessment_a.pk).update(
        phase="start_up", missing_component_justifications={"humanitarian": JUSTIFICATION}
    )
    IndicatorBandOverride.objects.create(
        assessment=assessment_a,
        indicator=Indicator.objects.get(questionnaire=assessment_a.questionnaire, code="LEAD-02"),
        band_min=3,
        band_max=4,
        rationale=RATIONALE,
    )
    response = assessment_a.responses.get(component="political")
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[
            AnswerInput("LEAD-01", "2"),
            AnswerInput("LEAD-02", "4"),
            AnswerInput("HUM-01", "5"),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response_mark_complete(response=response, by=personas.respondent_a)
    assessment_a.refresh_from_db()
    return assessment_a


def _board(client, user, assessment) -> str:
    client.force_login(user)
    response = client.get(reverse("assessments:board", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:strong|li|div)>', html, re.S)
    assert match, element_id
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


def test_board_headlines_alignment_with_shortfall_and_over_integration(client, personas, answered):
    stored = ScoreSet.objects.get(assessment=answered, method_version=V2)
    html = _board(client, personas.focal_point_a, answered)
    assert _text(html, "scores-alignment") == f"{stored.alignment:.0f}"
    assert _text(html, "scores-level") == f"{stored.index:.0f}"
    assert "Integration level (higher is not better)" in html
    assert "Integration index" not in html  # the v1 headline is gone for v2 results
    shortfall = _text(html, "scores-shortfall")
    assert f"{stored.shortfall:.0f} points, {stored.shortfall_count} indicator" in shortfall
    assert "LEAD-01" in shortfall
    over = _text(html, "scores-over-integration")
    assert f"{stored.over_integration:.0f} points, 1 indicator" in over and "HUM-01" in over
    assert _text(html, "scores-completeness") == f"{stored.completeness * 100:.0f} %"
    assert _text(html, "scores-phase") == "Start-up"


def test_board_names_components_that_did_not_respond_with_justification(client, personas, answered):
    html = _board(client, personas.focal_point_a, answered)
    block = re.search(r'id="scores-not-responded".*?</div>', html, re.S).group(0)
    assert "Humanitarian" in block and JUSTIFICATION in block


def test_board_flags_each_indicator_with_band_rationale_and_distance(client, personas, answered):
    html = _board(client, personas.focal_point_a, answered)
    stored = {
        row.indicator_code: row
        for row in IndicatorScore.objects.filter(score_set__assessment=answered)
    }
    rows = dict(re.findall(r'<tr data-indicator="([^"]+)">(.*?)</tr>', html, re.S))
    lead_01, hum_01, lead_02 = rows["LEAD-01"], rows["HUM-01"], rows["LEAD-02"]
    assert stored["LEAD-01"].flag == SHORTFALL
    assert f'class="flag-badge {flag_style(SHORTFALL).css_class}"' in lead_01
    assert flag_style(SHORTFALL).symbol in lead_01 and "shortfall" in lead_01
    assert f"<td>{stored['LEAD-01'].distance:.1f}</td>" in lead_01
    assert stored["HUM-01"].flag == OVER_INTEGRATION
    assert flag_style(OVER_INTEGRATION).css_class in hum_01 and "over-integration" in hum_01
    assert f"<td>{stored['HUM-01'].distance:.1f}</td>" in hum_01
    assert "3–4" in lead_02 and f"overridden: {RATIONALE}" in lead_02
    assert "in band" in lead_02
    assert "mission phase: Start-up" in html


def test_board_dimension_flags_are_counted_from_indicators(client, personas, answered):
    html = _board(client, personas.focal_point_a, answered)
    table = re.search(r'id="scores-dimensions".*?</table>', html, re.S).group(0)
    assert "1 indicator short" in table  # LEAD
    assert "1 indicator over-integrated" in table  # HUM


def test_board_score_panel_reads_the_questionnaire_in_the_readers_language(
    client, personas, answered
):
    questionnaire = answered.questionnaire
    Indicator.objects.filter(questionnaire=questionnaire, code="LEAD-01").update(
        translations={"fr": {"statement": "Énoncé français de LEAD-01."}}
    )
    questionnaire.dimensions.filter(code="LEAD").update(
        translations={"fr": {"title": "Direction et gestion"}}
    )
    client.cookies["django_language"] = "fr"
    french = _board(client, personas.focal_point_a, answered)
    assert "Énoncé français de LEAD-01." in french and "Direction et gestion" in french
    client.cookies["django_language"] = "en"
    english = _board(client, personas.focal_point_a, answered)
    assert "Énoncé français de LEAD-01." not in english and "Direction et gestion" not in english
    lead01 = Indicator.objects.get(questionnaire=questionnaire, code="LEAD-01")
    assert lead01.statement in english
