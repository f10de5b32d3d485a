"""Loading what the pure methods need from the database, in a fixed number of queries.

One loader per method version (their inputs differ); ``scoring_input`` picks by number.
"""

import json
from dataclasses import dataclass
from typing import cast

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from assessments.models import (
    Answer,
    Assessment,
    DimensionTarget,
    IndicatorBandOverride,
    IndicatorNotApplicable,
    Response,
    ResponseStatus,
)
from questionnaires.models import Dimension, Indicator, Questionnaire, QuestionnaireStatus
from scoring import method_v1, method_v2
from scoring.method import FALLBACK_METHOD

_KIND = {"na": "na", "dk": "dk"}

# (dimension code, component, tag codes) for each answer that carries tags.
TagRows = list[tuple[str, str, list[str]]]


def questionnaire_def(questionnaire_id: int) -> method_v1.QuestionnaireDef:
    """The questionnaire as method v1 reads it (dimension targets, no bands)."""
    dimensions = tuple(
        method_v1.DimensionDef(code=code, weight=float(weight), default_target_step=target)
        for code, weight, target in Dimension.objects.filter(questionnaire_id=questionnaire_id)
        .order_by("order")
        .values_list("code", "weight", "default_target_step")
    )
    indicators = tuple(
        method_v1.IndicatorDef(
            code=code, dimension_code=dim, coherence_level=level, weight=float(weight)
        )
        for code, dim, level, weight in Indicator.objects.filter(questionnaire_id=questionnaire_id)
        .order_by("dimension__order", "order")
        .values_list("code", "dimension__code", "coherence_level", "weight")
    )
    return method_v1.QuestionnaireDef(dimensions=dimensions, indicators=indicators)


@dataclass(frozen=True)
class BandMapping:
    """Where the default bands of a questionnaire without bands (IMP-CORE v1) come from."""

    source: str  # "IMP-CORE v2", or "" when no later version of the code has bands
    mapped: tuple[str, ...]  # indicator codes that took the later version's default band
    unmapped: tuple[str, ...]  # codes without a counterpart: their v1 dimension target applies


def lent_bands(*, code: str, version: int) -> tuple[str, dict[str, tuple[int, int]]]:
    """The default bands of the newest published (or retired) later version of questionnaire
    ``code`` that has bands, by indicator code, and that version's name; one query."""
    rows = (
        Indicator.objects.filter(
            questionnaire__code=code,
            questionnaire__version__gt=version,
            target_min__isnull=False,
            target_max__isnull=False,
        )
        .exclude(questionnaire__status=QuestionnaireStatus.DRAFT)
        .values_list("questionnaire__version", "code", "target_min", "target_max")
    )
    by_version: dict[int, dict[str, tuple[int, int]]] = {}
    for source_version, indicator_code, low, high in rows:
        if low is not None and high is not None:  # (the query asks for both)
            by_version.setdefault(source_version, {})[indicator_code] = (low, high)
    if not by_version:
        return "", {}
    newest = max(by_version)
    return f"{code} v{newest}", by_version[newest]


def questionnaire_def_v2(questionnaire_id: int) -> tuple[method_v2.QuestionnaireDef, BandMapping]:
    """The questionnaire as method v2 reads it: weights, applicability and default bands.

    An indicator without a band (a v1 questionnaire) takes the default band of the indicator
    with the same code in the newest later version that has bands; failing that, its
    dimension's target step as a one-step band. Applicability stays the questionnaire's own
    (v1: every component), because that is who was asked.
    """
    dimensions = tuple(
        method_v2.DimensionDef(code=code, weight=float(weight))
        for code, weight in Dimension.objects.filter(questionnaire_id=questionnaire_id)
        .order_by("order")
        .values_list("code", "weight")
    )
    rows = list(
        Indicator.objects.filter(questionnaire_id=questionnaire_id)
        .order_by("dimension__order", "order")
        .values_list(
            "code",
            "dimension__code",
            "coherence_level",
            "weight",
            "applies_to",
            "target_min",
            "target_max",
            "dimension__default_target_step",
        )
    )
    source, lent = "", dict[str, tuple[int, int]]()
    if any(row[5] is None or row[6] is None for row in rows):
        code, version = Questionnaire.objects.values_list("code", "version").get(
            pk=questionnaire_id
        )
        source, lent = lent_bands(code=code, version=version)
    indicators, mapped, unmapped = [], [], []
    for code, dimension, level, weight, applies_to, low, high, dimension_target in rows:
        if low is None or high is None:
            if code in lent:
                low, high = lent[code]
                mapped.append(code)
            else:
                low = high = dimension_target
                unmapped.append(code)
        indicators.append(
            method_v2.IndicatorDef(
                code=code,
                dimension_code=dimension,
                coherence_level=level,
                weight=float(weight),
                band_min=low,
                band_max=high,
                applies_to=tuple(applies_to or ()),
            )
        )
    mapping = BandMapping(
        source=source,
        mapped=tuple(mapped),
        unmapped=tuple(unmapped),
    )
    return method_v2.QuestionnaireDef(dimensions=dimensions, indicators=tuple(indicators)), mapping


