"""Issue 25, item 2, on the remaining surfaces: the board's score panel, the scorecard PDF,
the actions' follow-up and the home page.

The attack of ``test_component_figures``, on a flagged indicator (the scorecard and the actions
show flagged ones): mission A's political respondent answered LEAD-01 with step 1 and only the
military answered it besides (step 2), so the stored mean 1.5 gives ``2 × 1.5 − 1 = 2``, the
military's answer; the distance to the band (3–4) gives the mean back too (value = band edge +
distance). Replayed as the respondent through each page or download: no number on it gives 2
back. The focal point and the analyst still read 1.5.
"""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actions.services import action_create
from assessments.models import Assessment, AssessmentStatus
from assessments.services import (
    AnswerInput,
    response_answers_save,
    response_get_or_create,
    response_mark_complete,
    response_missing_indicators,
)
from scoring.confidentiality import detail_figures_shown
from scoring.models import IndicatorScore
from scoring.services import assessment_scores_compute
from tests.assessments.conftest import *  # noqa: F403 (questionnaire and assessment fixtures)
from tests.dashboards.test_disclosure import no_browser as no_browser  # the fixture

pytestmark = pytest.mark.django_db

OWN_STEP = 1
MILITARY_STEP = 2
VALUE = "1.5"


@pytest.fixture
def two_components_answered(personas, assessment_a_v2, military_respondent_a):
    for component, user, step in (
        ("political", personas.respondent_a, OWN_STEP),
        ("military", military_respondent_a, MILITARY_STEP),
    ):
        response = response_get_or_create(assessment=assessment_a_v2, component=component)
        asked = response_missing_indicators(response=response)
        response_answers_save(
            response=response,
            by=user,
            answers=[AnswerInput(code, str(step if code == "LEAD-01" else 3)) for code in asked],
        )
        response_mark_complete(response=response, by=user)
    assessment_scores_compute(assessment_id=assessment_a_v2.pk)
    stored = IndicatorScore.objects.get(
        score_set__assessment=assessment_a_v2, indicator_code="LEAD-01"
    )
    # The figures the attack needs are stored: two components, mean 1.5, a shortfall.
    assert (stored.counted, stored.value, stored.flag) == (2, 1.5, "shortfall")
    assert 2 * stored.value - OWN_STEP == MILITARY_STEP
    return assessment_a_v2


NUMBER = re.compile(r"[−+-]?\d+(?:[.,]\d+)?")


def _numbers(text: str) -> list[float]:
    return [float(n.replace("−", "-").replace(",", ".")) for n in NUMBER.findall(text)]


def _gives_the_answer_back(text: str, band: tuple[int, int]) -> bool:
    """Whether any number in ``text`` read as the value, or as a distance to either band
    edge, gives the military's answer back by ``2 × value − own step``."""
    for number in _numbers(text):
        for value in (number, band[0] + number, band[1] + number):
            if abs(2 * value - OWN_STEP - MILITARY_STEP) < 1e-9:
                return True
    return False


