"""The gated headline of method v3: the one selector every summary reads it from.

Every summary (home pages, dashboards, API, exports, webhooks) shows a mission's quarter the
same way, in this order: **"N critical findings"** first (with its symbol and colour from
``scoring.flags``), then the alignment shown (capped at ``CRITICAL_CAP`` when a critical
finding or an unverified safeguard gates it) with the coverage beside it, or only "not enough
answers" below ``COVERAGE_THRESHOLD``. The uncapped figure stays in the drill-down.

The headline is read from the assessment's method v3 result (``ScoreSet`` rows stored by
``imp-score-3.0``, the current method): every quarter scored since method 3 became current has
one, and history gets one with ``rescore --method 3``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from missions.models import Mission, Period
from scoring.flags import CRITICAL_STYLE, FlagStyle
from scoring.method import METHODS
from scoring.method_v3 import COVERAGE_THRESHOLD, CRITICAL_CAP
from scoring.models import ScoreSet

HEADLINE_METHOD_LABEL = METHODS[3].label

# The score-set fields a headline needs (``.only(*HEADLINE_FIELDS)`` keeps the query small).
HEADLINE_FIELDS = (
    "assessment_id",
    "mission_id",
    "period_id",
    "method_version",
    "alignment",
    "critical_count",
    "unverified_count",
    "contested_count",
    "coverage",
    "uncapped_alignment",
    "enough_answers",
)


def critical_findings_text(n: int) -> str:
    """ "2 critical findings": the words every summary leads with."""
    return ngettext("%(n)d critical finding", "%(n)d critical findings", n) % {"n": n}


def unverified_safeguards_text(n: int) -> str:
    return ngettext("%(n)d safeguard unverified", "%(n)d safeguards unverified", n) % {"n": n}


def contested_text(n: int) -> str:
    return ngettext("%(n)d contested", "%(n)d contested", n) % {"n": n}


@dataclass(frozen=True)
class ScoreHeadline:
    """What a summary shows for one assessment, in the order it shows it."""

    assessment_id: int
    mission_id: int
    period_id: int
    critical_count: int
    unverified_count: int  # safeguards that unanswered cells leave possibly outside the band
    contested_count: int
    enough_answers: bool
    alignment: float | None  # shown: capped when gated; None without enough answers
    uncapped_alignment: float | None  # the drill-down's figure
    coverage: float | None  # 0-1
    # The alignment figures are withheld from this reader (``scoring.confidentiality``):
    # ``alignment`` and ``uncapped_alignment`` are then None; the counts and coverage stay.
    alignment_withheld: bool = False

    @property
    def gated(self) -> bool:
        return bool(self.critical_count or self.unverified_count)

    @property
    def capped(self) -> bool:
        """The cap changed the figure shown."""
        return (
            self.gated
            and self.alignment is not None
            and self.uncapped_alignment is not None
            and self.uncapped_alignment > self.alignment
        )

    @property
    def style(self) -> FlagStyle:
        return CRITICAL_STYLE

    @property
    def coverage_percent(self) -> int | None:
        return None if self.coverage is None else round(self.coverage * 100)

    @property
    def critical_text(self) -> str:
        return critical_findings_text(self.critical_count)

    @property
    def alignment_text(self) -> str:
        if self.alignment_withheld:
            return _("alignment not shown")
        if not self.enough_answers or self.alignment is None:
            return _("not enough answers")
        if self.capped:
            return _("alignment %(value).0f (capped at %(cap).0f)") % {
                "value": self.alignment,
                "cap": CRITICAL_CAP,
            }
        return _("alignment %(value).0f") % {"value": self.alignment}

    @property
    def unverified_text(self) -> str:
        return unverified_safeguards_text(self.unverified_count)

    @property
    def uncapped_text(self) -> str:
        """Where the uncapped figure is, beside a capped one ("" when nothing was capped)."""
        if not self.capped or self.uncapped_alignment is None:
            return ""
        value = f"{self.uncapped_alignment:.0f}"  # 0-100: no digit grouping in any language
        return _("(uncapped %(value)s in the drill-down)") % {"value": value}

    @property
    def coverage_text(self) -> str:
        if self.coverage_percent is None:
            return ""
        return _("coverage %(n)d %%") % {"n": self.coverage_percent}

    @property
    def contested_text(self) -> str:
        return contested_text(self.contested_count)

    @property
    def text(self) -> str:
        """One line, for files and messages: critical findings first."""
        parts = [f"{CRITICAL_STYLE.symbol} {self.critical_text}"]
        if self.unverified_count:
            parts.append(self.unverified_text)
        parts.append(self.alignment_text)
        if self.coverage_text:
            parts.append(self.coverage_text)
        if self.contested_count:
            parts.append(self.contested_text)
        return " · ".join(parts)

    def as_dict(self) -> dict[str, object]:
        """The fields an API or a webhook carries."""
        return {
            "critical_findings": self.critical_count,
            "unverified_safeguards": self.unverified_count,
            "contested_indicators": self.contested_count,
            "enough_answers": self.enough_answers,
            "alignment_shown": None if self.alignment is None else round(self.alignment, 6),
            "alignment_uncapped": (
                None if self.uncapped_alignment is None else round(self.uncapped_alignment, 6)
            ),
            "coverage": None if self.coverage is None else round(self.coverage, 6),
        }


def headline_of(score_set: ScoreSet) -> ScoreHeadline | None:
    """The headline of a method v3 result; None for a result of an earlier method."""
    if score_set.critical_count is None:
        return None
    return ScoreHeadline(
        assessment_id=score_set.assessment_id,
        mission_id=score_set.mission_id,
        period_id=score_set.period_id,
        critical_count=score_set.critical_count,
        unverified_count=score_set.unverified_count or 0,
        contested_count=score_set.contested_count or 0,
        enough_answers=bool(score_set.enough_answers),
        alignment=score_set.alignment,
        uncapped_alignment=score_set.uncapped_alignment,
        coverage=score_set.coverage,
    )


def _v3_results() -> QuerySet[ScoreSet]:
    return ScoreSet.objects.filter(method_version=HEADLINE_METHOD_LABEL).only(*HEADLINE_FIELDS)


def headlines_for_assessments(*, assessment_ids: Iterable[int]) -> dict[int, ScoreHeadline]:
    """The headline of each assessment that has a method v3 result, by assessment id; one
    query."""
    found = {}
    for score_set in _v3_results().filter(assessment_id__in=list(assessment_ids)):
        headline = headline_of(score_set)
        if headline is not None:
            found[score_set.assessment_id] = headline
    return found


def latest_headlines_for_missions(*, mission_ids: Iterable[int]) -> dict[int, ScoreHeadline]:
    """Each mission's headline of its latest quarter with a method v3 result, by mission id;
    one query (the results of those missions, newest quarter first)."""
    found: dict[int, ScoreHeadline] = {}
    for score_set in (
        _v3_results()
        .filter(mission_id__in=list(mission_ids))
        .order_by("mission_id", "-period__year", "-period__quarter")
    ):
        if score_set.mission_id in found:
            continue
        headline = headline_of(score_set)
        if headline is not None:
            found[score_set.mission_id] = headline
    return found


__all__ = [
    "COVERAGE_THRESHOLD",
    "CRITICAL_CAP",
    "HEADLINE_FIELDS",
    "HEADLINE_METHOD_LABEL",
    "ScoreHeadline",
    "headline_of",
    "headline_for_quarter",
    "headlines_for_assessments",
    "headlines_for_period",
    "latest_headlines_for_missions",
    "mission_headlines",
]


@dataclass(frozen=True)
class MissionHeadline:
    mission: Mission
    headline: ScoreHeadline


def mission_headlines(*, missions: Iterable[Mission]) -> list[MissionHeadline]:
    """The latest method v3 headline of each of ``missions`` that has one, most critical
    findings first (then unverified safeguards, then mission code); one query."""
    missions = list(missions)
    found = latest_headlines_for_missions(mission_ids=[m.pk for m in missions])
    rows = [MissionHeadline(m, found[m.pk]) for m in missions if m.pk in found]
    return sorted(
        rows,
        key=lambda row: (
            -row.headline.critical_count,
            -row.headline.unverified_count,
            row.mission.code,
        ),
    )


def headlines_for_period(
    *, period_id: int, missions: Iterable[Mission] | QuerySet[Mission]
) -> dict[int, ScoreHeadline]:
    """The method v3 headline of each of ``missions`` in one quarter, by mission id; one
    query."""
    found = {}
    for score_set in _v3_results().filter(period_id=period_id, mission__in=missions):
        headline = headline_of(score_set)
        if headline is not None:
            found[score_set.mission_id] = headline
    return found


def headline_for_quarter(*, mission_id: int, period_id: int) -> ScoreHeadline | None:
    """The mission's method v3 headline in one quarter, or None; one query."""
    score_set = _v3_results().filter(mission_id=mission_id, period_id=period_id).first()
    return headline_of(score_set) if score_set is not None else None


