"""Webhooks received by a real HTTP server on this machine: the workflow's and scoring's
events arrive signed (HMAC-SHA256 with a timestamp), carry no answer or evidence text, and a
failing receiver gets retries, a delivery log with the status codes, and is switched off."""

import datetime
import hmac
import http.server
import json
import threading
import time

import pytest
from django.core.exceptions import ValidationError

from assessments.services import (
    AnswerInput,
    assessment_approve,
    assessment_reopen,
    assessment_submit,
    response_answers_save,
    response_mark_complete,
)
from tests.assessments.conftest import ALL_INDICATORS
from webhooks.models import DeliveryStatus, Webhook, WebhookDelivery, validate_webhook_url
from webhooks.secret_box import webhook_secret_decrypt
from webhooks.services import webhook_deliveries_sweep
from webhooks.signing import signature, signature_valid

pytestmark = pytest.mark.django_db

EVIDENCE = "Secret evidence the respondent typed"


class Receiver:
    """A local HTTP server that records every POST and answers ``status``."""

    def __init__(self, status: int = 200, first: list[int] | None = None):
        self.status = status
        self.first = list(first or [])  # answered, in order, before ``status``
        self.received: list[dict] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the http.server API)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.first.pop(0) if receiver.first else receiver.status
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    settings.WEBHOOK_INTERNAL_RECEIVERS = ["127.0.0.1/32"]  # the receiver below
    settings.WEBHOOK_RETRY_BACKOFF = 0
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_DISABLE_AFTER = 2
    settings.SITE_URL = "https://imp.example.org"


def _complete(assessment, user):
    response = assessment.responses.get(component="political")
    response_answers_save(
        response=response,
        by=user,
        answers=[
            AnswerInput(code, choice, base_revision=None, evidence=EVIDENCE)
            for code, choice in zip(ALL_INDICATORS, ("3", "4", "2"), strict=True)
        ],
    )
    response_mark_complete(response=response, by=user)


