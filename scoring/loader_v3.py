"""Loading method v3's input from the database, in a fixed number of queries per batch.

Method v3 reads a questionnaire with safeguards, voice components and context rules
(IMP-CORE v3). An assessment answered on such a questionnaire is read on it. One answered on an
earlier version (IMP-CORE v1 or v2) is read on the newest published version of the same code
that has them: its answers are mapped **by code** to the indicators whose text kept its meaning
(``questionnaires.diff``: not added, not reworded); the others are left out of the reading, and
``V3Mapping`` names them so that ``rescore --method 3`` can say what it could not map.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, TextField
from django.db.models.functions import Cast

from assessments.models import (
    Answer,
    Assessment,
    IndicatorBandOverride,
    IndicatorNotApplicable,
    Response,
    ResponseStatus,
)
from missions.context import ContextProfile
from missions.selectors import context_profiles_for
from questionnaires.diff import ChangeKind, questionnaire_diff
from questionnaires.models import Dimension, Indicator, Questionnaire, QuestionnaireStatus
from questionnaires.selectors import questionnaire_spec
from scoring import method_v2, method_v3
from scoring.inputs import TagRows
from scoring.inputs_v3 import indicator_def_v3

_KIND = {"na": "na", "dk": "dk"}
# Changes after which an answer no longer answers the same question.
_MEANING_CHANGES = {ChangeKind.ADDED, ChangeKind.REWORDED}


@dataclass(frozen=True)
class V3Mapping:
    """How an assessment's questionnaire is read by method v3."""

    questionnaire: str  # "IMP-CORE v2": the version answered
    source: str  # "IMP-CORE v3": the version read; "" when none with safeguards is loaded
    source_id: int | None
    mapped: tuple[str, ...]  # codes read from the answers (all of them when source is itself)
    unmapped: tuple[str, ...]  # codes of the source the answers cannot say (added, reworded)
    dropped: tuple[str, ...]  # codes answered that the source no longer has

    @property
    def is_own(self) -> bool:
        return self.source == self.questionnaire


def _safeguards_of(questionnaire: Any) -> QuerySet[Indicator]:
    """The safeguard indicators of a questionnaire (an id, or an ``OuterRef`` to one)."""
    return Indicator.objects.filter(questionnaire_id=questionnaire, safeguard=True)


def _later_with_safeguards(code: Any, version: Any) -> QuerySet[Questionnaire]:
    """The versions after ``version`` of the questionnaire ``code`` that method v3 may read
    answers on: with safeguards, and not drafts (values or ``OuterRef``\ s)."""
    return (
        Questionnaire.objects.filter(code=code, version__gt=version, indicators__safeguard=True)
        .exclude(status=QuestionnaireStatus.DRAFT)
        .distinct()
    )


def v3_mapping(questionnaire_id: int) -> V3Mapping:
    """Which questionnaire method v3 reads an assessment on ``questionnaire_id`` against, and
    which codes map (a few queries; once per questionnaire per batch)."""
    questionnaire = Questionnaire.objects.get(pk=questionnaire_id)
    name = f"{questionnaire.code} v{questionnaire.version}"
    codes = tuple(
        Indicator.objects.filter(questionnaire_id=questionnaire_id)
        .order_by("dimension__order", "order")
        .values_list("code", flat=True)
    )
    if _safeguards_of(questionnaire_id).exists():
        return V3Mapping(name, name, questionnaire_id, codes, (), ())
    source = (
        _later_with_safeguards(questionnaire.code, questionnaire.version)
        .order_by("-version")
        .first()
    )
    if source is None:
        return V3Mapping(name, "", None, (), codes, ())
    changes = questionnaire_diff(
        questionnaire_spec(questionnaire=questionnaire), questionnaire_spec(questionnaire=source)
    )
    changed = {c.code for c in changes if c.kind in _MEANING_CHANGES}
    source_codes = tuple(
        Indicator.objects.filter(questionnaire_id=source.pk)
        .order_by("dimension__order", "order")
        .values_list("code", flat=True)
    )
    answered = set(codes)
    return V3Mapping(
        questionnaire=name,
        source=f"{source.code} v{source.version}",
        source_id=source.pk,
        mapped=tuple(c for c in source_codes if c in answered and c not in changed),
        unmapped=tuple(c for c in source_codes if c not in answered or c in changed),
        dropped=tuple(c for c in codes if c not in set(source_codes)),
    )


