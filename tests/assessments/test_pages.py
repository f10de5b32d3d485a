"""The workflow through HTTP, as respondents and focal points use it."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Answer
from assessments.services import AnswerInput, response_answers_save

pytestmark = pytest.mark.django_db


def _answer_url(assessment, component="political", dimension="LEAD"):
    return reverse("assessments:answer", args=[assessment.pk, component, dimension])


def _page_data(**values):
    data = {"go": "stay"}
    for code in ("LEAD-01", "LEAD-02"):
        data[f"{code}-revision"] = "0"
        data[f"{code}-evidence"] = ""
        data[f"{code}-other_tags"] = ""
    data.update(values)
    return data


def test_answer_page_shows_statement_guidance_and_the_five_rubric_cards(
    client, personas, assessment_a
):
    client.force_login(personas.respondent_a)
    html = client.get(_answer_url(assessment_a)).content.decode()
    assert "LEAD-01: Statement of LEAD-01." in html
    assert "Guidance for LEAD-01." in html
    for step in range(1, 6):
        assert f'id="LEAD-01-choice-{step}"' in html
    assert 'id="LEAD-01-choice-na"' in html and 'id="LEAD-01-choice-dk"' in html
    assert "Coordination: regular meetings align the work." in html
    assert 'for="id_LEAD-01-evidence"' in html  # labelled evidence box
    assert "Unclear roles" in html  # barrier tag offered


def test_saved_answers_are_shown_exactly_on_reload(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    url = _answer_url(assessment_a)
    response = client.post(
        url,
        _page_data(
            **{
                "LEAD-01-choice": "4",
                "LEAD-01-evidence": "Joint SMT retreat in March",
                "LEAD-01-tag_codes": ["LEAD-E-RETREAT"],
                "LEAD-02-choice": "dk",
            }
        ),
    )
    assert response.status_code == 302 and response.url == url
    html = client.get(url).content.decode()
    assert 'id="LEAD-01-choice-4" value="4" checked' in html
    assert "Joint SMT retreat in March</textarea>" in html
    assert 'value="LEAD-E-RETREAT"' in html and "checked" in html
    assert 'id="LEAD-02-choice-dk" value="dk" checked' in html
    assert "Answers saved." in html


def test_save_and_continue_goes_to_the_next_dimension(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    response = client.post(_answer_url(assessment_a), _page_data(go="next"))
    assert response.url == _answer_url(assessment_a, dimension="HUM")


def test_invalid_page_names_the_field_and_saves_nothing(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    response = client.post(
        _answer_url(assessment_a),
        _page_data(
            **{"LEAD-01-choice": "3", "LEAD-02-choice": "7", "LEAD-02-evidence": "e" * 2001}
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "LEAD-02: select a valid answer." in html
    assert "Ensure this value has at most 2000 characters" in html
    assert not Answer.objects.exists()  # LEAD-01 was valid but not half-saved


def test_a_stale_page_shows_both_values_and_keeps_the_saved_one(
    client, personas, assessment_a, second_political_respondent_a
):
    response_answers_save(
        response=assessment_a.responses.get(),
        by=second_political_respondent_a,
        answers=[AnswerInput("LEAD-01", "4", "Colleague's evidence", base_revision=0)],
    )
    client.force_login(personas.respondent_a)
    response = client.post(
        _answer_url(assessment_a),
        _page_data(**{"LEAD-01-choice": "2", "LEAD-01-evidence": "My evidence"}),
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved some of these answers" in html
    assert "My evidence" in html and "Colleague&#x27;s evidence" in html
    assert "respondent_a2" in html
    assert Answer.objects.get().choice == "4"
    # The page keeps the revision it was built on, so neither autosave nor Save overwrites
    # the colleague's answer; the user chooses per indicator which version to keep.
    assert 'name="LEAD-01-revision" value="0"' in html
    assert 'name="LEAD-01-keep" value="mine"' in html
    assert 'name="LEAD-01-keep" value="theirs"' in html
    assert 'name="LEAD-01-saved_revision" value="1"' in html
    again = client.post(
        _answer_url(assessment_a),
        _page_data(**{"LEAD-01-choice": "3", "LEAD-01-evidence": "Typed after the conflict"}),
    )
    assert again.status_code == 409
    assert Answer.objects.get().choice == "4"


@pytest.mark.parametrize(
    ("keep", "expected"),
    [("mine", ("2", "My evidence")), ("theirs", ("4", "Colleague's evidence"))],
)
def test_after_a_conflict_the_user_keeps_mine_or_theirs_per_indicator(
    client, personas, assessment_a, second_political_respondent_a, keep, expected
):
    response_answers_save(
        response=assessment_a.responses.get(),
        by=second_political_respondent_a,
        answers=[AnswerInput("LEAD-01", "4", "Colleague's evidence", base_revision=0)],
    )
    client.force_login(personas.respondent_a)
    mine = {"LEAD-01-choice": "2", "LEAD-01-evidence": "My evidence"}
    assert client.post(_answer_url(assessment_a), _page_data(**mine)).status_code == 409
    chosen = client.post(
        _answer_url(assessment_a),
        _page_data(**mine, **{"LEAD-01-keep": keep, "LEAD-01-saved_revision": "1"}),
    )
    assert chosen.status_code == 302
    answer = Answer.objects.get()
    assert (answer.choice, answer.evidence) == expected
    assert answer.revision == (2 if keep == "mine" else 1)


def test_keep_mine_overwrites_only_the_version_the_user_was_shown(
    client, personas, assessment_a, second_political_respondent_a
):
    response = assessment_a.responses.get()
    for revision, choice in enumerate(["4", "5"]):
        response_answers_save(
            response=response,
            by=second_political_respondent_a,
            answers=[AnswerInput("LEAD-01", choice, base_revision=revision)],
        )
    client.force_login(personas.respondent_a)
    # The user was shown revision 1 ("4"); the colleague has saved "5" since.
    chosen = client.post(
        _answer_url(assessment_a),
        _page_data(
            **{"LEAD-01-choice": "2", "LEAD-01-keep": "mine", "LEAD-01-saved_revision": "1"}
        ),
    )
    assert chosen.status_code == 409
    assert Answer.objects.get().choice == "5"


def test_autosave_saves_and_returns_the_new_revisions(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    url = reverse("assessments:autosave", args=[assessment_a.pk, "political", "LEAD"])
    response = client.post(url, _page_data(**{"LEAD-01-evidence": "typed a moment ago"}))
    assert response.status_code == 200
    assert response.json() == {"status": "saved", "revisions": {"LEAD-01": 1}}
    assert Answer.objects.get().evidence == "typed a moment ago"
    stale = client.post(url, _page_data(**{"LEAD-01-evidence": "older tab"}))
    assert stale.status_code == 409
    body = stale.json()
    assert (body["status"], body["conflicts"]) == ("conflict", ["LEAD-01"])
    saved = body["saved"]["LEAD-01"]
    assert (saved["evidence"], saved["revision"], saved["updated_by"]) == (
        "typed a moment ago",
        1,
        "respondent_a",
    )
    assert Answer.objects.get().evidence == "typed a moment ago"


def test_autosave_reports_invalid_input_as_json(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    url = reverse("assessments:autosave", args=[assessment_a.pk, "political", "LEAD"])
    response = client.post(url, _page_data(**{"LEAD-01-choice": "9"}))
    assert response.status_code == 400
    assert response.json()["errors"]["LEAD-01"]["choice"][0]["message"] == (
        "LEAD-01: select a valid answer."
    )


def test_complete_page_lists_what_is_missing(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    client.post(_answer_url(assessment_a), _page_data(**{"LEAD-01-choice": "3"}))
    url = reverse("assessments:complete", args=[assessment_a.pk, "political"])
    response = client.post(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "2 indicators have no answer yet" in html
    assert "LEAD-02" in html and "HUM-01" in html
    assert assessment_a.responses.get().status == "draft"


def test_my_assessments_shows_progress_per_dimension(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    client.post(_answer_url(assessment_a), _page_data(**{"LEAD-01-choice": "3"}))
    html = client.get(reverse("assessments:mine")).content.decode()
    assert "1 of 3 indicators answered" in html
    assert "1 / 2" in html and "0 / 1" in html


def test_overdue_assessment_is_marked_but_still_accepts_answers(client, personas, assessment_a):
    period = assessment_a.period
    period.opens_on = datetime.date(2000, 1, 1)
    period.closes_on = datetime.date(2000, 3, 31)
    period.save()
    client.force_login(personas.respondent_a)
    assert "Overdue" in client.get(_answer_url(assessment_a)).content.decode()
    response = client.post(_answer_url(assessment_a), _page_data(**{"LEAD-01-choice": "3"}))
    assert response.status_code == 302
    assert Answer.objects.get().choice == "3"


def test_focal_point_submits_with_a_justification_through_the_board(client, personas, assessment_a):
    client.force_login(personas.focal_point_a)
    board = reverse("assessments:board", args=[assessment_a.pk])
    html = client.get(board).content.decode()
    assert "Why is Political missing?" in html
    response = client.post(reverse("assessments:submit", args=[assessment_a.pk]), {})
    assert response.status_code == 400
    assert "explain here why it is missing" in response.content.decode()
    response = client.post(
        reverse("assessments:targets", args=[assessment_a.pk]), {"LEAD": "5", "HUM": "1"}
    )
    assert response.status_code == 302
    assert dict(assessment_a.targets.values_list("dimension__code", "target_step")) == {
        "LEAD": 5,
        "HUM": 1,
    }


def test_target_outside_1_to_5_is_a_form_error(client, personas, assessment_a):
    client.force_login(personas.focal_point_a)
    response = client.post(
        reverse("assessments:targets", args=[assessment_a.pk]), {"LEAD": "9", "HUM": "2"}
    )
    assert response.status_code == 400
    assert "Select a valid choice. 9 is not one of the available choices." in (
        response.content.decode()
    )
    assert assessment_a.targets.get(dimension__code="LEAD").target_step == 4


def test_activity_tab_lists_who_changed_what(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    client.post(_answer_url(assessment_a), _page_data(**{"LEAD-01-choice": "3"}))
    client.force_login(personas.focal_point_a)
    html = client.get(reverse("assessments:activity", args=[assessment_a.pk])).content.decode()
    assert "respondent_a" in html and "Answer LEAD-01 (Political)" in html
    assert "answer: — → 3" in html
