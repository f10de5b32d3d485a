"""Each indicator is asked only of those who can observe it; mission-level indicators are
answered once by the focal point; progress and completeness count only what is expected."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import Answer
from assessments.quarter_services import indicator_not_applicable_declare
from assessments.selectors import (
    assessment_expected_cells,
    assessment_expected_components,
    assessment_progress,
    response_applicable_indicators,
)
from assessments.services import (
    AnswerInput,
    IncompleteResponse,
    response_answers_save,
    response_mark_complete,
    response_missing_indicators,
)
from missions.models import MISSION_WIDE
from questionnaires.applicability import applies_to_component
from tests.assessments.conftest import ALL_INDICATORS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("applies_to", "component", "expected"),
    [
        ([], "military", True),
        ([], MISSION_WIDE, False),
        (["mission"], MISSION_WIDE, True),
        (["mission"], "military", False),
        (["political", "military"], "military", True),
        (["political"], "military", False),
    ],
)
def test_applies_to_component(applies_to, component, expected):
    assert applies_to_component(applies_to, component) is expected


def _codes(indicators) -> list[str]:
    return [i.code for i in indicators]


def test_each_response_is_asked_only_its_indicators(assessment_a_v2):
    assert _codes(
        response_applicable_indicators(assessment=assessment_a_v2, component="military")
    ) == ["LEAD-01", "HUM-01"]
    assert _codes(
        response_applicable_indicators(assessment=assessment_a_v2, component="political")
    ) == ["LEAD-01", "LEAD-02", "HUM-01"]
    assert _codes(
        response_applicable_indicators(assessment=assessment_a_v2, component=MISSION_WIDE)
    ) == ["MS-01", "MS-04"]


def test_opening_a_v2_assessment_creates_the_focal_points_mission_wide_response(
    assessment_a_v2,
):
    assert sorted(assessment_a_v2.responses.values_list("component", flat=True)) == [
        "military",
        "mission",
        "political",
    ]
    assert assessment_expected_components(assessment=assessment_a_v2) == [
        MISSION_WIDE,
        "military",
        "political",
    ]


def test_a_v1_assessment_has_no_mission_wide_response_and_asks_everything(assessment_a):
    assert list(assessment_a.responses.values_list("component", flat=True)) == ["political"]
    assert assessment_expected_cells(assessment=assessment_a) == {"political": ALL_INDICATORS}
    (progress,) = assessment_progress(assessment=assessment_a)
    assert [(d.dimension.code, d.answered, d.total) for d in progress.dimensions] == [
        ("LEAD", 0, 2),
        ("HUM", 0, 1),
    ]


def test_military_progress_counts_only_its_indicators_and_skips_empty_dimensions(
    assessment_a_v2,
):
    progress = {p.component: p for p in assessment_progress(assessment=assessment_a_v2)}
    military = progress["military"]
    assert [(d.dimension.code, d.total) for d in military.dimensions] == [("LEAD", 1), ("HUM", 1)]
    assert [(d.dimension.code, d.total) for d in progress[MISSION_WIDE].dimensions] == [("MS", 2)]
    assert progress["political"].total == 3


def test_a_respondent_cannot_answer_an_indicator_not_asked_of_their_component(
    assessment_a_v2, military_respondent_a
):
    response = assessment_a_v2.responses.get(component="military")
    with pytest.raises(ValidationError) as error:
        response_answers_save(
            response=response,
            by=military_respondent_a,
            answers=[AnswerInput("LEAD-01", "3"), AnswerInput("MS-04", "2")],
        )
    assert error.value.message_dict == {"MS-04": ["This indicator is not asked of this component."]}
    assert not Answer.objects.exists()


def test_not_applicable_and_dont_know_both_complete_a_response_and_na_gives_full_progress(
    assessment_a_v2, military_respondent_a, django_capture_on_commit_callbacks
):
    response = assessment_a_v2.responses.get(component="military")
    response_answers_save(
        response=response,
        by=military_respondent_a,
        answers=[AnswerInput("LEAD-01", "na"), AnswerInput("HUM-01", "dk")],
    )
    assert response_missing_indicators(response=response) == []
    (progress,) = assessment_progress(assessment=assessment_a_v2, components=["military"])
    assert (progress.answered, progress.total) == (2, 2)
    with django_capture_on_commit_callbacks(execute=False):
        response_mark_complete(response=response, by=military_respondent_a)
    response.refresh_from_db()
    assert response.status == "complete"
    # The two stay distinct answers.
    assert dict(Answer.objects.values_list("indicator__code", "choice")) == {
        "LEAD-01": "na",
        "HUM-01": "dk",
    }


def test_focal_point_answers_and_completes_the_mission_level_indicators(
    personas, assessment_a_v2, django_capture_on_commit_callbacks
):
    response = assessment_a_v2.responses.get(component=MISSION_WIDE)
    with pytest.raises(IncompleteResponse) as incomplete:
        response_mark_complete(response=response, by=personas.focal_point_a)
    assert incomplete.value.missing == ["MS-01", "MS-04"]
    response_answers_save(
        response=response,
        by=personas.focal_point_a,
        answers=[AnswerInput("MS-01", "3"), AnswerInput("MS-04", "2")],
    )
    with django_capture_on_commit_callbacks(execute=False):
        response_mark_complete(response=response, by=personas.focal_point_a)
    response.refresh_from_db()
    assert response.status == "complete"


def test_only_the_focal_point_answers_for_the_whole_mission(
    personas, assessment_a_v2, military_respondent_a
):
    response = assessment_a_v2.responses.get(component=MISSION_WIDE)
    for user in (personas.respondent_a, military_respondent_a, personas.analyst, personas.admin):
        with pytest.raises(PermissionDenied):
            response_answers_save(response=response, by=user, answers=[AnswerInput("MS-01", "3")])
    assert not Answer.objects.exists()


def test_an_indicator_declared_not_applicable_for_the_mission_is_not_expected(
    personas, assessment_a_v2, military_respondent_a
):
    indicator_not_applicable_declare(
        assessment=assessment_a_v2,
        by=personas.focal_point_a,
        indicator_code="HUM-01",
        reason="No protection-of-civilians mandate.",
    )
    response = assessment_a_v2.responses.get(component="military")
    response_answers_save(
        response=response, by=military_respondent_a, answers=[AnswerInput("LEAD-01", "3")]
    )
    assert response_missing_indicators(response=response) == []
    cells = assessment_expected_cells(assessment=assessment_a_v2)
    assert cells == {
        MISSION_WIDE: ["MS-01", "MS-04"],
        "military": ["LEAD-01"],
        "political": ["LEAD-01", "LEAD-02"],
    }
    progress = {p.component: p for p in assessment_progress(assessment=assessment_a_v2)}
    hum = progress["military"].dimensions[1]
    assert (hum.dimension.code, hum.answered, hum.total, hum.declared_not_applicable) == (
        "HUM",
        0,
        0,
        1,
    )
    assert hum.done
    assert (progress["military"].answered, progress["military"].total) == (1, 1)


def test_v1_assessments_are_unchanged_once_v2_is_published(
    client, personas, questionnaire, questionnaire_v2, current_period
):
    from django.urls import reverse

    from assessments.services import assessment_open

    v1 = assessment_open(
        mission=personas.mission_a, period=current_period, questionnaire=questionnaire
    )
    assert list(v1.responses.values_list("component", flat=True)) == ["political"]
    response = v1.responses.get()
    assert response_missing_indicators(response=response) == ALL_INDICATORS
    client.force_login(personas.respondent_a)
    html = client.get(reverse("assessments:answer", args=[v1.pk, "political", "LEAD"])).content
    assert b'id="LEAD-01-choice-3"' in html and b'id="LEAD-02-choice-3"' in html
    assert b"0 of 3 answered" in html
    client.force_login(personas.focal_point_a)
    board = client.get(reverse("assessments:board", args=[v1.pk])).content.decode()
    assert "Target steps" in board and "Save targets" in board
    assert "Target bands" not in board and "Answer the mission-level indicators" not in board


def test_submitting_a_v2_assessment_needs_the_mission_level_answers_or_a_justification(
    personas, assessment_a_v2
):
    from assessments.services import SubmissionRefused, assessment_submit

    with pytest.raises(SubmissionRefused) as refused:
        assessment_submit(assessment=assessment_a_v2, by=personas.focal_point_a)
    assert refused.value.unjustified == [MISSION_WIDE, "military", "political"]


def test_copy_forward_skips_indicators_no_longer_asked_of_the_component(
    personas,
    questionnaire,
    questionnaire_v2,
    military_respondent_a,
    previous_period,
    current_period,
):
    from assessments.services import assessment_open, response_copy_forward

    last = assessment_open(
        mission=personas.mission_a, period=previous_period, questionnaire=questionnaire
    )
    military_last = last.responses.get(component="military")
    response_answers_save(
        response=military_last,
        by=military_respondent_a,
        answers=[AnswerInput("LEAD-01", "3"), AnswerInput("LEAD-02", "2")],
    )
    now = assessment_open(
        mission=personas.mission_a, period=current_period, questionnaire=questionnaire_v2
    )
    copied = response_copy_forward(
        response=now.responses.get(component="military"),
        by=military_respondent_a,
        dimension=questionnaire_v2.dimensions.get(code="LEAD"),
        base_revisions={},
    )
    assert copied == 1