def test_workflow_and_scoring_events_arrive_signed_and_without_answers(
    personas, assessment_a, receiver, django_capture_on_commit_callbacks
):
    hook = Webhook.objects.create(name="UN system", url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        _complete(assessment_a, personas.respondent_a)  # scoring runs (eagerly)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=assessment_a, by=personas.focal_point_a)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_approve(assessment=assessment_a, by=personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_reopen(assessment=assessment_a, by=personas.admin, reason="Typo in target")

    events = [json.loads(r["body"]) for r in receiver.received]
    types = [e["type"] for e in events]
    assert types.count("scoring.finished") >= 2  # on completion and on submission
    assert [t for t in types if t.startswith("assessment.")] == [
        "assessment.submitted",
        "assessment.approved",
        "assessment.reopened",
    ]
    now = time.time()
    for request in receiver.received:
        headers, body = request["headers"], request["body"]
        assert signature_valid(
            secret=webhook_secret_decrypt(hook.secret),
            timestamp=headers["X-Imp-Timestamp"],
            body=body,
            header=headers["X-Imp-Signature"],
            now=now,
        )
        assert not signature_valid(
            secret="wrong", timestamp=headers["X-Imp-Timestamp"], body=body,
            header=headers["X-Imp-Signature"], now=now,
        )  # fmt: skip
        assert EVIDENCE not in body.decode() and "Typo in target" not in body.decode()
    approved = next(e for e in events if e["type"] == "assessment.approved")
    assert approved["data"]["assessment_id"] == assessment_a.pk
    assert approved["data"]["mission"] == "MSN-A"
    assert approved["data"]["status"] == "approved"
    assert approved["data"]["links"]["board"] == (
        f"https://imp.example.org/assessments/{assessment_a.pk}/"
    )
    scored = next(e for e in events if e["type"] == "scoring.finished")
    assert scored["data"]["method_version"]
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count() == len(events)
    assert set(WebhookDelivery.objects.values_list("last_status_code", flat=True)) == {200}


def test_only_the_chosen_events_are_sent(
    personas, assessment_a, receiver, django_capture_on_commit_callbacks
):
    Webhook.objects.create(name="approvals", url=receiver.url, events=["assessment.approved"])
    with django_capture_on_commit_callbacks(execute=True):
        _complete(assessment_a, personas.respondent_a)
        assessment_submit(assessment=assessment_a, by=personas.focal_point_a)
        assessment_approve(assessment=assessment_a, by=personas.admin)
    assert [json.loads(r["body"])["type"] for r in receiver.received] == ["assessment.approved"]


def test_a_failing_receiver_gets_retries_then_the_webhook_is_switched_off(
    personas, assessment_a, django_capture_on_commit_callbacks
):
    failing = Receiver(status=500)
    try:
        hook = Webhook.objects.create(
            name="broken", url=failing.url, events=["assessment.submitted", "assessment.reopened"]
        )
        _complete(assessment_a, personas.respondent_a)
        with django_capture_on_commit_callbacks(execute=True):
            assessment_submit(assessment=assessment_a, by=personas.focal_point_a)
        assert len(failing.received) == 3  # WEBHOOK_MAX_ATTEMPTS
        first = WebhookDelivery.objects.get()
        assert first.status == DeliveryStatus.FAILED and first.attempts == 3
        assert list(first.attempt_log.values_list("status_code", flat=True)) == [500, 500, 500]
        ids = {r["headers"]["X-Imp-Delivery"] for r in failing.received}
        assert ids == {str(first.event_id)}  # a retry is the same event
        hook.refresh_from_db()
        assert hook.is_active and hook.consecutive_failures == 1

        with django_capture_on_commit_callbacks(execute=True):
            assessment_reopen(assessment=assessment_a, by=personas.admin, reason="again")
        hook.refresh_from_db()
        assert not hook.is_active and hook.disabled_at is not None
        assert hook.consecutive_failures == 2
        assert len(failing.received) == 6

        # Switched off: later events are not even recorded for it.
        with django_capture_on_commit_callbacks(execute=True):
            assessment_submit(assessment=assessment_a, by=personas.focal_point_a)
        assert len(failing.received) == 6 and WebhookDelivery.objects.count() == 2
    finally:
        failing.close()


def test_a_receiver_that_recovers_resets_the_failure_count(
    personas, assessment_a, django_capture_on_commit_callbacks
):
    flaky = Receiver(status=200, first=[503])
    try:
        hook = Webhook.objects.create(
            name="flaky", url=flaky.url, events=["assessment.submitted"], consecutive_failures=1
        )
        _complete(assessment_a, personas.respondent_a)
        with django_capture_on_commit_callbacks(execute=True):
            assessment_submit(assessment=assessment_a, by=personas.focal_point_a)
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2
        assert list(delivery.attempt_log.values_list("status_code", flat=True)) == [503, 200]
        hook.refresh_from_db()
        assert hook.is_active and hook.consecutive_failures == 0
    finally:
        flaky.close()


def test_webhook_urls_must_be_https(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False
    validate_webhook_url("https://receiver.example.org/hook")
    for url in ("http://receiver.example.org/hook", "http://127.0.0.1:9/hook", "ftp://x/y"):
        with pytest.raises(ValidationError):
            validate_webhook_url(url)


def test_signature_is_hmac_sha256_of_timestamp_and_body_within_the_replay_window():
    body = b'{"id":"x"}'
    header = signature(secret="s3cret", timestamp=1_700_000_000, body=body)
    assert header == ("v1=" + hmac.new(b"s3cret", b"1700000000." + body, "sha256").hexdigest())
    assert signature_valid(
        secret="s3cret", timestamp="1700000000", body=body, header=header, now=1_700_000_299
    )
    assert not signature_valid(
        secret="s3cret", timestamp="1700000000", body=body, header=header, now=1_700_000_301
    )
    assert not signature_valid(
        secret="s3cret", timestamp="1700000000", body=body + b" ", header=header, now=1_700_000_000
    )


def test_the_sweep_resends_deliveries_no_worker_attempted(personas, receiver):
    hook = Webhook.objects.create(name="UN system", url=receiver.url)
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="assessment.approved", payload={"type": "assessment.approved"}
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created_at=delivery.created_at - datetime.timedelta(hours=2)
    )
    assert webhook_deliveries_sweep() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and len(receiver.received) == 1
    assert webhook_deliveries_sweep() == 0
