"""The rows of each table of a data export, streamed in constant memory.

Each table is read with ``values_list`` and ``.iterator(chunk_size=…)`` (a server-side
cursor on PostgreSQL), so 600,000 answers never sit in memory at once. Every function takes a
``DataScope`` (which missions) and yields plain tuples: text, numbers, booleans, dates, None.
The columns and their meaning are declared in ``exports.tables``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.functions import Cast

from actions.selectors import action_export_count, action_export_rows
from assessments.models import Answer, Assessment, DimensionTarget
from missions.models import Mission, Period
from missions.periods import quarter_label
from questionnaires.models import Dimension, Indicator, QuestionnaireStatus
from questionnaires.translations import text_in
from scoring.confidentiality import (
    coherence_values_shown,
    dimension_values_shown,
    figure_restrictions,
    headline_values_shown,
    indicator_values_shown,
    v3_headline_values_shown,
)
from scoring.flags import flag_key
from scoring.headline import HEADLINE_METHOD_LABEL
from scoring.models import CoherenceLevelScore, DimensionScore, IndicatorScore, ScoreSet

CHUNK_SIZE = 5000
_ANSWER_LABELS = {"na": "N/A", "dk": "DK", "": None}


@dataclass(frozen=True)
class DataScope:
    """Which missions a data export covers (``None``: every mission), and, per mission where
    the reader may not read every component's answers, the components whose answers and
    evidence it holds (``exports.permissions.data_scope_answer_components``)."""

    mission_ids: tuple[int, ...] | None = None
    answer_components: tuple[tuple[int, tuple[str, ...]], ...] | None = None

    def answers_filter(self) -> Q:
        """Answers of the components the reader may read (every answer when unrestricted)."""
        if not self.answer_components:
            return Q()
        restricted = {mission_id for mission_id, _components in self.answer_components}
        allowed = ~Q(response__assessment__mission_id__in=restricted)
        for mission_id, components in self.answer_components:
            allowed |= Q(
                response__assessment__mission_id=mission_id, response__component__in=components
            )
        return allowed

    def figure_restrictions(self) -> dict[int, int]:
        """Per mission where the reader is component-level, how many components they answer
        for: their figures follow ``scoring.confidentiality``."""
        return figure_restrictions(self.answer_components)

    def missions(self) -> QuerySet[Mission]:
        qs = Mission.objects.all()
        return qs if self.mission_ids is None else qs.filter(pk__in=self.mission_ids)

    def filter(self, qs: QuerySet, mission_field: str) -> QuerySet:
        if self.mission_ids is None:
            return qs
        return qs.filter(**{f"{mission_field}__in": self.mission_ids})


def _r(value: float | None) -> float | None:
    """Scores to six decimals: float noise (30.000000000000004) helps no analyst."""
    return None if value is None else round(value, 6)


def iso(moment) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


# --- missions and periods ------------------------------------------------------------------


def mission_rows(scope: DataScope) -> Iterator[tuple]:
    qs = scope.missions().order_by("code").values_list("code", "name", "kind", "region", "is_demo")
    yield from qs.iterator(chunk_size=CHUNK_SIZE)


def period_rows(scope: DataScope) -> Iterator[tuple]:
    qs = Period.objects.order_by("year", "quarter").values_list(
        "year", "quarter", "opens_on", "closes_on"
    )
    for year, quarter, opens_on, closes_on in qs.iterator(chunk_size=CHUNK_SIZE):
        yield (quarter_label(year, quarter), year, quarter, opens_on, closes_on)


# --- questionnaire -------------------------------------------------------------------------


def _questionnaire_filter() -> Q:
    # Drafts are work in progress; every published or retired version may have answers.
    return Q(questionnaire__status__in=[QuestionnaireStatus.PUBLISHED, QuestionnaireStatus.RETIRED])


def _dimension_qs():
    return Dimension.objects.filter(_questionnaire_filter())


def dimension_rows(scope: DataScope) -> Iterator[tuple]:
    qs = _dimension_qs().order_by("questionnaire__code", "questionnaire__version", "order")
    for row in qs.values_list(
        "questionnaire__code",
        "questionnaire__version",
        "order",
        "code",
        "title",
        "default_target_step",
        "weight",
        "translations",
    ).iterator(chunk_size=CHUNK_SIZE):
        *head, title, step, weight, translations = row
        yield (*head, text_in(translations, "title", title), step, float(weight))


def _indicator_qs():
    return Indicator.objects.filter(_questionnaire_filter())


def indicator_rows(scope: DataScope) -> Iterator[tuple]:
    qs = _indicator_qs().order_by(
        "questionnaire__code", "questionnaire__version", "dimension__order", "order"
    )
    for row in qs.values_list(
        "questionnaire__code",
        "questionnaire__version",
        "dimension__code",
        "code",
        "coherence_level",
        "weight",
        "statement",
        "rubric_1",
        "rubric_2",
        "rubric_3",
        "rubric_4",
        "rubric_5",
        "source",
        "translations",
    ).iterator(chunk_size=CHUNK_SIZE):
        code, version, dimension, indicator, level, weight, *texts, source, translations = row
        # In the requester's language where the version has it (the source is a citation).
        fields = ("statement", "rubric_1", "rubric_2", "rubric_3", "rubric_4", "rubric_5")
        texts = [text_in(translations, f, t) for f, t in zip(fields, texts, strict=True)]
        yield (code, version, dimension, indicator, level, float(weight), *texts, source)


# --- answers, targets and scores -----------------------------------------------------------


def _answer_qs(scope: DataScope):
    answers = Answer.objects.filter(scope.answers_filter())
    return scope.filter(answers, "response__assessment__mission_id")


def answer_rows(scope: DataScope) -> Iterator[tuple]:
    qs = _answer_qs(scope).order_by(
        "response__assessment__mission__code",
        "response__assessment__period__year",
        "response__assessment__period__quarter",
        "response__component",
        "indicator__dimension__order",
        "indicator__order",
    )
    labels = _ANSWER_LABELS
    for (
        mission,
        year,
        quarter,
        component,
        dimension,
        indicator,
        choice,
        evidence,
        tag_codes,
    ) in qs.values_list(
        "response__assessment__mission__code",
        "response__assessment__period__year",
        "response__assessment__period__quarter",
        "response__component",
        "indicator__dimension__code",
        "indicator__code",
        "choice",
        "evidence",
        # The list as its JSON text: most answers carry no tag ("[]"), and decoding every
        # row's JSON through the field's converter was a tenth of the CSV export's time.
        Cast("tag_codes", TextField()),
    ).iterator(chunk_size=CHUNK_SIZE):
        answer = labels[choice] if choice in labels else int(choice)
        tags = json.loads(tag_codes) if tag_codes and tag_codes != "[]" else None
        yield (
            mission,
            quarter_label(year, quarter),
            component,
            dimension,
            indicator,
            answer,
            evidence or None,
            " ".join(tags) if tags else None,
        )


def _target_qs(scope: DataScope):
    return scope.filter(DimensionTarget.objects.all(), "assessment__mission_id")


def target_rows(scope: DataScope) -> Iterator[tuple]:
    qs = _target_qs(scope).order_by(
        "assessment__mission__code",
        "assessment__period__year",
        "assessment__period__quarter",
        "dimension__order",
    )
    for mission, year, quarter, dimension, step in qs.values_list(
        "assessment__mission__code",
        "assessment__period__year",
        "assessment__period__quarter",
        "dimension__code",
        "target_step",
    ).iterator(chunk_size=CHUNK_SIZE):
        yield (mission, quarter_label(year, quarter), dimension, step)


def _assessment_qs(scope: DataScope):
    return scope.filter(Assessment.objects.all(), "mission_id")


def index_rows(scope: DataScope) -> Iterator[tuple]:
    # One row per assessment, scored or not: a left join on the result shown for it (the
    # newest method's, as on every page).
    restrictions = scope.figure_restrictions()
    qs = headline_values_shown(
        v3_headline_values_shown(
            _assessment_qs(scope)
            .annotate(
                shown=Subquery(shown_result(OuterRef("pk")).values("pk")[:1]),
                result=FilteredRelation("score_sets", condition=Q(score_sets__pk=F("shown"))),
                v3=v3_result(),
            )
            .order_by("mission__code", "period__year", "period__quarter"),
            restrictions,
        ),
        restrictions,
        score_set="result",
        score_set_id="shown",
    )
    for (
        mission,
        year,
        quarter,
        questionnaire,
        version,
        status,
        method,
        index,
        stage,
        score,
        completeness,
        sufficient,
        components,
        computed_at,
        alignment,
        shortfall,
        shortfall_count,
        over_integration,
        over_integration_count,
        phase,
        not_responded,
        *headline,
    ) in qs.values_list(
        "mission__code",
        "period__year",
        "period__quarter",
        "questionnaire__code",
        "questionnaire__version",
        "status",
        "result__method_version",
        "shown_index",  # the headline as the reader may see it
        "shown_stage",
        "shown_score",
        "result__completeness",
        "result__sufficient",
        "result__components",
        "result__computed_at",
        "shown_alignment",
        "shown_shortfall",
        "result__shortfall_count",
        "shown_over_integration",
        "result__over_integration_count",
        "result__detail__phase",
        "result__not_responded",
        *HEADLINE_VALUES,
    ).iterator(chunk_size=CHUNK_SIZE):
        yield (
            mission,
            quarter_label(year, quarter),
            questionnaire,
            version,
            status,
            method,
            _r(index),
            stage or None,
            _r(score),
            _r(completeness),
            sufficient,
            " ".join(components) if components else None,
            iso(computed_at),
            _r(alignment),
            _r(shortfall),
            shortfall_count,
            _r(over_integration),
            over_integration_count,
            phase or None,
            " ".join(not_responded) if not_responded else None,
            *headline_cells(headline),
        )


# Method v3's gated headline (``scoring.headline``) as columns: the assessment's method 3
# result, whatever result the other columns show (until method 3 is the current one, a quarter
# has it once rescored with ``rescore --method 3``).
HEADLINE_COLUMNS = (
    "critical_findings",
    "unverified_safeguards",
    "contested_indicators",
    "coverage",
    "alignment_shown",
    "alignment_uncapped",
    "enough_answers",
)
HEADLINE_VALUES = (
    "v3__critical_count",
    "v3__unverified_count",
    "v3__contested_count",
    "v3__coverage",
    "shown_v3_alignment",  # blank for a component-level reader (scoring.confidentiality)
    "shown_v3_uncapped_alignment",
    "v3__enough_answers",
)


def v3_result() -> FilteredRelation:
    """The assessment's method v3 result, as a relation to annotate ``v3`` with."""
    return FilteredRelation(
        "score_sets", condition=Q(score_sets__method_version=HEADLINE_METHOD_LABEL)
    )


