"""Reads of stored scores for one assessment (the board's score panel and drill-down)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Assessment
from missions.models import RESPONSE_SCOPE_CHOICES, MissionPhase
from questionnaires.models import CoherenceLevel
from questionnaires.selectors import texts_by_code
from scoring.confidentiality import (
    DETAIL_HEADLINE_FIGURES,
    HEADLINE,
    HEADLINE_VALUE_FIELDS,
    aggregate_withheld,
    detail_aggregates_withheld,
    detail_figures_shown,
    headline_withheld_for,
)
from scoring.flags import (
    CRITICAL,
    OVER_INTEGRATION,
    SHORTFALL,
    UNVERIFIED,
    finding_style,
    flag_key,
    flag_style,
)
from scoring.headline import (
    ScoreHeadline,
    contested_text,
    critical_findings_text,
    headlines_for_assessments,
    unverified_safeguards_text,
)
from scoring.method import method_number
from scoring.method_v2 import MIN_COMPLETENESS, OVERRIDDEN_BAND
from scoring.models import ComponentDimensionScore, ScoreSet
from scoring.results import newest_result

# Method 3's statuses that are findings (listed on the board), most serious first.
V3_FINDINGS = (CRITICAL, UNVERIFIED, SHORTFALL, OVER_INTEGRATION)

# The stored figures of one indicator finding (``IndicatorScore``), in this order: what the
# scoring service stores, and what the profile page and the data exports read.
INDICATOR_SCORE_FIELDS = (
    "indicator_code",
    "dimension_code",
    "applicable",
    "value",
    "band_min",
    "band_max",
    "band_overridden",
    "rationale",
    "distance",
    "flag",
    "counted",
    "expected",
    "sufficient",
    "spread",
)


@dataclass(frozen=True)
class AssessmentScores:
    """An assessment's stored result (its newest method's), shaped for display.

    ``dimensions`` and ``coherence_levels`` are dicts that keep the v1 keys pages already read
    (score, target, gap, gap_flag, completeness, sufficient, divergence_flag, indicators with
    value, spread and each component's answer) and, for method 2, add the v2 figures: per
    dimension ``alignment``, ``shortfall``, ``over_integration``, ``shortfall_indicators``,
    ``over_integration_indicators``, ``integration_level``, ``band_min``/``band_max`` and a
    translated ``flag_summary``; per indicator ``band_min``/``band_max``, ``band_source``,
    ``rationale``, ``distance``, ``flag``, ``applicable``, ``not_applicable_reason``,
    ``sufficient`` and ``style`` (its ``scoring.flags.FlagStyle``). ``findings`` is the
    mission's headline (alignment, shortfall, over-integration, their indicator codes,
    integration level, completeness, sufficient).
    """

    score_set: ScoreSet | None
    pending: bool  # scoring was asked for and no result computed since
    dimensions: list[dict[str, Any]]
    coherence_levels: list[dict[str, Any]]
    method: int | None = None
    findings: dict[str, Any] = field(default_factory=dict)
    flag_summary: str = ""
    # (component label, the focal point's justification) for components that did not respond.
    not_responded: list[tuple[str, str]] = field(default_factory=list)
    phase: str = ""  # the mission's phase this quarter, translated
    # Some figures withheld from a component-level reader (``scoring.confidentiality``).
    withheld: bool = False
    # The headline's figures withheld (an indicator of the mission withheld): flags only.
    headline_withheld: bool = False
    # Method v3's gated headline (critical findings first), from the quarter's method 3 result
    # whatever method the rest shows; None without one. The board shows it through
    # ``templates/scoring/_headline.html``.
    headline: ScoreHeadline | None = None

    @property
    def banded(self) -> bool:
        """Whether the result reads indicators against bands (methods 2 and 3): alignment and
        flags are shown rather than method 1's index."""
        return self.method in (2, 3)

    @property
    def nothing_to_score(self) -> bool:
        """No result and none asked for: no component has completed its response yet."""
        return self.score_set is None and not self.pending


def flag_summary(*, shortfall: int, over_integration: int) -> str:
    """ "1 indicator over-integrated, 2 short", from the counts of flagged indicators."""
    if not shortfall and not over_integration:
        return _("every indicator in its band")
    parts = []
    if over_integration:
        parts.append(
            ngettext(
                "%(n)d indicator over-integrated", "%(n)d indicators over-integrated",
                over_integration,
            ) % {"n": over_integration}
        )  # fmt: skip
    if shortfall:
        template = (
            ngettext("%(n)d short", "%(n)d short", shortfall)
            if parts
            else ngettext("%(n)d indicator short", "%(n)d indicators short", shortfall)
        )
        parts.append(template % {"n": shortfall})
    return ", ".join(parts)


