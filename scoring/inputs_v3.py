"""The questionnaire as method v3 reads it for one mission: every indicator's band and
applicability resolved from the mission's context profile (``questionnaires.context``), with
the reason recorded on each, so the pure method only compares answers with bands."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from missions.context import ContextProfile
from questionnaires.context import HasRules, indicator_applies, indicator_band
from scoring import method_v2, method_v3
from scoring.method_v2 import MISSION

# ``applies_to`` of an indicator asked of the focal point, in the file and the database.
_MISSION_SCOPE = ("mission",)


class IndicatorSource(HasRules, Protocol):
    """What v3 needs of an indicator, from the file (``IndicatorSpec``) or the database."""

    @property
    def code(self) -> str: ...
    @property
    def coherence_level(self) -> str: ...
    @property
    def safeguard(self) -> bool: ...


def indicator_def_v3(
    *,
    indicator: IndicatorSource,
    dimension_code: str,
    weight: float,
    applies_to: Sequence[str],
    voice: Sequence[str],
    external: bool,
    profile: ContextProfile,
) -> method_v3.IndicatorDef:
    """One indicator with its band and applicability under ``profile``, and why."""
    band = indicator_band(indicator, profile)
    if band is None:
        raise ValueError(f"indicator {indicator.code}: no band for method v3")
    applies, applies_reason = indicator_applies(indicator, profile)
    scope = tuple(applies_to)
    return method_v3.IndicatorDef(
        code=indicator.code,
        dimension_code=dimension_code,
        coherence_level=indicator.coherence_level,
        weight=weight,
        band_min=band.band_min,
        band_max=band.band_max,
        band_reason=band.reason,
        applies_to=(MISSION,) if scope == _MISSION_SCOPE else scope,
        safeguard=indicator.safeguard,
        voice=tuple(voice),
        external=external,
        applies=applies,
        applies_reason=applies_reason,
    )


def questionnaire_def_v3_from_spec(
    *, dimensions: Iterable[object], profile: ContextProfile
) -> method_v3.QuestionnaireDef:
    """From a parsed file's dimensions (``QuestionnaireSpec.dimensions``)."""
    dimension_defs, indicators = [], []
    for dimension in dimensions:
        code, weight = dimension.code, float(dimension.weight)  # type: ignore[attr-defined]
        dimension_defs.append(method_v2.DimensionDef(code, weight))
        for spec in dimension.indicators:  # type: ignore[attr-defined]
            indicators.append(
                indicator_def_v3(
                    indicator=spec,
                    dimension_code=code,
                    weight=float(spec.weight),
                    applies_to=spec.applies_to,
                    voice=spec.voice,
                    external=spec.context is not None,
                    profile=profile,
                )
            )
    return method_v3.QuestionnaireDef(tuple(dimension_defs), tuple(indicators))
