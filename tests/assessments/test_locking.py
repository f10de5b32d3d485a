"""Saves lock only their own rows, so missions never wait on (or deadlock with) each other.

Found by the load test: a plain FOR UPDATE over a query that joins the period,
indicator and dimension tables locked rows that every mission shares.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.services import (
    AnswerInput,
    dimension_targets_set,
    response_answers_save,
    response_copy_forward,
    response_mark_complete,
)
from scoring.services import assessment_scores_compute
from tests.assessments.conftest import ALL_INDICATORS

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def test_every_row_lock_names_only_the_rows_it_means(personas, assessment_a):
    response = assessment_a.responses.get(component="political")
    with CaptureQueriesContext(connection) as queries:
        response_answers_save(
            response=response,
            by=personas.respondent_a,
            answers=[AnswerInput(code, "3") for code in ALL_INDICATORS],
        )
        response_answers_save(
            response=response, by=personas.respondent_a, answers=[AnswerInput("LEAD-01", "4")]
        )
        copy_forward_from = len(queries.captured_queries)
        response_copy_forward(
            response=response,
            by=personas.respondent_a,
            dimension=assessment_a.questionnaire.dimensions.get(code="LEAD"),
            base_revisions={"LEAD-01": 2, "LEAD-02": 1},
        )
        copy_forward_locks = [
            q["sql"]
            for q in queries.captured_queries[copy_forward_from:]
            if "FOR UPDATE" in q["sql"]
        ]
        response_mark_complete(response=response, by=personas.respondent_a)
        dimension_targets_set(
            assessment=assessment_a, by=personas.focal_point_a, targets={"LEAD": 3}
        )
        assessment_scores_compute(assessment_id=assessment_a.pk)
    # Copy-forward reads the answers it decides on under lock (response, assessment, answers).
    assert any(
        '"assessments_answer"' in sql.split("FOR UPDATE OF", 1)[1] for sql in copy_forward_locks
    )
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locks) >= 6
    for sql in locks:
        assert "FOR UPDATE OF" in sql, sql
        locked = sql.split("FOR UPDATE OF", 1)[1]
        assert "missions_period" not in locked and "questionnaires_" not in locked, sql


def test_the_quarter_settings_lock_only_their_own_rows(personas, assessment_a_v2):
    from assessments.quarter_services import (
        BandInput,
        band_override_clear,
        band_override_set,
        indicator_not_applicable_declare,
        indicator_not_applicable_withdraw,
    )

    with CaptureQueriesContext(connection) as queries:
        band_override_set(
            assessment=assessment_a_v2,
            by=personas.focal_point_a,
            bands=[BandInput("HUM-01", 2, 3, "Why", 0)],
            phase="consolidation",
        )
        band_override_clear(
            assessment=assessment_a_v2, by=personas.focal_point_a, indicator_codes=["HUM-01"]
        )
        indicator_not_applicable_declare(
            assessment=assessment_a_v2,
            by=personas.focal_point_a,
            indicator_code="HUM-01",
            reason="No PoC mandate",
        )
        indicator_not_applicable_withdraw(
            assessment=assessment_a_v2, by=personas.focal_point_a, indicator_code="HUM-01"
        )
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locks) >= 6
    for sql in locks:
        assert "FOR UPDATE OF" in sql, sql
        locked = sql.split("FOR UPDATE OF", 1)[1]
        assert "missions_period" not in locked and "questionnaires_" not in locked, sql
