"""Applicability, N/A declarations, target bands and component confidentiality through
HTTP, as respondents and focal points meet them."""

import pytest
from django.urls import reverse

from assessments.models import IndicatorBandOverride, IndicatorNotApplicable
from assessments.quarter_services import BandInput, band_override_set
from assessments.services import AnswerInput, response_answers_save, response_mark_complete
from questionnaires.models import GlossaryTerm
from tests.assessments.conftest import ALL_INDICATORS

pytestmark = pytest.mark.django_db


def _answer_url(assessment, component, dimension):
    return reverse("assessments:answer", args=[assessment.pk, component, dimension])


def _board(client, assessment):
    return client.get(reverse("assessments:board", args=[assessment.pk])).content.decode()


# --- Routing ------------------------------------------------------------------------------


def test_a_military_respondent_never_sees_mission_level_or_other_components_indicators(
    client, assessment_a_v2, military_respondent_a
):
    client.force_login(military_respondent_a)
    entry = client.get(reverse("assessments:response", args=[assessment_a_v2.pk, "military"]))
    assert entry.url == _answer_url(assessment_a_v2, "military", "LEAD")
    html = client.get(entry.url).content.decode()
    assert 'id="LEAD-01-choice-3"' in html
    assert "LEAD-02" not in html  # asked of the political component only
    assert "MS-04" not in html and ">MS<" not in html  # no mission-level section
    assert "0 of 2 answered" in html
    assert client.get(_answer_url(assessment_a_v2, "military", "MS")).status_code == 404
    assert client.get(_answer_url(assessment_a_v2, "mission", "MS")).status_code == 404
    mine = client.get(reverse("assessments:mine")).content.decode()
    assert "0 of 2 indicators answered" in mine and "MS —" not in mine


def test_a_mission_level_indicator_appears_only_to_the_focal_point(
    client, personas, assessment_a_v2
):
    client.force_login(personas.respondent_a)
    board = _board(client, assessment_a_v2)
    assert "Answer the mission-level indicators" not in board
    political = client.get(_answer_url(assessment_a_v2, "political", "LEAD")).content.decode()
    assert 'id="LEAD-02-choice-3"' in political and "MS-0" not in political

    client.force_login(personas.focal_point_a)
    board = _board(client, assessment_a_v2)
    assert "Answer the mission-level indicators" in board
    assert "Whole mission (focal point)" in board
    entry = client.get(reverse("assessments:response", args=[assessment_a_v2.pk, "mission"]))
    assert entry.url == _answer_url(assessment_a_v2, "mission", "MS")
    html = client.get(entry.url).content.decode()
    assert 'id="MS-01-choice-3"' in html and 'id="MS-04-choice-3"' in html
    assert "LEAD-01" not in html


def test_focal_point_completes_the_mission_level_answers_from_their_page(
    client, personas, assessment_a_v2
):
    client.force_login(personas.focal_point_a)
    data = {
        "MS-01-choice": "3",
        "MS-01-revision": "0",
        "MS-04-choice": "na",
        "MS-04-revision": "0",
        "go": "complete",
    }
    response = client.post(_answer_url(assessment_a_v2, "mission", "MS"), data)
    complete_url = reverse("assessments:complete", args=[assessment_a_v2.pk, "mission"])
    assert response.url == complete_url
    assert "Every indicator has an answer." in client.get(complete_url).content.decode()
    response = client.post(complete_url)
    assert response.url == reverse("assessments:board", args=[assessment_a_v2.pk])
    assert assessment_a_v2.responses.get(component="mission").status == "complete"


# --- Declarations -------------------------------------------------------------------------


def test_focal_point_declares_with_a_reason_and_respondents_see_it_instead_of_the_question(
    client, personas, assessment_a_v2, military_respondent_a
):
    client.force_login(personas.focal_point_a)
    url = reverse("assessments:not_applicable", args=[assessment_a_v2.pk])
    refused = client.post(url, {"indicator": "HUM-01", "reason": ""})
    assert refused.status_code == 400
    assert "Give the reason why this indicator does not apply to the mission." in (
        refused.content.decode()
    )
    assert not IndicatorNotApplicable.objects.exists()
    assert client.post(url, {"indicator": "HUM-01", "reason": "No PoC mandate."}).status_code == 302
    assert "No PoC mandate." in _board(client, assessment_a_v2)

    client.force_login(military_respondent_a)
    html = client.get(_answer_url(assessment_a_v2, "military", "HUM")).content.decode()
    assert "Declared not applicable for the mission: No PoC mandate." in html
    assert 'name="HUM-01-choice"' not in html
    assert "0 of 1 answered" in html  # HUM-01 is no longer expected


