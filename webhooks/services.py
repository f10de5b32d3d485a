"""Webhook events: recorded in the transaction that caused them, sent by Celery after the
commit, signed (``webhooks.signing``), retried with exponential backoff, logged attempt by
attempt, and a webhook whose events keep failing is switched off.

Events carry ids, codes, statuses and links only: never an answer, evidence or any text that
a user typed.
"""

import datetime
import json
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus
from imp_assess.tasks import send_on_commit, task_send
from missions.periods import quarter_label
from scoring.headline import headlines_for_assessments
from scoring.models import ScoreSet
from webhooks.models import (
    DeliveryStatus,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEventKind,
)
from webhooks.network import post_pinned
from webhooks.secret_box import (
    InvalidToken,
    webhook_secret_decrypt,
    webhook_secret_encrypt,
    webhook_secret_new,
)
from webhooks.signing import signature

logger = logging.getLogger(__name__)

_STATUS_EVENTS: dict[str, str] = {
    AssessmentStatus.SUBMITTED: WebhookEventKind.ASSESSMENT_SUBMITTED,
    AssessmentStatus.APPROVED: WebhookEventKind.ASSESSMENT_APPROVED,
}
USER_AGENT = "imp-assess-webhooks/1"


def _link(path: str, query: dict[str, str] | None = None) -> str:
    return settings.SITE_URL + path + (f"?{urlencode(query)}" if query else "")


def _assessment_data(assessment_id: int) -> dict[str, Any] | None:
    row = (
        Assessment.objects.filter(pk=assessment_id)
        .values(
            "pk",
            "status",
            "mission__code",
            "mission__is_demo",
            "period__year",
            "period__quarter",
            "questionnaire__code",
            "questionnaire__version",
        )
        .first()
    )
    if row is None:
        return None
    quarter = quarter_label(row["period__year"], row["period__quarter"])
    in_quarter = {"mission": row["mission__code"], "quarter_from": quarter, "quarter_to": quarter}
    return {
        "assessment_id": row["pk"],
        "mission": row["mission__code"],
        "demo_data": row["mission__is_demo"],
        "quarter": quarter,
        "status": row["status"],
        "questionnaire": row["questionnaire__code"],
        "questionnaire_version": row["questionnaire__version"],
        "links": {
            "board": _link(reverse("assessments:board", args=[row["pk"]])),
            "api_assessment": _link(reverse("api:assessments"), in_quarter),
            "api_dimension_scores": _link(reverse("api:dimension_scores"), in_quarter),
        },
    }


