"""Method v3 stored: the loader reads answers with their N/A reasons and the focal point's
confirmations, and the score set keeps the gated headline (critical findings, coverage,
contested count, uncapped alignment, "not enough answers") and each indicator's finding."""

import dataclasses
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Answer
from assessments.selectors import response_applicable_indicators
from assessments.services import (
    AnswerInput,
    assessment_open,
    response_answers_save,
    response_mark_complete,
)
from missions.context import DEFAULT_PROFILE
from missions.services import context_profile_set
from questionnaires.models import Questionnaire
from scoring import method_v3
from scoring.loader_v3 import scoring_inputs_v3
from scoring.models import IndicatorScore, ScoreSet
from scoring.services import assessment_scores_compute

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "questionnaires/data"


@pytest.fixture
def assessment_v3(personas, current_period):
    call_command("questionnaire_load", str(DATA / "imp-core-v3.yaml"), "--publish")
    questionnaire = Questionnaire.objects.get(code="IMP-CORE", version=3)
    return assessment_open(
        mission=personas.mission_a, period=current_period, questionnaire=questionnaire
    )


def _answer_all(assessment, user, component="political", **steps):
    """Every indicator asked of ``component`` at 3, unless ``steps`` says otherwise."""
    response = assessment.responses.get(component=component)
    inputs = []
    for indicator in response_applicable_indicators(assessment=assessment, component=component):
        choice = steps.get(indicator.code.replace("-", "_"), "3")
        reason = "No humanitarian operation in this district." if choice == "na" else ""
        inputs.append(AnswerInput(indicator.code, choice, na_reason=reason))
    response_answers_save(response=response, by=user, answers=inputs)
    return response


def _complete(response, user, capture):
    with capture(execute=True):
        response_mark_complete(response=response, by=user)


def test_method_3_stores_the_gated_headline_and_each_indicators_finding(
    personas, assessment_v3, django_capture_on_commit_callbacks
):
    response = _answer_all(assessment_v3, personas.respondent_a, HUM_02="5")
    _complete(response, personas.respondent_a, django_capture_on_commit_callbacks)
    score_set = assessment_scores_compute(assessment_id=assessment_v3.pk, method=3)
    assert score_set is not None
    stored = ScoreSet.objects.get(pk=score_set.pk)
    assert stored.method_version == "imp-score-3.0"
    data, _tags = scoring_inputs_v3([assessment_v3], {})[assessment_v3.pk]
    expected = method_v3.score_assessment(data).headline
    assert stored.critical_count == expected.critical_count >= 1
    assert stored.contested_count == expected.contested_count
    assert stored.coverage == pytest.approx(expected.coverage)
    assert stored.uncapped_alignment == pytest.approx(expected.uncapped_alignment)
    assert stored.enough_answers is expected.enough_answers
    # The alignment shown is capped: a critical finding gates the headline.
    if stored.enough_answers:
        assert stored.alignment == pytest.approx(min(50.0, stored.uncapped_alignment))
    else:
        assert stored.alignment is None
    hum_02 = IndicatorScore.objects.get(score_set=stored, indicator_code="HUM-02")
    assert (hum_02.status, hum_02.critical, hum_02.flag) == ("critical", True, "over_integration")
    assert hum_02.band_reason  # why its band applied
    assert stored.detail["headline"]["critical_count"] == stored.critical_count


def test_method_2_results_are_kept_beside_method_3(
    personas, assessment_v3, django_capture_on_commit_callbacks
):
    response = _answer_all(assessment_v3, personas.respondent_a)
    _complete(response, personas.respondent_a, django_capture_on_commit_callbacks)
    # Completing scored it with the current method (3); method 2 on request, and then 3 again.
    assert set(
        ScoreSet.objects.filter(assessment=assessment_v3).values_list("method_version", flat=True)
    ) == {"imp-score-3.0"}
    assessment_scores_compute(assessment_id=assessment_v3.pk, method=2)
    assessment_scores_compute(assessment_id=assessment_v3.pk, method=3)
    versions = set(
        ScoreSet.objects.filter(assessment=assessment_v3).values_list("method_version", flat=True)
    )
    assert versions == {"imp-score-2.0", "imp-score-3.0"}
    v2 = ScoreSet.objects.get(assessment=assessment_v3, method_version="imp-score-2.0")
    assert v2.critical_count is None and v2.coverage is None


def test_a_respondents_na_on_v3_needs_a_written_reason(personas, assessment_v3):
    response = assessment_v3.responses.get(component="political")
    with pytest.raises(ValidationError) as error:
        response_answers_save(
            response=response, by=personas.respondent_a, answers=[AnswerInput("HUM-01", "na")]
        )
    assert "HUM-01" in error.value.message_dict
    assert "not applicable needs a reason" in error.value.message_dict["HUM-01"][0]
    assert not Answer.objects.exists()


