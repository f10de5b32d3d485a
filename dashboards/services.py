"""Writes of the dashboards: freezing each closed quarter's peer values (docs/security.md).

A quarter closes the day after its due date. ``peer_snapshots_take_due`` (hourly from celery
beat, ``manage.py peer_figures_freeze``, and ``seed_demo``) takes one snapshot per closed
quarter that has none: the values of approved assessments with sufficient data under the
current method, with each mission's kind, region and demo flag. A snapshot is taken once and
never changed; mission staff's peer figures are computed from it only.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import AssessmentStatus
from dashboards.cache import dashboards_scores_changed
from dashboards.models import PeerSnapshot, PeerSnapshotValue
from missions.models import Period
from scoring.models import CoherenceLevelScore, DimensionScore, ScoreSet
from scoring.results import newest_result


def peer_snapshot_take(*, period: Period, now: datetime.datetime | None = None) -> bool:
    """Freeze ``period``'s peer values; False when it was frozen already (never re-taken)."""
    if PeerSnapshot.objects.filter(period=period).exists():
        return False
    sets = ScoreSet.objects.filter(
        newest_result(),
        period=period,
        assessment__status=AssessmentStatus.APPROVED,
    )
    mission_fields = ("mission_id", "mission__kind", "mission__region", "mission__is_demo")
    try:
        with transaction.atomic():
            snapshot = PeerSnapshot.objects.create(period=period, taken_at=now or timezone.now())
            values: list[PeerSnapshotValue] = []

            def add(row: dict, prefix: str, measure: str, value: float | None) -> None:
                if value is None:
                    return
                values.append(
                    PeerSnapshotValue(
                        snapshot=snapshot,
                        period=period,
                        mission_id=row[f"{prefix}mission_id"],
                        kind=row[f"{prefix}mission__kind"],
                        region=row[f"{prefix}mission__region"],
                        is_demo=row[f"{prefix}mission__is_demo"],
                        measure=measure,
                        value=value,
                    )
                )

            for row in sets.filter(sufficient=True).values("index", "alignment", *mission_fields):
                add(row, "", "index", row["index"])
                add(row, "", "alignment", row["alignment"])
            through = tuple(f"score_set__{name}" for name in mission_fields)
            for row in DimensionScore.objects.filter(
                score_set__in=sets, sufficient=True, score__isnull=False
            ).values("dimension_code", "score", *through):
                add(row, "score_set__", f"dim:{row['dimension_code']}", row["score"])
            for row in CoherenceLevelScore.objects.filter(
                score_set__in=sets, sufficient=True, score__isnull=False
            ).values("level", "score", *through):
                add(row, "score_set__", f"level:{row['level']}", row["score"])
            PeerSnapshotValue.objects.bulk_create(values, batch_size=1000)
    except IntegrityError:  # another run froze it meanwhile
        return False
    dashboards_scores_changed()
    return True


def peer_snapshots_take_due(*, today: datetime.date | None = None) -> list[Period]:
    """Freeze every quarter closed before ``today`` (its due date passed) that has no snapshot
    yet, oldest first; the quarters frozen now. Safe to run twice."""
    today = today or timezone.localdate()
    frozen = PeerSnapshot.objects.values("period_id")
    due = (
        Period.objects.filter(closes_on__lt=today)
        .exclude(pk__in=frozen)
        .order_by("year", "quarter")
    )
    return [period for period in due if peer_snapshot_take(period=period)]
