"""Writes of questionnaire definitions. A published version never changes."""

import enum
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from pydantic import ValidationError

from questionnaires.models import (
    Dimension,
    DimensionTag,
    GlossaryTerm,
    Indicator,
    Questionnaire,
    QuestionnaireStatus,
    TagKind,
)
from questionnaires.selectors import questionnaire_spec
from questionnaires.spec import (
    EXTERNAL,
    QuestionnaireSpec,
    SourcedSpec,
    SpecInvalid,
    spec_from_data,
)


class QuestionnaireLocked(Exception):
    """A published or retired version was asked to change."""


class LoadAction(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class LoadResult:
    questionnaire: Questionnaire
    action: LoadAction


def _sourcing(item: SourcedSpec) -> dict[str, str]:
    """The model fields of what an item rests on (the file's ``note`` is ``basis_note``)."""
    return {
        "basis": item.basis,
        "source": item.source,
        "quote": item.quote,
        "basis_note": item.note,
    }


def _translations(item: Any) -> dict[str, dict[str, str]]:
    """An item's translations as its ``translations`` field stores them."""
    return {language: texts.stored() for language, texts in item.translations.items()}


def _store_content(*, questionnaire: Questionnaire, spec: QuestionnaireSpec) -> None:
    dimensions = Dimension.objects.bulk_create(
        Dimension(
            questionnaire=questionnaire,
            code=dim.code,
            title=dim.title,
            description=dim.description,
            # (the spec derives it when the file leaves it out)
            default_target_step=cast(int, dim.default_target_step),
            weight=dim.weight,
            order=order,
            translations=_translations(dim),
        )
        for order, dim in enumerate(spec.dimensions, start=1)
    )
    indicators: list[Indicator] = []
    tags: list[DimensionTag] = []
    for dimension, dim in zip(dimensions, spec.dimensions, strict=True):
        for order, ind in enumerate(dim.indicators, start=1):
            indicators.append(
                Indicator(
                    questionnaire=questionnaire,
                    dimension=dimension,
                    code=ind.code,
                    coherence_level=ind.coherence_level,
                    statement=ind.statement,
                    guidance=ind.guidance,
                    weight=ind.weight,
                    applies_to=list(ind.applies_to),
                    target_min=ind.target.min if ind.target else None,
                    target_max=ind.target.max if ind.target else None,
                    safeguard=ind.safeguard,
                    voice=list(ind.voice),
                    voice_rationale=ind.voice_rationale,
                    is_external=ind.context == EXTERNAL,
                    rules=ind.rules_data(),
                    order=order,
                    translations=_translations(ind),
                    **_sourcing(ind),
                    **{f"rubric_{step}": text for step, text in ind.rubric.items()},
                )
            )
        for kind, items in (
            (TagKind.BARRIER, dim.barrier_tags),
            (TagKind.ENABLER, dim.enabler_tags),
        ):
            tags.extend(
                DimensionTag(
                    dimension=dimension,
                    kind=kind,
                    code=t.code,
                    label=t.label,
                    order=order,
                    translations=_translations(t),
                    **_sourcing(t),
                )
                for order, t in enumerate(items, start=1)
            )
    Indicator.objects.bulk_create(indicators)
    DimensionTag.objects.bulk_create(tags)
    GlossaryTerm.objects.bulk_create(
        GlossaryTerm(
            questionnaire=questionnaire,
            term=entry.term,
            definition=entry.definition,
            order=order,
            translations=_translations(entry),
            **_sourcing(entry),
        )
        for order, entry in enumerate(spec.glossary, start=1)
    )


def _ensure_editable(questionnaire: Questionnaire) -> None:
    if not questionnaire.is_editable:
        raise QuestionnaireLocked(
            f"{questionnaire.code} version {questionnaire.version} is "
            f"{questionnaire.get_status_display().lower()} and cannot change; "
            f"load the change as a new version."
        )


@transaction.atomic
def questionnaire_load(*, spec: QuestionnaireSpec, publish: bool = False) -> LoadResult:
    """Store ``spec`` as its code and version.

    Identical content is a no-op; a draft is replaced; a published or retired
    version refuses any change (``QuestionnaireLocked``).
    """
    existing = (
        Questionnaire.objects.select_for_update(of=("self",))
        .filter(code=spec.code, version=spec.version)
        .first()
    )
    if existing is not None:
        if questionnaire_spec(questionnaire=existing) == spec:
            if publish and existing.is_editable:
                questionnaire_publish(questionnaire=existing)
            return LoadResult(existing, LoadAction.UNCHANGED)
        _ensure_editable(existing)
        existing.title, existing.description = spec.title, spec.description
        existing.languages, existing.translations = list(spec.languages), _translations(spec)
        existing.save(update_fields=["title", "description", "languages", "translations"])
        existing.dimensions.all().delete()
        existing.glossary.all().delete()
        _store_content(questionnaire=existing, spec=spec)
        questionnaire, action = existing, LoadAction.UPDATED
    else:
        questionnaire = Questionnaire.objects.create(
            code=spec.code,
            version=spec.version,
            title=spec.title,
            description=spec.description,
            languages=list(spec.languages),
            translations=_translations(spec),
        )
        _store_content(questionnaire=questionnaire, spec=spec)
        action = LoadAction.CREATED
    if publish:
        questionnaire_publish(questionnaire=questionnaire)
    return LoadResult(questionnaire, action)


def _ensure_valid_as_a_file(questionnaire: Questionnaire) -> None:
    """A version edited in the admin is checked whole, as its exported file would be
    (e.g. one indicator given a band while the others have none), so every published
    version exports to a file that loads again."""
    try:
        spec_from_data(questionnaire_spec(questionnaire=questionnaire).as_data())
    except ValidationError as exc:  # an item the spec itself refuses
        raise SpecInvalid([str(error["msg"]) for error in exc.errors()]) from None


@transaction.atomic
def questionnaire_publish(*, questionnaire: Questionnaire) -> Questionnaire:
    """Publish a draft; ``SpecInvalid`` lists what must be fixed first."""
    _ensure_editable(questionnaire)
    _ensure_valid_as_a_file(questionnaire)
    questionnaire.status = QuestionnaireStatus.PUBLISHED
    questionnaire.published_at = timezone.now()
    questionnaire.save(update_fields=["status", "published_at"])
    return questionnaire


@transaction.atomic
def questionnaire_retire(*, questionnaire: Questionnaire) -> Questionnaire:
    if questionnaire.status != QuestionnaireStatus.PUBLISHED:
        raise QuestionnaireLocked("Only a published version can be retired.")
    questionnaire.status = QuestionnaireStatus.RETIRED
    questionnaire.save(update_fields=["status"])
    return questionnaire


@transaction.atomic
def questionnaire_clone(*, questionnaire: Questionnaire) -> Questionnaire:
    """A new draft version with the same content, numbered after the latest version."""
    spec = questionnaire_spec(questionnaire=questionnaire)
    latest = Questionnaire.objects.filter(code=questionnaire.code).aggregate(v=Max("version"))["v"]
    draft = Questionnaire.objects.create(
        code=questionnaire.code,
        version=latest + 1,
        title=questionnaire.title,
        description=questionnaire.description,
        languages=list(questionnaire.languages),
        translations=questionnaire.translations,
    )
    _store_content(questionnaire=draft, spec=spec)
    return draft
