"""Scores are never lost or doubled when a worker or Redis fails (real services)."""

import shutil
import socket
import subprocess
import time

import psycopg
import pytest
from django.urls import reverse

from assessments.models import Response
from assessments.services import AnswerInput, response_answers_save
from imp_assess.celery import app
from scoring.inputs import scoring_input
from scoring.method import FALLBACK_METHOD, METHODS
from scoring.models import ScoreSet
from scoring.tasks import assessment_score
from tests.assessments.conftest import ALL_INDICATORS
from tests.live_worker import live_worker, new_queue, wait_until, worker_database_url

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def _answer_everything(response, user):
    response_answers_save(
        response=response,
        by=user,
        answers=[AnswerInput(code, step) for code, step in zip(ALL_INDICATORS, "342", strict=True)],
    )


def _complete_without_scoring(response, user):
    _answer_everything(response, user)
    Response.objects.filter(pk=response.pk).update(status="complete")


def test_a_worker_killed_mid_scoring_leaves_exactly_one_correct_result(personas, assessment_a):
    response = assessment_a.responses.get(component="political")
    _complete_without_scoring(response, personas.respondent_a)
    short_timeouts = {
        "CELERY_VISIBILITY_TIMEOUT": "8",
        "CELERY_TASK_TIME_LIMIT": "6",
        "CELERY_TASK_SOFT_TIME_LIMIT": "5",
        "CELERY_UNACKED_RESTORE_INTERVAL": "2",
        "EXPORT_TASK_TIME_LIMIT": "5",
    }
    queue = new_queue()
    # Hold the assessment's row lock so the worker is stuck inside the scoring task.
    with psycopg.connect(worker_database_url()) as blocker:
        blocker.execute(
            "SELECT id FROM assessments_assessment WHERE id = %s FOR UPDATE", [assessment_a.pk]
        )
        with live_worker(queue=queue, env=short_timeouts, kill=True) as (_node, _q, process):
            assessment_score.apply_async((assessment_a.pk,), queue=queue)

            def worker_waits_on_the_lock():
                # A connection of its own: pg_stat_activity is frozen inside a transaction.
                with psycopg.connect(worker_database_url(), autocommit=True) as watcher:
                    (waiting,) = watcher.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND query ILIKE '%FOR UPDATE%'"
                    ).fetchone()
                return waiting > 0

            assert wait_until(worker_waits_on_the_lock, timeout=30)
            process.kill()  # SIGKILL in the middle of scoring
            process.wait(timeout=10)
        blocker.rollback()
    assert not ScoreSet.objects.filter(assessment=assessment_a).exists()

    # A new worker gets the unacknowledged message back and scores once.
    with live_worker(queue=queue, env=short_timeouts):
        assert wait_until(
            lambda: ScoreSet.objects.filter(assessment=assessment_a).exists(), timeout=90
        )
        time.sleep(3)  # a second delivery, if any, would land now
    assert ScoreSet.objects.filter(assessment=assessment_a).count() == 1
    expected = METHODS[FALLBACK_METHOD].score(scoring_input(assessment_a)[0]).findings
    assert ScoreSet.objects.get(assessment=assessment_a).index == pytest.approx(
        expected.integration_level
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(port: int) -> subprocess.Popen:
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert wait_until(lambda: _redis_up(port), timeout=10)
    return process


def _redis_up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _use_broker(url: str) -> None:
    app.conf.broker_url = url
    app._pool = None  # connection pools are built lazily from the new URL
    app.amqp._producer_pool = None


@pytest.fixture
def private_broker():
    """A Redis of this test's own, so stopping it disturbs nobody else."""
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    previous = app.conf.broker_url
    state = {"process": _start_redis(port), "port": port, "url": url}
    _use_broker(url)
    yield state
    state["process"].terminate()
    state["process"].wait(timeout=10)
    _use_broker(previous)


def test_submissions_while_redis_is_down_are_saved_and_scored_after_it_returns(
    client, personas, assessment_a, assessment_b, private_broker
):
    private_broker["process"].terminate()
    private_broker["process"].wait(timeout=10)
    assert not _redis_up(private_broker["port"])

    submitted = []
    for respondent, focal_point, assessment, component in (
        (personas.respondent_a, personas.focal_point_a, assessment_a, "political"),
        (personas.respondent_b, personas.focal_point_b, assessment_b, "military"),
    ):
        response = assessment.responses.get(component=component)
        _answer_everything(response, respondent)
        client.force_login(respondent)
        page = client.post(reverse("assessments:complete", args=[assessment.pk, component]))
        assert page.status_code == 302, page.content.decode()[:500]
        client.force_login(focal_point)
        page = client.post(reverse("assessments:submit", args=[assessment.pk]), {})
        assert page.status_code == 302, page.content.decode()[:500]
        assessment.refresh_from_db()
        assert assessment.status == "submitted"
        submitted.append(assessment.pk)
    assert not ScoreSet.objects.exists()  # nothing could reach a worker

    private_broker["process"] = _start_redis(private_broker["port"])
    worker_env = {"REDIS_URL": private_broker["url"], "SCORING_SWEEP_AFTER_SECONDS": "0"}
    with live_worker(queue="celery", env=worker_env):
        from scoring.tasks import scoring_sweeper

        scoring_sweeper.apply_async(queue="celery")
        assert wait_until(
            lambda: ScoreSet.objects.filter(assessment_id__in=submitted).count() == len(submitted),
            timeout=90,
        )
    assert ScoreSet.objects.filter(assessment_id__in=submitted).count() == len(submitted)
