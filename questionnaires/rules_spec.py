"""The v3 keys of an indicator in the file: context rules, band sources, safeguards.

- ``applies_when``: {profile key: value or [values]}; every key must hold for the indicator
  to be asked (``questionnaires.context.indicator_applies``).
- ``band_source``: what a band rests on, either ``{basis: report, source, quote}`` (a
  verbatim quote found in the cited paragraph) or ``{basis: practice, practice: "named
  source, section"}``. The default ``target`` has one at the indicator's level; each
  ``target_by_phase`` band and each ``band_when`` rule carries its own.
- ``target_by_phase``: {phase: {min, max, band_source}}.
- ``band_when``: [{when: {profile key: value}, target: {min, max}, reason, band_source}];
  the first rule whose conditions all hold sets the band.
- ``safeguard: true`` with ``voice`` (component kinds whose view decides) and
  ``voice_rationale``: over-integration here is a harm.
- ``context: external``: about what Member States or headquarters do, not the mission.

Profile keys and values are ``missions.context.PROFILE_VALUES``.
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from missions.context import PHASES, PROFILE_VALUES, value_word
from questionnaires.applicability import COMPONENT_CODES
from questionnaires.steps import STEPS


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def condition_problems(when: dict[str, Any]) -> list[str]:
    """What is wrong with a condition mapping (``applies_when`` or a rule's ``when``)."""
    problems = []
    for key, wanted in when.items():
        allowed = PROFILE_VALUES.get(key)
        if allowed is None:
            problems.append(f"unknown profile key {key!r}; use one of {', '.join(PROFILE_VALUES)}")
            continue
        values = wanted if isinstance(wanted, list) else [wanted]
        if not values:
            problems.append(f"{key}: an empty list never holds; give a value")
        for value in values:
            known = any(
                value == option and isinstance(value, bool) == isinstance(option, bool)
                for option in allowed
            )
            if not known:
                problems.append(
                    f"{key}: unknown value {value!r}; use one of "
                    f"{', '.join(map(value_word, allowed))}"
                )
    return problems


def _condition(value: dict[str, Any]) -> dict[str, Any]:
    problems = condition_problems(value)
    if problems:
        raise ValueError("; ".join(problems))
    return value


class BandSourceSpec(_Strict):
    """What one band rests on: the report (quoted) or a named practice source."""

    basis: Literal["report", "practice"]
    source: str = ""
    quote: str = ""
    practice: str = ""

    @model_validator(mode="after")
    def _complete(self) -> "BandSourceSpec":
        if self.basis == "report":
            if not (self.source and self.quote):
                raise ValueError("a report band source gives source and a verbatim quote")
            if self.practice:
                raise ValueError("a report band source names no practice source")
        else:
            if not self.practice:
                raise ValueError(
                    "a practice band source names the practice source and section in practice"
                )
            if self.source or self.quote:
                raise ValueError(
                    "a practice band source quotes nothing from the report; name it in practice"
                )
        return self

    def as_data(self) -> dict[str, str]:
        return {key: value for key, value in self.model_dump().items() if value}


class BandSpec(_Strict):
    """A band with what it rests on: {min, max, band_source}."""

    min: int
    max: int
    band_source: BandSourceSpec | None = None

    @field_validator("min", "max")
    @classmethod
    def _in_scale(cls, value: int) -> int:
        if value not in STEPS:
            raise ValueError(f"step {value} outside 1–5")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> "BandSpec":
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"min": self.min, "max": self.max}
        if self.band_source is not None:
            data["band_source"] = self.band_source.as_data()
        return data


class RuleTexts(_Strict):
    reason: str = ""


class BandRuleSpec(_Strict):
    """``band_when`` entry: under these profile conditions, this band, for this reason."""

    when: dict[str, Any] = Field(min_length=1)
    target: BandSpec
    reason: str = Field(min_length=1)
    band_source: BandSourceSpec | None = None
    translations: dict[str, RuleTexts] = {}

    @field_validator("when")
    @classmethod
    def _known(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _condition(value)

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "when": dict(self.when),
            "target": {"min": self.target.min, "max": self.target.max},
            "reason": self.reason,
        }
        if self.band_source is not None:
            data["band_source"] = self.band_source.as_data()
        if self.translations:
            data["translations"] = {lang: t.model_dump() for lang, t in self.translations.items()}
        return data


def applies_when(value: dict[str, Any]) -> dict[str, Any]:
    return _condition(value)


# A phase as a key of ``target_by_phase`` (the values of ``missions.context.PHASES``; a test
# holds them equal), so an unknown phase is reported beside any problem of the bands.
Phase = Literal["start_up", "consolidation", "drawdown"]


def target_by_phase(value: dict[Phase, BandSpec]) -> dict[Phase, BandSpec]:
    """The bands in the order of the phases."""
    return {phase: band for known in PHASES for phase, band in value.items() if phase == known}


def voice(value: list[str]) -> list[str]:
    unknown = [code for code in value if code not in COMPONENT_CODES]
    if unknown:
        raise ValueError(
            f"unknown component {', '.join(map(repr, unknown))} in voice; use "
            f"{', '.join(COMPONENT_CODES)}"
        )
    return value


ExternalContext = Literal["external"]
