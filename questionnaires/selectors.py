"""Reads of questionnaire definitions."""

from typing import Any, TypeVar, cast

from django.db.models import Prefetch, QuerySet

from missions.roles import User, user_is_administrator
from questionnaires.applicability import applies_to_component, is_mission_level
from questionnaires.models import (
    Dimension,
    DimensionTag,
    GlossaryTerm,
    Indicator,
    Questionnaire,
    QuestionnaireStatus,
    TagKind,
    Translatable,
)
from questionnaires.spec import (
    EXTERNAL,
    Basis,
    DimensionSpec,
    FileRules,
    GlossarySpec,
    GlossaryTexts,
    IndicatorSpec,
    IndicatorTexts,
    QuestionnaireSpec,
    Sourcing,
    TagSpec,
    TagTexts,
    TargetSpec,
    TitledTexts,
)
from questionnaires.translations import text_in

T = TypeVar("T", TitledTexts, TagTexts, GlossaryTexts, IndicatorTexts)


def questionnaires_visible_to(*, user: User) -> QuerySet[Questionnaire]:
    """Administrators read drafts too; everybody else the published and retired versions."""
    if user_is_administrator(user):
        return Questionnaire.objects.all()
    return Questionnaire.objects.exclude(status=QuestionnaireStatus.DRAFT)


def questionnaire_get_for_user(*, user: User, questionnaire_id: int) -> Questionnaire:
    """Raises ``Questionnaire.DoesNotExist`` for a version the user may not read."""
    return questionnaires_visible_to(user=user).get(pk=questionnaire_id)


def questionnaire_versions_oldest_first(*, user: User) -> list[Questionnaire]:
    """The versions the user may read, by code, each code's oldest version first."""
    return list(questionnaires_visible_to(user=user).order_by("code", "version"))


def questionnaire_list_published() -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).order_by(
        "code", "-version"
    )


def questionnaire_current_published() -> Questionnaire | None:
    """The version new quarters use: the most recently published one."""
    return (
        Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED)
        .order_by("-published_at", "-version")
        .first()
    )


def questionnaire_with_content(*, questionnaire_id: int) -> Questionnaire:
    """One version with dimensions, indicators, tags and glossary loaded in five queries."""
    return Questionnaire.objects.prefetch_related(
        Prefetch("dimensions", queryset=Dimension.objects.order_by("order")),
        Prefetch("dimensions__indicators", queryset=Indicator.objects.order_by("order")),
        Prefetch("dimensions__tags", queryset=DimensionTag.objects.order_by("kind", "order")),
        Prefetch("glossary", queryset=GlossaryTerm.objects.order_by("order")),
    ).get(pk=questionnaire_id)


def questionnaire_glossary(*, questionnaire: Questionnaire) -> QuerySet[GlossaryTerm]:
    return GlossaryTerm.objects.filter(questionnaire=questionnaire).order_by("order", "term")


def _sourcing(item: Indicator | DimensionTag | GlossaryTerm) -> Sourcing:
    return {
        "basis": cast(Basis, item.basis),  # (the model's choices)
        "source": item.source,
        "quote": item.quote,
        "note": item.basis_note,
    }


def _texts(item: Translatable, texts: type[T]) -> dict[str, T]:
    """An item's stored translations as the file's per-language texts."""
    return {
        language: texts.from_stored(fields)
        for language, fields in (item.translations or {}).items()
    }


def _indicator_spec(indicator: Indicator) -> IndicatorSpec:
    target = None
    if indicator.target_min is not None and indicator.target_max is not None:
        target = TargetSpec(min=indicator.target_min, max=indicator.target_max)
    return IndicatorSpec(
        code=indicator.code,
        coherence_level=indicator.coherence_level,
        weight=indicator.weight,
        applies_to=list(indicator.applies_to or []),
        target=target,
        statement=indicator.statement,
        guidance=indicator.guidance,
        rubric={step: getattr(indicator, f"rubric_{step}") for step in range(1, 6)},
        translations=_texts(indicator, IndicatorTexts),
        safeguard=indicator.safeguard,
        voice=list(indicator.voice or []),
        voice_rationale=indicator.voice_rationale,
        context=EXTERNAL if indicator.is_external else None,
        **(indicator.rules or {}),
        **_sourcing(indicator),
    )


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
                translations=_texts(dim, TitledTexts),
                barrier_tags=[
                    TagSpec(
                        code=t.code,
                        label=t.label,
                        translations=_texts(t, TagTexts),
                        **_sourcing(t),
                    )
                    for t in tags
                    if t.kind == TagKind.BARRIER
                ],
                enabler_tags=[
                    TagSpec(
                        code=t.code,
                        label=t.label,
                        translations=_texts(t, TagTexts),
                        **_sourcing(t),
                    )
                    for t in tags
                    if t.kind == TagKind.ENABLER
                ],
                indicators=[_indicator_spec(ind) for ind in dim.indicators.all()],
            )
        )
    return QuestionnaireSpec(
        code=loaded.code,
        version=loaded.version,
        languages=list(loaded.languages),
        title=loaded.title,
        description=loaded.description,
        translations=_texts(loaded, TitledTexts),
        glossary=[
            GlossarySpec(
                term=entry.term,
                definition=entry.definition,
                translations=_texts(entry, GlossaryTexts),
                **_sourcing(entry),
            )
            for entry in loaded.glossary.all()
        ],
        dimensions=dimensions,
    )


