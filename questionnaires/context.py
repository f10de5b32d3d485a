"""Which indicators a mission is asked, and against what band (pure: no ORM).

The one home of the v3 context rules (``questionnaires.rules_spec`` describes the file keys):

- ``indicator_applies(spec, profile)``: every ``applies_when`` condition must hold; the
  reason says, in the reader's language, what in the profile decided it.
- ``indicator_band(spec, profile)``: the first ``band_when`` rule whose conditions all hold,
  else the band of the profile's phase (``target_by_phase``), else the default ``target``.

``spec`` is an ``IndicatorRules``, or anything with a ``context_rules`` property that gives
one (``questionnaires.spec.IndicatorSpec`` from a file, ``questionnaires.models.Indicator``
from the database), so scoring can resolve bands without the YAML.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from imp_assess.typography import join_clauses
from missions.context import ContextProfile
from questionnaires.translations import text_in

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class IndicatorRules:
    """An indicator's context rules as plain data (the file's v3 keys)."""

    code: str
    target: tuple[int, int] | None  # the default band; None for a v1 indicator (no band)
    applies_when: dict[str, Any] = field(default_factory=dict)
    band_source: dict[str, str] = field(default_factory=dict)
    target_by_phase: dict[str, dict[str, Any]] = field(default_factory=dict)
    band_when: tuple[dict[str, Any], ...] = ()

    @classmethod
    def of(
        cls, *, code: str, target: tuple[int, int] | None, rules: dict[str, Any]
    ) -> "IndicatorRules":
        """From the stored form (``Indicator.rules``, ``IndicatorSpec.rules_data()``)."""
        return cls(
            code=code,
            target=target,
            applies_when=dict(rules.get("applies_when") or {}),
            band_source=dict(rules.get("band_source") or {}),
            target_by_phase=dict(rules.get("target_by_phase") or {}),
            band_when=tuple(rules.get("band_when") or ()),
        )


class HasRules(Protocol):
    @property
    def context_rules(self) -> IndicatorRules: ...


@dataclass(frozen=True)
class ResolvedBand:
    """The band an indicator is read against under one profile, and why."""

    band_min: int
    band_max: int
    reason: str  # in the reader's language
    source: dict[str, str]  # the band's band_source ({} where the file gives none)
    kind: str = "default"  # "rule" (band_when), "phase" (target_by_phase) or "default"


def _rules(spec: "IndicatorRules | HasRules") -> IndicatorRules:
    return spec if isinstance(spec, IndicatorRules) else spec.context_rules


# What a profile value means, as a clause of "asked because …".
_CLAUSES: "dict[str, dict[Any, StrOrPromise]]" = {
    "mission_type": {
        "peacekeeping": _("the mission is a peacekeeping operation"),
        "special_political": _("the mission is a special political mission"),
    },
    "leadership": {
        "triple_hatted": _(
            "a deputy SRSG is also Resident Coordinator and Humanitarian Coordinator"
        ),
        "double_hatted": _(
            "a deputy SRSG is also Resident Coordinator, not Humanitarian Coordinator"
        ),
        "none": _("no deputy SRSG is also Resident or Humanitarian Coordinator"),
    },
    "poc_mandate": {
        True: _("the mandate includes the protection of civilians"),
        False: _("the mandate does not include the protection of civilians"),
    },
    "human_rights_mandate": {
        True: _("the mandate includes human rights monitoring and reporting"),
        False: _("the mandate does not include human rights monitoring and reporting"),
    },
    "humanitarian_operation": {
        True: _("there is an active humanitarian operation with a humanitarian country team"),
        False: _("there is no active humanitarian operation with a humanitarian country team"),
    },
    "country_team": {
        True: _("a UN country team is present"),
        False: _("no UN country team is present"),
    },
    "host_state_party": {
        True: _("the host state is a party to the conflict"),
        False: _("the host state is not a party to the conflict"),
    },
    "phase": {
        "start_up": _("the mission is in start-up"),
        "consolidation": _("the mission is in consolidation"),
        "drawdown": _("the mission is in drawdown or transition"),
    },
}

_PHASE_BAND = {
    "start_up": gettext_lazy("The band for a mission in start-up."),
    "consolidation": gettext_lazy("The band for a mission in consolidation."),
    "drawdown": gettext_lazy("The band for a mission in drawdown or transition."),
}


def profile_clause(key: str, value: Any) -> str:
    """What one profile value means, in the reader's language."""
    return str(_CLAUSES[key][value])


def _holds(profile: ContextProfile, key: str, wanted: Any) -> bool:
    values = wanted if isinstance(wanted, list | tuple) else [wanted]
    return profile.value(key) in values


def conditions_hold(when: dict[str, Any], profile: ContextProfile) -> bool:
    return all(_holds(profile, key, wanted) for key, wanted in when.items())


def indicator_applies(
    spec: "IndicatorRules | HasRules", profile: ContextProfile
) -> tuple[bool, str]:
    """(asked, reason): the reason is "" for an indicator asked of every mission."""
    rules = _rules(spec)
    if not rules.applies_when:
        return True, ""
    failed = [key for key, wanted in rules.applies_when.items() if not _holds(profile, key, wanted)]
    if failed:
        clauses = join_clauses(profile_clause(key, profile.value(key)) for key in failed)
        return False, gettext("Not asked because %(conditions)s.") % {"conditions": clauses}
    clauses = join_clauses(profile_clause(key, profile.value(key)) for key in rules.applies_when)
    return True, gettext("Asked because %(conditions)s.") % {"conditions": clauses}


def indicator_band(
    spec: "IndicatorRules | HasRules", profile: ContextProfile, language: str | None = None
) -> ResolvedBand | None:
    """The band under ``profile``: band_when (first match) > target_by_phase > target.
    None for an indicator with no band of its own (IMP-CORE v1)."""
    rules = _rules(spec)
    for rule in rules.band_when:
        if conditions_hold(rule["when"], profile):
            reason = text_in(rule.get("translations"), "reason", rule["reason"], language)
            return ResolvedBand(
                band_min=rule["target"]["min"],
                band_max=rule["target"]["max"],
                reason=reason,
                source=dict(rule.get("band_source") or {}),
                kind="rule",
            )
    phase_band = rules.target_by_phase.get(profile.phase)
    if phase_band is not None:
        return ResolvedBand(
            band_min=phase_band["min"],
            band_max=phase_band["max"],
            reason=str(_PHASE_BAND[profile.phase]),
            source=dict(phase_band.get("band_source") or {}),
            kind="phase",
        )
    if rules.target is None:
        return None
    return ResolvedBand(
        band_min=rules.target[0],
        band_max=rules.target[1],
        reason=gettext("The default band."),
        source=dict(rules.band_source),
    )
