"""Scoring jobs: stored once per method version, replaced on rerun, never lost."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from assessments.services import AnswerInput, response_answers_save, response_mark_complete
from scoring.inputs import scoring_input
from scoring.method import FALLBACK_METHOD, METHODS
from scoring.models import ComponentDimensionScore, DimensionScore, ScoreSet, TagCount
from scoring.services import (
    assessment_scores_compute,
    scoring_pending,
    scoring_request,
    scoring_sweep,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(personas, assessment_a, django_capture_on_commit_callbacks):
    response = assessment_a.responses.get(component="political")
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[
            AnswerInput("LEAD-01", "2", tag_codes=("LEAD-B-ROLES",)),
            AnswerInput("LEAD-02", "4"),
            AnswerInput("HUM-01", "na"),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response_mark_complete(response=response, by=personas.respondent_a)
    assessment_a.refresh_from_db()
    return assessment_a


def test_scores_are_stored_per_dimension_level_component_and_tag(completed):
    score_set = ScoreSet.objects.get(assessment=completed)
    # The test questionnaire has no safeguards and no later version with them: the current
    # method (3) cannot read it, so the fallback method scores it.
    assert score_set.method_version == METHODS[FALLBACK_METHOD].label
    assert score_set.mission_id == completed.mission_id
    lead = DimensionScore.objects.get(score_set=score_set, dimension_code="LEAD")
    assert lead.score == pytest.approx(3.0)  # mean of 2 and 4, equal weights
    assert (lead.target, lead.gap, lead.completeness) == (4, pytest.approx(1.0), 1.0)
    assert lead.gap_flag == "shortfall"
    hum = DimensionScore.objects.get(score_set=score_set, dimension_code="HUM")
    assert (hum.score, hum.completeness, hum.sufficient) == (None, 0.0, False)
    assert (
        ComponentDimensionScore.objects.filter(score_set=score_set, component="political").count()
        == 2
    )
    tag = TagCount.objects.get(score_set=score_set)
    assert (tag.dimension_code, tag.tag_code, tag.kind, tag.count) == (
        "LEAD",
        "LEAD-B-ROLES",
        "barrier",
        1,
    )


def test_stored_index_is_the_methods_index(completed):
    data, _tags = scoring_input(completed)
    expected = METHODS[FALLBACK_METHOD].score(data).findings.integration_level
    assert ScoreSet.objects.get(assessment=completed).index == expected


def test_rerun_replaces_the_result_set_instead_of_doubling_it(completed):
    first = ScoreSet.objects.get(assessment=completed).pk
    assessment_scores_compute(assessment_id=completed.pk)
    assessment_scores_compute(assessment_id=completed.pk)
    assert ScoreSet.objects.filter(assessment=completed).count() == 1
    assert ScoreSet.objects.get(assessment=completed).pk != first
    assert DimensionScore.objects.count() == 2


def test_nothing_is_stored_before_any_component_completes(assessment_a):
    assert assessment_scores_compute(assessment_id=assessment_a.pk) is None
    assert not ScoreSet.objects.exists()


def test_query_count_per_assessment_does_not_depend_on_the_number_of_indicators(
    personas, completed, django_assert_num_queries
):
    from django.core.management import call_command as load
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.services import assessment_open
    from questionnaires.models import Questionnaire
    from tests.assessments.conftest import PeriodFactory

    with CaptureQueriesContext(connection) as small:
        assessment_scores_compute(assessment_id=completed.pk)
    # Method v2 reads overrides, N/A declarations and every response, and stores indicator
    # rows; a questionnaire without bands costs two more (the later version's bands), and the
    # current method (3) one more to find that it cannot read it (no version with safeguards).
    assert len(small.captured_queries) <= 27
    # The same for the full 55-indicator questionnaire.
    load("questionnaire_load", "questionnaires/data/imp-core-v1.yaml", "--publish")
    big = Questionnaire.objects.get(code="IMP-CORE")
    period = PeriodFactory(year=2020, quarter=1)
    assessment = assessment_open(mission=personas.mission_a, period=period, questionnaire=big)
    response = assessment.responses.get(component="political")
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        # One tag, as in the small case, so both store the same kinds of rows.
        answers=[
            AnswerInput(
                i.code,
                "3",
                tag_codes=tuple(i.dimension.tags.values_list("code", flat=True)[:1])
                if i.code == "LEAD-01"
                else (),
            )
            for i in big.indicators.select_related("dimension")
        ],
    )
    response_mark_complete(response=response, by=personas.respondent_a)
    assessment_scores_compute(assessment_id=assessment.pk)  # both now replace a stored set
    with django_assert_num_queries(len(small.captured_queries)):
        assessment_scores_compute(assessment_id=assessment.pk)


def test_a_request_without_a_newer_result_is_pending_and_the_sweeper_sends_it(
    completed, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        "scoring.services._send", lambda assessment_id: sent.append(assessment_id) or True
    )
    assert not scoring_pending(older_than=datetime.timedelta(0)).exists()
    # Asked again (a later change), and the message was lost.
    completed.__class__.objects.filter(pk=completed.pk).update(scoring_requested_at=timezone.now())
    assert list(scoring_pending(older_than=datetime.timedelta(0))) == [completed]
    assert not scoring_pending().exists()  # not yet: give the worker a few minutes first
    now = timezone.now()
    ScoreSet.objects.update(computed_at=now - datetime.timedelta(minutes=20))
    completed.__class__.objects.filter(pk=completed.pk).update(
        scoring_requested_at=now - datetime.timedelta(minutes=10)
    )
    assert scoring_sweep() == 1
    assert sent == [completed.pk]


def test_a_broker_outage_never_fails_the_users_request(
    completed, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("scoring.tasks.assessment_score.apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        scoring_request(assessment_id=completed.pk)  # logs, does not raise
    completed.refresh_from_db()
    assert completed.scoring_requested_at is not None


def test_rescore_command_scores_the_filtered_assessments_and_reports_counts(completed, capsys):
    ScoreSet.objects.all().delete()
    call_command(
        "rescore", "--period", completed.period.label, "--mission", "MSN-A", "--method", "2"
    )
    out = capsys.readouterr().out
    assert "1 scored, 0 with nothing to score, 0 failed" in out
    assert ScoreSet.objects.filter(assessment=completed).count() == 1


def test_rescore_with_nothing_to_do_says_so(completed, capsys):
    call_command("rescore", "--mission", "NOPE")
    assert "Nothing to score" in capsys.readouterr().out


def test_rescore_rejects_a_malformed_period(completed):
    with pytest.raises(CommandError, match="2026-Q3"):
        call_command("rescore", "--period", "last-quarter")


def test_board_shows_scoring_until_results_exist_then_the_drill_down(client, personas, completed):
    client.force_login(personas.focal_point_a)
    board = reverse("assessments:board", args=[completed.pk])
    html = client.get(board).content.decode()
    assert "Scoring…" not in html
    assert 'id="findings"' in html  # method 2 reads indicators against their bands
    assert "LEAD-01" in html and "Political: 2" in html  # the component answer behind the score
    assert "shortfall" in html
    assert "insufficient data" in html  # HUM has only a not-applicable answer
    completed.__class__.objects.filter(pk=completed.pk).update(
        scoring_requested_at=timezone.now() + datetime.timedelta(seconds=5)
    )
    assert "Scoring…" in client.get(board).content.decode()
