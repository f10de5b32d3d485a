"""What changed between two questionnaire versions, by stable code (pure, no ORM).

Trends over time are compared at dimension level across versions; this list
tells analysts which indicators behind a dimension were added, removed,
reworded, moved, reweighted, re-targeted, re-routed or re-sourced, and what
happened to the barrier and enabler tags and the glossary.
"""

import enum
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from imp_assess.typography import join_clauses
from questionnaires.spec import (
    DimensionSpec,
    GlossarySpec,
    IndicatorSpec,
    QuestionnaireSpec,
    SourcedSpec,
    TagSpec,
    TargetSpec,
)


class ChangeKind(enum.StrEnum):
    QUESTIONNAIRE_CHANGED = "questionnaire changed"
    DIMENSION_ADDED = "dimension added"
    DIMENSION_REMOVED = "dimension removed"
    DIMENSION_RENAMED = "dimension renamed"
    DIMENSION_REDESCRIBED = "dimension description changed"
    DIMENSION_REWEIGHTED = "dimension reweighted"
    DIMENSION_TARGET_CHANGED = "default target changed"
    ADDED = "indicator added"
    REMOVED = "indicator removed"
    REWORDED = "indicator reworded"
    MOVED = "indicator moved"
    REWEIGHTED = "indicator reweighted"
    APPLICABILITY_CHANGED = "indicator applicability changed"
    BAND_CHANGED = "target band changed"
    RESOURCED = "indicator source changed"
    CONTEXT_RULES_CHANGED = "indicator context rules changed"
    MARKING_CHANGED = "safeguard or external context changed"
    TAG_ADDED = "tag added"
    TAG_REMOVED = "tag removed"
    TAG_RELABELLED = "tag relabelled"
    TAG_MOVED = "tag moved"
    TAG_RESOURCED = "tag source changed"
    GLOSSARY_ADDED = "glossary term added"
    GLOSSARY_REMOVED = "glossary term removed"
    GLOSSARY_CHANGED = "glossary term changed"
    TRANSLATION_CHANGED = "translation changed"

    @property
    def label(self) -> str:
        return str(_CHANGE_LABELS[self])


# The page shows these; the command prints the (stable, English) values.
_CHANGE_LABELS = {
    ChangeKind.QUESTIONNAIRE_CHANGED: _("questionnaire changed"),
    ChangeKind.DIMENSION_ADDED: _("dimension added"),
    ChangeKind.DIMENSION_REMOVED: _("dimension removed"),
    ChangeKind.DIMENSION_RENAMED: _("dimension renamed"),
    ChangeKind.DIMENSION_REDESCRIBED: _("dimension description changed"),
    ChangeKind.DIMENSION_REWEIGHTED: _("dimension reweighted"),
    ChangeKind.DIMENSION_TARGET_CHANGED: _("default target changed"),
    ChangeKind.ADDED: _("indicator added"),
    ChangeKind.REMOVED: _("indicator removed"),
    ChangeKind.REWORDED: _("indicator reworded"),
    ChangeKind.MOVED: _("indicator moved"),
    ChangeKind.REWEIGHTED: _("indicator reweighted"),
    ChangeKind.APPLICABILITY_CHANGED: _("indicator applicability changed"),
    ChangeKind.BAND_CHANGED: _("target band changed"),
    ChangeKind.RESOURCED: _("indicator source changed"),
    ChangeKind.CONTEXT_RULES_CHANGED: _("indicator context rules changed"),
    ChangeKind.MARKING_CHANGED: _("safeguard or external context changed"),
    ChangeKind.TAG_ADDED: _("tag added"),
    ChangeKind.TAG_REMOVED: _("tag removed"),
    ChangeKind.TAG_RELABELLED: _("tag relabelled"),
    ChangeKind.TAG_MOVED: _("tag moved"),
    ChangeKind.TAG_RESOURCED: _("tag source changed"),
    ChangeKind.GLOSSARY_ADDED: _("glossary term added"),
    ChangeKind.GLOSSARY_REMOVED: _("glossary term removed"),
    ChangeKind.GLOSSARY_CHANGED: _("glossary term changed"),
    ChangeKind.TRANSLATION_CHANGED: _("translation changed"),
}


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    code: str
    detail: str


def _applies_to_text(applies_to: list[str]) -> str:
    return ", ".join(applies_to) if applies_to else gettext("every component")


def _band_text(target: TargetSpec | None) -> str:
    if target is None:
        return gettext("none (dimension target)")
    return str(target.min) if target.min == target.max else f"{target.min}–{target.max}"


def _sourcing_changes(before: SourcedSpec, after: SourcedSpec) -> str:
    """E.g. "basis report → practice; source '1.2' → 'para. 6'; quote; note"."""
    parts = []
    if before.basis != after.basis:
        parts.append(f"basis {before.basis} → {after.basis}")
    if before.source != after.source:
        parts.append(f"source {before.source or '—'!r} → {after.source or '—'!r}")
    parts += [name for name in ("quote", "note") if getattr(before, name) != getattr(after, name)]
    return join_clauses(parts)


