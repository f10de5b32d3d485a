"""Who answers an indicator: the one home of the rule (pure, no ORM).

An indicator's ``applies_to`` is a list of component codes, or ``["mission"]``
(``missions.models.MISSION_WIDE``) for an indicator answered once by the focal point
for the whole mission. An empty list means every component, as in IMP-CORE v1.
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from missions.models import MISSION_WIDE, Component

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

COMPONENT_CODES: tuple[str, ...] = tuple(Component.values)


def applies_to_component(applies_to: list[str], component: str) -> bool:
    """Whether an indicator with this ``applies_to`` is asked of ``component``.

    ``component`` is a component code or ``MISSION_WIDE`` (the focal point's
    mission-level response). [] asks every component and never the mission level;
    ["mission"] asks only the mission level.
    """
    if not applies_to:
        return component != MISSION_WIDE
    return component in applies_to


def is_mission_level(applies_to: list[str]) -> bool:
    """Answered once by the focal point for the whole mission."""
    return list(applies_to) == [MISSION_WIDE]


def applies_to_problems(applies_to: list[str]) -> list[str]:
    """What is wrong with an ``applies_to`` list (empty when it is valid)."""
    problems = []
    unknown = [code for code in applies_to if code not in (*COMPONENT_CODES, MISSION_WIDE)]
    if unknown:
        problems.append(
            f"unknown component {', '.join(map(repr, unknown))}; use component codes "
            f"({', '.join(COMPONENT_CODES)}) or [{MISSION_WIDE}] alone"
        )
    if MISSION_WIDE in applies_to and len(applies_to) > 1:
        problems.append(
            f"{MISSION_WIDE!r} means the focal point answers for the whole mission; "
            f"it stands alone, not beside components"
        )
    repeated = sorted({code for code in applies_to if applies_to.count(code) > 1})
    if repeated:
        problems.append(f"{', '.join(map(repr, repeated))} listed more than once")
    return problems


def applies_to_labels(applies_to: list[str]) -> "list[StrOrPromise]":
    """Who answers, in words: component names, the focal point, or every component."""
    if not applies_to:
        return [_("Every component")]
    if is_mission_level(applies_to):
        return [_("The focal point, once for the whole mission")]
    labels = dict(Component.choices)
    return [labels.get(code, code) for code in applies_to]
