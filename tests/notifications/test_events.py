"""Workflow events: every component complete (to the focal point), an assessment reopened
(to the respondents, with the reason). Sent after the commit; never breaking the request."""

import pytest
from django.core import mail
from django.urls import reverse

from assessments.models import Assessment, AssessmentStatus, Response
from assessments.services import (
    AnswerInput,
    assessment_reopen,
    assessment_submit,
    response_answers_save,
    response_mark_complete,
)
from notifications.models import Notification, NotificationKind
from tests.assessments.conftest import ALL_INDICATORS
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _answer_all(response, user):
    response_answers_save(
        response=response, by=user, answers=[AnswerInput(c, "3") for c in ALL_INDICATORS]
    )


def test_the_focal_point_is_told_when_the_last_component_completes(
    client, personas, q3_a, django_capture_on_commit_callbacks
):
    military_user = UserFactory(username="military_a")
    MembershipFactory(user=military_user, mission=personas.mission_a, component="military")
    military = q3_a.responses.create(component="military")
    _answer_all(military, military_user)
    _answer_all(q3_a.responses.get(component="political"), personas.respondent_a)
    with django_capture_on_commit_callbacks(execute=True):
        response_mark_complete(response=military, by=military_user)
    assert mail.outbox == []  # the political component is not complete yet
    client.force_login(personas.respondent_a)
    url = reverse("assessments:complete", args=[q3_a.pk, "political"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    (message,) = mail.outbox
    assert message.to == ["focal_point_a@example.org"]
    assert message.subject == "[imp-assess] Every component has answered: MSN-A 2026-Q3"
    assert f"http://127.0.0.1:8000/assessments/{q3_a.pk}/" in message.body
    # Completing again the same day (after a change) tells nobody twice.
    Response.objects.filter(assessment=q3_a).update(status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(kind=NotificationKind.COMPONENTS_COMPLETE).count() == 1


def test_respondents_are_told_when_the_assessment_is_reopened_with_the_reason(
    client, personas, q3_a, django_capture_on_commit_callbacks
):
    _answer_all(q3_a.responses.get(component="political"), personas.respondent_a)
    Response.objects.filter(assessment=q3_a).update(status="complete")
    assessment_submit(assessment=q3_a, by=personas.focal_point_a)
    mail.outbox.clear()
    client.force_login(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessments:reopen", args=[q3_a.pk]),
            {"reason": "The police figures were for the wrong quarter."},
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["respondent_a@example.org"]
    assert message.subject == "[imp-assess] Reopened: MSN-A 2026-Q3"
    assert "Reason given: The police figures were for the wrong quarter." in message.body
    assert f"http://127.0.0.1:8000/assessments/{q3_a.pk}/political/" in message.body
    # Mission B's respondent hears nothing.
    assert not Notification.objects.filter(user=personas.respondent_b).exists()


def test_a_broken_notification_never_breaks_the_reopening(
    client, personas, q3_a, monkeypatch, caplog
):
    Assessment.objects.filter(pk=q3_a.pk).update(status=AssessmentStatus.SUBMITTED)

    def broken(**kwargs):
        raise RuntimeError("notification store is broken")

    monkeypatch.setattr("notifications.services.rules.notification_record", broken)
    client.force_login(personas.admin)
    response = client.post(reverse("assessments:reopen", args=[q3_a.pk]), {"reason": "Redo."})
    assert response.status_code == 302
    q3_a.refresh_from_db()
    assert q3_a.status == AssessmentStatus.OPEN and q3_a.status_reason == "Redo."
    assert "could not store the notifications of assessment" in caplog.text


def test_nothing_is_sent_when_the_reopening_rolls_back(
    personas, q3_a, django_capture_on_commit_callbacks
):
    from django.db import transaction

    Assessment.objects.filter(pk=q3_a.pk).update(status=AssessmentStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                assessment_reopen(assessment=q3_a, by=personas.admin, reason="Redo.")
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Notification.objects.exists()