def webhook_event_emit(*, event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """One delivery per active webhook that wants ``event``; each is sent after the commit."""
    deliveries = []
    for webhook in Webhook.objects.filter(is_active=True):
        if webhook.events and event not in webhook.events:
            continue
        delivery = WebhookDelivery(webhook=webhook, event=event, payload={})
        delivery.payload = {
            "id": str(delivery.event_id),
            "type": event,
            "created_at": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "data": data,
        }
        delivery.save()
        send_on_commit(_send, delivery.pk)
        deliveries.append(delivery)
    return deliveries


def _send(delivery_id: int) -> bool:
    from webhooks.tasks import webhook_deliver  # the tasks module imports this one

    return task_send(webhook_deliver, delivery_id, what=f"webhook delivery {delivery_id}")


def webhook_assessment_status_changed(*, assessment_id: int, status: str, previous: str) -> None:
    event: str | None = _STATUS_EVENTS.get(status)
    if status == AssessmentStatus.OPEN and previous != AssessmentStatus.OPEN:
        event = WebhookEventKind.ASSESSMENT_REOPENED
    if event is None:
        return
    data = _assessment_data(assessment_id)
    if data is not None:
        data["previous_status"] = previous
        webhook_event_emit(event=event, data=data)


def webhook_scores_stored_batch(*, assessment_ids: list[int]) -> None:
    """A "scoring finished" event per assessment of a scoring batch, when any active webhook
    wants them (one query when none does)."""
    wanted = any(
        not events or WebhookEventKind.SCORING_FINISHED in events
        for events in Webhook.objects.filter(is_active=True).values_list("events", flat=True)
    )
    if not wanted:
        return
    for assessment_id in assessment_ids:
        webhook_scores_stored(assessment_id=assessment_id)


def webhook_scores_stored(*, assessment_id: int) -> None:
    data = _assessment_data(assessment_id)
    if data is None:
        return
    result = (
        ScoreSet.objects.filter(assessment_id=assessment_id)
        .order_by("-computed_at", "-pk")
        .values("method_version", "computed_at")
        .first()
    )
    if result:
        data["method_version"] = result["method_version"]
        data["computed_at"] = result["computed_at"].strftime("%Y-%m-%dT%H:%M:%SZ")
    # Method v3's gated headline, critical findings first, when the quarter has one.
    headline = headlines_for_assessments(assessment_ids=[assessment_id]).get(assessment_id)
    if headline is not None:
        data["headline"] = headline.as_dict()
    webhook_event_emit(event=WebhookEventKind.SCORING_FINISHED, data=data)


@dataclass(frozen=True)
class AttemptOutcome:
    delivered: bool
    retry_in: int | None  # seconds until the next attempt; None: no more attempts


def webhook_delivery_attempt(*, delivery_id: int) -> AttemptOutcome:
    """Send the delivery once, log the attempt, and say whether and when to try again.
    Safe to run twice: a delivery that succeeded or failed for good is not sent again."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("webhook")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return AttemptOutcome(delivered=False, retry_in=None)
        webhook = delivery.webhook
        if not webhook.is_active:
            delivery.status = DeliveryStatus.FAILED
            delivery.save(update_fields=["status"])
            return AttemptOutcome(delivered=False, retry_in=None)
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.save(update_fields=["attempts", "last_attempt_at"])
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    started = time.monotonic()
    try:
        secret = webhook_secret_decrypt(webhook.secret)
    except InvalidToken:
        status_code, error = None, "signing secret cannot be decrypted (WEBHOOK_SECRET_KEYS)"
    else:
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Imp-Event": delivery.event,
            "X-Imp-Delivery": str(delivery.event_id),
            "X-Imp-Timestamp": str(timestamp),
            "X-Imp-Signature": signature(secret=secret, timestamp=timestamp, body=body),
        }
        status_code, error = post_pinned(webhook.url, body, headers)
    duration_ms = int((time.monotonic() - started) * 1000)
    delivered = status_code is not None and 200 <= status_code < 300
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery, status_code=status_code, error=error, duration_ms=duration_ms
        )
        delivery.last_status_code = status_code
        webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
        if delivered:
            delivery.status = DeliveryStatus.SUCCEEDED
            webhook.consecutive_failures = 0
            webhook.save(update_fields=["consecutive_failures"])
            retry_in = None
        elif delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS:
            retry_in = settings.WEBHOOK_RETRY_BACKOFF * 2 ** (delivery.attempts - 1)
        else:
            delivery.status = DeliveryStatus.FAILED
            retry_in = None
            _webhook_failed(webhook)
        delivery.save(update_fields=["status", "last_status_code"])
    return AttemptOutcome(delivered=delivered, retry_in=retry_in)


def _webhook_failed(webhook: Webhook) -> None:
    webhook.consecutive_failures += 1
    fields = ["consecutive_failures"]
    if webhook.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER:
        webhook.is_active = False
        webhook.disabled_at = timezone.now()
        fields += ["is_active", "disabled_at"]
        logger.warning(
            "webhook %s switched off after %d failed events",
            webhook.pk,
            webhook.consecutive_failures,
        )
    webhook.save(update_fields=fields)


def webhook_deliveries_sweep(*, older_than: datetime.timedelta | None = None) -> int:
    """Re-send pending deliveries that no worker attempted for a while (their message was
    lost); returns how many were sent."""
    slack = older_than or datetime.timedelta(
        seconds=settings.WEBHOOK_RETRY_BACKOFF * 2**settings.WEBHOOK_MAX_ATTEMPTS + 300
    )
    cutoff = timezone.now() - slack
    stale = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, created_at__lt=cutoff)
    stale = stale.exclude(last_attempt_at__gte=cutoff)
    sent = 0
    for delivery_id in stale.values_list("pk", flat=True)[:500]:
        sent += bool(_send(delivery_id))
    return sent


@transaction.atomic
def webhook_secret_rotate(*, webhook: Webhook) -> str:
    """A new signing secret for the webhook, stored encrypted; returned in clear to be shown
    once (the old one stops signing at once)."""
    secret = webhook_secret_new()
    webhook.secret = webhook_secret_encrypt(secret)
    webhook.save(update_fields=["secret"])
    logger.info("webhook %s: new signing secret", webhook.pk)
    return secret