@dataclass(frozen=True)
class HeadlineSummary:
    """Method v3's headlines of many missions in one quarter, in one line: how many missions
    have critical findings, with how many findings, and unverified safeguards."""

    period_id: int
    quarter: str  # the quarter, as shown ("2026-Q3", or its language's form)
    missions: int  # missions with a method v3 result that quarter
    critical_missions: int
    critical_findings: int
    unverified_missions: int
    unverified_safeguards: int

    @property
    def style(self) -> FlagStyle:
        return CRITICAL_STYLE

    @property
    def critical_text(self) -> str:
        findings = critical_findings_text(self.critical_findings)
        return ngettext(
            "%(findings)s in %(k)d of %(n)d mission",
            "%(findings)s in %(k)d of %(n)d missions",
            self.missions,
        ) % {"findings": findings, "k": self.critical_missions, "n": self.missions}

    @property
    def unverified_text(self) -> str:
        safeguards = unverified_safeguards_text(self.unverified_safeguards)
        return ngettext(
            "%(safeguards)s in %(k)d mission", "%(safeguards)s in %(k)d missions",
            self.unverified_missions,
        ) % {"safeguards": safeguards, "k": self.unverified_missions}  # fmt: skip


def headline_summary(
    *, missions: Iterable[Mission] | QuerySet[Mission], period: Period
) -> HeadlineSummary:
    """The summary of the method v3 headlines of ``missions`` in one quarter: one aggregate
    query (``missions`` may be a queryset: it becomes a subquery)."""
    totals = (
        ScoreSet.objects.filter(
            method_version=HEADLINE_METHOD_LABEL,
            period_id=period.pk,
            mission__in=missions,
            critical_count__isnull=False,
        )
        .order_by()
        .aggregate(
            missions=Count("pk"),
            critical_missions=Count("pk", filter=Q(critical_count__gt=0)),
            critical_findings=Coalesce(Sum("critical_count"), 0),
            unverified_missions=Count("pk", filter=Q(unverified_count__gt=0)),
            unverified_safeguards=Coalesce(Sum("unverified_count"), 0),
        )
    )
    return HeadlineSummary(period_id=period.pk, quarter=period.display, **totals)
