"""Administrators open a new quarter for every mission from the admin."""

import pytest
from django.urls import reverse

from assessments.models import Assessment
from tests.factories import PeriodFactory

pytestmark = pytest.mark.django_db


def test_admin_opens_the_quarter_for_every_mission_once(client, personas, questionnaire):
    period = PeriodFactory(year=2027, quarter=1)
    client.force_login(personas.admin)
    url = reverse("admin:missions_period_changelist")
    for _ in range(2):  # the second run opens nothing new
        response = client.post(
            url, {"action": "open_assessments", "_selected_action": [period.pk]}, follow=True
        )
        assert response.status_code == 200
    assert Assessment.objects.filter(period=period).count() == 2
    assert "0 assessment(s) opened" in response.content.decode()
    targets = Assessment.objects.get(period=period, mission=personas.mission_a).targets
    assert dict(targets.values_list("dimension__code", "target_step")) == {"LEAD": 4, "HUM": 2}


def test_assessments_are_read_only_in_the_admin(client, personas, assessment_a):
    client.force_login(personas.admin)
    url = reverse("admin:assessments_assessment_change", args=[assessment_a.pk])
    response = client.post(url, {"status": "approved"})
    assert response.status_code == 403
    assessment_a.refresh_from_db()
    assert assessment_a.status == "open"