def scoring_input_v1(
    assessment: Assessment, questionnaire: method_v1.QuestionnaireDef | None = None
) -> tuple[method_v1.ScoringInput, TagRows]:
    """Method v1's input for an assessment, and its tag rows.

    Only complete component responses count: a draft may be half-way through.
    """
    questionnaire = questionnaire or questionnaire_def(assessment.questionnaire_id)
    targets = dict(
        DimensionTarget.objects.filter(assessment=assessment).values_list(
            "dimension__code", "target_step"
        )
    )
    answers, tags, components = [], [], set()
    for component, indicator_code, dimension_code, choice, tag_codes in _complete_answers(
        assessment
    ):
        components.add(component)
        if choice in _KIND:
            answers.append(method_v1.AnswerValue(component, indicator_code, None, _KIND[choice]))
        elif choice:
            answers.append(method_v1.AnswerValue(component, indicator_code, int(choice)))
        if tag_codes:
            tags.append((dimension_code, component, tag_codes))
    complete = assessment.responses.filter(status=ResponseStatus.COMPLETE).values_list(
        "component", flat=True
    )
    components.update(complete)
    data = method_v1.ScoringInput(
        questionnaire=questionnaire,
        targets=targets,
        components=tuple(sorted(components)),
        answers=tuple(answers),
    )
    return data, tags


def scoring_input_v2(
    assessment: Assessment, questionnaire: method_v2.QuestionnaireDef | None = None
) -> tuple[method_v2.ScoringInput, TagRows]:
    """Method v2's input for an assessment, and its tag rows (``scoring_inputs_v2`` of one)."""
    if questionnaire is None:
        questionnaire, _mapping = questionnaire_def_v2(assessment.questionnaire_id)
    return scoring_inputs_v2([assessment], {assessment.questionnaire_id: questionnaire})[
        assessment.pk
    ]