def _visible_text(html: str) -> str:
    """The page's text without its markup, scripts and attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _band(assessment) -> tuple[int, int]:
    stored = IndicatorScore.objects.get(score_set__assessment=assessment, indicator_code="LEAD-01")
    return stored.band_min, stored.band_max


def _board_row(client, user, assessment) -> tuple[str, str]:
    client.force_login(user)
    response = client.get(reverse("assessments:board", args=[assessment.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    row = re.search(r'<tr data-indicator="LEAD-01">(.*?)</tr>', content, re.S)
    assert row, "no drill-down row for LEAD-01"
    # The statement text may hold digits: only the figure cells count (the first is the
    # answers the user may read).
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    dimensions = re.search(
        r'<table class="table table-sm" id="scores-dimensions">(.*?)</table>', content, re.S
    )
    assert dimensions
    # The dimension's code links to its findings further down the board.
    lead = re.search(
        r"<th scope=\"row\">(?:<a [^>]*>)?LEAD(?:</a>)? — .*?</tr>", dimensions.group(1), re.S
    )
    assert lead
    return cells[0], "".join(cells[1:]), lead.group(0)


def test_the_board_score_panel_no_longer_gives_the_other_components_answer(
    client, personas, two_components_answered
):
    band = _band(two_components_answered)
    answers, cells, dimension = _board_row(client, personas.respondent_a, two_components_answered)
    assert "not shown" in cells
    assert not _gives_the_answer_back(cells, band)
    assert "not shown" in dimension  # the dimension's alignment is withheld too
    assert not _gives_the_answer_back(re.sub(r"<th.*?</th>", "", dimension, flags=re.S), band)
    # The respondent still reads their own component's answer and the flag.
    assert f"Political: {OWN_STEP}" in answers and "Military" not in answers
    assert "shortfall" in cells


def test_the_boards_findings_by_dimension_withhold_the_value_too(
    client, personas, two_components_answered
):
    band = _band(two_components_answered)
    client.force_login(personas.respondent_a)
    content = client.get(
        reverse("assessments:board", args=[two_components_answered.pk])
    ).content.decode()
    finding = re.search(r'<tr data-finding="LEAD-01">(.*?)</tr>', content, re.S)
    assert finding, "LEAD-01 is not listed as a finding"
    cells = "".join(re.findall(r"<td>(.*?)</td>", finding.group(1), re.S))
    assert "not shown" in cells and "shortfall" in cells
    assert not _gives_the_answer_back(_visible_text(cells), band)


@pytest.mark.parametrize("persona", ["focal_point_a", "analyst"])
def test_the_board_shows_every_figure_to_readers_of_every_answer(
    client, personas, two_components_answered, persona
):
    _answers, cells, dimension = _board_row(
        client, getattr(personas, persona), two_components_answered
    )
    assert VALUE in cells and "not shown" not in cells and "not shown" not in dimension


def test_the_scorecard_pdf_no_longer_gives_the_other_components_answer(
    client, personas, two_components_answered, no_browser
):
    band = _band(two_components_answered)
    client.force_login(personas.respondent_a)
    args = [personas.mission_a.pk, two_components_answered.period_id]
    response = client.post(reverse("exports:mission_scorecard", args=args))
    assert response.status_code == 302
    download = client.get(response["Location"])
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    lines = [line for line in text.splitlines() if line.startswith("LEAD-01")]
    assert lines, "LEAD-01 is flagged: the scorecard lists it"
    for line in lines:
        figures = line.removeprefix("LEAD-01")
        assert not _gives_the_answer_back(figures.replace(f"{band[0]}–{band[1]}", ""), band)
    assert "not shown" in text


def _agreed_action(assessment) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SUBMITTED)
    assessment.refresh_from_db()
    period = assessment.period
    action_create(
        assessment=assessment,
        by=None,
        description="Joint planning cell",
        owner="Chief of staff",
        due=(period.year, period.quarter),
        indicator_codes=["LEAD-01"],
    )


def _followup_values(client, user, mission) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("actions:followup", args=[mission.pk]))
    assert response.status_code == 200
    return re.findall(r'<span class="followup-value">(.*?)</span>', response.content.decode())


def test_the_actions_followup_no_longer_gives_the_other_components_answer(
    client, personas, two_components_answered
):
    _agreed_action(two_components_answered)
    values = _followup_values(client, personas.respondent_a, personas.mission_a)
    assert values, "the follow-up shows the action's series"
    assert not any(_gives_the_answer_back(v, (0, 0)) for v in values)
    assert "not shown" in values
    assert VALUE in _followup_values(client, personas.focal_point_a, personas.mission_a)


def test_the_respondents_home_and_board_actions_show_no_figure(
    client, personas, two_components_answered
):
    _agreed_action(two_components_answered)
    client.force_login(personas.respondent_a)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert not _gives_the_answer_back(_visible_text(home.content.decode()), (3, 4))
    board = client.get(reverse("assessments:board", args=[two_components_answered.pk]))
    flagged = re.search(r'<ul id="actions-flagged">(.*?)</ul>', board.content.decode(), re.S)
    assert flagged is None or not _gives_the_answer_back(_visible_text(flagged.group(1)), (3, 4))


def test_the_rule_on_a_drill_down():
    """The one function the board and the scorecard go through: an indicator with fewer than
    3 other components loses its figures and takes its dimension's with it; with 3 others
    (and 3 other profiles) everything stays."""
    dimension = {
        "code": "LEAD",
        "alignment": 75.0,
        "score": 3.5,
        "indicators": [{"code": "LEAD-01", "counted": 2, "value": 3.5, "distance": 0.5}],
    }
    (thin,) = detail_figures_shown([dimension], own_components={"political"}, profiles={})
    assert thin["withheld"] and thin["alignment"] is None and thin["score"] is None
    assert thin["indicators"][0]["value"] is None and thin["indicators"][0]["withheld"]
    dimension["indicators"][0]["counted"] = 4
    (full,) = detail_figures_shown([dimension], own_components={"political"}, profiles={"LEAD": 4})
    assert full["score"] == 3.5 and full["indicators"][0]["value"] == 3.5
    assert not full.get("withheld")
    assert detail_figures_shown([dimension], own_components=None, profiles={}) == [dimension]