def insufficient_because(*, completeness: float | None, sufficient: bool) -> str:
    """Why a stored result has no finding, in words ("" when it has one), by the method's
    rule: at least ``MIN_COMPLETENESS`` of the expected answers, and at least one indicator
    with enough answers."""
    if sufficient:
        return ""
    if completeness is not None and completeness < MIN_COMPLETENESS:
        return _("completeness %(share)d %% (below %(rule)d %%)") % {
            "share": round(completeness * 100),
            "rule": round(MIN_COMPLETENESS * 100),
        }
    return _("no indicator with enough answers")


def assessment_scores(
    *,
    assessment: Assessment,
    method_version: str | None = None,
    own_components: Iterable[str] | None = None,
) -> AssessmentScores:
    """The assessment's newest stored result (``scoring.results``; or that of
    ``method_version``), shaped for display with its drill-down.

    ``own_components``: for a reader who may read only these components' answers
    (``answer_components_readable_by``), the indicator and dimension figures that would give
    another component's answers back are withheld (``scoring.confidentiality``); None: a
    reader of every component's answers."""
    score_set = (
        ScoreSet.objects.filter(assessment=assessment)
        .filter(newest_result() if method_version is None else Q(method_version=method_version))
        .only(
            "computed_at",
            "method_version",
            "index",
            "score",
            "stage",
            "completeness",
            "sufficient",
            "detail",
            "alignment",
            "uncapped_alignment",
            "enough_answers",
        )
        .first()
    )
    requested = assessment.scoring_requested_at
    # An open assessment that nobody completed a response of is not being scored: no
    # result is then "nothing to score yet", not "scoring…".
    pending = requested is not None and (score_set is None or score_set.computed_at < requested)
    if score_set is None:
        return AssessmentScores(None, pending, [], [])
    titles = texts_by_code(assessment.questionnaire.dimensions.all(), "title")
    statements = texts_by_code(assessment.questionnaire.indicators.all(), "statement")
    component_labels = dict(RESPONSE_SCOPE_CHOICES)
    level_labels = dict(CoherenceLevel.choices)
    detail = score_set.detail
    method = method_number(score_set.method_version)

    def indicator(ind: dict[str, Any]) -> dict[str, Any]:
        applicable = ind.get("applicable", True)
        return {
            **ind,
            # Method 2: the flag's colour, label and symbol (None when not applicable).
            "style": (
                flag_style(flag_key(ind.get("flag"), sufficient=ind.get("sufficient", False)))
                if method == 2
                else finding_style(ind.get("status", ""))
            )
            if method in (2, 3) and applicable
            else None,
            "band_overridden": ind.get("band_source") == OVERRIDDEN_BAND,
            "statement": statements.get(ind["code"], ""),
            "answers": [
                (component_labels.get(c, c), value)
                for c, value in sorted(ind.get("per_component", {}).items())
            ],
        }

    if method == 3:
        return _scores_v3(
            score_set,
            pending,
            detail,
            indicator=indicator,
            titles=titles,
            own_components=own_components,
            component_labels=component_labels,
            level_labels=level_labels,
        )
    if method != 2:
        dimensions = [
            {
                **dim,
                "title": titles.get(dim["code"], ""),
                "is_shortfall": dim.get("gap_flag") == SHORTFALL,
                "is_over_integration": dim.get("gap_flag") == OVER_INTEGRATION,
                "indicators": [indicator(ind) for ind in dim.get("indicators", [])],
            }
            for dim in detail.get("dimensions", [])
        ]
        levels = [
            {**level, "label": level_labels.get(level["level"], level["level"])}
            for level in detail.get("coherence_levels", [])
        ]
        dimensions = _figures_shown(score_set, dimensions, own_components)
        aggregates = detail_aggregates_withheld(
            dimensions, own_components=own_components, method=method or 0
        )
        levels = _levels_shown(levels, aggregates)
        headline_withheld = _headline_shown(score_set, aggregates)
        return AssessmentScores(
            score_set,
            pending,
            dimensions,
            levels,
            method=method,
            withheld=headline_withheld or any(dim.get("withheld") for dim in dimensions),
            headline_withheld=headline_withheld,
        )

    dimensions = []
    for dim in detail.get("dimensions", []):
        findings = dim["findings"]
        distance = dim.get("main_distance")
        dimensions.append(
            {
                **dim,
                **findings,
                "title": titles.get(dim["code"], ""),
                "target": dim.get("target_step"),
                "gap": None if distance is None else -distance,  # v1's sign: + is shortfall
                "gap_flag": dim.get("main_flag") or "",
                "completeness": findings["completeness"] or 0.0,
                "flag_summary": flag_summary(
                    shortfall=len(findings["shortfall_indicators"]),
                    over_integration=len(findings["over_integration_indicators"]),
                ),
                "indicators": [indicator(ind) for ind in dim.get("indicators", [])],
            }
        )
    levels = [
        {
            **level["findings"],
            "level": level["level"],
            "label": level_labels.get(level["level"], level["level"]),
            "completeness": level["findings"]["completeness"] or 0.0,
            "flag_summary": flag_summary(
                shortfall=len(level["findings"]["shortfall_indicators"]),
                over_integration=len(level["findings"]["over_integration_indicators"]),
            ),
        }
        for level in detail.get("coherence_levels", [])
    ]
    findings = detail.get("findings", {})
    justifications = detail.get("not_responded_justifications", {})
    dimensions = _figures_shown(score_set, dimensions, own_components)
    aggregates = detail_aggregates_withheld(dimensions, own_components=own_components, method=2)
    levels = _levels_shown(levels, aggregates)
    headline_withheld = _headline_shown(score_set, aggregates)
    if headline_withheld:
        findings = {**findings, **dict.fromkeys(DETAIL_HEADLINE_FIGURES), "withheld": True}
    return AssessmentScores(
        score_set,
        pending,
        dimensions,
        levels,
        method=method,
        withheld=headline_withheld or any(dim.get("withheld") for dim in dimensions),
        headline_withheld=headline_withheld,
        findings=findings,
        flag_summary=flag_summary(
            shortfall=len(findings.get("shortfall_indicators", [])),
            over_integration=len(findings.get("over_integration_indicators", [])),
        ),
        not_responded=[
            (str(component_labels.get(c, c)), justifications.get(c, ""))
            for c in detail.get("not_responded", [])
        ],
        phase=str(dict(MissionPhase.choices).get(detail.get("phase", ""), "")),
    )