def headline_cells(values: Sequence[Any]) -> tuple[Any, ...]:
    """The ``HEADLINE_VALUES`` as the ``HEADLINE_COLUMNS`` cells (figures rounded)."""
    critical, unverified, contested, coverage, shown, uncapped, enough = values
    return (critical, unverified, contested, _r6(coverage), _r6(shown), _r6(uncapped), enough)


def _r6(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def shown_result(assessment) -> QuerySet:
    """An assessment's stored results, the one to export first: the newest method's, as every
    page shows it (``scoring.results``; labels sort in method order)."""
    return ScoreSet.objects.filter(assessment_id=assessment).order_by(
        "-method_version", "-computed_at", "-pk"
    )


# The export's order of score rows; readers that page through them (the API) use the key.
_SCORE_ORDER = (
    "score_set__mission__code",
    "score_set__period__year",
    "score_set__period__quarter",
    "pk",
)


def _current_scores(qs: QuerySet, scope: DataScope) -> QuerySet:
    """Rows of the result shown for each assessment (see ``shown_result``)."""
    shown = shown_result(OuterRef("score_set__assessment_id")).values("pk")[:1]
    return scope.filter(qs.filter(score_set_id=Subquery(shown)), "score_set__mission_id")


DIMENSION_SCORE_FIELDS = (
    "score_set__mission__code",
    "score_set__period__year",
    "score_set__period__quarter",
    "score_set__method_version",
    "dimension_code",
    "shown_score",
    "target",
    "shown_gap",
    "gap_flag",
    "completeness",
    "sufficient",
    "shown_divergence",
    "divergence_flag",
    "band_min",
    "band_max",
    "shown_alignment",
    "shown_shortfall",
    "shown_shortfall_count",
    "shown_over_integration",
    "shown_over_integration_count",
)


def dimension_score_queryset(scope: DataScope) -> QuerySet:
    """The rows of the current result of each assessment in ``scope``, unordered, with the
    figures a component-level reader may not see read as NULL (``shown_*``)."""
    rows = _current_scores(DimensionScore.objects.all(), scope)
    return dimension_values_shown(rows, scope.figure_restrictions())


def dimension_score_row(values: tuple) -> tuple:
    """One row of the table from the values of ``DIMENSION_SCORE_FIELDS``."""
    mission, year, quarter, *rest = values
    method, dimension, score, target, gap, gap_flag, completeness, sufficient, *tail = rest
    divergence, divergence_flag, band_min, band_max, alignment, short, n_short, *tail = tail
    over, n_over = tail
    return (
        mission,
        quarter_label(year, quarter),
        method,
        dimension,
        _r(score),
        target,
        _r(gap),
        gap_flag or None,
        _r(completeness),
        sufficient,
        _r(divergence),
        divergence_flag,
        band_min,
        band_max,
        _r(alignment),
        _r(short),
        n_short,
        _r(over),
        n_over,
    )


def dimension_score_rows(scope: DataScope) -> Iterator[tuple]:
    qs = dimension_score_queryset(scope).order_by(*_SCORE_ORDER)
    for values in qs.values_list(*DIMENSION_SCORE_FIELDS).iterator(chunk_size=CHUNK_SIZE):
        yield dimension_score_row(values)


INDICATOR_SCORE_FIELDS = (
    "score_set__mission__code",
    "score_set__period__year",
    "score_set__period__quarter",
    "score_set__method_version",
    "score_set__detail__phase",
    "dimension_code",
    "indicator_code",
    "applicable",
    "shown_value",
    "band_min",
    "band_max",
    "band_overridden",
    "rationale",
    "shown_distance",
    "flag",
    "sufficient",
    "counted",
    "expected",
    "shown_spread",
    # Method 3 and later (empty for method 2 rows).
    "status",
    "contested",
    "band_reason",
)


def indicator_score_queryset(scope: DataScope) -> QuerySet:
    rows = _current_scores(IndicatorScore.objects.all(), scope)
    return indicator_values_shown(rows, scope.figure_restrictions())


def indicator_score_row(values: tuple) -> tuple:
    mission, year, quarter, *rest = values
    method, phase, dimension, indicator, applicable, value, band_min, band_max, *tail = rest
    overridden, rationale, distance, flag, sufficient, counted, expected, spread, *v3 = tail
    status, contested, band_reason = v3
    return (
        mission,
        quarter_label(year, quarter),
        method,
        dimension,
        indicator,
        applicable,
        _r(value),
        band_min,
        band_max,
        "override" if overridden else "default",
        _r(distance),
        flag_key(flag, sufficient=sufficient) if applicable else None,
        rationale or None,
        phase or None,
        counted,
        expected,
        sufficient,
        spread,
        status or None,
        contested,
        band_reason or None,
    )


_PHASE = "score_set__detail__phase"
_PHASE_AT = INDICATOR_SCORE_FIELDS.index(_PHASE)
_FIELDS_BUT_PHASE = tuple(field for field in INDICATOR_SCORE_FIELDS if field != _PHASE)


def indicator_score_rows(scope: DataScope) -> Iterator[tuple]:
    """One row per indicator finding of the current method (method 2 and later), with the
    band that applied, its source and rationale, and the phase recorded with the result."""
    qs = indicator_score_queryset(scope).order_by(*_SCORE_ORDER)
    # The phase sits in each result's detail, a large JSON document: reading it once per
    # result instead of once per row (tens of rows each) saves the database from decoding it
    # 220,000 times on a full export.
    phases = dict(
        ScoreSet.objects.filter(pk__in=qs.values("score_set_id")).values_list("pk", "detail__phase")
    )
    for score_set_id, *values in qs.values_list("score_set_id", *_FIELDS_BUT_PHASE).iterator(
        chunk_size=CHUNK_SIZE
    ):
        values.insert(_PHASE_AT, phases.get(score_set_id))
        yield indicator_score_row(values)


COHERENCE_FIELDS = (
    "score_set__mission__code",
    "score_set__period__year",
    "score_set__period__quarter",
    "score_set__method_version",
    "level",
    "shown_score",
    "completeness",
    "sufficient",
)


def coherence_queryset(scope: DataScope) -> QuerySet:
    """Coherence level rows, the figures a component-level reader may not see as NULL."""
    return coherence_values_shown(
        _current_scores(CoherenceLevelScore.objects.all(), scope), scope.figure_restrictions()
    )


def coherence_row(values: tuple) -> tuple:
    mission, year, quarter, method, level, score, completeness, sufficient = values
    return (
        mission,
        quarter_label(year, quarter),
        method,
        level,
        _r(score),
        _r(completeness),
        sufficient,
    )


def coherence_rows(scope: DataScope) -> Iterator[tuple]:
    qs = coherence_queryset(scope).order_by(*_SCORE_ORDER)
    for values in qs.values_list(*COHERENCE_FIELDS).iterator(chunk_size=CHUNK_SIZE):
        yield coherence_row(values)


# --- actions ---------------------------------------------------------------------------------


def action_rows(scope: DataScope) -> Iterator[tuple]:
    yield from action_export_rows(mission_ids=scope.mission_ids)


def action_count(scope: DataScope) -> int:
    return action_export_count(mission_ids=scope.mission_ids)


# --- counts (for progress) -----------------------------------------------------------------


def mission_count(scope: DataScope) -> int:
    return scope.missions().count()


def period_count(scope: DataScope) -> int:
    return Period.objects.count()


def dimension_count(scope: DataScope) -> int:
    return _dimension_qs().count()


def indicator_count(scope: DataScope) -> int:
    return _indicator_qs().count()


def answer_count(scope: DataScope) -> int:
    return _answer_qs(scope).count()


def target_count(scope: DataScope) -> int:
    return _target_qs(scope).count()


def index_count(scope: DataScope) -> int:
    return _assessment_qs(scope).count()


def dimension_score_count(scope: DataScope) -> int:
    return dimension_score_queryset(scope).count()


def indicator_score_count(scope: DataScope) -> int:
    return indicator_score_queryset(scope).count()


def coherence_count(scope: DataScope) -> int:
    return coherence_queryset(scope).count()
