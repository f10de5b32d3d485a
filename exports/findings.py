"""What the scorecard and the briefing pack show of a stored result, read through the scoring
selectors.

Method 2 and later: the target alignment with shortfall and over-integration beside it (points
and indicators), the integration level (higher is not better), completeness over every component
the mission has, the components that did not respond with the focal point's justification, the
mission's phase, each dimension's derived flags and the flagged indicators with their band,
distance and override rationale. A quarter that only method 1 scored keeps method 1's figures
(``method == 1``), so its scorecard still renders in the v1 layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assessments.models import Assessment
from missions.models import RESPONSE_SCOPE_CHOICES
from missions.roles import User
from missions.selectors import answer_components_readable_by
from scoring.flags import (
    CRITICAL,
    OVER_INTEGRATION,
    SHORTFALL,
    UNVERIFIED,
    finding_style,
    flag_key,
    flag_style,
)
from scoring.method import method_number
from scoring.models import ScoreSet
from scoring.results import newest_result
from scoring.selectors import (
    V3_FINDINGS,
    assessment_score_methods,
    assessment_scores,
    flag_summary,
    insufficient_because,
)

FLAGS = (SHORTFALL, OVER_INTEGRATION)


@dataclass(frozen=True)
class CardFindings:
    """One assessment's stored result, as the scorecard prints it."""

    method: int | None
    method_version: str
    index: float | None  # v2: the integration level (higher is not better); v1: the index
    stage: str
    completeness: float | None
    sufficient: bool
    findings: dict = field(default_factory=dict)  # v2 headline (see scoring.selectors)
    flag_summary: str = ""
    dimensions: tuple[dict, ...] = ()
    flagged: tuple[dict, ...] = ()  # v2: flagged indicators, shortfall and over-integration
    not_responded: tuple[tuple[str, str], ...] = ()  # (component, justification)
    phase: str = ""
    components: int = 0  # every component expected (the focal point included when asked)
    # Colour, text colour, symbol and label of each flag, from the one colour module.
    styles: dict = field(default_factory=dict)


def _style(flag: str | None, *, sufficient: bool):
    style = (
        finding_style(flag)
        if flag in (CRITICAL, UNVERIFIED)
        else flag_style(flag_key(flag, sufficient=sufficient))
    )
    return {"key": style.key, "label": str(style.label), "colour": style.colour,
            "text_colour": style.text_colour, "symbol": style.symbol}  # fmt: skip


def scorecard_findings(*, assessment: Assessment, user: User | None) -> CardFindings | None:
    """The newest method's stored result (``scoring.results``), as
    ``user`` may see it (``scoring.confidentiality``; None: a command, for HQ); None when the
    quarter has no stored result."""
    methods = assessment_score_methods(assessment=assessment)
    if not methods:
        return None
    version = max(methods)  # the newest method's result (``scoring.results``)
    own = (
        None
        if user is None
        else answer_components_readable_by(user=user, mission_id=assessment.mission_id)
    )
    scores = assessment_scores(assessment=assessment, method_version=version, own_components=own)
    result = scores.score_set
    if result is None:  # (not with a method listed above)
        return None
    method = method_number(version)
    if method not in (2, 3):
        return CardFindings(
            method=method,
            method_version=version,
            index=result.index,
            stage=result.stage if result.sufficient else "",
            completeness=result.completeness,
            sufficient=result.sufficient,
            dimensions=tuple(scores.dimensions),
        )
    dimensions = []
    flagged = []
    for dim in scores.dimensions:
        indicators = []
        for ind in dim["indicators"]:
            if not ind.get("applicable", True):
                continue
            row = {**ind, "style": _style(ind.get("flag"), sufficient=ind.get("sufficient"))}
            indicators.append(row)
            if ind.get("flag") in V3_FINDINGS and ind.get("sufficient"):
                flagged.append(row)
        dimensions.append({**dim, "indicators": indicators})
    findings = scores.findings
    return CardFindings(
        method=method,
        method_version=version,
        index=findings.get("integration_level"),
        stage=result.stage if findings.get("sufficient") else "",
        completeness=findings.get("completeness"),
        sufficient=bool(findings.get("sufficient")),
        findings=findings,
        flag_summary=scores.flag_summary,
        dimensions=tuple(dimensions),
        flagged=tuple(flagged),
        not_responded=tuple(scores.not_responded),
        phase=scores.phase,
        components=len(result.detail.get("components", [])),
        styles={key: _style(key, sufficient=True) for key in V3_FINDINGS},
    )


@dataclass(frozen=True)
class PackRow:
    """One mission's headline in the briefing pack (method 2 and later)."""

    alignment: float | None
    shortfall: float | None
    shortfall_count: int
    over_integration: float | None
    over_integration_count: int
    integration_level: float | None
    completeness: float | None
    sufficient: bool
    flag_summary: str
    not_responded: tuple[str, ...]
    insufficient_because: str = ""  # why there is no finding, in words


def pack_findings(*, mission_ids: list[int], period_id: int) -> dict[int, PackRow]:
    """Each mission's current-method headline for the quarter, in one query."""
    labels = dict(RESPONSE_SCOPE_CHOICES)
    rows = ScoreSet.objects.filter(
        newest_result(), mission_id__in=mission_ids, period_id=period_id
    ).values_list(
        "mission_id",
        "alignment",
        "shortfall",
        "shortfall_count",
        "over_integration",
        "over_integration_count",
        "index",
        "completeness",
        "sufficient",
        "not_responded",
    )
    result = {}
    for mission_id, alignment, short, n_short, over, n_over, level, done, enough, silent in rows:
        result[mission_id] = PackRow(
            alignment=alignment if enough else None,
            shortfall=short,
            shortfall_count=n_short or 0,
            over_integration=over,
            over_integration_count=n_over or 0,
            integration_level=level if enough else None,
            completeness=done,
            sufficient=enough,
            flag_summary=(
                flag_summary(shortfall=n_short or 0, over_integration=n_over or 0)
                if enough
                else _("insufficient data")
            ),
            not_responded=tuple(str(labels.get(c, c)) for c in silent or ()),
            insufficient_because=insufficient_because(completeness=done, sufficient=enough),
        )
    return result
