"""IMP-CORE v3 on the answering page: the context profile decides what is asked, and the
respondent is told why ("Asked because …"); what the profile rules out is neither asked nor
expected."""

import dataclasses
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.selectors import assessment_expected_cells
from assessments.services import assessment_open
from missions.context import DEFAULT_PROFILE
from missions.services import context_profile_set
from questionnaires.models import Questionnaire

pytestmark = pytest.mark.django_db
V3_FILE = Path(__file__).resolve().parents[2] / "questionnaires/data/imp-core-v3.yaml"


@pytest.fixture
def assessment_v3(personas, current_period):
    call_command("questionnaire_load", str(V3_FILE), "--publish")
    questionnaire = Questionnaire.objects.get(code="IMP-CORE", version=3)
    return assessment_open(
        mission=personas.mission_a, period=current_period, questionnaire=questionnaire
    )


def _lead_page(client, assessment) -> str:
    url = reverse("assessments:answer", args=[assessment.pk, "political", "LEAD"])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_respondent_is_told_why_an_indicator_is_asked(client, personas, assessment_v3):
    client.force_login(personas.respondent_a)
    page = _lead_page(client, assessment_v3)
    assert 'id="ind-LEAD-02"' in page
    assert "Asked because a deputy SRSG is also Resident Coordinator and Humanitarian" in page


def test_without_a_triple_hatted_deputy_lead_02_is_neither_asked_nor_expected(
    client, personas, assessment_v3
):
    context_profile_set(
        mission=personas.mission_a,
        period=assessment_v3.period,
        profile=dataclasses.replace(DEFAULT_PROFILE, leadership="none"),
        reason="",
        by=personas.focal_point_a,
    )
    client.force_login(personas.respondent_a)
    page = _lead_page(client, assessment_v3)
    assert 'id="ind-LEAD-02"' not in page and 'id="ind-LEAD-09"' not in page
    assert 'id="ind-LEAD-01"' in page
    expected = assessment_expected_cells(assessment=assessment_v3, components=["political"])
    assert "LEAD-02" not in expected["political"] and "LEAD-01" in expected["political"]


def test_the_answering_page_says_why_in_french(client, personas, assessment_v3):
    client.force_login(personas.respondent_a)
    url = reverse("assessments:answer", args=[assessment_v3.pk, "political", "LEAD"])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Posée, car un RSASG est aussi coordonnateur résident" in page