def _v3_summary(group: Mapping[str, Any]) -> str:
    """A method 3 group's findings in words, critical findings first."""
    parts = []
    for key, words in (
        ("critical", critical_findings_text),
        ("unverified", unverified_safeguards_text),
        ("contested", contested_text),
    ):
        n = len(group.get(key, ()))
        if n:
            parts.append(words(n))
    flags = flag_summary(
        shortfall=len(group.get("shortfall", ())),
        over_integration=len(group.get("over_integration", ())),
    )
    return ", ".join([*parts, flags]) if parts else flags


def _scores_v3(
    score_set: ScoreSet,
    pending: bool,
    detail: Mapping[str, Any],
    *,
    indicator: Any,
    titles: Mapping[str, str],
    own_components: Iterable[str] | None,
    component_labels: Mapping[str, Any],
    level_labels: Mapping[str, Any],
) -> AssessmentScores:
    """A method 3 result shaped as method 2's for the board and the scorecard: per dimension
    its uncapped alignment, coverage (as completeness) and findings, critical ones first; per
    indicator its status as the flag (critical and unverified included), band, distance and
    each component's step. The gated headline is shown above it (``scores.headline``)."""
    by_dimension: dict[str, list[dict[str, Any]]] = {}
    for ind in detail.get("indicators", []):
        steps = [v for v in ind.get("per_component", {}).values() if isinstance(v, int)]
        shown = {
            **ind,
            "flag": ind.get("status") if ind.get("status") in V3_FINDINGS else None,
            "spread": max(steps) - min(steps) if len(steps) > 1 else None,
        }
        by_dimension.setdefault(ind["dimension_code"], []).append(indicator(shown))
    dimensions = [
        {
            **dim,
            "code": dim["key"],
            "title": titles.get(dim["key"], ""),
            "completeness": dim.get("coverage") or 0.0,
            "shortfall_indicators": list(dim.get("shortfall", ())),
            "over_integration_indicators": list(dim.get("over_integration", ())),
            "flag_summary": _v3_summary(dim),
            "indicators": by_dimension.get(dim["key"], []),
            # Only external context (e.g. Member State coherence): conditions, not alignment.
            "external_only": bool(by_dimension.get(dim["key"]))
            and all(ind.get("external") for ind in by_dimension[dim["key"]]),
        }
        for dim in detail.get("dimensions", [])
    ]
    levels = [
        {
            **level,
            "level": level["key"],
            "label": level_labels.get(level["key"], level["key"]),
            "completeness": level.get("coverage") or 0.0,
            "flag_summary": _v3_summary(level),
        }
        for level in detail.get("coherence_levels", [])
    ]
    mission = detail.get("mission", {})
    findings = {
        # The alignment shown (capped when gated; None without enough answers): a briefing
        # never reads the uncapped figure as the headline. The uncapped one stays beside it.
        "alignment": score_set.alignment,
        "uncapped_alignment": score_set.uncapped_alignment,
        "sufficient": bool(score_set.enough_answers),
        "completeness": mission.get("coverage") or 0.0,
        "shortfall_indicators": list(mission.get("shortfall", ())),
        "over_integration_indicators": list(mission.get("over_integration", ())),
        "critical_indicators": list(mission.get("critical", ())),
        "unverified_indicators": list(mission.get("unverified", ())),
        "contested_indicators": list(mission.get("contested", ())),
    }
    dimensions = _figures_shown(score_set, dimensions, own_components)
    aggregates = detail_aggregates_withheld(dimensions, own_components=own_components, method=3)
    levels = _levels_shown(levels, aggregates)
    headline_withheld = _headline_shown(score_set, aggregates)
    if headline_withheld:
        findings = {**findings, "alignment": None, "uncapped_alignment": None, "withheld": True}
    justifications = detail.get("not_responded_justifications", {})
    return AssessmentScores(
        score_set,
        pending,
        dimensions,
        levels,
        method=3,
        withheld=headline_withheld or any(dim.get("withheld") for dim in dimensions),
        headline_withheld=headline_withheld,
        findings=findings,
        flag_summary=_v3_summary(mission),
        not_responded=[
            (str(component_labels.get(c, c)), justifications.get(c, ""))
            for c in detail.get("not_responded", [])
        ],
        phase=str(dict(MissionPhase.choices).get(detail.get("phase", ""), "")),
    )


