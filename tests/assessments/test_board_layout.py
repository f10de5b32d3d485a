"""The board as a focal point works through it: what blocks submission first (each
component's missing answers, with the link that fixes it) and the submit form right after;
then the findings grouped by dimension, each with its code, statement, band and flag; each
dimension's band, not-applicable and phase controls folded in a native <details>, unfolded
only when a form of that dimension comes back with an error; people's names, not usernames."""

import re

import pytest
from django.urls import reverse

from assessments.quarter_services import BandInput, band_override_set
from assessments.services import AnswerInput, response_answers_save
from tests.assessments.conftest import *  # noqa: F403 (questionnaire and assessment fixtures)
from tests.scoring import test_board_v2 as board_v2

pytestmark = pytest.mark.django_db

answered = board_v2.answered  # LEAD-01 short, HUM-01 over-integrated, LEAD-02 in band


def _board(client, user, assessment, **headers) -> str:
    client.force_login(user)
    response = client.get(reverse("assessments:board", args=[assessment.pk]), **headers)
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, element_id: str) -> str:
    """The <section> with ``element_id``, up to its closing tag (sections do not nest here
    except the dimensions inside #findings, which callers do not cut out)."""
    start = html.index(f'<section id="{element_id}"')
    return html[start : html.index("</section>", start)]


def _rows(html: str, attribute: str) -> list[str]:
    return re.findall(rf'<tr {attribute}="([^"]+)"', html)


def test_blockers_and_the_submit_form_come_before_the_findings(client, personas, answered):
    html = _board(client, personas.focal_point_a, answered)
    order = [
        html.index('id="blockers"'),
        html.index('id="submit-form"'),
        html.index('id="findings"'),
        html.index('id="dimension-LEAD"'),
        html.index('id="dimension-HUM"'),
    ]
    assert order == sorted(order)
    blockers = _section(html, "blockers")
    # The humanitarian component never completed: it blocks, listed before the complete one.
    assert _rows(blockers, "data-component") == ["humanitarian", "political"]
    assert "1 component has not completed its response" in blockers
    assert "3 answers missing" in blockers
    complete_url = reverse("assessments:complete", args=[answered.pk, "humanitarian"])
    assert f'href="{complete_url}"' in blockers and "See the missing answers" in blockers
    # The submit form asks for the justification of the blocking component only.
    assert 'name="justify_humanitarian"' in blockers and "justify_political" not in blockers


def test_an_answered_but_unconfirmed_response_links_to_its_completion(
    client, personas, assessment_a
):
    response = assessment_a.responses.get(component="political")
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[AnswerInput(code, "3") for code in ALL_INDICATORS],  # noqa: F405
    )
    blockers = _section(_board(client, personas.focal_point_a, assessment_a), "blockers")
    assert "every indicator answered, not yet marked complete" in blockers
    assert "Review and mark complete" in blockers
    # Nobody recorded the mission's context profile: the board says so and links to it.
    profile_url = reverse("assessments:context_profile", args=[assessment_a.pk])
    assert 'id="blockers-profile"' in blockers and f'href="{profile_url}"' in blockers


def test_findings_are_grouped_by_dimension_with_statement_band_and_flag(client, personas, answered):
    html = _board(client, personas.focal_point_a, answered)
    lead, hum = _section(html, "dimension-LEAD"), _section(html, "dimension-HUM")
    # Only the indicators outside their band are findings; LEAD-02 is in band.
    assert _rows(lead, "data-finding") == ["LEAD-01"]
    assert _rows(hum, "data-finding") == ["HUM-01"]
    lead_01 = re.search(r'<tr data-finding="LEAD-01">(.*?)</tr>', lead, re.S).group(1)
    statement = answered.questionnaire.indicators.get(code="LEAD-01").statement
    assert statement in lead_01
    band = re.search(r"<td>(\d)–(\d)", lead_01)
    assert band and int(band.group(1)) <= int(band.group(2))
    assert "flag-shortfall" in lead_01 and "shortfall" in lead_01
    assert "flag-over-integration" in re.search(
        r'<tr data-finding="HUM-01">(.*?)</tr>', hum, re.S
    ).group(1)
    # Every indicator's answers stay one click away, in the dimension.
    assert '<details class="mb-1 board-drilldown">' in lead and 'data-indicator="LEAD-02"' in lead


def test_each_dimensions_controls_are_folded_in_a_details(client, personas, assessment_a_v2):
    html = _board(client, personas.focal_point_a, assessment_a_v2)
    controls = re.findall(
        r'<details class="mb-1 board-controls" data-dimension="(\w+)"( open)?>', html
    )
    assert [code for code, _open in controls] == ["LEAD", "HUM", "MS"]
    assert not any(opened for _code, opened in controls)
    lead = _section(html, "dimension-LEAD")
    details = lead[lead.index('data-dimension="LEAD"') :]
    for control in ('id="band-override-form-LEAD"', 'id="na-form-LEAD"', 'id="band-LEAD-01"'):
        assert control in details
    # The phase is set on the context profile page; each dimension links there.
    assert reverse("assessments:context_profile", args=[assessment_a_v2.pk]) in details
    assert reverse("assessments:phase", args=[assessment_a_v2.pk]) not in html


def test_a_refused_override_comes_back_unfolded_in_its_dimension(client, personas, assessment_a_v2):
    client.force_login(personas.focal_point_a)
    response = client.post(
        reverse("assessments:bands", args=[assessment_a_v2.pk]),
        {
            "dimension": "HUM",
            "indicator": "HUM-01",
            "band_min": "1",
            "band_max": "2",
            "rationale": "",
            "phase": "consolidation",
            "revisions": "HUM-01:0",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert '<details class="mb-1 board-controls" data-dimension="HUM" open>' in html
    assert '<details class="mb-1 board-controls" data-dimension="LEAD">' in html
    hum = _section(html, "dimension-HUM")
    assert "Give a written rationale for overriding the target band." in hum


def test_the_board_names_people_by_their_names(client, personas, assessment_a_v2):
    personas.focal_point_a.first_name, personas.focal_point_a.last_name = "Amina", "Diallo"
    personas.focal_point_a.save()
    band_override_set(
        assessment=assessment_a_v2,
        by=personas.focal_point_a,
        bands=[BandInput("LEAD-01", 2, 3, "Start-up.")],
        phase="start_up",
    )
    html = _board(client, personas.analyst, assessment_a_v2)
    row = re.search(r'<tr id="band-LEAD-01">(.*?)</tr>', html, re.S).group(1)
    assert "Amina Diallo" in row and "focal_point_a" not in row
    # The focal point sees who answers for each component, by name, to know whom to chase.
    personas.respondent_a.first_name, personas.respondent_a.last_name = "Kofi", "Mensah"
    personas.respondent_a.save()
    blockers = _section(_board(client, personas.focal_point_a, assessment_a_v2), "blockers")
    political = re.search(r'<tr data-component="political".*?</tr>', blockers, re.S).group(0)
    assert "Kofi Mensah" in political and "respondent_a" not in political
    analyst_view = _section(_board(client, personas.analyst, assessment_a_v2), "blockers")
    assert "Kofi Mensah" not in analyst_view


def test_the_board_reads_in_french(client, personas, assessment_a_v2):
    html = _board(client, personas.focal_point_a, assessment_a_v2, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Ce qui bloque la soumission" in html and "Constats par dimension" in html
    assert "Fourchettes cibles, indicateurs sans objet et phase de LEAD" in html
    assert "Déroger à une fourchette cible de LEAD pour ce trimestre" in html