def questionnaire_file_rules(
    *,
    questionnaire: Questionnaire | None,
    exclude: Indicator | DimensionTag | GlossaryTerm | None = None,
) -> FileRules:
    """The file-wide rules a version's stored content implies, for checking one edit.

    As in a file: once another indicator has a target band every indicator needs one,
    and once another item quotes the report every report-based item needs its quote.
    ``exclude`` is the item being edited (its old state must not decide for it).
    """
    if questionnaire is None or questionnaire.pk is None:
        return FileRules()

    def others(queryset: QuerySet[Any]) -> QuerySet[Any]:
        if exclude is not None and exclude.pk is not None and queryset.model is type(exclude):
            return queryset.exclude(pk=exclude.pk)
        return queryset

    indicators = others(Indicator.objects.filter(questionnaire=questionnaire))
    tags = others(DimensionTag.objects.filter(dimension__questionnaire=questionnaire))
    glossary = others(GlossaryTerm.objects.filter(questionnaire=questionnaire))
    return FileRules(
        targets_required=indicators.filter(target_min__isnull=False).exists(),
        quotes_required=any(qs.exclude(quote="").exists() for qs in (indicators, tags, glossary)),
    )


# Who answers what. The rule itself lives in questionnaires.applicability.


def indicator_applies_to(*, indicator: Indicator, component: str) -> bool:
    """Whether ``indicator`` is asked of ``component`` (a component code or MISSION_WIDE)."""
    return applies_to_component(indicator.applies_to or [], component)


def indicators_for_component(
    *, questionnaire: Questionnaire, component: str
) -> QuerySet[Indicator]:
    """The indicators of ``questionnaire`` asked of ``component``, in questionnaire order.

    A JSON ``contains`` lookup does not work on SQLite, and a text match on the JSON
    would copy the rule; so the version's indicators (a few dozen) are read once as
    (pk, applies_to) and the rule of ``applies_to_component`` picks them. The result
    is a lazy queryset on those pks (one more query when evaluated), so callers can
    still chain ``filter(dimension=…)``, ``select_related`` or ``count()``.
    """
    pks = [
        pk
        for pk, applies_to in Indicator.objects.filter(questionnaire=questionnaire).values_list(
            "pk", "applies_to"
        )
        if applies_to_component(applies_to or [], component)
    ]
    return Indicator.objects.filter(pk__in=pks).order_by("dimension__order", "order")


def questionnaire_has_mission_level_indicators(*, questionnaire: Questionnaire) -> bool:
    """Whether the focal point answers some indicators once for the whole mission."""
    return any(
        is_mission_level(applies_to or [])
        for applies_to in Indicator.objects.filter(questionnaire=questionnaire).values_list(
            "applies_to", flat=True
        )
    )


def texts_by_code(
    queryset: QuerySet[Dimension] | QuerySet[Indicator] | QuerySet[DimensionTag],
    field: str,
    language: str | None = None,
) -> dict[str, str]:
    """Code → ``field`` in the active language (English where no translation exists), for
    pages and exports that read texts by code rather than as objects."""
    rows = queryset.values_list("code", field, "translations")
    return {code: text_in(translations, field, text, language) for code, text, translations in rows}


def questionnaire_dimension(*, questionnaire: Questionnaire, code: str) -> Dimension | None:
    return Dimension.objects.filter(questionnaire=questionnaire, code=code).first()


def questionnaire_indicators(*, questionnaire: Questionnaire) -> QuerySet[Indicator]:
    """Every indicator of the version (with its dimension), in questionnaire order."""
    return questionnaire.indicators.select_related("dimension").order_by(
        "dimension__order", "order"
    )


def dimension_tags(*, dimension: Dimension) -> list[DimensionTag]:
    return list(dimension.tags.all())


def dimension_indicator_codes(*, dimension: Dimension) -> list[str]:
    return list(dimension.indicators.values_list("code", flat=True))
