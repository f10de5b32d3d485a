"""Which stored figures a component-level reader may see: one rule for every surface.

A respondent reads only their own component's answers (``answer_components_readable_by``).
A figure that aggregates components must not give the others' answers back: where their
component and one other answered an indicator, ``2 × value − own step`` is the other's
answer, and with two others the value and the spread pin both. So, for a reader who may not
read every component's answers of the mission ("component-level"):

- an indicator's value, distance to the band and spread are shown only when at least
  ``MIN_OTHER_COMPONENTS`` = 3 components other than the reader's answered it (counted as
  ``counted`` less every component the reader answers for, so a reader whose component did
  not answer is treated as if it had: never fewer hidden);
- a dimension's score, gap, divergence and alignment figures are shown only when every
  indicator that went into it is shown *and* at least 3 other components have a profile on
  the dimension (a dimension mean over visible indicators and one hidden one would give
  the hidden value back);
- another component's own profile (its score per dimension) is never shown;
- the flags (shortfall, over-integration, contested, divergent) stay: they say that there
  is a finding, not what anyone answered.

Analysts, administrators and the mission's focal points read every answer anyway and see
every figure. The rule is applied in SQL, where the stored rows are read, by the data export
and the API (``exports.rows``), by the mission profile (pages, chart CSVs, the PDF scorecard
and the deck, ``dashboards.selectors.profile``), by the focal point's home page and the
actions' flagged indicators and follow-up (``reader_restrictions``); and on a stored result's
drill-down by the board's score panel (``detail_figures_shown``).

Method 3 (``imp-score-3.0``) is checked as method 2 is (``CHECKED_METHODS``), with its own
channels: a value voice components decide is withheld whatever ``counted`` says (it may be one
component's step: ``_voice_decided``); its aggregates read every applicable internal indicator
with a value, sufficient or not, and no external context (``_in_v3_aggregates``). Its gated
headline (``scoring.headline``): for a component-level reader the alignment figures (shown and
uncapped) are withheld where an indicator in them is withheld from that reader
(``v3_alignments_withheld``, ``headline_shown_to``; in SQL for the data export and the API,
``v3_headline_values_shown``), on the home page, the mission profile, the board, the scorecard
PDF, the data export and the API. Its counts (critical findings, unverified safeguards,
contested indicators) and its coverage stay: they say that there is a finding, and the alarm
must reach everyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from missions.models import Component
from missions.selectors import answer_components_readable_by
from questionnaires.models import Indicator
from scoring import method_v2, method_v3
from scoring.headline import ScoreHeadline
from scoring.models import ComponentDimensionScore, IndicatorScore

if TYPE_CHECKING:
    from accounts.models import User

MIN_OTHER_COMPONENTS = 3

# The stored fields that carry a value; the flags beside them stay.
INDICATOR_VALUE_FIELDS = ("value", "distance", "spread")
DIMENSION_VALUE_FIELDS = (
    "score",
    "gap",
    "divergence",
    "alignment",
    "shortfall",
    "over_integration",
    "shortfall_count",
    "over_integration_count",
)


def aggregate_shown(*, counted: int, own_components: Iterable[str] | None) -> bool:
    """Whether a figure over ``counted`` components may be shown to a reader who answers for
    ``own_components`` (``None``: a reader of every component's answers)."""
    if own_components is None:
        return True
    return counted - len(set(own_components)) >= MIN_OTHER_COMPONENTS


def figure_restrictions(
    answer_components: Iterable[tuple[int, Iterable[str]]] | None,
) -> dict[int, int]:
    """Mission id → how many components the reader answers for, for the missions where the
    reader is component-level (from ``answer_components_readable_by`` per mission)."""
    return {mission_id: len(set(own)) for mission_id, own in (answer_components or ())}


def _thin(restrictions: Mapping[int, int], mission_field: str, counted_field: str) -> Q:
    """Rows of restricted missions with fewer than 3 other components counted."""
    thin = Q(pk__in=[])
    for mission_id, own in restrictions.items():
        thin |= Q(**{mission_field: mission_id, f"{counted_field}__lt": own + MIN_OTHER_COMPONENTS})
    return thin


V3_LABEL = method_v3.METHOD_LABEL


def _of_indicator(**conditions: Any) -> QuerySet[Any]:
    """The questionnaire's indicator of an ``IndicatorScore`` row (the outer query), if it meets
    ``conditions``."""
    return Indicator.objects.filter(
        questionnaire_id=OuterRef("score_set__assessment__questionnaire_id"),
        code=OuterRef("indicator_code"),
        **conditions,
    )


def _voice_decided(restrictions: Mapping[int, int]) -> Q:
    """Method-3 ``IndicatorScore`` rows of restricted missions whose value may be the mean of
    the voice components' steps alone (``method_v3``: voice decides where a voice component is
    expected): the indicator names a voice component that is among the result's components.
    ``counted`` counts every component's step, not the voice ones behind the value (one, in
    IMP-CORE v3: the value *is* that component's answer), so such a value is withheld from a
    component-level reader whatever ``counted`` says. A superset of where voice decides (a
    voice component whose N/A the focal point confirmed is not expected): never fewer hidden."""
    if not restrictions:
        return Q(pk__in=[])
    present = Q(pk__in=[])
    for component in Component.values:
        quoted = f'"{component}"'  # an element of the JSON list, not part of one
        present |= Q(voice__icontains=quoted, _result_components__contains=quoted)
    voice = _of_indicator().annotate(
        _result_components=Cast(OuterRef("score_set__components"), TextField())
    )
    return Q(
        Exists(voice.filter(present)),
        score_set__method_version=V3_LABEL,
        score_set__mission_id__in=list(restrictions),
    )


def _indicator_withheld(restrictions: Mapping[int, int]) -> Q:
    """``IndicatorScore`` rows whose value, distance and spread the reader may not see: fewer
    than ``MIN_OTHER_COMPONENTS`` other components counted, or (method 3) a value voice may
    decide (``_voice_decided``)."""
    return _thin(restrictions, "score_set__mission_id", "counted") | _voice_decided(restrictions)


def indicator_values_shown(qs: QuerySet[Any], restrictions: Mapping[int, int]) -> QuerySet[Any]:
    """``IndicatorScore`` rows with ``shown_value``, ``shown_distance`` and ``shown_spread``:
    the stored figure, or NULL where the reader may not see it."""
    hidden = _indicator_withheld(restrictions)
    return _shown(qs, hidden, INDICATOR_VALUE_FIELDS, restricted=bool(restrictions))


def _in_v3_aggregates() -> Q:
    """Method-3 ``IndicatorScore`` rows whose figures go into its alignments: applicable,
    internal (external context stays out), with a value (an indicator without one is read from
    its unanswered cells alone: no answer in it), sufficient or not (v3's alignment reads every
    applicable indicator)."""
    return Q(score_set__method_version=V3_LABEL, applicable=True, value__isnull=False) & ~Q(
        Exists(_of_indicator(is_external=True))
    )


def dimension_values_shown(qs: QuerySet[Any], restrictions: Mapping[int, int]) -> QuerySet[Any]:
    """``DimensionScore`` rows with ``shown_<field>`` for each of ``DIMENSION_VALUE_FIELDS``:
    the stored figure, or NULL where the reader may not see it."""
    if not restrictions:
        return _shown(qs, Q(pk__in=[]), DIMENSION_VALUE_FIELDS, restricted=False)
    # Method 3: a dimension's alignment reads its internal indicators with a value (see
    # ``_in_v3_aggregates``); earlier methods: every applicable indicator.
    thin_indicator = IndicatorScore.objects.filter(
        _indicator_withheld(restrictions),
        ~Q(score_set__method_version=V3_LABEL) | _in_v3_aggregates(),
        score_set_id=OuterRef("score_set_id"),
        dimension_code=OuterRef("dimension_code"),
        applicable=True,
    )
    profiles = (
        ComponentDimensionScore.objects.filter(
            score_set_id=OuterRef("score_set_id"),
            dimension_code=OuterRef("dimension_code"),
            score__isnull=False,
        )
        .order_by()
        .values("score_set_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = qs.annotate(
        _thin_indicator=Exists(thin_indicator),
        _profiles=Coalesce(Subquery(profiles), Value(0)),
    )
    # Method 3 stores the descriptive mean step of each dimension and each component's view of
    # it beside its alignment (``scoring.services``): the profile rule applies to it as well.
    thin_profiles = _thin(restrictions, "score_set__mission_id", "_profiles")
    hidden = Q(_thin_indicator=True) | thin_profiles
    hidden &= Q(score_set__mission_id__in=list(restrictions))
    return _shown(qs, hidden, DIMENSION_VALUE_FIELDS, restricted=True)


def _shown(
    qs: QuerySet[Any], hidden: Q, fields: Iterable[str], *, restricted: bool
) -> QuerySet[Any]:
    annotated: QuerySet[Any]
    if not restricted:
        annotated = qs.annotate(**{f"shown_{name}": F(name) for name in fields})
    else:
        annotated = qs.annotate(
            **{f"shown_{name}": Case(When(hidden, then=None), default=F(name)) for name in fields}
        )
    return annotated


def reader_restrictions(*, user: Any, mission_id: int) -> dict[int, int]:
    """``figure_restrictions`` for ``user`` reading ``mission_id`` (empty for a reader of
    every component's answers; ``user=None``, a command, writes for HQ)."""
    if user is None:
        return {}
    own = answer_components_readable_by(user=user, mission_id=mission_id)
    return figure_restrictions(None if own is None else [(mission_id, own)])


# The keys of the board's drill-down (a stored result's ``detail``, shaped by
# ``scoring.selectors.assessment_scores``) that carry figures; the flags beside them stay.
DETAIL_INDICATOR_FIGURES = (
    "value",
    "distance",
    "spread",
    "stdev",
    "minimum",
    "maximum",
    "alignment",
)
DETAIL_DIMENSION_FIGURES = (
    "score",
    "gap",
    "divergence",
    "divergence_stdev",
    "alignment",
    "shortfall",
    "over_integration",
    "integration_level",
    "main_distance",
)


def _detail_indicator_shown(ind: Mapping[str, Any], own: set[str], method: int) -> bool:
    """Whether a drill-down indicator's figures may be shown to a reader answering for
    ``own``: at least 3 other components counted and no voice component deciding its value
    (``voice``, method 3's voice components expected, whatever ``method`` the caller says:
    ``_voice_decided``)."""
    if ind.get("voice"):
        return False
    return aggregate_shown(counted=ind.get("counted") or 0, own_components=own)


def _in_detail_aggregates(ind: Mapping[str, Any], method: int) -> bool:
    """Whether a drill-down indicator's figures go into its dimension's, its level's and the
    headline's: method 3, an applicable internal indicator with a step behind it (sufficient or
    not: ``_in_v3_aggregates``; ``counted`` > 0 is a superset of having a value); method 2, an
    applicable sufficient one."""
    if not ind.get("applicable", True):
        return False
    if method == 3:
        return not ind.get("external") and (ind.get("counted") or 0) > 0
    return bool(ind.get("sufficient"))


def detail_figures_shown(
    dimensions: list[dict[str, Any]],
    *,
    own_components: Iterable[str] | None,
    profiles: Mapping[str, int],
    method: int = 2,
) -> list[dict[str, Any]]:
    """The board's dimensions with the figures a reader answering for ``own_components``
    may not see set to None and ``withheld`` set, by the rule of this module (``profiles``:
    dimension code → components with a profile score on it; method 3 stores them too,
    with its descriptive mean steps). Unchanged for a reader of every
    component's answers. A method-3 result's dimensions carry its indicators (the stored
    ``detail["indicators"]``) under ``indicators``, as method 2's do."""
    if own_components is None:
        return dimensions
    own = set(own_components)
    shown = []
    for dim in dimensions:
        indicators = []
        any_hidden = False
        for ind in dim.get("indicators", []):
            visible = _detail_indicator_shown(ind, own, method)
            if not visible and (
                _in_detail_aggregates(ind, method) if method == 3 else ind.get("applicable", True)
            ):
                any_hidden = True
            if not visible:
                ind = {**ind, **dict.fromkeys(DETAIL_INDICATOR_FIGURES), "withheld": True}
            indicators.append(ind)
        profiled = aggregate_shown(counted=profiles.get(dim.get("code", ""), 0), own_components=own)
        if any_hidden or not profiled:
            dim = {**dim, **dict.fromkeys(DETAIL_DIMENSION_FIGURES), "withheld": True}
        shown.append({**dim, "indicators": indicators})
    return shown


# --- aggregates: the mission's headline and each coherence level --------------------------------
#
# The headline (integration level or index, mean step, stage, target alignment and the points
# lost to shortfall and over-integration) and each coherence level's score and alignment are
# weighted means over indicators. Where one of their indicators is withheld from the reader,
# the figure is a linear (alignment: piecewise linear, the piece given by the flag) function of
# the withheld value with a coefficient the reader can work out from the questionnaire's
# weights and the indicators they see: one such figure gives the value back, and two figures
# over the same withheld values (the headline and a level, weighted differently) give back
# two. Bins do not help in general (a figure at the top of one bin and another at the bottom of
# its own pin the value between them; a level of one indicator is that indicator). So such an
# aggregate shows no figure derived from the values at all: only its flags and their counts,
# which the reader sees indicator by indicator anyway. What the reader can then derive about a
# withheld value is what its flag and band say, exactly as without the aggregate.

# The key of the mission's headline among the aggregates (coherence levels go by their code).
HEADLINE = ""
# Every aggregate of a result withheld (a method-1 result: no indicator rows to check).
EVERY_AGGREGATE = "*"
HEADLINE_VALUE_FIELDS = ("index", "score", "stage", "alignment", "shortfall", "over_integration")
COHERENCE_VALUE_FIELDS = ("score", "alignment")
DETAIL_HEADLINE_FIGURES = (
    "alignment",
    "shortfall",
    "over_integration",
    "score",
    "integration_level",
)


def _withheld_indicators(restrictions: Mapping[int, int]) -> QuerySet[Any]:
    """Indicators whose value went into the aggregates and is withheld: method 2 averages the
    applicable sufficient ones, method 3 its internal applicable ones with a value
    (``_in_v3_aggregates``)."""
    v2 = Q(applicable=True, sufficient=True) & ~Q(score_set__method_version=V3_LABEL)
    return IndicatorScore.objects.filter(
        _indicator_withheld(restrictions), v2 | _in_v3_aggregates()
    )


# The methods whose aggregates are checked indicator by indicator (their stored indicator
# rows are exactly the indicators the aggregates average: ``tests/security`` checks each
# against the method's own figures). A result of any other method (method 1 has no indicator
# rows) has every aggregate withheld from a component-level reader.
CHECKED_METHODS = (method_v2.METHOD_LABEL, method_v3.METHOD_LABEL)


def _unchecked(prefix: str) -> Q:
    return ~Q(**{f"{prefix}method_version__in": CHECKED_METHODS})


def headline_values_shown(
    qs: QuerySet[Any],
    restrictions: Mapping[int, int],
    *,
    score_set: str = "",
    score_set_id: str = "pk",
) -> QuerySet[Any]:
    """Rows holding a result's headline (``ScoreSet`` rows, or rows reaching one through the
    relation ``score_set``, whose id is the field ``score_set_id``) with ``shown_<field>`` for
    each of ``HEADLINE_VALUE_FIELDS``: the stored figure, or NULL where an indicator of the
    result is withheld from the reader."""
    prefix = f"{score_set}__" if score_set else ""
    fields = {f"shown_{name}": F(f"{prefix}{name}") for name in HEADLINE_VALUE_FIELDS}
    shown: QuerySet[Any]
    if not restrictions:
        shown = qs.annotate(**fields)
        return shown
    result = OuterRef(score_set_id)
    qs = qs.annotate(
        _headline_withheld=Exists(_withheld_indicators(restrictions).filter(score_set_id=result))
    )
    hidden = Q(_headline_withheld=True) | _unchecked(prefix)
    hidden &= Q(**{f"{prefix}mission_id__in": list(restrictions)})
    shown = qs.annotate(
        **{name: Case(When(hidden, then=None), default=value) for name, value in fields.items()}
    )
    return shown


def coherence_values_shown(qs: QuerySet[Any], restrictions: Mapping[int, int]) -> QuerySet[Any]:
    """``CoherenceLevelScore`` rows with ``shown_score`` and ``shown_alignment``: the stored
    figure, or NULL where an indicator of that level is withheld from the reader."""
    fields = {f"shown_{name}": F(name) for name in COHERENCE_VALUE_FIELDS}
    shown: QuerySet[Any]
    if not restrictions:
        shown = qs.annotate(**fields)
        return shown
    of_level = Indicator.objects.filter(
        questionnaire_id=OuterRef(OuterRef("score_set__assessment__questionnaire_id")),
        code=OuterRef("indicator_code"),
        coherence_level=OuterRef(OuterRef("level")),
    )
    withheld = _withheld_indicators(restrictions).filter(
        Exists(of_level), score_set_id=OuterRef("score_set_id")
    )
    qs = qs.annotate(_level_withheld=Exists(withheld))
    hidden = Q(_level_withheld=True) | _unchecked("score_set__")
    hidden &= Q(score_set__mission_id__in=list(restrictions))
    shown = qs.annotate(
        **{name: Case(When(hidden, then=None), default=value) for name, value in fields.items()}
    )
    return shown


def detail_aggregates_withheld(
    dimensions: Iterable[Mapping[str, Any]], *, own_components: Iterable[str] | None, method: int
) -> frozenset[str]:
    """The aggregates of a stored result's drill-down (``HEADLINE``, coherence level codes)
    that hold an indicator withheld from the reader, given the board's dimensions as
    ``detail_figures_shown`` returned them (withheld indicators marked ``withheld``; for
    method 3, with its indicators under ``indicators``); empty for a reader of every answer.
    Method 2 averages its applicable sufficient indicators, method 3 its applicable internal
    ones, sufficient or not (``_in_detail_aggregates``). A result of any other method (method 1
    has no indicator results) gives ``EVERY_AGGREGATE``: withheld whole rather than guessed
    at."""
    if own_components is None:
        return frozenset()
    if method not in (2, 3):
        return frozenset({EVERY_AGGREGATE})
    levels = {
        ind.get("coherence_level", EVERY_AGGREGATE)
        for dim in dimensions
        for ind in dim.get("indicators", [])
        if ind.get("withheld") and _in_detail_aggregates(ind, method)
    }
    return frozenset(levels | {HEADLINE}) if levels else frozenset()


def aggregate_withheld(withheld: frozenset[str], key: str) -> bool:
    """Whether the aggregate ``key`` (``HEADLINE`` or a coherence level) is in ``withheld``."""
    return key in withheld or EVERY_AGGREGATE in withheld


# --- Method v3's gated headline --------------------------------------------------------------

# The headline's figures derived from the values: withheld from a component-level reader where
# an indicator in them is withheld (``_withheld_indicators``), as method 2's headline is; its
# counts and coverage stay.
V3_ALIGNMENT_FIELDS = ("alignment", "uncapped_alignment")


def headline_for_reader(headline: ScoreHeadline, *, withheld: bool) -> ScoreHeadline:
    """The headline as a reader sees it: where its alignment is ``withheld`` from them
    (``v3_alignments_withheld``), the alignment figures blanked and ``alignment_withheld``
    set; the counts and coverage kept."""
    if not withheld:
        return headline
    return replace(headline, alignment=None, uncapped_alignment=None, alignment_withheld=True)


def v3_alignments_withheld(
    *, assessment_ids: Iterable[int], restrictions: Mapping[int, int]
) -> set[int]:
    """The assessments among ``assessment_ids`` whose method 3 alignment holds an indicator
    withheld from the reader (``restrictions`` as ``figure_restrictions`` gives them); one
    query (none for a reader of every component's answers)."""
    if not restrictions:
        return set()
    return set(
        _withheld_indicators(restrictions)
        .filter(
            score_set__assessment_id__in=list(assessment_ids),
            score_set__method_version=V3_LABEL,
            score_set__mission_id__in=list(restrictions),
        )
        .values_list("score_set__assessment_id", flat=True)
        .distinct()
    )


def headline_withheld_for(
    headline: ScoreHeadline, *, own_components: Iterable[str] | None
) -> ScoreHeadline:
    """``headline`` as a reader answering for ``own_components`` (None: every component's
    answers) may see it; one query for a component-level reader."""
    if own_components is None:
        return headline
    restrictions = figure_restrictions([(headline.mission_id, own_components)])
    withheld = v3_alignments_withheld(
        assessment_ids=[headline.assessment_id], restrictions=restrictions
    )
    return headline_for_reader(headline, withheld=headline.assessment_id in withheld)


def headline_shown_to(headline: ScoreHeadline | None, *, user: User) -> ScoreHeadline | None:
    """``headline`` (or None) as ``user`` may see it (two queries for a component-level
    reader, one otherwise)."""
    if headline is None:
        return None
    own = answer_components_readable_by(user=user, mission_id=headline.mission_id)
    return headline_withheld_for(headline, own_components=own)


_Key = TypeVar("_Key")


def headlines_shown_to(
    headlines: Mapping[_Key, ScoreHeadline], *, user: User
) -> dict[_Key, ScoreHeadline]:
    """Each of ``headlines`` as ``user`` may see it (one query per mission, and one for the
    withheld alignments)."""
    own: dict[int, frozenset[str] | None] = {}
    for headline in headlines.values():
        if headline.mission_id not in own:
            own[headline.mission_id] = answer_components_readable_by(
                user=user, mission_id=headline.mission_id
            )
    restrictions = figure_restrictions(
        [(mission_id, mine) for mission_id, mine in own.items() if mine is not None]
    )
    withheld = v3_alignments_withheld(
        assessment_ids=[h.assessment_id for h in headlines.values()], restrictions=restrictions
    )
    return {
        key: headline_for_reader(headline, withheld=headline.assessment_id in withheld)
        for key, headline in headlines.items()
    }


def v3_headline_values_shown(
    qs: QuerySet[Any],
    restrictions: Mapping[int, int],
    *,
    v3: str = "v3",
    mission_field: str = "mission_id",
    assessment_field: str = "pk",
) -> QuerySet[Any]:
    """Rows reaching an assessment's method v3 result through the relation ``v3`` (the
    assessment's id in the field ``assessment_field``) with ``shown_v3_<field>`` for each of
    ``V3_ALIGNMENT_FIELDS``: the stored figure, or NULL where an indicator in it is withheld
    from the reader (``restrictions``), as ``headline_values_shown`` for the headline of the
    result shown."""
    fields = {f"shown_v3_{name}": F(f"{v3}__{name}") for name in V3_ALIGNMENT_FIELDS}
    shown: QuerySet[Any]
    if not restrictions:
        shown = qs.annotate(**fields)
        return shown
    withheld = _withheld_indicators(restrictions).filter(
        score_set__assessment_id=OuterRef(assessment_field), score_set__method_version=V3_LABEL
    )
    qs = qs.annotate(_v3_withheld=Exists(withheld))
    hidden = Q(_v3_withheld=True) & Q(**{f"{mission_field}__in": list(restrictions)})
    shown = qs.annotate(
        **{name: Case(When(hidden, then=None), default=value) for name, value in fields.items()}
    )
    return shown