def questionnaire_def_v3(
    *, mapping: V3Mapping, profile: ContextProfile
) -> method_v3.QuestionnaireDef:
    """The source questionnaire as method v3 reads it under ``profile``, limited to the codes
    the answers map to."""
    if mapping.source_id is None:
        raise ValueError(f"{mapping.questionnaire}: no questionnaire with safeguards is loaded")
    mapped = set(mapping.mapped)
    dimensions = tuple(
        method_v2.DimensionDef(code=code, weight=float(weight))
        for code, weight in Dimension.objects.filter(questionnaire_id=mapping.source_id)
        .order_by("order")
        .values_list("code", "weight")
    )
    indicators = []
    for indicator in (
        Indicator.objects.filter(questionnaire_id=mapping.source_id)
        .select_related("dimension")
        .order_by("dimension__order", "order")
    ):
        if indicator.code not in mapped:
            continue
        indicators.append(
            indicator_def_v3(
                indicator=indicator,
                dimension_code=indicator.dimension.code,
                weight=float(indicator.weight),
                applies_to=indicator.applies_to or (),
                voice=indicator.voice or (),
                external=indicator.is_external,
                profile=profile,
            )
        )
    return method_v3.QuestionnaireDef(dimensions, tuple(indicators))


# What a batch loads once: ("v3 mapping", questionnaire id) -> V3Mapping; ("v3", questionnaire
# id, profile) -> QuestionnaireDef.
Cache = dict[Any, Any]


def _cached_mapping(questionnaire_id: int, cache: Cache) -> V3Mapping:
    key = ("v3 mapping", questionnaire_id)
    if key not in cache:
        cache[key] = v3_mapping(questionnaire_id)
    mapping: V3Mapping = cache[key]
    return mapping


def v3_readable(questionnaire_ids: set[int], cache: Cache) -> set[int]:
    """Which of ``questionnaire_ids`` method v3 can read: with safeguards of their own, or with
    a later version, not a draft, that has them (the querysets ``v3_mapping`` reads too; one
    query for those not already known to the batch)."""
    known = {
        pk: cache[("v3 readable", pk)] for pk in questionnaire_ids if ("v3 readable", pk) in cache
    }
    unknown = questionnaire_ids - set(known)
    if unknown:
        own = _safeguards_of(OuterRef("pk"))
        later = _later_with_safeguards(OuterRef("code"), OuterRef("version"))
        readable = set(
            Questionnaire.objects.filter(pk__in=unknown)
            .filter(Exists(own) | Exists(later))
            .values_list("pk", flat=True)
        )
        for pk in unknown:
            known[pk] = cache[("v3 readable", pk)] = pk in readable
    return {pk for pk, readable in known.items() if readable}


def _cached_definition(mapping: V3Mapping, profile: ContextProfile, cache: Cache) -> Any:
    key = ("v3", mapping.source_id, mapping.questionnaire, profile)
    if key not in cache:
        cache[key] = questionnaire_def_v3(mapping=mapping, profile=profile)
    return cache[key]


