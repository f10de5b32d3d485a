"""The questionnaire file format: a validated, plain-data description of one version.

A ``QuestionnaireSpec`` is what a YAML file holds, what the loader stores and what
the exporter writes back, so a round trip file → database → file is lossless.
Validation reports every problem of a file at once, each with its location.

Two generations of the format load side by side:

- v1 files (IMP-CORE v1): a ``default_target_step`` per dimension, a ``source`` per
  indicator, no applicability, bands, quotes or glossary.
- v2 files add, per indicator, ``applies_to`` (who answers it) and a ``target`` band;
  per indicator, tag and glossary entry a ``basis`` (``report``, the default, or
  ``practice``) with ``source`` and a verbatim ``quote`` of the report, or a ``note``
  for practice since 2007; and a ``glossary``. Once one indicator has a target every
  indicator needs one, and once one item quotes the report every report-based item
  needs its quote (file-wide rules, see ``FileRules``).
"""

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_DOWN, Decimal
from typing import Annotated, Any, ClassVar, Final, Literal, TypedDict

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from questionnaires import rules_spec
from questionnaires.applicability import applies_to_problems
from questionnaires.context import IndicatorRules
from questionnaires.quotes import Report
from questionnaires.rules_spec import (
    BandRuleSpec,
    BandSourceSpec,
    BandSpec,
    ExternalContext,
    Phase,
)
from questionnaires.steps import STEPS
from questionnaires.translations import SOURCE_LANGUAGE, language_name

DIMENSION_CODES = ("LEAD", "POL", "HUM", "RES", "PLAN", "PART", "OWN", "ACC", "MS")
COHERENCE_LEVELS = ("policy_strategic", "operational_programmatic", "administrative")
# What an item rests on: the mission's report (a source and a quote) or practice (a note).
Basis = Literal["report", "practice"]
REPORT: Final = "report"
PRACTICE: Final = "practice"
EXTERNAL: Final = "external"  # an indicator's ``context: external``


class Sourcing(TypedDict):
    """The sourcing fields of an item, as a spec takes them."""

    basis: Basis
    source: str
    quote: str
    note: str


Text = Annotated[str, Field(min_length=1)]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[a-z0-9]+)?$")]
Weight = Annotated[Decimal, Field(max_digits=6, decimal_places=3)]
SourceText = Annotated[str, Field(max_length=300)]


def _weight_not_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(f"negative weight {value}: weights must be more than 0")
    if value == 0:
        raise ValueError("weight 0: weights must be more than 0 (remove the item instead)")
    return value


def _step(value: int) -> int:
    if value not in STEPS:
        raise ValueError(f"step {value} outside 1–5")
    return value


@dataclass(frozen=True)
class FileRules:
    """File-wide rules, decided from the raw file before validation (pydantic context)."""

    targets_required: bool = False  # some indicator has a target: all need one
    quotes_required: bool = False  # some item quotes the report: all report items need one
    band_sources_required: bool = False  # some band has a band_source (v3): every band needs one

    @classmethod
    def of(cls, info: ValidationInfo) -> "FileRules":
        return info.context if isinstance(info.context, FileRules) else cls()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _TextsSpec(_Strict):
    """One item's texts in one other language. Every field may be missing here: which texts a
    language must have is a file-wide rule (``translation_gaps``), not a per-item one."""

    def as_data(self) -> dict[str, Any]:
        return {key: value for key, value in self.model_dump().items() if value}

    def flat(self) -> dict[str, str]:
        """The texts keyed as the English item's ``texts()`` keys them."""
        return {key: value for key, value in self.model_dump().items() if isinstance(value, str)}

    def stored(self) -> dict[str, str]:
        """The non-empty texts keyed by model field name, as ``translations`` stores them."""
        return {
            _MODEL_FIELD.get(key, key).replace("rubric.", "rubric_"): text
            for key, text in self.flat().items()
            if text
        }

    @classmethod
    def from_stored(cls, fields: dict[str, str]) -> Any:
        data: dict[str, Any] = {}
        for name, text in fields.items():
            if name.startswith("rubric_"):
                data.setdefault("rubric", {})[int(name.removeprefix("rubric_"))] = text
            else:
                data[_FILE_KEY.get(name, name)] = text
        return cls.model_validate(data)


