"""Reads of questionnaire definitions."""

from django.db.models import Prefetch, QuerySet

from questionnaires.models import (
    Dimension,
    DimensionTag,
    Indicator,
    Questionnaire,
    QuestionnaireStatus,
    TagKind,
)
from questionnaires.spec import DimensionSpec, IndicatorSpec, QuestionnaireSpec, TagSpec


def questionnaire_list_published() -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).order_by(
        "code", "-version"
    )


def questionnaire_with_content(*, questionnaire_id: int) -> Questionnaire:
    """One version with dimensions, indicators and tags loaded in four queries."""
    return Questionnaire.objects.prefetch_related(
        Prefetch("dimensions", queryset=Dimension.objects.order_by("order")),
        Prefetch("dimensions__indicators", queryset=Indicator.objects.order_by("order")),
        Prefetch("dimensions__tags", queryset=DimensionTag.objects.order_by("kind", "order")),
    ).get(pk=questionnaire_id)


def questionnaire_spec(*, questionnaire: Questionnaire) -> QuestionnaireSpec:
    """The stored version as a spec: exactly what the file format holds."""
    loaded = questionnaire_with_content(questionnaire_id=questionnaire.pk)
    dimensions = []
    for dim in loaded.dimensions.all():
        tags = list(dim.tags.all())
        dimensions.append(
            DimensionSpec(
                code=dim.code,
                title=dim.title,
                description=dim.description,
                default_target_step=dim.default_target_step,
                weight=dim.weight,
                barrier_tags=[
                    TagSpec(code=t.code, label=t.label) for t in tags if t.kind == TagKind.BARRIER
                ],
                enabler_tags=[
                    TagSpec(code=t.code, label=t.label) for t in tags if t.kind == TagKind.ENABLER
                ],
                indicators=[
                    IndicatorSpec(
                        code=ind.code,
                        coherence_level=ind.coherence_level,
                        weight=ind.weight,
                        statement=ind.statement,
                        guidance=ind.guidance,
                        source=ind.source,
                        rubric={step: getattr(ind, f"rubric_{step}") for step in range(1, 6)},
                    )
                    for ind in dim.indicators.all()
                ],
            )
        )
    return QuestionnaireSpec(
        code=loaded.code,
        version=loaded.version,
        title=loaded.title,
        description=loaded.description,
        dimensions=dimensions,
    )
