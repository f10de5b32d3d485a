"""What changed between two questionnaire versions, by stable code (pure, no ORM).

Trends over time are compared at dimension level across versions; this list
tells analysts which indicators behind a dimension were added, removed,
reworded, moved or reweighted.
"""

import enum
from dataclasses import dataclass

from questionnaires.spec import QuestionnaireSpec


class ChangeKind(enum.StrEnum):
    DIMENSION_ADDED = "dimension added"
    DIMENSION_REMOVED = "dimension removed"
    DIMENSION_RENAMED = "dimension renamed"
    DIMENSION_REWEIGHTED = "dimension reweighted"
    DIMENSION_TARGET_CHANGED = "default target changed"
    ADDED = "indicator added"
    REMOVED = "indicator removed"
    REWORDED = "indicator reworded"
    MOVED = "indicator moved"
    REWEIGHTED = "indicator reweighted"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    code: str
    detail: str


def questionnaire_diff(old: QuestionnaireSpec, new: QuestionnaireSpec) -> list[Change]:
    changes: list[Change] = []
    old_dims = {d.code: d for d in old.dimensions}
    new_dims = {d.code: d for d in new.dimensions}
    for code in new_dims.keys() - old_dims.keys():
        changes.append(Change(ChangeKind.DIMENSION_ADDED, code, new_dims[code].title))
    for code in old_dims.keys() - new_dims.keys():
        changes.append(Change(ChangeKind.DIMENSION_REMOVED, code, old_dims[code].title))
    for code in old_dims.keys() & new_dims.keys():
        before, after = old_dims[code], new_dims[code]
        if before.title != after.title:
            changes.append(
                Change(ChangeKind.DIMENSION_RENAMED, code, f"{before.title} → {after.title}")
            )
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
        reworded = [
            name
            for name in ("statement", "guidance", "source")
            if getattr(before, name) != getattr(after, name)
        ] + [f"step {step}" for step in before.rubric if before.rubric[step] != after.rubric[step]]
        if reworded:
            changes.append(Change(ChangeKind.REWORDED, code, ", ".join(reworded)))
        moves = []
        if old_dim != new_dim:
            moves.append(f"dimension {old_dim} → {new_dim}")
        if before.coherence_level != after.coherence_level:
            moves.append(f"coherence level {before.coherence_level} → {after.coherence_level}")
        if moves:
            changes.append(Change(ChangeKind.MOVED, code, "; ".join(moves)))
        if before.weight != after.weight:
            changes.append(Change(ChangeKind.REWEIGHTED, code, f"{before.weight} → {after.weight}"))
    return sorted(changes, key=lambda change: (change.code, change.kind.value))