def _levels_shown(levels: list[dict[str, Any]], aggregates: frozenset[str]) -> list[dict[str, Any]]:
    """The coherence levels with the figures of those holding a withheld indicator set to None
    and ``withheld`` set (``scoring.confidentiality``); their flags stay."""
    return [
        {**level, **dict.fromkeys(DETAIL_HEADLINE_FIGURES), "withheld": True}
        if aggregate_withheld(aggregates, level["level"])
        else level
        for level in levels
    ]


def _headline_shown(score_set: ScoreSet, aggregates: frozenset[str]) -> bool:
    """Whether the headline is withheld; if so, its figures on ``score_set`` (read for this
    display only, never saved) are cleared, so no page or PDF that reads them shows them."""
    if not aggregate_withheld(aggregates, HEADLINE):
        return False
    for name in HEADLINE_VALUE_FIELDS:
        setattr(score_set, name, "" if name == "stage" else None)
    return True


def _figures_shown(
    score_set: ScoreSet, dimensions: list[dict[str, Any]], own_components: Iterable[str] | None
) -> list[dict[str, Any]]:
    """``dimensions`` as a reader answering for ``own_components`` may see them (one query for
    the components' profiles, only for such a reader)."""
    if own_components is None:
        return dimensions
    profiles = dict(
        ComponentDimensionScore.objects.filter(score_set=score_set, score__isnull=False)
        .order_by()
        .values("dimension_code")
        .annotate(n=Count("pk"))
        .values_list("dimension_code", "n")
    )
    return detail_figures_shown(
        dimensions,
        own_components=own_components,
        profiles=profiles,
        method=method_number(score_set.method_version) or 0,
    )


def assessment_score_methods(*, assessment: Assessment) -> list[str]:
    """The method versions with a stored result for the assessment, newest result first."""
    return list(
        ScoreSet.objects.filter(assessment=assessment)
        .order_by("-computed_at")
        .values_list("method_version", flat=True)
    )


def assessment_scores_with_headline(
    *, assessment: Assessment, own_components: Iterable[str] | None = None
) -> AssessmentScores:
    """``assessment_scores`` with method v3's headline: what the board's score panel reads
    (``own_components`` as for ``assessment_scores``)."""
    scores = assessment_scores(assessment=assessment, own_components=own_components)
    headline = headlines_for_assessments(assessment_ids=[assessment.pk]).get(assessment.pk)
    if headline is None:
        return scores
    # A component-level reader sees the counts and coverage; the alignment figures only where
    # no indicator in them is withheld from them (``scoring.confidentiality``).
    shown = headline_withheld_for(headline, own_components=own_components)
    return replace(scores, headline=shown)
