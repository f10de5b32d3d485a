"""Respondents answer their component; nothing typed is lost, nothing half-saved,
nothing silently overwritten."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import Answer, Response
from assessments.services import (
    AnswerConflict,
    AnswerInput,
    IncompleteResponse,
    WorkflowError,
    response_answers_save,
    response_copy_forward,
    response_mark_complete,
)
from tests.assessments.conftest import ALL_INDICATORS

pytestmark = pytest.mark.django_db


def _political(assessment) -> Response:
    return assessment.responses.get(component="political")


def test_opening_an_assessment_creates_a_response_per_component_with_respondents(
    assessment_a, assessment_b
):
    assert list(assessment_a.responses.values_list("component", flat=True)) == ["political"]
    assert list(assessment_b.responses.values_list("component", flat=True)) == ["military"]
    targets = dict(assessment_a.targets.values_list("dimension__code", "target_step"))
    assert targets == {"LEAD": 4, "HUM": 2}  # the questionnaire's defaults


def test_saving_answers_stores_them_with_a_revision(personas, assessment_a):
    response = _political(assessment_a)
    result = response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[
            AnswerInput("LEAD-01", "3", "Weekly SMT meetings", ("LEAD-B-ROLES",), "", 0),
            AnswerInput("LEAD-02", "na", "", (), "", 0),
        ],
    )
    assert result.revisions == {"LEAD-01": 1, "LEAD-02": 1}
    answer = Answer.objects.get(response=response, indicator__code="LEAD-01")
    assert (answer.choice, answer.evidence, answer.tag_codes) == (
        "3",
        "Weekly SMT meetings",
        ["LEAD-B-ROLES"],
    )
    assert answer.updated_by == personas.respondent_a


def test_saving_unchanged_values_writes_nothing(personas, assessment_a):
    response = _political(assessment_a)
    item = AnswerInput("LEAD-01", "3", "", (), "", 0)
    response_answers_save(response=response, by=personas.respondent_a, answers=[item])
    again = AnswerInput("LEAD-01", "3", "", (), "", 1)
    assert (
        response_answers_save(response=response, by=personas.respondent_a, answers=[again]).saved
        == []
    )
    assert Answer.history.filter(indicator__code="LEAD-01").count() == 1


def test_stale_page_gets_a_conflict_and_nothing_is_overwritten(
    personas, assessment_a, second_political_respondent_a
):
    response = _political(assessment_a)
    # Both open the page at revision 0; the colleague saves first.
    response_answers_save(
        response=response,
        by=second_political_respondent_a,
        answers=[AnswerInput("LEAD-01", "4", "Joint plan signed", (), "", 0)],
    )
    with pytest.raises(AnswerConflict) as conflict:
        response_answers_save(
            response=response,
            by=personas.respondent_a,
            answers=[
                AnswerInput("LEAD-01", "2", "Mine", (), "", 0),
                AnswerInput("LEAD-02", "3", "", (), "", 0),  # no conflict, but not saved either
            ],
        )
    (only,) = conflict.value.conflicts
    assert only.indicator_code == "LEAD-01"
    assert (only.yours.choice, only.saved.choice) == ("2", "4")
    assert only.saved.evidence == "Joint plan signed"
    assert Answer.objects.get(indicator__code="LEAD-01").choice == "4"
    assert not Answer.objects.filter(indicator__code="LEAD-02").exists()


def test_a_deliberate_second_save_after_seeing_the_conflict_wins(
    personas, assessment_a, second_political_respondent_a
):
    response = _political(assessment_a)
    response_answers_save(
        response=response,
        by=second_political_respondent_a,
        answers=[AnswerInput("LEAD-01", "4", "", (), "", 0)],
    )
    # The conflict page hands back the current revision (1) with the user's values.
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[AnswerInput("LEAD-01", "2", "", (), "", 1)],
    )
    assert Answer.objects.get(indicator__code="LEAD-01").choice == "2"


def test_an_invalid_answer_saves_nothing_of_the_page(personas, assessment_a):
    response = _political(assessment_a)
    with pytest.raises(ValidationError) as error:
        response_answers_save(
            response=response,
            by=personas.respondent_a,
            answers=[
                AnswerInput("LEAD-01", "3", "fine", (), "", 0),
                AnswerInput("LEAD-02", "7", "", (), "", 0),
                AnswerInput("LEAD-99", "3", "", (), "", 0),
                AnswerInput("HUM-01", "2", "x" * 2001, ("NOT-A-TAG",), "", 0),
            ],
        )
    messages = error.value.message_dict
    assert messages["LEAD-02"] == [
        "Answer must be a step from 1 to 5, not applicable or don't know."
    ]
    assert messages["LEAD-99"] == ["Unknown indicator."]
    assert "Evidence is limited to 2000 characters." in messages["HUM-01"]
    assert "Unknown barrier or enabler: NOT-A-TAG" in messages["HUM-01"]
    assert not Answer.objects.exists()


def test_respondent_of_another_component_cannot_save(personas, assessment_b):
    with pytest.raises(PermissionDenied):
        response_answers_save(
            response=assessment_b.responses.get(),
            by=personas.respondent_a,
            answers=[AnswerInput("LEAD-01", "3")],
        )
    assert not Answer.objects.exists()


def test_focal_points_and_analysts_do_not_answer(personas, assessment_a):
    for user in (personas.focal_point_a, personas.analyst):
        with pytest.raises(PermissionDenied):
            response_answers_save(
                response=_political(assessment_a), by=user, answers=[AnswerInput("LEAD-01", "3")]
            )


def test_complete_requires_every_indicator_and_lists_the_missing(personas, assessment_a):
    response = _political(assessment_a)
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[
            AnswerInput("LEAD-01", "3", base_revision=0),
            AnswerInput("HUM-01", "dk", base_revision=0),
        ],
    )
    with pytest.raises(IncompleteResponse) as incomplete:
        response_mark_complete(response=response, by=personas.respondent_a)
    assert incomplete.value.missing == ["LEAD-02"]
    response.refresh_from_db()
    assert response.status == "draft"


def test_changing_an_answer_after_completion_returns_the_response_to_draft(
    personas, assessment_a, django_capture_on_commit_callbacks
):
    response = _political(assessment_a)
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[AnswerInput(code, "3", base_revision=0) for code in ALL_INDICATORS],
    )
    with django_capture_on_commit_callbacks(execute=False):
        response_mark_complete(response=response, by=personas.respondent_a)
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[AnswerInput("HUM-01", "1", base_revision=1)],
    )
    response.refresh_from_db()
    assert response.status == "draft"


def test_copy_forward_fills_only_unanswered_indicators_of_the_dimension(
    personas, questionnaire, assessment_a, previous_period
):
    from assessments.services import assessment_open

    last = assessment_open(mission=personas.mission_a, period=previous_period)
    response_answers_save(
        response=_political(last),
        by=personas.respondent_a,
        answers=[
            AnswerInput("LEAD-01", "2", "Old evidence", ("LEAD-B-ROLES",)),
            AnswerInput("LEAD-02", "3", "Old evidence 2"),
            AnswerInput("HUM-01", "1"),
        ],
    )
    response = _political(assessment_a)
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[AnswerInput("LEAD-02", "5", base_revision=0)],
    )
    lead = questionnaire.dimensions.get(code="LEAD")
    copied = response_copy_forward(
        response=response,
        by=personas.respondent_a,
        dimension=lead,
        base_revisions={"LEAD-01": 0, "LEAD-02": 1},
    )
    assert copied == 1
    answers = {a.indicator.code: a for a in Answer.objects.filter(response=response)}
    assert (answers["LEAD-01"].choice, answers["LEAD-01"].evidence) == ("2", "Old evidence")
    assert answers["LEAD-01"].tag_codes == ["LEAD-B-ROLES"]
    assert answers["LEAD-02"].choice == "5"  # kept, not overwritten
    assert "HUM-01" not in answers  # other dimension untouched


def test_a_submitted_assessment_accepts_no_answers(personas, assessment_a):
    assessment_a.status = "submitted"
    assessment_a.save()
    with pytest.raises(WorkflowError, match="submitted and accepts no changes"):
        response_answers_save(
            response=_political(assessment_a),
            by=personas.respondent_a,
            answers=[AnswerInput("LEAD-01", "3")],
        )