# The file's ``note`` is the model's ``basis_note``; every other text has the same name.
_MODEL_FIELD = {"note": "basis_note"}
_FILE_KEY = {field: key for key, field in _MODEL_FIELD.items()}


class TitledTexts(_TextsSpec):
    """A questionnaire's or a dimension's title and description."""

    title: str = ""
    description: str = ""


class TagTexts(_TextsSpec):
    label: Annotated[str, Field(max_length=200)] = ""
    note: str = ""


class GlossaryTexts(_TextsSpec):
    term: Annotated[str, Field(max_length=80)] = ""
    definition: str = ""
    note: str = ""


class IndicatorTexts(_TextsSpec):
    statement: str = ""
    guidance: str = ""
    rubric: dict[int, str] = {}
    note: str = ""
    voice_rationale: str = ""

    @field_validator("rubric")
    @classmethod
    def _steps(cls, rubric: dict[int, str]) -> dict[int, str]:
        outside = sorted(step for step in rubric if step not in STEPS)
        if outside:
            raise ValueError(f"step {', '.join(map(str, outside))} outside 1–5")
        return {step: rubric[step] for step in STEPS if rubric.get(step)}

    def flat(self) -> dict[str, str]:
        rubric = {f"rubric.{step}": text for step, text in self.rubric.items()}
        return super().flat() | rubric


def _texts_data(translations: Mapping[str, _TextsSpec]) -> dict[str, Any]:
    if not translations:
        return {}
    return {"translations": {lang: texts.as_data() for lang, texts in translations.items()}}


