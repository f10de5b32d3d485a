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

Method v3's gated headline (``scoring.headline``) is a result of a method not in
``CHECKED_METHODS``: for a component-level reader its alignment figures (shown and uncapped)
are withheld whole (``headline_for_reader``, ``headline_shown_to``; in SQL for the data export
and the API, ``v3_headline_values_shown``), on the home page, the mission profile, the board,
the scorecard PDF, the deck, the data export and the API. Its counts (critical findings,
unverified safeguards, contested indicators) and its coverage stay: they say that there is a
finding, and the alarm must reach everyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from missions.selectors import answer_components_readable_by
from questionnaires.models import Indicator
from scoring import method_v2
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


def indicator_values_shown(qs: QuerySet[Any], restrictions: Mapping[int, int]) -> QuerySet[Any]:
    """``IndicatorScore`` rows with ``shown_value``, ``shown_distance`` and ``shown_spread``:
    the stored figure, or NULL where the reader may not see it."""
    hidden = _thin(restrictions, "score_set__mission_id", "counted")
    return _shown(qs, hidden, INDICATOR_VALUE_FIELDS, restricted=bool(restrictions))


def dimension_values_shown(qs: QuerySet[Any], restrictions: Mapping[int, int]) -> QuerySet[Any]:
    """``DimensionScore`` rows with ``shown_<field>`` for each of ``DIMENSION_VALUE_FIELDS``:
    the stored figure, or NULL where the reader may not see it."""
    if not restrictions:
        return _shown(qs, Q(pk__in=[]), DIMENSION_VALUE_FIELDS, restricted=False)
    thin_indicator = IndicatorScore.objects.filter(
        _thin(restrictions, "score_set__mission_id", "counted"),
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
    hidden = Q(_thin_indicator=True) | _thin(restrictions, "score_set__mission_id", "_profiles")
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


def detail_figures_shown(
    dimensions: list[dict[str, Any]],
    *,
    own_components: Iterable[str] | None,
    profiles: Mapping[str, int],
) -> list[dict[str, Any]]:
    """The board's dimensions with the figures a reader answering for ``own_components``
    may not see set to None and ``withheld`` set, by the rule of this module (``profiles``:
    dimension code → components with a profile score on it). Unchanged for a reader of every
    component's answers."""
    if own_components is None:
        return dimensions
    own = set(own_components)
    shown = []
    for dim in dimensions:
        indicators = []
        any_hidden = False
        for ind in dim.get("indicators", []):
            visible = aggregate_shown(counted=ind.get("counted") or 0, own_components=own)
            if not visible and ind.get("applicable", True):
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
    """Indicators whose value went into the aggregates (sufficient) and is withheld."""
    return IndicatorScore.objects.filter(
        _thin(restrictions, "score_set__mission_id", "counted"), applicable=True, sufficient=True
    )


# The methods whose aggregates are checked indicator by indicator (their stored indicator
# rows are exactly the indicators the aggregates average). A result of any other method
# (method 1 has no indicator rows) has every aggregate withheld from a component-level reader.
CHECKED_METHODS = (method_v2.METHOD_LABEL,)


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
    ``detail_figures_shown`` returned them (withheld indicators marked ``withheld``);
    empty for a reader of every answer. A result of any method but 2 (method 1 has no
    indicator results; a later method's drill-down is not read here yet) gives
    ``EVERY_AGGREGATE``: withheld whole rather than guessed at."""
    if own_components is None:
        return frozenset()
    if method != 2:
        return frozenset({EVERY_AGGREGATE})
    levels = {
        ind.get("coherence_level", EVERY_AGGREGATE)
        for dim in dimensions
        for ind in dim.get("indicators", [])
        if ind.get("withheld") and ind.get("sufficient") and ind.get("applicable", True)
    }
    return frozenset(levels | {HEADLINE}) if levels else frozenset()


def aggregate_withheld(withheld: frozenset[str], key: str) -> bool:
    """Whether the aggregate ``key`` (``HEADLINE`` or a coherence level) is in ``withheld``."""
    return key in withheld or EVERY_AGGREGATE in withheld


# --- Method v3's gated headline --------------------------------------------------------------

# The headline's figures derived from the values (withheld whole from a component-level reader:
# method 3 is not in ``CHECKED_METHODS``); its counts and coverage stay.
V3_ALIGNMENT_FIELDS = ("alignment", "uncapped_alignment")


def headline_for_reader(headline: ScoreHeadline, *, restricted: bool) -> ScoreHeadline:
    """The headline as a reader sees it: for a component-level reader (``restricted``) the
    alignment figures blanked and ``alignment_withheld`` set; the counts and coverage kept."""
    if not restricted:
        return headline
    return replace(headline, alignment=None, uncapped_alignment=None, alignment_withheld=True)


def headline_restricted(*, user: User, mission_id: int) -> bool:
    """Whether ``user`` is a component-level reader of the mission (one query)."""
    return answer_components_readable_by(user=user, mission_id=mission_id) is not None


def headline_shown_to(headline: ScoreHeadline | None, *, user: User) -> ScoreHeadline | None:
    """``headline`` (or None) as ``user`` may see it."""
    if headline is None:
        return None
    restricted = headline_restricted(user=user, mission_id=headline.mission_id)
    return headline_for_reader(headline, restricted=restricted)


_Key = TypeVar("_Key")


def headlines_shown_to(
    headlines: Mapping[_Key, ScoreHeadline], *, user: User
) -> dict[_Key, ScoreHeadline]:
    """Each of ``headlines`` as ``user`` may see it (one query per mission)."""
    restricted: dict[int, bool] = {}
    shown = {}
    for key, headline in headlines.items():
        mission_id = headline.mission_id
        if mission_id not in restricted:
            restricted[mission_id] = headline_restricted(user=user, mission_id=mission_id)
        shown[key] = headline_for_reader(headline, restricted=restricted[mission_id])
    return shown


def v3_headline_values_shown(
    qs: QuerySet[Any],
    restrictions: Mapping[int, int],
    *,
    v3: str = "v3",
    mission_field: str = "mission_id",
) -> QuerySet[Any]:
    """Rows reaching an assessment's method v3 result through the relation ``v3`` with
    ``shown_v3_<field>`` for each of ``V3_ALIGNMENT_FIELDS``: the stored figure, or NULL in the
    missions where the reader is component-level (``restrictions``)."""
    fields = {f"shown_v3_{name}": F(f"{v3}__{name}") for name in V3_ALIGNMENT_FIELDS}
    shown: QuerySet[Any]
    if not restrictions:
        shown = qs.annotate(**fields)
        return shown
    hidden = Q(**{f"{mission_field}__in": list(restrictions)})
    shown = qs.annotate(
        **{name: Case(When(hidden, then=None), default=value) for name, value in fields.items()}
    )
    return shown
