"""Loading what the pure method needs from the database, in a fixed number of queries."""

from assessments.models import Answer, Assessment, DimensionTarget, ResponseStatus
from questionnaires.models import Dimension, Indicator
from scoring.method_v1 import (
    AnswerValue,
    DimensionDef,
    IndicatorDef,
    QuestionnaireDef,
    ScoringInput,
)

_KIND = {"na": "na", "dk": "dk"}


def questionnaire_def(questionnaire_id: int) -> QuestionnaireDef:
    dimensions = tuple(
        DimensionDef(code=code, weight=float(weight), default_target_step=target)
        for code, weight, target in Dimension.objects.filter(questionnaire_id=questionnaire_id)
        .order_by("order")
        .values_list("code", "weight", "default_target_step")
    )
    indicators = tuple(
        IndicatorDef(code=code, dimension_code=dim, coherence_level=level, weight=float(weight))
        for code, dim, level, weight in Indicator.objects.filter(questionnaire_id=questionnaire_id)
        .order_by("dimension__order", "order")
        .values_list("code", "dimension__code", "coherence_level", "weight")
    )
    return QuestionnaireDef(dimensions=dimensions, indicators=indicators)


def scoring_input(
    assessment: Assessment, questionnaire: QuestionnaireDef | None = None
) -> tuple[ScoringInput, list[tuple[str, str, list[str]]]]:
    """The method's input for an assessment, and (dimension, component, tag codes) rows.

    Only complete component responses count: a draft may be half-way through.
    """
    questionnaire = questionnaire or questionnaire_def(assessment.questionnaire_id)
    targets = dict(
        DimensionTarget.objects.filter(assessment=assessment).values_list(
            "dimension__code", "target_step"
        )
    )
    rows = Answer.objects.filter(
        response__assessment=assessment, response__status=ResponseStatus.COMPLETE
    ).values_list(
        "response__component",
        "indicator__code",
        "indicator__dimension__code",
        "choice",
        "tag_codes",
    )
    answers, tags, components = [], [], set()
    for component, indicator_code, dimension_code, choice, tag_codes in rows:
        components.add(component)
        if choice in _KIND:
            answers.append(AnswerValue(component, indicator_code, None, _KIND[choice]))
        elif choice:
            answers.append(AnswerValue(component, indicator_code, int(choice)))
        if tag_codes:
            tags.append((dimension_code, component, tag_codes))
    complete = assessment.responses.filter(status=ResponseStatus.COMPLETE).values_list(
        "component", flat=True
    )
    components.update(complete)
    data = ScoringInput(
        questionnaire=questionnaire,
        targets=targets,
        components=tuple(sorted(components)),
        answers=tuple(answers),
    )
    return data, tags
