"""Copy-forward and the highlights follow the same revision rule as answers: a stale
page is told so and nothing is saved; copy-forward fills only entirely empty answers."""

import pytest
from django.urls import reverse

from assessments.models import Answer, Assessment
from assessments.services import (
    AnswerConflict,
    AnswerInput,
    HighlightsConflict,
    assessment_highlights_set,
    assessment_open,
    response_answers_save,
    response_copy_forward,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_quarter(personas, questionnaire, previous_period):
    last = assessment_open(mission=personas.mission_a, period=previous_period)
    response_answers_save(
        response=last.responses.get(),
        by=personas.respondent_a,
        answers=[
            AnswerInput("LEAD-01", "2", "Old evidence", ("LEAD-B-ROLES",)),
            AnswerInput("LEAD-02", "3", "Old evidence 2"),
        ],
    )
    return last


def _lead(questionnaire):
    return questionnaire.dimensions.get(code="LEAD")


def test_copy_forward_keeps_answers_that_have_only_tags_or_other_text(
    personas, questionnaire, assessment_a, last_quarter
):
    response = assessment_a.responses.get()
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[
            AnswerInput("LEAD-01", tag_codes=("LEAD-E-RETREAT",), base_revision=0),
            AnswerInput("LEAD-02", other_tags="Staff turnover", base_revision=0),
        ],
    )
    copied = response_copy_forward(
        response=response,
        by=personas.respondent_a,
        dimension=_lead(questionnaire),
        base_revisions={"LEAD-01": 1, "LEAD-02": 1},
    )
    assert copied == 0
    answers = {a.indicator.code: a for a in Answer.objects.filter(response=response)}
    assert (answers["LEAD-01"].choice, answers["LEAD-01"].tag_codes) == ("", ["LEAD-E-RETREAT"])
    assert (answers["LEAD-02"].choice, answers["LEAD-02"].other_tags) == ("", "Staff turnover")


def test_copy_forward_from_a_stale_page_is_a_conflict_and_copies_nothing(
    personas, questionnaire, assessment_a, last_quarter, second_political_respondent_a
):
    response = assessment_a.responses.get()
    # The page was opened at revision 0; a colleague then saved LEAD-02 only.
    response_answers_save(
        response=response,
        by=second_political_respondent_a,
        answers=[AnswerInput("LEAD-02", "5", base_revision=0)],
    )
    with pytest.raises(AnswerConflict) as conflict:
        response_copy_forward(
            response=response,
            by=personas.respondent_a,
            dimension=_lead(questionnaire),
            base_revisions={"LEAD-01": 0, "LEAD-02": 0},
        )
    assert [c.indicator_code for c in conflict.value.conflicts] == ["LEAD-02"]
    assert not Answer.objects.filter(response=response, indicator__code="LEAD-01").exists()


def test_copy_forward_page_sends_its_revisions_and_a_stale_one_copies_nothing(
    client, personas, questionnaire, assessment_a, last_quarter, second_political_respondent_a
):
    client.force_login(personas.respondent_a)
    answer_url = reverse("assessments:answer", args=[assessment_a.pk, "political", "LEAD"])
    html = client.get(answer_url).content.decode()
    copy_form = html.split('id="copy-forward-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="LEAD-01-revision" value="0"' in copy_form
    response_answers_save(
        response=assessment_a.responses.get(),
        by=second_political_respondent_a,
        answers=[AnswerInput("LEAD-02", "5", base_revision=0)],
    )
    url = reverse("assessments:copy_forward", args=[assessment_a.pk, "political", "LEAD"])
    stale = client.post(url, {"LEAD-01-revision": "0", "LEAD-02-revision": "0"}, follow=True)
    assert "Nothing was copied" in stale.content.decode()
    assert list(
        Answer.objects.filter(response__assessment=assessment_a).values_list(
            "indicator__code", "choice"
        )
    ) == [("LEAD-02", "5")]
    current = client.post(url, {"LEAD-01-revision": "0", "LEAD-02-revision": "1"}, follow=True)
    assert "1 answer copied" in current.content.decode()
    assert (
        Answer.objects.get(indicator__code="LEAD-01", response__assessment=assessment_a).choice
        == "2"
    )


def test_highlights_from_a_stale_board_are_a_conflict_and_save_nothing(personas, assessment_a):
    assessment_highlights_set(
        assessment=assessment_a, by=personas.focal_point_a, text="First", base_revision=0
    )
    with pytest.raises(HighlightsConflict) as conflict:
        assessment_highlights_set(
            assessment=assessment_a, by=personas.admin, text="Second", base_revision=0
        )
    assert (conflict.value.saved_text, conflict.value.revision) == ("First", 1)
    assessment_a.refresh_from_db()
    assert (assessment_a.highlights, assessment_a.highlights_revision) == ("First", 1)


def test_highlights_conflict_on_the_board_shows_both_texts_and_a_second_save_wins(
    client, personas, assessment_a
):
    url = reverse("assessments:highlights", args=[assessment_a.pk])
    client.force_login(personas.focal_point_a)
    board = client.get(reverse("assessments:board", args=[assessment_a.pk])).content.decode()
    assert 'name="revision" value="0"' in board
    assessment_highlights_set(
        assessment=assessment_a, by=personas.admin, text="Admin's text", base_revision=0
    )
    stale = client.post(url, {"highlights": "Focal point's text", "revision": "0"})
    html = stale.content.decode()
    assert stale.status_code == 400
    assert "Someone else saved the highlights" in html
    assert "Admin&#x27;s text" in html and "Focal point&#x27;s text</textarea>" in html
    assert Assessment.objects.get(pk=assessment_a.pk).highlights == "Admin's text"
    # The board now carries the current revision: saving again replaces theirs on purpose.
    assert 'name="revision" value="1"' in html
    assert (
        client.post(url, {"highlights": "Focal point's text", "revision": "1"}).status_code == 302
    )
    assert Assessment.objects.get(pk=assessment_a.pk).highlights == "Focal point's text"
