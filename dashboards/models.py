"""Frozen peer figures: what mission staff's peer distributions are made of.

When a quarter closes (the day after its due date), ``dashboards.services`` copies the values
that may make up mission staff's peer figures (approved assessments, sufficient data, the
current method) into a snapshot. Mission staff's peer figures are computed from the snapshot
only, so they never move afterwards: a late approval, a rescoring, a mission changing kind or
region, or a deleted mission changes nothing. A quarter without a snapshot shows no peer
figure to mission staff. See docs/security.md.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from missions.models import Mission, Period


class PeerSnapshot(models.Model):
    """One closed quarter's frozen peer values (taken once, never changed)."""

    period = models.OneToOneField(
        Period, on_delete=models.CASCADE, related_name="+", verbose_name=_("period")
    )
    taken_at = models.DateTimeField(_("taken at"))

    class Meta:
        verbose_name = _("peer snapshot")
        verbose_name_plural = _("peer snapshots")

    def __str__(self) -> str:
        return str(self.period)


class PeerSnapshotValue(models.Model):
    """One mission's value of one measure in a frozen quarter, with the mission's kind, region
    and demo flag as they were (peer groups are cut by them)."""

    snapshot = models.ForeignKey(PeerSnapshot, on_delete=models.CASCADE, related_name="values")
    # Denormalised: the peer selectors group by quarter.
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    # A deleted mission's value stays (figures never move); nobody is its staff any more.
    mission = models.ForeignKey(Mission, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=3)
    region = models.CharField(max_length=20)
    is_demo = models.BooleanField()
    # "index", "alignment", "dim:<code>" or "level:<level>" (the compare page's measures).
    measure = models.CharField(max_length=40)
    value = models.FloatField()

    class Meta:
        verbose_name = _("peer snapshot value")
        verbose_name_plural = _("peer snapshot values")
        indexes = [models.Index(fields=["period", "measure", "is_demo"])]

    def __str__(self) -> str:
        return f"{self.period} {self.measure}"