def test_focal_point_withdraws_a_declaration(client, personas, assessment_a_v2):
    client.force_login(personas.focal_point_a)
    client.post(
        reverse("assessments:not_applicable", args=[assessment_a_v2.pk]),
        {"indicator": "HUM-01", "reason": "No PoC mandate."},
    )
    response = client.post(
        reverse("assessments:not_applicable_withdraw", args=[assessment_a_v2.pk]),
        {"indicator": "HUM-01"},
    )
    assert response.status_code == 302
    assert not IndicatorNotApplicable.objects.exists()
    activity = client.get(reverse("assessments:activity", args=[assessment_a_v2.pk]))
    html = activity.content.decode()
    assert "Not applicable to the mission: HUM-01" in html
    assert "declaration: declared → withdrawn" in html


def test_respondents_and_analysts_see_declarations_but_no_forms(client, personas, assessment_a_v2):
    client.force_login(personas.focal_point_a)
    client.post(
        reverse("assessments:not_applicable", args=[assessment_a_v2.pk]),
        {"indicator": "HUM-01", "reason": "No PoC mandate."},
    )
    for user in (personas.respondent_a, personas.analyst):
        client.force_login(user)
        html = _board(client, assessment_a_v2)
        assert "No PoC mandate." in html
        assert "Declare not applicable" not in html and "Withdraw" not in html
        assert "Save the override" not in html and "Record the phase" not in html


# --- Bands --------------------------------------------------------------------------------


def _bands_post(client, assessment, **values):
    data = {
        "indicator": "HUM-01",
        "band_min": "2",
        "band_max": "3",
        "rationale": "Coordination through OCHA, not the military chain.",
        "phase": "consolidation",
        "revisions": "HUM-01:0,LEAD-01:0,LEAD-02:0,MS-01:0,MS-04:0",
    }
    data.update(values)
    return client.post(reverse("assessments:bands", args=[assessment.pk]), data)


def test_v2_board_shows_bands_by_dimension_and_v1_keeps_the_target_steps(
    client, personas, assessment_a_v2, questionnaire
):
    from assessments.services import assessment_open

    assessment_b = assessment_open(
        mission=personas.mission_b, period=assessment_a_v2.period, questionnaire=questionnaire
    )
    client.force_login(personas.focal_point_a)
    html = _board(client, assessment_a_v2)
    assert "Target bands" in html and "Target steps" not in html
    assert "LEAD — Leadership and management</h3>" in html
    assert "Target band: steps 2–4" in html
    assert "Save the override" in html
    client.force_login(personas.focal_point_b)
    html = _board(client, assessment_b)
    assert "Target steps" in html and "Save targets" in html and "Target bands" not in html


def test_an_override_without_rationale_is_refused_over_http(client, personas, assessment_a_v2):
    client.force_login(personas.focal_point_a)
    response = _bands_post(client, assessment_a_v2, rationale="")
    assert response.status_code == 400
    assert "Give a written rationale for overriding the target band." in response.content.decode()
    assert not IndicatorBandOverride.objects.exists()
    assessment_a_v2.refresh_from_db()
    assert assessment_a_v2.phase == ""


def test_a_dimension_override_shows_rationale_and_phase_on_the_board(
    client, personas, assessment_a_v2
):
    client.force_login(personas.focal_point_a)
    response = _bands_post(
        client,
        assessment_a_v2,
        indicator="dimension:LEAD",
        band_min="2",
        band_max="2",
        rationale="Start-up: the leadership team is not complete.",
        phase="start_up",
    )
    assert response.status_code == 302
    assert sorted(IndicatorBandOverride.objects.values_list("indicator__code", "band_min")) == [
        ("LEAD-01", 2),
        ("LEAD-02", 2),
    ]
    html = _board(client, assessment_a_v2)
    assert "Mission phase this quarter: <strong>Start-up</strong>" in html
    assert "Start-up: the leadership team is not complete." in html
    assert "2 bands overridden" in html
    assert "(phase: Start-up; focal_point_a)" in html