def _questionnaire_changes(old: QuestionnaireSpec, new: QuestionnaireSpec) -> list[Change]:
    changed = [
        name
        for name in ("title", "description", "languages")
        if getattr(old, name) != getattr(new, name)
    ]
    if not changed:
        return []
    return [Change(ChangeKind.QUESTIONNAIRE_CHANGED, new.code, ", ".join(changed))]


def _dimension_changes(old: QuestionnaireSpec, new: QuestionnaireSpec) -> list[Change]:
    changes: list[Change] = []
    old_dims = {d.code: d for d in old.dimensions}
    new_dims = {d.code: d for d in new.dimensions}
    for code in new_dims.keys() - old_dims.keys():
        changes.append(Change(ChangeKind.DIMENSION_ADDED, code, new_dims[code].title))
    for code in old_dims.keys() - new_dims.keys():
        changes.append(Change(ChangeKind.DIMENSION_REMOVED, code, old_dims[code].title))
    for code in old_dims.keys() & new_dims.keys():
        before, after = old_dims[code], new_dims[code]
        changes += _same_dimension_changes(code, before, after)
    return changes


def _same_dimension_changes(code: str, before: DimensionSpec, after: DimensionSpec) -> list[Change]:
    changes = []
    if before.title != after.title:
        changes.append(
            Change(ChangeKind.DIMENSION_RENAMED, code, f"{before.title} → {after.title}")
        )
    if before.description != after.description:
        changes.append(Change(ChangeKind.DIMENSION_REDESCRIBED, code, "description"))
    if before.weight != after.weight:
        changes.append(
            Change(ChangeKind.DIMENSION_REWEIGHTED, code, f"{before.weight} → {after.weight}")
        )
    if before.default_target_step != after.default_target_step:
        changes.append(
            Change(
                ChangeKind.DIMENSION_TARGET_CHANGED,
                code,
                f"{before.default_target_step} → {after.default_target_step}",
            )
        )
    return changes


def _indicator_changes(old: QuestionnaireSpec, new: QuestionnaireSpec) -> list[Change]:
    changes: list[Change] = []
    old_inds = {ind.code: (dim.code, ind) for dim, ind in old.indicators()}
    new_inds = {ind.code: (dim.code, ind) for dim, ind in new.indicators()}
    for code in new_inds.keys() - old_inds.keys():
        dim_code, ind = new_inds[code]
        changes.append(Change(ChangeKind.ADDED, code, f"in {dim_code}: {ind.statement}"))
    for code in old_inds.keys() - new_inds.keys():
        dim_code, ind = old_inds[code]
        changes.append(Change(ChangeKind.REMOVED, code, f"from {dim_code}: {ind.statement}"))
    for code in old_inds.keys() & new_inds.keys():
        (old_dim, before), (new_dim, after) = old_inds[code], new_inds[code]
        changes += _same_indicator_changes(code, old_dim, before, new_dim, after)
    return changes


def _same_indicator_changes(
    code: str, old_dim: str, before: IndicatorSpec, new_dim: str, after: IndicatorSpec
) -> list[Change]:
    changes = []
    reworded = [
        name for name in ("statement", "guidance") if getattr(before, name) != getattr(after, name)
    ] + [f"step {step}" for step in before.rubric if before.rubric[step] != after.rubric[step]]
    if reworded:
        changes.append(Change(ChangeKind.REWORDED, code, ", ".join(reworded)))
    moves = []
    if old_dim != new_dim:
        moves.append(f"dimension {old_dim} → {new_dim}")
    if before.coherence_level != after.coherence_level:
        moves.append(f"coherence level {before.coherence_level} → {after.coherence_level}")
    if moves:
        changes.append(Change(ChangeKind.MOVED, code, join_clauses(moves)))
    if before.weight != after.weight:
        changes.append(Change(ChangeKind.REWEIGHTED, code, f"{before.weight} → {after.weight}"))
    if set(before.applies_to) != set(after.applies_to):  # who answers; the order means nothing
        changes.append(
            Change(
                ChangeKind.APPLICABILITY_CHANGED,
                code,
                f"{_applies_to_text(before.applies_to)} → {_applies_to_text(after.applies_to)}",
            )
        )
    if before.target != after.target:
        changes.append(
            Change(
                ChangeKind.BAND_CHANGED,
                code,
                f"{_band_text(before.target)} → {_band_text(after.target)}",
            )
        )
    sourcing = _sourcing_changes(before, after)
    if sourcing:
        changes.append(Change(ChangeKind.RESOURCED, code, sourcing))
    return changes + _context_changes(code, before, after)


def _context_changes(code: str, before: IndicatorSpec, after: IndicatorSpec) -> list[Change]:
    """v3 keys: context rules (applicability by profile, bands by phase and profile, band
    sources) and markings (safeguard, voice, external context), each named with its values."""
    changes = []
    was, now = before.rules_data(), after.rules_data()
    rules = [
        f"{key} {was.get(key) or '—'} → {now.get(key) or '—'}"
        for key in ("applies_when", "target_by_phase", "band_when", "band_source")
        if was.get(key) != now.get(key)
    ]
    if rules:
        changes.append(Change(ChangeKind.CONTEXT_RULES_CHANGED, code, join_clauses(rules)))
    markings = [
        f"{key} {getattr(before, key) or '—'} → {getattr(after, key) or '—'}"
        for key in ("safeguard", "voice", "voice_rationale", "context")
        if getattr(before, key) != getattr(after, key)
    ]
    if markings:
        changes.append(Change(ChangeKind.MARKING_CHANGED, code, join_clauses(markings)))
    return changes