class SourcedSpec(_Strict):
    """What an item rests on: the report (source + verbatim quote) or practice (note).

    Field order matters: ``basis`` is validated first so the others can check against it.
    """

    basis: Basis = REPORT
    source: SourceText = Field("", validate_default=True)
    quote: str = Field("", validate_default=True)
    note: str = Field("", validate_default=True)

    # Report-based items always need a source (v1 indicators had one); subclasses relax it.
    _source_required_for_report: ClassVar[bool] = True
    # Glossary entries are new in v2: a report-based one always quotes the report.
    _quote_always_required: ClassVar[bool] = False

    @field_validator("source")
    @classmethod
    def _source_for_report(cls, value: str, info: ValidationInfo) -> str:
        required = cls._source_required_for_report or cls._quote_required(info)
        if info.data.get("basis") == REPORT and not value and required:
            raise ValueError(
                "missing: a report-based item names where in the report it comes from "
                "(or is marked basis: practice with a note)"
            )
        return value

    @field_validator("quote")
    @classmethod
    def _quote_for_report_only(cls, value: str, info: ValidationInfo) -> str:
        basis = info.data.get("basis")
        if basis == PRACTICE and value:
            raise ValueError(
                "a practice item cannot quote the report; explain it in note, "
                "or mark it basis: report"
            )
        if basis == REPORT and not value and cls._quote_required(info):
            raise ValueError(
                "missing: a report-based item quotes the passage of the report it rests on "
                "(or is marked basis: practice with a note)"
            )
        return value

    @field_validator("note")
    @classmethod
    def _note_for_practice(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("basis") == PRACTICE and not value:
            raise ValueError("missing: a practice item says in note what it rests on")
        return value

    @classmethod
    def _quote_required(cls, info: ValidationInfo) -> bool:
        return cls._quote_always_required or FileRules.of(info).quotes_required

    def _source_data(self) -> dict[str, Any]:
        """The sourcing keys as a file writes them (defaults left out, as v1 files do)."""
        data: dict[str, Any] = {}
        if self.basis != REPORT:
            data["basis"] = self.basis
        for key in ("source", "quote", "note"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


class TagSpec(SourcedSpec):
    code: Annotated[str, Field(min_length=1, max_length=40)]
    label: Annotated[str, Field(min_length=1, max_length=200)]
    translations: dict[LanguageCode, TagTexts] = {}
    # v1 tags had no source; once the file quotes the report, report-based tags need both.
    _source_required_for_report: ClassVar[bool] = False

    def as_data(self) -> dict[str, Any]:
        data = {"code": self.code, "label": self.label, **self._source_data()}
        return data | _texts_data(self.translations)

    def texts(self) -> dict[str, str]:
        return {"label": self.label, "note": self.note}


class GlossarySpec(SourcedSpec):
    term: Annotated[str, Field(min_length=1, max_length=80)]
    definition: Text
    translations: dict[LanguageCode, GlossaryTexts] = {}
    _quote_always_required: ClassVar[bool] = True

    def as_data(self) -> dict[str, Any]:
        data = {"term": self.term, "definition": self.definition, **self._source_data()}
        return data | _texts_data(self.translations)

    def texts(self) -> dict[str, str]:
        return {"term": self.term, "definition": self.definition, "note": self.note}


class TargetSpec(_Strict):
    """A default target band, e.g. {min: 2, max: 3}; a single step is {min: 3, max: 3}."""

    min: int
    max: int

    @field_validator("min", "max")
    @classmethod
    def _in_scale(cls, value: int) -> int:
        return _step(value)

    @model_validator(mode="after")
    def _ordered(self) -> "TargetSpec":
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self

    @property
    def midpoint(self) -> Decimal:
        return Decimal(self.min + self.max) / 2


class IndicatorSpec(SourcedSpec):
    code: Annotated[str, Field(pattern=r"^[A-Z]+-[0-9]{2,}$", max_length=20)]
    coherence_level: str
    weight: Weight = Decimal("1")
    applies_to: list[str] = []
    target: TargetSpec | None = Field(None, validate_default=True)
    statement: Text
    guidance: Text
    rubric: dict[int, Text]
    translations: dict[LanguageCode, IndicatorTexts] = {}
    # v3 (questionnaires.rules_spec): context rules, band sources, safeguards, external context.
    applies_when: dict[str, Any] = {}
    band_source: BandSourceSpec | None = None
    target_by_phase: dict[Phase, BandSpec] = {}
    band_when: list[BandRuleSpec] = []
    safeguard: bool = False
    voice: list[str] = []
    voice_rationale: str = ""
    context: ExternalContext | None = None

    @field_validator("applies_when")
    @classmethod
    def _known_profile(cls, value: dict[str, Any]) -> dict[str, Any]:
        return rules_spec.applies_when(value)

    @field_validator("target_by_phase")
    @classmethod
    def _known_phases(cls, value: dict[Phase, BandSpec]) -> dict[Phase, BandSpec]:
        return rules_spec.target_by_phase(value)

    @field_validator("voice")
    @classmethod
    def _known_voices(cls, value: list[str]) -> list[str]:
        return rules_spec.voice(value)

    @model_validator(mode="after")
    def _every_band_sourced(self, info: ValidationInfo) -> "IndicatorSpec":
        if not FileRules.of(info).band_sources_required:
            return self
        missing = [key for key, source in self.band_sources() if source is None]
        if self.target is None and (self.target_by_phase or self.band_when):
            missing.insert(0, "target")
        if missing:
            raise ValueError(
                f"missing band_source for {', '.join(missing)}: once one band states its "
                "source, every band does (basis: report with source and quote, or basis: "
                "practice naming the practice source)"
            )
        return self

    def rules_data(self) -> dict[str, Any]:
        """The context rules as ``Indicator.rules`` stores them (keys that hold something)."""
        data: dict[str, Any] = {}
        if self.applies_when:
            data["applies_when"] = dict(self.applies_when)
        if self.band_source is not None:
            data["band_source"] = self.band_source.as_data()
        if self.target_by_phase:
            data["target_by_phase"] = {p: b.as_data() for p, b in self.target_by_phase.items()}
        if self.band_when:
            data["band_when"] = [rule.as_data() for rule in self.band_when]
        return data

    @property
    def context_rules(self) -> IndicatorRules:
        target = (self.target.min, self.target.max) if self.target else None
        return IndicatorRules.of(code=self.code, target=target, rules=self.rules_data())

    def band_sources(self) -> list[tuple[str, BandSourceSpec | None]]:
        """(the file's key, its band source) for every band of the indicator."""
        found: list[tuple[str, BandSourceSpec | None]] = []
        if self.target is not None:
            found.append(("band_source", self.band_source))
        found += [
            (f"target_by_phase › {p}", b.band_source) for p, b in self.target_by_phase.items()
        ]
        found += [(f"band_when[{n}]", r.band_source) for n, r in enumerate(self.band_when, 1)]
        return found

    @field_validator("coherence_level")
    @classmethod
    def _known_coherence_level(cls, value: str) -> str:
        if value not in COHERENCE_LEVELS:
            raise ValueError(
                f"unknown coherence level {value!r}; use one of {', '.join(COHERENCE_LEVELS)}"
            )
        return value

    @field_validator("weight")
    @classmethod
    def _weight(cls, value: Decimal) -> Decimal:
        return _weight_not_negative(value)

    @field_validator("applies_to")
    @classmethod
    def _known_components(cls, value: list[str]) -> list[str]:
        problems = applies_to_problems(value)
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @field_validator("target")
    @classmethod
    def _target_everywhere_or_nowhere(
        cls, value: TargetSpec | None, info: ValidationInfo
    ) -> TargetSpec | None:
        if value is None and FileRules.of(info).targets_required:
            raise ValueError(
                "missing: once one indicator has a target band, every indicator needs one "
                "(e.g. target: {min: 2, max: 3})"
            )
        return value

    @field_validator("rubric")
    @classmethod
    def _five_steps(cls, rubric: dict[int, str]) -> dict[int, str]:
        problems = []
        outside = sorted(step for step in rubric if step not in STEPS)
        if outside:
            problems.append(f"step {', '.join(map(str, outside))} outside 1–5")
        missing = [step for step in STEPS if step not in rubric]
        if missing:
            problems.append(f"missing rubric step {', '.join(map(str, missing))}")
        if problems:
            raise ValueError("; ".join(problems))
        return {step: rubric[step] for step in STEPS}

    def as_data(self) -> dict[str, Any]:
        """The file's keys in the file's order; v2 keys only when they hold something."""
        data: dict[str, Any] = {
            "code": self.code,
            "coherence_level": self.coherence_level,
            "weight": _number(self.weight),
        }
        if self.applies_to:
            data["applies_to"] = list(self.applies_to)
        rules = self.rules_data()
        if "applies_when" in rules:
            data["applies_when"] = rules.pop("applies_when")
        if self.target is not None:
            data["target"] = {"min": self.target.min, "max": self.target.max}
        data |= rules
        if self.safeguard:
            data |= {"safeguard": True, "voice": list(self.voice)}
            data["voice_rationale"] = self.voice_rationale
        if self.context:
            data["context"] = self.context
        data |= {"statement": self.statement, "guidance": self.guidance}
        data |= self._source_data()
        data["rubric"] = dict(self.rubric)
        return data | _texts_data(self.translations)

    def texts(self) -> dict[str, str]:
        rubric = {f"rubric.{step}": text for step, text in self.rubric.items()}
        texts = {"statement": self.statement, "guidance": self.guidance, **rubric}
        return texts | {"note": self.note, "voice_rationale": self.voice_rationale}


def derived_target_step(indicators: list[IndicatorSpec]) -> int:
    """A dimension's default target step as the summary of its indicators' bands.

    Rule: the weighted median of the band midpoints, rounded half *down*. The midpoints
    are sorted; the median is the first midpoint at which the running weight reaches
    half of the total weight, or the mean of it and the next midpoint when the running
    weight is exactly half. Between two steps the less integrated one is taken, since
    "integration is not an end in itself" (report, 1.3): a dimension whose bands are all
    4–5 gets step 4, one whose bands are all 1–2 gets step 1. E.g. bands 2–3, 2–3 and 4–4
    of equal weight: midpoints 2.5, 2.5, 4 → median 2.5 → step 2. Every indicator must
    have a target.
    """
    pairs = sorted((ind.target.midpoint, ind.weight) for ind in indicators if ind.target)
    if not pairs or len(pairs) != len(indicators):
        raise ValueError("every indicator needs a target band to derive the dimension's step")
    half = sum(weight for _, weight in pairs) / 2
    running = Decimal(0)
    for index, (midpoint, weight) in enumerate(pairs):
        running += weight
        if running == half and index + 1 < len(pairs):
            median = (midpoint + pairs[index + 1][0]) / 2
            break
        if running >= half:
            median = midpoint
            break
    return int(median.quantize(Decimal(1), rounding=ROUND_HALF_DOWN))


class DimensionSpec(_Strict):
    code: str
    title: Text
    description: Text
    # Optional when every indicator has a target band: then derived (derived_target_step).
    default_target_step: int | None = None
    weight: Weight = Decimal("1")
    barrier_tags: list[TagSpec] = []
    enabler_tags: list[TagSpec] = []
    indicators: Annotated[list[IndicatorSpec], Field(min_length=1)]
    translations: dict[LanguageCode, TitledTexts] = {}

    @field_validator("code")
    @classmethod
    def _known_dimension(cls, value: str) -> str:
        if value not in DIMENSION_CODES:
            raise ValueError(
                f"unknown dimension {value!r}; use one of {', '.join(DIMENSION_CODES)}"
            )
        return value

    @field_validator("default_target_step")
    @classmethod
    def _step(cls, value: int | None) -> int | None:
        return value if value is None else _step(value)

    @field_validator("weight")
    @classmethod
    def _weight(cls, value: Decimal) -> Decimal:
        return _weight_not_negative(value)

    @model_validator(mode="after")
    def _derive_target_step(self) -> "DimensionSpec":
        if self.default_target_step is None:
            if not all(ind.target for ind in self.indicators):
                raise ValueError(
                    "default_target_step: missing; give it, or give every indicator of the "
                    "dimension a target band to derive it from"
                )
            # Frozen model: set the derived value once, while validating.
            object.__setattr__(self, "default_target_step", derived_target_step(self.indicators))
        return self

    @property
    def target_step_is_derived(self) -> bool:
        """The step is what the bands imply, so a file need not state it."""
        return all(ind.target for ind in self.indicators) and (
            self.default_target_step == derived_target_step(self.indicators)
        )

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "title": self.title,
            "description": self.description,
            **_texts_data(self.translations),
        }
        if not self.target_step_is_derived:
            data["default_target_step"] = self.default_target_step
        data |= {
            "weight": _number(self.weight),
            "barrier_tags": [tag.as_data() for tag in self.barrier_tags],
            "enabler_tags": [tag.as_data() for tag in self.enabler_tags],
            "indicators": [ind.as_data() for ind in self.indicators],
        }
        return data

    def texts(self) -> dict[str, str]:
        return {"title": self.title, "description": self.description}


class QuestionnaireSpec(_Strict):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$", max_length=40)]
    version: Annotated[int, Field(ge=1)]
    # The languages every text of the version is complete in; the first is the language
    # of the main texts (English, the language of the report's quotes).
    languages: list[LanguageCode] = [SOURCE_LANGUAGE]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: str = ""
    translations: dict[LanguageCode, TitledTexts] = {}
    glossary: list[GlossarySpec] = []
    dimensions: Annotated[list[DimensionSpec], Field(min_length=1)]

    @field_validator("languages")
    @classmethod
    def _source_language_first(cls, value: list[str]) -> list[str]:
        if not value or value[0] != SOURCE_LANGUAGE:
            raise ValueError(
                f"the first language is {SOURCE_LANGUAGE}, the language of the main texts "
                f"(e.g. languages: [{SOURCE_LANGUAGE}, fr])"
            )
        if len(set(value)) != len(value):
            raise ValueError("a language is listed twice")
        return value

    def texts(self) -> dict[str, str]:
        return {"title": self.title, "description": self.description}

    def indicators(self) -> list[tuple[DimensionSpec, IndicatorSpec]]:
        return [(dim, ind) for dim in self.dimensions for ind in dim.indicators]

    def tags(self) -> list[tuple[DimensionSpec, str, TagSpec]]:
        """(dimension, "barrier" or "enabler", tag) for every tag, in file order."""
        return [
            (dim, kind, tag)
            for dim in self.dimensions
            for kind, tags in (("barrier", dim.barrier_tags), ("enabler", dim.enabler_tags))
            for tag in tags
        ]

    def as_data(self) -> dict[str, Any]:
        """Plain data for YAML in the file's own shape: weights as numbers, rubric steps as
        integers, and the v2 keys only where they hold something (a v1 file stays v1)."""
        data: dict[str, Any] = {"code": self.code, "version": self.version}
        if self.languages != [SOURCE_LANGUAGE]:
            data["languages"] = list(self.languages)
        data |= {"title": self.title, "description": self.description}
        data |= _texts_data(self.translations)
        if self.glossary:
            data["glossary"] = [entry.as_data() for entry in self.glossary]
        data["dimensions"] = [dim.as_data() for dim in self.dimensions]
        return data


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class SpecInvalid(Exception):
    """The file is not a valid questionnaire; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s) in the questionnaire file")
        self.problems = problems


def _describe_location(raw: Any, loc: tuple) -> str:
    """A readable location for an error.

    ('dimensions', 2, 'indicators', 0, 'rubric')
    → 'dimensions[3] HUM › indicators[1] HUM-01 › rubric'
    """
    parts: list[str] = []
    node = raw
    index = 0
    while index < len(loc):
        key = loc[index]
        nxt = loc[index + 1] if index + 1 < len(loc) else None
        if isinstance(nxt, int) and isinstance(node, dict) and isinstance(node.get(key), list):
            items = node[key]
            item = items[nxt] if nxt < len(items) else None
            code = (item.get("code") or item.get("term")) if isinstance(item, dict) else None
            parts.append(f"{key}[{nxt + 1}]" + (f" {code}" if code else ""))
            node = item
            index += 2
            continue
        parts.append(str(key))
        node = node.get(key) if isinstance(node, dict) else None
        index += 1
    return " › ".join(parts) or "file"


def _raw_items(raw: Any) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """(dimensions, indicators, tags, glossary entries) of raw file data, dicts only."""
    if not isinstance(raw, dict):
        return [], [], [], []

    def dicts(value: Any) -> list[dict]:
        return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []

    dims = dicts(raw.get("dimensions"))
    indicators = [ind for dim in dims for ind in dicts(dim.get("indicators"))]
    tag_lists = [dim.get(key) for dim in dims for key in ("barrier_tags", "enabler_tags")]
    tags = [tag for tag_list in tag_lists for tag in dicts(tag_list)]
    return dims, indicators, tags, dicts(raw.get("glossary"))


def _file_rules(raw: Any) -> FileRules:
    _dims, indicators, tags, glossary = _raw_items(raw)
    return FileRules(
        targets_required=any(ind.get("target") is not None for ind in indicators),
        quotes_required=any(item.get("quote") for item in (*indicators, *tags, *glossary)),
        band_sources_required=any(_has_band_source(ind) for ind in indicators),
    )


def _has_band_source(indicator: dict) -> bool:
    phases = indicator.get("target_by_phase")
    rules = indicator.get("band_when")
    return bool(
        indicator.get("band_source")
        or (
            isinstance(phases, dict)
            and any(isinstance(b, dict) and b.get("band_source") for b in phases.values())
        )
        or (
            isinstance(rules, list)
            and any(isinstance(r, dict) and r.get("band_source") for r in rules)
        )
    )


def quote_problems(spec: "QuestionnaireSpec", report: Report) -> list[str]:
    """Every report-based quote of the file (items and band sources) that is not verbatim in
    the place its source cites, each with its location and key."""
    problems = []
    for location, item in translatable_items(spec):
        quoted = []
        if isinstance(item, SourcedSpec) and item.basis == REPORT and item.quote:
            quoted.append(("quote", item.source, item.quote))
        if isinstance(item, IndicatorSpec):
            quoted += [
                (key, source.source, source.quote)
                for key, source in item.band_sources()
                if source is not None and source.basis == REPORT
            ]
        for key, source, quote in quoted:
            problem = report.quote_problem(quote, source)
            if problem:
                problems.append(f"{location} › {key}: {problem}")
    return problems


def _safeguard_problems(raw: Any) -> list[str]:
    """A safeguard without the components whose view decides, or a voice without a
    safeguard (checked on the raw data, so reported together with every other problem)."""
    problems = []
    dims = raw.get("dimensions") if isinstance(raw, dict) else None
    for d_index, dim in enumerate(dims if isinstance(dims, list) else []):
        indicators = dim.get("indicators") if isinstance(dim, dict) else None
        for i_index, ind in enumerate(indicators if isinstance(indicators, list) else []):
            if not isinstance(ind, dict):
                continue
            where = _describe_location(raw, ("dimensions", d_index, "indicators", i_index))
            voiced = ind.get("voice") and ind.get("voice_rationale")
            voice_given = ind.get("voice") or ind.get("voice_rationale")
            if ind.get("safeguard") is True and not voiced:
                problems.append(
                    f"{where} › safeguard: a safeguard names the components whose view decides "
                    "(voice: [humanitarian]) and why (voice_rationale)"
                )
            elif ind.get("safeguard") is not True and voice_given:
                problems.append(f"{where} › voice: only a safeguard (safeguard: true) has a voice")
    return problems


def _duplicate_problems(raw: Any) -> list[str]:
    """Duplicate codes anywhere in the file (checked on the raw data, so they are
    reported together with every other problem)."""
    dims, indicators, tags, glossary = _raw_items(raw)
    problems = []

    def report(kind: str, codes: list[Any]) -> None:
        for code, count in Counter(c for c in codes if isinstance(c, str | int)).items():
            if count > 1:
                problems.append(f"duplicate {kind} {code!r} ({count} times)")

    report("dimension code", [d.get("code") for d in dims])
    report("indicator code", [ind.get("code") for ind in indicators])
    report("tag code", [tag.get("code") for tag in tags])
    report("glossary term", [entry.get("term") for entry in glossary])
    return problems


@dataclass(frozen=True)
class TranslationGap:
    """A text of the file with no translation in ``language``."""

    language: str
    location: str  # e.g. "dimensions[1] LEAD › indicators[2] LEAD-02"
    field: str  # the file's key: "statement", "rubric.3", "note" …

    def __str__(self) -> str:
        where = f"{self.location} › translations › {self.language} › {self.field}"
        return f"{where}: missing {language_name(self.language)} text"


def translatable_items(spec: QuestionnaireSpec) -> Iterator[tuple[str, Any]]:
    """(readable location, item) of every item with texts, in file order."""
    yield "file", spec
    for number, entry in enumerate(spec.glossary, start=1):
        yield f"glossary[{number}] {entry.term}", entry
    for d_number, dim in enumerate(spec.dimensions, start=1):
        where = f"dimensions[{d_number}] {dim.code}"
        yield where, dim
        for key in ("barrier_tags", "enabler_tags"):
            for number, tag in enumerate(getattr(dim, key), start=1):
                yield f"{where} › {key}[{number}] {tag.code}", tag
        for number, ind in enumerate(dim.indicators, start=1):
            yield f"{where} › indicators[{number}] {ind.code}", ind


def translation_gaps(spec: QuestionnaireSpec) -> dict[str, list[TranslationGap]]:
    """Per language (each declared one, and each the file has some translation in), the
    texts that have no translation yet. A declared language must have none (``spec_from_data``)."""
    items = list(translatable_items(spec))
    used = {lang for _, item in items for lang in item.translations}
    gaps: dict[str, list[TranslationGap]] = {}
    for language in [*spec.languages[1:], *sorted(used - set(spec.languages))]:
        gaps[language] = []
        for location, item in items:
            texts = item.translations.get(language)
            done = texts.flat() if texts is not None else {}
            gaps[language].extend(
                TranslationGap(language, location, field)
                for field, english in item.texts().items()
                if english and not done.get(field)
            )
    return gaps


def translatable_count(spec: QuestionnaireSpec) -> int:
    """How many texts a complete translation has (the quotes stay in English: citations)."""
    items = translatable_items(spec)
    return sum(1 for _, item in items for text in item.texts().values() if text)


def _declared_language_problems(spec: QuestionnaireSpec) -> list[str]:
    declared = ", ".join(spec.languages)
    return [
        f"{gap} (the file declares languages: {declared})"
        for language, gaps in translation_gaps(spec).items()
        if language in spec.languages
        for gap in gaps
    ]


def spec_from_data(raw: Any, *, report: Report | None = None) -> QuestionnaireSpec:
    """Validate parsed file content; raise ``SpecInvalid`` listing every problem. With the
    report's text, every report-based quote of a v3 file is checked against the place it
    cites."""
    problems: list[str] = []
    spec = None
    try:
        spec = QuestionnaireSpec.model_validate(raw, context=_file_rules(raw))
    except ValidationError as exc:
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{_describe_location(raw, error['loc'])}: {message}")
    problems.extend(_duplicate_problems(raw))
    problems.extend(_safeguard_problems(raw))
    if spec is not None:
        problems.extend(_declared_language_problems(spec))
        # A v3 file (its bands state their sources) has every quote checked on load; the
        # quotes of earlier files are checked by the tests of the shipped files.
        if report is not None and _file_rules(raw).band_sources_required:
            problems.extend(quote_problems(spec, report))
    if problems or spec is None:
        raise SpecInvalid(problems)
    return spec