def test_the_answering_page_refuses_na_without_a_reason_and_keeps_one_with_it(
    client, personas, assessment_v3
):
    client.force_login(personas.respondent_a)
    url = reverse("assessments:answer", args=[assessment_v3.pk, "political", "HUM"])
    data = {"go": "stay", "HUM-01-choice": "na"}
    asked = response_applicable_indicators(assessment=assessment_v3, component="political")
    for indicator in asked:
        data[f"{indicator.code}-revision"] = "0"
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "not applicable needs a reason" in refused.content.decode()
    assert not Answer.objects.exists()
    saved = client.post(url, {**data, "HUM-01-na_reason": "No humanitarian actors here."})
    assert saved.status_code == 302
    answer = Answer.objects.get(indicator__code="HUM-01")
    assert (answer.choice, answer.na_reason, answer.na_confirmed) == (
        "na",
        "No humanitarian actors here.",
        False,
    )


def test_an_answer_to_an_indicator_the_profile_rules_out_is_refused(personas, assessment_v3):
    context_profile_set(
        mission=personas.mission_a,
        period=assessment_v3.period,
        profile=dataclasses.replace(DEFAULT_PROFILE, leadership="none"),
        reason="No deputy SRSG holds the RC/HC functions.",
        by=personas.focal_point_a,
    )
    response = assessment_v3.responses.get(component="political")
    with pytest.raises(ValidationError) as error:
        response_answers_save(
            response=response, by=personas.respondent_a, answers=[AnswerInput("LEAD-02", "4")]
        )
    assert "its context profile rules it out" in error.value.message_dict["LEAD-02"][0]
    assert not Answer.objects.exists()


def _na_on_hum_01(assessment, user):
    response = assessment.responses.get(component="political")
    response_answers_save(
        response=response,
        by=user,
        answers=[AnswerInput("HUM-01", "na", na_reason="No humanitarian actors here.")],
    )
    return Answer.objects.get(indicator__code="HUM-01")


def test_the_focal_point_confirms_a_respondents_na_on_a_safeguard(client, personas, assessment_v3):
    answer = _na_on_hum_01(assessment_v3, personas.respondent_a)
    url = reverse("assessments:not_applicable_confirm", args=[assessment_v3.pk])
    client.force_login(personas.respondent_a)
    assert client.post(url, {"answer": answer.pk, "confirm": "1"}).status_code == 403
    client.force_login(personas.focal_point_a)
    page = client.get(url).content.decode()
    assert "No humanitarian actors here." in page and "Confirm N/A on HUM-01" in page
    assert client.post(url, {"answer": answer.pk, "confirm": "1"}).status_code == 302
    answer.refresh_from_db()
    assert answer.na_confirmed and answer.na_confirmed_by == personas.focal_point_a
    # Changing the reason takes the confirmation away: it must be confirmed again.
    response_answers_save(
        response=answer.response,
        by=personas.respondent_a,
        answers=[AnswerInput("HUM-01", "na", na_reason="Another reason.")],
    )
    answer.refresh_from_db()
    assert not answer.na_confirmed


def test_only_an_na_with_a_reason_on_a_safeguard_can_be_confirmed(client, personas, assessment_v3):
    response = assessment_v3.responses.get(component="political")
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[AnswerInput("LEAD-01", "na", na_reason="Not our business.")],
    )
    lead = Answer.objects.get(indicator__code="LEAD-01")
    client.force_login(personas.focal_point_a)
    url = reverse("assessments:not_applicable_confirm", args=[assessment_v3.pk])
    refused = client.post(url, {"answer": lead.pk, "confirm": "1"})
    assert refused.status_code == 400
    assert "Only a not-applicable answer on a safeguard needs confirming." in (
        refused.content.decode()
    )
    lead.refresh_from_db()
    assert not lead.na_confirmed


def test_a_confirmed_na_is_read_by_method_3_and_an_unconfirmed_one_is_not(
    personas, assessment_v3, client
):
    answer = _na_on_hum_01(assessment_v3, personas.respondent_a)
    data, _tags = scoring_inputs_v3([assessment_v3], {})[assessment_v3.pk]
    # The response is a draft: nothing read yet; the loader reads complete responses only.
    assert not data.answers
    answer.response.status = "complete"
    answer.response.save()
    data, _tags = scoring_inputs_v3([assessment_v3], {})[assessment_v3.pk]
    (read,) = [a for a in data.answers if a.indicator_code == "HUM-01"]
    assert (read.kind, read.reason, read.confirmed) == ("na", "No humanitarian actors here.", False)
    answer.response.status = "draft"
    answer.response.save()
    client.force_login(personas.focal_point_a)
    url = reverse("assessments:not_applicable_confirm", args=[assessment_v3.pk])
    client.post(url, {"answer": answer.pk, "confirm": "1"})
    answer.response.status = "complete"
    answer.response.save()
    data, _tags = scoring_inputs_v3([assessment_v3], {})[assessment_v3.pk]
    (read,) = [a for a in data.answers if a.indicator_code == "HUM-01"]
    assert read.confirmed


# --- rescore --method 3 -----------------------------------------------------------------------