def _tag_changes(old: QuestionnaireSpec, new: QuestionnaireSpec) -> list[Change]:
    changes: list[Change] = []
    old_tags = {tag.code: (dim.code, kind, tag) for dim, kind, tag in old.tags()}
    new_tags = {tag.code: (dim.code, kind, tag) for dim, kind, tag in new.tags()}
    for code in new_tags.keys() - old_tags.keys():
        dim_code, kind, tag = new_tags[code]
        changes.append(Change(ChangeKind.TAG_ADDED, code, f"{kind} in {dim_code}: {tag.label}"))
    for code in old_tags.keys() - new_tags.keys():
        dim_code, kind, tag = old_tags[code]
        changes.append(Change(ChangeKind.TAG_REMOVED, code, f"{kind} from {dim_code}: {tag.label}"))
    for code in old_tags.keys() & new_tags.keys():
        (old_dim, old_kind, before), (new_dim, new_kind, after) = old_tags[code], new_tags[code]
        changes += _same_tag_changes(code, (old_dim, old_kind), before, (new_dim, new_kind), after)
    return changes


def _same_tag_changes(
    code: str,
    old_place: tuple[str, str],
    before: TagSpec,
    new_place: tuple[str, str],
    after: TagSpec,
) -> list[Change]:
    changes = []
    if before.label != after.label:
        changes.append(Change(ChangeKind.TAG_RELABELLED, code, f"{before.label} → {after.label}"))
    if old_place != new_place:
        changes.append(
            Change(ChangeKind.TAG_MOVED, code, f"{' '.join(old_place)} → {' '.join(new_place)}")
        )
    sourcing = _sourcing_changes(before, after)
    if sourcing:
        changes.append(Change(ChangeKind.TAG_RESOURCED, code, sourcing))
    return changes


def _glossary_changes(old: QuestionnaireSpec, new: QuestionnaireSpec) -> list[Change]:
    changes: list[Change] = []
    old_terms: dict[str, GlossarySpec] = {entry.term: entry for entry in old.glossary}
    new_terms: dict[str, GlossarySpec] = {entry.term: entry for entry in new.glossary}
    for term in new_terms.keys() - old_terms.keys():
        changes.append(Change(ChangeKind.GLOSSARY_ADDED, term, new_terms[term].definition))
    for term in old_terms.keys() - new_terms.keys():
        changes.append(Change(ChangeKind.GLOSSARY_REMOVED, term, old_terms[term].definition))
    for term in old_terms.keys() & new_terms.keys():
        before, after = old_terms[term], new_terms[term]
        parts = ["definition"] if before.definition != after.definition else []
        sourcing = _sourcing_changes(before, after)
        if sourcing:
            parts.append(sourcing)
        if parts:
            changes.append(Change(ChangeKind.GLOSSARY_CHANGED, term, join_clauses(parts)))
    return changes


def _items_by_key(spec: QuestionnaireSpec) -> dict[str, Any]:
    """Every item with texts, by its stable key: the file's code, dimension, indicator and
    tag codes, glossary terms."""
    items: dict[str, Any] = {spec.code: spec}
    items |= {dim.code: dim for dim in spec.dimensions}
    items |= {ind.code: ind for _, ind in spec.indicators()}
    items |= {tag.code: tag for _, _, tag in spec.tags()}
    items |= {entry.term: entry for entry in spec.glossary}
    return items


def _translation_changes(old: QuestionnaireSpec, new: QuestionnaireSpec) -> list[Change]:
    """Items kept in both versions whose translations changed, e.g. "fr: rubric.3, statement"."""
    changes = []
    old_items, new_items = _items_by_key(old), _items_by_key(new)
    for key in old_items.keys() & new_items.keys():
        before, after = old_items[key].translations, new_items[key].translations
        parts = []
        for language in sorted(before.keys() | after.keys()):
            was = before[language].flat() if language in before else {}
            now = after[language].flat() if language in after else {}
            fields = sorted(f for f in was.keys() | now.keys() if was.get(f, "") != now.get(f, ""))
            if fields:
                parts.append(f"{language}: {', '.join(fields)}")
        if parts:
            changes.append(Change(ChangeKind.TRANSLATION_CHANGED, key, join_clauses(parts)))
    return changes


def questionnaire_diff(old: QuestionnaireSpec, new: QuestionnaireSpec) -> list[Change]:
    """Every change from ``old`` to ``new``, sorted by code then kind."""
    changes = (
        _questionnaire_changes(old, new)
        + _dimension_changes(old, new)
        + _indicator_changes(old, new)
        + _tag_changes(old, new)
        + _glossary_changes(old, new)
        + _translation_changes(old, new)
    )
    return sorted(changes, key=lambda change: (change.code, change.kind.value))