def scoring_inputs_v2(
    assessments: list[Assessment], questionnaires: dict[int, method_v2.QuestionnaireDef]
) -> dict[int, tuple[method_v2.ScoringInput, TagRows]]:
    """Method v2's inputs and tag rows for a batch of assessments, by assessment id, in five
    queries whatever the batch size; ``questionnaires``: each one's definition by id.

    Every component with a response row is expected (the focal point's mission-level response
    included); only complete responses give answers. Answers to an indicator from a component
    it does not apply to (possible only if a page let one through) are left out, as the
    answering pages leave those questions out.
    """
    ids = [assessment.pk for assessment in assessments]
    responses: dict[int, list[tuple[str, str]]] = {pk: [] for pk in ids}
    for assessment_id, component, status in Response.objects.filter(
        assessment_id__in=ids
    ).values_list("assessment_id", "component", "status"):
        responses[assessment_id].append((component, status))
    # Indicator codes by id, so that the answers (two hundred per assessment) need no join
    # beyond their response; their tags come as text, decoded only when there are any.
    indicators = {
        pk: (code, dimension_code)
        for pk, code, dimension_code in Indicator.objects.filter(
            questionnaire_id__in={assessment.questionnaire_id for assessment in assessments}
        ).values_list("pk", "code", "dimension__code")
    }
    answer_rows: dict[int, list[tuple[str, str, str, str, list[str]]]] = {pk: [] for pk in ids}
    for assessment_id, component, indicator_id, choice, tag_codes in Answer.objects.filter(
        response__assessment_id__in=ids, response__status=ResponseStatus.COMPLETE
    ).values_list(
        "response__assessment_id",
        "response__component",
        "indicator_id",
        "choice",
        Cast("tag_codes", TextField()),
    ):
        code, dimension_code = indicators[indicator_id]
        answer_rows[assessment_id].append(
            (
                component,
                code,
                dimension_code,
                choice,
                json.loads(tag_codes) if tag_codes and tag_codes != "[]" else [],
            )
        )
    overrides: dict[int, list[method_v2.BandOverride]] = {pk: [] for pk in ids}
    for assessment_id, code, low, high, rationale in IndicatorBandOverride.objects.filter(
        assessment_id__in=ids
    ).values_list("assessment_id", "indicator__code", "band_min", "band_max", "rationale"):
        overrides[assessment_id].append(method_v2.BandOverride(code, low, high, rationale))
    not_applicable: dict[int, dict[str, str]] = {pk: {} for pk in ids}
    for assessment_id, code, reason in IndicatorNotApplicable.objects.filter(
        assessment_id__in=ids
    ).values_list("assessment_id", "indicator__code", "reason"):
        not_applicable[assessment_id][code] = reason
    return {
        assessment.pk: _input_v2(
            assessment,
            questionnaires[assessment.questionnaire_id],
            responses[assessment.pk],
            answer_rows[assessment.pk],
            tuple(overrides[assessment.pk]),
            not_applicable[assessment.pk],
        )
        for assessment in assessments
    }


def _input_v2(
    assessment: Assessment,
    questionnaire: method_v2.QuestionnaireDef,
    responses: list[tuple[str, str]],
    answer_rows: list[tuple[str, str, str, str, list[str]]],
    overrides: tuple[method_v2.BandOverride, ...],
    not_applicable: dict[str, str],
) -> tuple[method_v2.ScoringInput, TagRows]:
    components = tuple(sorted(component for component, _status in responses))
    responded = {c for c, status in responses if status == ResponseStatus.COMPLETE}
    columns = set(components) | {method_v2.MISSION}
    scopes = {
        i.code: set(i.applies_to) if i.applies_to else columns - {method_v2.MISSION}
        for i in questionnaire.indicators
    }
    answers, tags = [], []
    for component, indicator_code, dimension_code, choice, tag_codes in answer_rows:
        if component not in scopes.get(indicator_code, ()):
            continue
        if choice in _KIND:
            answers.append(method_v1.AnswerValue(component, indicator_code, None, _KIND[choice]))
        elif choice:
            answers.append(method_v1.AnswerValue(component, indicator_code, int(choice)))
        if tag_codes:
            tags.append((dimension_code, component, tag_codes))
    data = method_v2.ScoringInput(
        questionnaire=questionnaire,
        components=components,
        responded=tuple(sorted(responded)),
        answers=tuple(answers),
        overrides=overrides,
        not_applicable=not_applicable,
        phase=assessment.phase,
    )
    return data, tags


def scoring_input(
    assessment: Assessment,
    questionnaire: method_v1.QuestionnaireDef | method_v2.QuestionnaireDef | None = None,
    *,
    method: int = FALLBACK_METHOD,
) -> tuple[method_v1.ScoringInput | method_v2.ScoringInput, TagRows]:
    """The input of method 1 or 2 (default: 2, the method that scores what the current one
    cannot read) for an assessment; method 3's loader is ``scoring.loader_v3``."""
    if method == 1:
        return scoring_input_v1(assessment, cast(method_v1.QuestionnaireDef | None, questionnaire))
    if method == 2:
        return scoring_input_v2(assessment, cast(method_v2.QuestionnaireDef | None, questionnaire))
    raise ValueError(f"unknown scoring method {method!r}")


def _complete_answers(
    assessment: Assessment,
) -> QuerySet[Answer, tuple[str, str, str, str, list[str]]]:
    return Answer.objects.filter(
        response__assessment=assessment, response__status=ResponseStatus.COMPLETE
    ).values_list(
        "response__component",
        "indicator__code",
        "indicator__dimension__code",
        "choice",
        "tag_codes",
    )