@pytest.fixture
def assessment_on_v2(personas, current_period):
    """Mission A answered on IMP-CORE v2; v3 is loaded beside it."""
    call_command("questionnaire_load", str(DATA / "imp-core-v2.yaml"), "--publish")
    call_command("questionnaire_load", str(DATA / "imp-core-v3.yaml"), "--publish")
    questionnaire = Questionnaire.objects.get(code="IMP-CORE", version=2)
    return assessment_open(
        mission=personas.mission_a, period=current_period, questionnaire=questionnaire
    )


def test_rescore_method_3_maps_v2_answers_by_code_and_says_what_it_could_not_map(
    personas, assessment_on_v2, capsys, django_capture_on_commit_callbacks
):
    response = _answer_all(assessment_on_v2, personas.respondent_a, HUM_02="5")
    _complete(response, personas.respondent_a, django_capture_on_commit_callbacks)
    # History scored before method 3 became current holds a method 2 result.
    assessment_scores_compute(assessment_id=assessment_on_v2.pk, method=2)
    ScoreSet.objects.filter(assessment=assessment_on_v2, method_version="imp-score-3.0").delete()
    call_command("rescore", "--method", "3", "--mission", personas.mission_a.code)
    out = capsys.readouterr().out
    assert "IMP-CORE v2: read on IMP-CORE v3, answers mapped by code for" in out
    assert "IMP-CORE v2: could not map" in out and "(added or reworded:" in out
    assert "Re-scored with imp-score-3.0: 1 scored" in out
    stored = ScoreSet.objects.get(assessment=assessment_on_v2, method_version="imp-score-3.0")
    assert stored.critical_count >= 1  # HUM-02 at 5 kept its meaning: critical
    codes = set(
        IndicatorScore.objects.filter(score_set=stored).values_list("indicator_code", flat=True)
    )
    assert "HUM-02" in codes
    # The v2 result stays as it was.
    assert ScoreSet.objects.filter(
        assessment=assessment_on_v2, method_version="imp-score-2.0"
    ).exists()


def test_rescore_method_3_without_a_questionnaire_with_safeguards_scores_nothing(
    personas, assessment_a, capsys, django_capture_on_commit_callbacks
):
    response = assessment_a.responses.get(component="political")
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[
            AnswerInput("LEAD-01", "3"),
            AnswerInput("LEAD-02", "3"),
            AnswerInput("HUM-01", "3"),
        ],
    )
    _complete(response, personas.respondent_a, django_capture_on_commit_callbacks)
    call_command("rescore", "--method", "3")
    out = capsys.readouterr().out
    assert "no version with safeguards is loaded" in out
    assert "Nothing method 3 can score for these filters." in out
    assert not ScoreSet.objects.filter(method_version="imp-score-3.0").exists()


def test_completing_a_response_stores_method_3_with_method_2s_descriptive_figures(
    personas, assessment_v3, django_capture_on_commit_callbacks
):
    """Method 3 is current: completing a response stores its result, and beside its findings
    the figures that describe (integration level, mean steps, each component's view), equal to
    method 2's reading of the same answers; every alignment, flag and count is method 3's."""
    from scoring import method_v2
    from scoring.method_v3_input import descriptive_input
    from scoring.models import CoherenceLevelScore, ComponentDimensionScore, DimensionScore

    response = _answer_all(assessment_v3, personas.respondent_a, HUM_02="5")
    _complete(response, personas.respondent_a, django_capture_on_commit_callbacks)
    stored = ScoreSet.objects.get(assessment=assessment_v3)
    assert stored.method_version == "imp-score-3.0"
    data, _tags = scoring_inputs_v3([assessment_v3], {})[assessment_v3.pk]
    described = method_v2.score_assessment(descriptive_input(data))
    result = method_v3.score_assessment(data)
    assert stored.index == pytest.approx(described.findings.integration_level)
    assert stored.score == pytest.approx(described.findings.score)
    assert stored.stage == (described.stage or "")
    # The headline and counts are method 3's, not method 2's.
    assert stored.alignment == result.headline.alignment
    assert stored.critical_count == result.headline.critical_count >= 1
    assert stored.shortfall_count == len(result.mission.shortfall)
    for row in DimensionScore.objects.filter(score_set=stored):
        seen = next(d for d in described.dimensions if d.code == row.dimension_code)
        mine = next(d for d in result.dimensions if d.key == row.dimension_code)
        assert row.score == (
            None if seen.findings.score is None else pytest.approx(seen.findings.score)
        )
        assert row.alignment == (None if mine.alignment is None else pytest.approx(mine.alignment))
        assert (row.gap, row.gap_flag) == (None, "")  # no judgement from a mean
    levels = {c.level: c.findings.score for c in described.coherence_levels}
    for row in CoherenceLevelScore.objects.filter(score_set=stored):
        assert row.score == (
            None if levels[row.level] is None else pytest.approx(levels[row.level])
        )
    views = {(p.component, d.code): d.score for p in described.profiles for d in p.dimensions}
    stored_views = {
        (c.component, c.dimension_code): c.score
        for c in ComponentDimensionScore.objects.filter(score_set=stored)
    }
    assert stored_views.keys() == views.keys() and views
    assert all(stored_views[k] == pytest.approx(v) for k, v in views.items() if v is not None)
