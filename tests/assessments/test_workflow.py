"""The quarter's path: respondents complete, the focal point sets targets and submits,
an administrator approves; reopening needs a written reason. Every step is in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.activity import assessment_activity
from assessments.models import Assessment
from assessments.services import (
    AnswerInput,
    SubmissionRefused,
    WorkflowError,
    assessment_approve,
    assessment_reopen,
    assessment_submit,
    dimension_targets_set,
    response_answers_save,
    response_mark_complete,
)
from scoring.models import ScoreSet
from tests.assessments.conftest import ALL_INDICATORS
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _complete(response, user, choices=("3", "4", "2")):
    response_answers_save(
        response=response,
        by=user,
        answers=[
            AnswerInput(code, choice, base_revision=None)
            for code, choice in zip(ALL_INDICATORS, choices, strict=True)
        ],
    )
    return response_mark_complete(response=response, by=user)


def test_full_path_from_answers_to_approval_writes_history(
    personas, assessment_a, django_capture_on_commit_callbacks
):
    response = assessment_a.responses.get(component="political")
    with django_capture_on_commit_callbacks(execute=True):
        _complete(response, personas.respondent_a)
    # Completing a response scores the assessment (eagerly in tests).
    assert ScoreSet.objects.filter(assessment=assessment_a).count() == 1

    assert (
        dimension_targets_set(
            assessment=assessment_a, by=personas.focal_point_a, targets={"LEAD": 3, "HUM": 2}
        )
        == 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=assessment_a, by=personas.focal_point_a)
    assessment_a.refresh_from_db()
    assert assessment_a.status == "submitted"
    assert assessment_a.submitted_by == personas.focal_point_a
    assert ScoreSet.objects.filter(assessment=assessment_a).count() == 1  # replaced, not doubled

    assessment_approve(assessment=assessment_a, by=personas.admin)
    assessment_a.refresh_from_db()
    assert assessment_a.status == "approved"

    statuses = list(
        Assessment.history.filter(id=assessment_a.pk)
        .order_by("history_date")
        .values_list("status", "history_user__username")
    )
    assert statuses == [
        ("open", None),
        ("submitted", "focal_point_a"),
        ("approved", "admin"),
    ]
    activity = assessment_activity(assessment=assessment_a)
    subjects = [(e.who, e.subject, e.changes) for e in activity]
    assert ("focal_point_a", "Target LEAD", [("target step", "4", "3")]) in subjects
    # The answer's label, as the answering page shows it, not the stored value.
    answer = ("answer", "—", "3 — Coordination")
    assert ("respondent_a", "Answer LEAD-01 (Political)", [answer]) in subjects
    assert (
        "respondent_a",
        "Response: Political",
        [("status", "Draft", "Complete")],
    ) in subjects
    assert ("admin", "Assessment", [("status", "Submitted", "Approved")]) in subjects


def test_submit_is_refused_while_a_component_is_incomplete_without_justification(
    personas, assessment_a
):
    military = UserFactory(username="military_a")
    MembershipFactory(user=military, mission=personas.mission_a, component="military")
    _complete(assessment_a.responses.get(component="political"), personas.respondent_a)
    with pytest.raises(SubmissionRefused) as refused:
        assessment_submit(assessment=assessment_a, by=personas.focal_point_a)
    assert refused.value.unjustified == ["military"]
    assessment_a.refresh_from_db()
    assert assessment_a.status == "open"

    assessment_submit(
        assessment=assessment_a,
        by=personas.focal_point_a,
        justifications={"military": "Force HQ relocating this quarter; answers next quarter."},
    )
    assessment_a.refresh_from_db()
    assert assessment_a.status == "submitted"
    assert assessment_a.missing_component_justifications == {
        "military": "Force HQ relocating this quarter; answers next quarter."
    }


def test_submit_needs_at_least_one_complete_response(personas, assessment_a):
    with pytest.raises(WorkflowError, match="At least one component"):
        assessment_submit(
            assessment=assessment_a,
            by=personas.focal_point_a,
            justifications={"political": "Nobody available"},
        )


def test_only_the_missions_focal_point_submits(personas, assessment_a):
    _complete(assessment_a.responses.get(component="political"), personas.respondent_a)
    for user in (personas.respondent_a, personas.analyst, personas.focal_point_b):
        with pytest.raises(PermissionDenied):
            assessment_submit(assessment=assessment_a, by=user)


def test_focal_point_reopens_a_submitted_assessment_with_a_reason(personas, assessment_a):
    _complete(assessment_a.responses.get(component="political"), personas.respondent_a)
    assessment_submit(assessment=assessment_a, by=personas.focal_point_a)
    with pytest.raises(ValidationError):
        assessment_reopen(assessment=assessment_a, by=personas.focal_point_a, reason="  ")
    assessment_reopen(
        assessment=assessment_a, by=personas.focal_point_a, reason="Police answers arrived late"
    )
    assessment_a.refresh_from_db()
    assert (assessment_a.status, assessment_a.status_reason) == (
        "open",
        "Police answers arrived late",
    )
    last = Assessment.history.filter(id=assessment_a.pk).latest("history_date")
    assert last.history_change_reason == "Police answers arrived late"


def test_only_an_administrator_reopens_an_approved_assessment(personas, assessment_a):
    _complete(assessment_a.responses.get(component="political"), personas.respondent_a)
    assessment_submit(assessment=assessment_a, by=personas.focal_point_a)
    assessment_approve(assessment=assessment_a, by=personas.admin)
    with pytest.raises(PermissionDenied):
        assessment_reopen(assessment=assessment_a, by=personas.focal_point_a, reason="Typo")
    assessment_reopen(assessment=assessment_a, by=personas.admin, reason="Correction requested")
    assessment_a.refresh_from_db()
    assert assessment_a.status == "open"


def test_approval_is_for_administrators_and_submitted_assessments_only(personas, assessment_a):
    with pytest.raises(PermissionDenied):
        assessment_approve(assessment=assessment_a, by=personas.focal_point_a)
    with pytest.raises(WorkflowError, match="Only a submitted"):
        assessment_approve(assessment=assessment_a, by=personas.admin)


def test_targets_outside_1_to_5_or_unknown_dimensions_change_nothing(personas, assessment_a):
    with pytest.raises(ValidationError) as error:
        dimension_targets_set(
            assessment=assessment_a, by=personas.focal_point_a, targets={"LEAD": 6, "XYZ": 3}
        )
    assert set(error.value.message_dict) == {"LEAD", "XYZ"}
    assert dict(assessment_a.targets.values_list("dimension__code", "target_step")) == {
        "LEAD": 4,
        "HUM": 2,
    }


def test_targets_are_locked_once_submitted(personas, assessment_a):
    _complete(assessment_a.responses.get(component="political"), personas.respondent_a)
    assessment_submit(assessment=assessment_a, by=personas.focal_point_a)
    with pytest.raises(WorkflowError):
        dimension_targets_set(
            assessment=assessment_a, by=personas.focal_point_a, targets={"LEAD": 2}
        )


def test_a_rolled_back_completion_enqueues_nothing(
    personas, assessment_a, django_capture_on_commit_callbacks
):
    from django.db import transaction

    response = assessment_a.responses.get(component="political")
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[AnswerInput(code, "3") for code in ALL_INDICATORS],
    )
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                response_mark_complete(response=response, by=personas.respondent_a)
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        response_mark_complete(response=response, by=personas.respondent_a)
    # The scoring request, and the e-mail telling the focal point every component is done.
    assert [c.func.__module__ for c in callbacks] == [
        "scoring.services",
        "notifications.services.recording",
    ]
