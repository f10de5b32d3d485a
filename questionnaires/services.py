"""Writes of questionnaire definitions. A published version never changes what is answered
and scored; its translations may be added or corrected."""

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
    # A published (or retired) version given translations: its texts in other languages
    # changed, nothing it is scored or answered on did.
    TRANSLATED = "translations updated"
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


def _without_translations(data: Any) -> Any:
    """A spec's data without its translations and languages: what a published version fixes."""
    if isinstance(data, dict):
        return {
            key: _without_translations(value)
            for key, value in data.items()
            if key not in ("translations", "languages")
        }
    if isinstance(data, list):
        return [_without_translations(value) for value in data]
    return data


def _only_translations_differ(stored: QuestionnaireSpec, spec: QuestionnaireSpec) -> bool:
    return bool(_without_translations(stored.as_data()) == _without_translations(spec.as_data()))


def _store_translations(*, questionnaire: Questionnaire, spec: QuestionnaireSpec) -> None:
    """Give the stored items of ``questionnaire`` the translations of ``spec``, whose other
    content is the same (so codes, and the glossary's order, match one to one)."""
    questionnaire.languages, questionnaire.translations = (
        list(spec.languages),
        _translations(spec),
    )
    questionnaire.save(update_fields=["languages", "translations"])
    dims = {d.code: d for d in spec.dimensions}
    indicators = {i.code: i for _, i in spec.indicators()}
    tags = {
        (d.code, t.code): t for d in spec.dimensions for t in (*d.barrier_tags, *d.enabler_tags)
    }
    changed_dims = list(questionnaire.dimensions.all())
    for dim in changed_dims:
        dim.translations = _translations(dims[dim.code])
    changed_indicators = list(questionnaire.indicators.all())
    for ind in changed_indicators:
        ind.translations = _translations(indicators[ind.code])
    changed_tags = list(
        DimensionTag.objects.filter(dimension__questionnaire=questionnaire).select_related(
            "dimension"
        )
    )
    for tag in changed_tags:
        tag.translations = _translations(tags[(tag.dimension.code, tag.code)])
    changed_terms = list(questionnaire.glossary.order_by("order"))
    for term, entry in zip(changed_terms, spec.glossary, strict=True):
        term.translations = _translations(entry)
    Dimension.objects.bulk_update(changed_dims, ["translations"])
    Indicator.objects.bulk_update(changed_indicators, ["translations"])
    DimensionTag.objects.bulk_update(changed_tags, ["translations"])
    GlossaryTerm.objects.bulk_update(changed_terms, ["translations"])


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
    version takes new or corrected translations (``TRANSLATED``: what is answered and
    scored stays as it is) and refuses any other change (``QuestionnaireLocked``).
    """
    existing = (
        Questionnaire.objects.select_for_update(of=("self",))
        .filter(code=spec.code, version=spec.version)
        .first()
    )
    if existing is not None:
        stored = questionnaire_spec(questionnaire=existing)
        if stored == spec:
            if publish and existing.is_editable:
                questionnaire_publish(questionnaire=existing)
            return LoadResult(existing, LoadAction.UNCHANGED)
        if not existing.is_editable and _only_translations_differ(stored, spec):
            _store_translations(questionnaire=existing, spec=spec)
            return LoadResult(existing, LoadAction.TRANSLATED)
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
