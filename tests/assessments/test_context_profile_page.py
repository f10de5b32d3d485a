"""The mission's context profile page through HTTP: what it shows, who records it, a change
needs a reason, nothing is saved on a refusal, and the board links to it."""

import pytest
from django.urls import reverse

from assessments.models import Assessment
from missions.models import MissionContextProfile
from missions.selectors import context_profile_changes, context_profile_for

pytestmark = pytest.mark.django_db

PROFILE = {
    "mission_type": "peacekeeping",
    "leadership": "none",
    "poc_mandate": "yes",
    "human_rights_mandate": "yes",
    "humanitarian_operation": "no",
    "country_team": "yes",
    "host_state_party": "yes",
    "phase": "start_up",
    "reason": "",
}


def _url(assessment):
    return reverse("assessments:context_profile", args=[assessment.pk])


def test_the_page_shows_the_default_profile_until_one_is_recorded(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    page = client.get(_url(assessment_a)).content.decode()
    assert "No profile recorded yet" in page
    assert "A deputy SRSG is also Resident Coordinator and Humanitarian Coordinator" in page
    assert "Record the profile" not in page  # respondents read it


def test_the_focal_point_records_the_profile_and_the_phase_follows(client, personas, assessment_a):
    client.force_login(personas.focal_point_a)
    response = client.post(_url(assessment_a), PROFILE)
    assert response.status_code == 302
    profile = context_profile_for(mission=personas.mission_a, period=assessment_a.period)
    assert profile.leadership == "none" and profile.host_state_party
    assert not profile.humanitarian_operation
    assert Assessment.objects.get(pk=assessment_a.pk).phase == "start_up"
    page = client.get(_url(assessment_a)).content.decode()
    assert "Context profile recorded." in page
    assert "the host state is a party to the conflict".capitalize() in page


def test_a_change_without_a_reason_is_refused_naming_the_field_and_saves_nothing(
    client, personas, assessment_a
):
    client.force_login(personas.focal_point_a)
    client.post(_url(assessment_a), PROFILE)
    response = client.post(_url(assessment_a), PROFILE | {"phase": "consolidation"})
    assert response.status_code == 400
    assert "Say why the profile changes" in response.content.decode()
    assert MissionContextProfile.objects.count() == 1
    response = client.post(
        _url(assessment_a), PROFILE | {"phase": "consolidation", "reason": "Start-up ended."}
    )
    assert response.status_code == 302
    changes = context_profile_changes(mission=personas.mission_a)
    assert changes[-1].reason == "Start-up ended."
    assert "Start-up ended." in client.get(_url(assessment_a)).content.decode()


def test_an_unknown_value_is_refused_naming_the_field(client, personas, assessment_a):
    client.force_login(personas.focal_point_a)
    response = client.post(_url(assessment_a), PROFILE | {"leadership": "quadruple"})
    assert response.status_code == 400
    assert "leadership" in response.context["form"].errors
    assert not MissionContextProfile.objects.exists()


def test_analysts_read_and_cannot_record(client, personas, assessment_a):
    client.force_login(personas.analyst)
    assert client.get(_url(assessment_a)).status_code == 200
    assert client.post(_url(assessment_a), PROFILE).status_code == 403
    assert not MissionContextProfile.objects.exists()


def test_an_administrator_corrects_only_with_a_reason(client, personas, assessment_a):
    client.force_login(personas.admin)
    assert client.post(_url(assessment_a), PROFILE).status_code == 400
    response = client.post(_url(assessment_a), PROFILE | {"reason": "Wrong leadership recorded."})
    assert response.status_code == 302
    assert MissionContextProfile.objects.get().set_by == personas.admin


def test_other_missions_staff_get_404(client, personas, assessment_a):
    client.force_login(personas.focal_point_b)
    assert client.get(_url(assessment_a)).status_code == 404
    assert client.post(_url(assessment_a), PROFILE).status_code == 404


def test_the_board_links_to_the_profile(client, personas, assessment_a):
    client.force_login(personas.focal_point_a)
    page = client.get(reverse("assessments:board", args=[assessment_a.pk])).content.decode()
    assert _url(assessment_a) in page


def test_the_page_reads_in_french(client, personas, assessment_a):
    client.force_login(personas.focal_point_a)
    page = client.get(_url(assessment_a), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Profil de contexte" in page


def test_the_v2_board_has_no_phase_form_any_more(client, personas, assessment_a_v2):
    client.force_login(personas.focal_point_a)
    page = client.get(reverse("assessments:board", args=[assessment_a_v2.pk])).content.decode()
    assert reverse("assessments:phase", args=[assessment_a_v2.pk]) not in page
    assert "The phase is part of the mission" in page