def test_a_stale_band_page_conflicts_shows_both_values_and_saves_nothing(
    client, personas, assessment_a_v2
):
    band_override_set(
        assessment=assessment_a_v2,
        by=personas.admin,
        bands=[BandInput("HUM-01", 1, 1, "Admin: keep distance.", base_revision=0)],
        phase="consolidation",
    )
    client.force_login(personas.focal_point_a)
    response = _bands_post(client, assessment_a_v2, rationale="Mine: coordinate more.")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed some of these target bands" in html
    assert "Admin: keep distance." in html and "Mine: coordinate more." in html
    assert IndicatorBandOverride.objects.get().rationale == "Admin: keep distance."
    # The form keeps the user's values on the current revision: saving again overwrites.
    assert "HUM-01:1" in html


def test_phase_is_recorded_from_the_board(client, personas, assessment_a_v2):
    client.force_login(personas.focal_point_a)
    url = reverse("assessments:phase", args=[assessment_a_v2.pk])
    assert client.post(url, {"phase": ""}).status_code == 400
    assert client.post(url, {"phase": "drawdown"}).status_code == 302
    assessment_a_v2.refresh_from_db()
    assert assessment_a_v2.phase == "drawdown"


def test_nothing_can_be_changed_once_submitted(client, personas, assessment_a_v2):
    assessment_a_v2.status = "submitted"
    assessment_a_v2.save()
    client.force_login(personas.focal_point_a)
    response = _bands_post(client, assessment_a_v2)
    assert response.status_code == 400
    assert "submitted and accepts no changes" in response.content.decode()
    html = _board(client, assessment_a_v2)
    assert "Save the override" not in html and "Declare not applicable" not in html


# --- Component confidentiality ------------------------------------------------------------


def test_board_drill_down_shows_a_respondent_only_their_components_answers(
    client, personas, assessment_a, military_respondent_a, django_capture_on_commit_callbacks
):
    military = assessment_a.responses.create(component="military")
    for response, user, choice in (
        (assessment_a.responses.get(component="political"), personas.respondent_a, "2"),
        (military, military_respondent_a, "5"),
    ):
        response_answers_save(
            response=response,
            by=user,
            answers=[AnswerInput(code, choice) for code in ALL_INDICATORS],
        )
        with django_capture_on_commit_callbacks(execute=True):
            response_mark_complete(response=response, by=user)
    client.force_login(personas.respondent_a)
    html = _board(client, assessment_a)
    assert "Political: 2" in html
    assert "Military: 5" not in html
    assert f'href="{reverse("assessments:response", args=[assessment_a.pk, "military"])}"' not in (
        html
    )
    for user in (personas.focal_point_a, personas.analyst, personas.admin):
        client.force_login(user)
        html = _board(client, assessment_a)
        assert "Political: 2" in html and "Military: 5" in html


def test_board_queries_do_not_grow_with_declarations_and_overrides(
    client, personas, assessment_a_v2
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.quarter_services import indicator_not_applicable_declare

    client.force_login(personas.focal_point_a)
    url = reverse("assessments:board", args=[assessment_a_v2.pk])
    client.get(url)  # warm the session and per-user caches
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    band_override_set(
        assessment=assessment_a_v2,
        by=personas.focal_point_a,
        bands=[BandInput(code, 2, 3, "Why") for code in ("LEAD-01", "LEAD-02", "HUM-01")],
        phase="consolidation",
    )
    for code in ("MS-01", "MS-04"):
        indicator_not_applicable_declare(
            assessment=assessment_a_v2, by=personas.focal_point_a, indicator_code=code, reason="x"
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_answering_page_links_the_glossary_of_a_version_that_has_one(
    client, assessment_a_v2, military_respondent_a
):
    client.force_login(military_respondent_a)
    glossary = reverse("questionnaires:version_glossary", args=[assessment_a_v2.questionnaire_id])
    url = _answer_url(assessment_a_v2, "military", "LEAD")
    assert glossary not in client.get(url).content.decode()  # nothing to link to yet
    GlossaryTerm.objects.create(
        questionnaire=assessment_a_v2.questionnaire, term="IMTF", definition="Task force."
    )
    assert glossary in client.get(url).content.decode()
    assert client.get(glossary).status_code == 200