def scoring_inputs_v3(
    assessments: list[Assessment], cache: Cache
) -> dict[int, tuple[method_v3.ScoringInput, TagRows]]:
    """Method v3's inputs and tag rows for a batch, by assessment id.

    As v2's loader: every component with a response row is expected, only complete responses
    give answers. Each answer brings its N/A reason and whether the focal point confirmed it;
    band overrides bring the quarter they were carried from. The profile in force that
    quarter resolves applicability and bands; the phase is the profile's.
    """
    ids = [a.pk for a in assessments]
    profiles = context_profiles_for(pairs=[(a.mission_id, a.period) for a in assessments])
    mappings = {a.questionnaire_id: _cached_mapping(a.questionnaire_id, cache) for a in assessments}
    responses: dict[int, list[tuple[str, str]]] = {pk: [] for pk in ids}
    for assessment_id, component, status in Response.objects.filter(
        assessment_id__in=ids
    ).values_list("assessment_id", "component", "status"):
        responses[assessment_id].append((component, status))
    indicators = {
        pk: (code, dimension_code)
        for pk, code, dimension_code in Indicator.objects.filter(
            questionnaire_id__in=set(mappings)
        ).values_list("pk", "code", "dimension__code")
    }
    answers: dict[int, list[tuple[Any, ...]]] = {pk: [] for pk in ids}
    for row in Answer.objects.filter(
        response__assessment_id__in=ids, response__status=ResponseStatus.COMPLETE
    ).values_list(
        "response__assessment_id",
        "response__component",
        "indicator_id",
        "choice",
        "na_reason",
        "na_confirmed_at",
        Cast("tag_codes", TextField()),
    ):
        answers[row[0]].append(row[1:])
    overrides: dict[int, list[method_v3.BandOverride]] = {pk: [] for pk in ids}
    for assessment_id, code, low, high, rationale, carried in IndicatorBandOverride.objects.filter(
        assessment_id__in=ids
    ).values_list(
        "assessment_id", "indicator__code", "band_min", "band_max", "rationale", "carried_from"
    ):
        overrides[assessment_id].append(method_v3.BandOverride(code, low, high, rationale, carried))
    not_applicable: dict[int, dict[str, str]] = {pk: {} for pk in ids}
    for assessment_id, code, reason in IndicatorNotApplicable.objects.filter(
        assessment_id__in=ids
    ).values_list("assessment_id", "indicator__code", "reason"):
        not_applicable[assessment_id][code] = reason
    inputs = {}
    for assessment in assessments:
        mapping = mappings[assessment.questionnaire_id]
        profile = profiles[(assessment.mission_id, assessment.period_id)]
        definition = _cached_definition(mapping, profile, cache)
        inputs[assessment.pk] = _input_v3(
            definition,
            profile,
            responses[assessment.pk],
            [
                (component, *indicators[indicator_id], choice, reason, confirmed, tags)
                for component, indicator_id, choice, reason, confirmed, tags in answers[
                    assessment.pk
                ]
            ],
            overrides[assessment.pk],
            not_applicable[assessment.pk],
        )
    return inputs


def _input_v3(
    questionnaire: method_v3.QuestionnaireDef,
    profile: ContextProfile,
    responses: list[tuple[str, str]],
    answer_rows: list[tuple[Any, ...]],
    overrides: list[method_v3.BandOverride],
    not_applicable: dict[str, str],
) -> tuple[method_v3.ScoringInput, TagRows]:
    components = tuple(sorted(c for c, _s in responses))
    responded = {c for c, status in responses if status == ResponseStatus.COMPLETE}
    columns = set(components) | {method_v2.MISSION}
    by_code = {i.code: i for i in questionnaire.indicators}
    scopes = {
        i.code: set(i.applies_to) if i.applies_to else columns - {method_v2.MISSION}
        for i in questionnaire.indicators
    }
    answers, tags = [], []
    for component, code, dimension_code, choice, reason, confirmed_at, tag_text in answer_rows:
        if component not in scopes.get(code, ()):
            continue  # not read (an unmapped code, or not asked of this component)
        if choice in _KIND:
            answers.append(
                method_v3.AnswerValue(
                    component,
                    code,
                    None,
                    _KIND[choice],
                    reason=reason or "",
                    confirmed=choice == "na" and confirmed_at is not None,
                )
            )
        elif choice:
            answers.append(method_v3.AnswerValue(component, code, int(choice)))
        if tag_text and tag_text != "[]":
            tags.append((dimension_code, component, json.loads(tag_text)))
    data = method_v3.ScoringInput(
        questionnaire=questionnaire,
        components=components,
        responded=tuple(sorted(responded)),
        answers=tuple(answers),
        overrides=tuple(o for o in overrides if o.indicator_code in by_code),
        not_applicable={c: r for c, r in not_applicable.items() if c in by_code},
        phase=profile.phase,
    )
    return data, tags
