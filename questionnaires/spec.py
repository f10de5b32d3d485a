"""The questionnaire file format: a validated, plain-data description of one version.

A ``QuestionnaireSpec`` is what a YAML file holds, what the loader stores and what
the exporter writes back, so a round trip file → database → file is lossless.
Validation reports every problem of a file at once, each with its location.
"""

from collections import Counter
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DIMENSION_CODES = ("LEAD", "POL", "HUM", "RES", "PLAN", "PART", "OWN", "ACC", "MS")
COHERENCE_LEVELS = ("policy_strategic", "operational_programmatic", "administrative")
STEPS = (1, 2, 3, 4, 5)

Text = Annotated[str, Field(min_length=1)]
Weight = Annotated[Decimal, Field(max_digits=6, decimal_places=3)]


def _weight_not_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(f"negative weight {value}: weights must be more than 0")
    if value == 0:
        raise ValueError("weight 0: weights must be more than 0 (remove the item instead)")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class TagSpec(_Strict):
    code: Annotated[str, Field(min_length=1, max_length=40)]
    label: Annotated[str, Field(min_length=1, max_length=200)]


class IndicatorSpec(_Strict):
    code: Annotated[str, Field(pattern=r"^[A-Z]+-[0-9]{2,}$", max_length=20)]
    coherence_level: str
    weight: Weight = Decimal("1")
    statement: Text
    guidance: Text
    source: Annotated[str, Field(min_length=1, max_length=300)]
    rubric: dict[int, Text]

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


class DimensionSpec(_Strict):
    code: str
    title: Text
    description: Text
    default_target_step: int
    weight: Weight = Decimal("1")
    barrier_tags: list[TagSpec] = []
    enabler_tags: list[TagSpec] = []
    indicators: Annotated[list[IndicatorSpec], Field(min_length=1)]

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
    def _step(cls, value: int) -> int:
        if value not in STEPS:
            raise ValueError(f"step {value} outside 1–5")
        return value

    @field_validator("weight")
    @classmethod
    def _weight(cls, value: Decimal) -> Decimal:
        return _weight_not_negative(value)


class QuestionnaireSpec(_Strict):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$", max_length=40)]
    version: Annotated[int, Field(ge=1)]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: str = ""
    dimensions: Annotated[list[DimensionSpec], Field(min_length=1)]

    def indicators(self) -> list[tuple[DimensionSpec, IndicatorSpec]]:
        return [(dim, ind) for dim in self.dimensions for ind in dim.indicators]

    def as_data(self) -> dict[str, Any]:
        """Plain data for YAML: weights as numbers, rubric steps as integers."""
        return self.model_dump(mode="python", round_trip=True) | {
            "dimensions": [_dimension_data(dim) for dim in self.dimensions]
        }


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _dimension_data(dim: DimensionSpec) -> dict[str, Any]:
    data = dim.model_dump(mode="python")
    data["weight"] = _number(dim.weight)
    for indicator in data["indicators"]:
        indicator["weight"] = _number(indicator["weight"])
    return data


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
            code = item.get("code") if isinstance(item, dict) else None
            parts.append(f"{key}[{nxt + 1}]" + (f" {code}" if code else ""))
            node = item
            index += 2
            continue
        parts.append(str(key))
        node = node.get(key) if isinstance(node, dict) else None
        index += 1
    return " › ".join(parts) or "file"


def _duplicate_problems(raw: Any) -> list[str]:
    """Duplicate codes anywhere in the file (checked on the raw data, so they are
    reported together with every other problem)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("dimensions"), list):
        return []
    dims = [d for d in raw["dimensions"] if isinstance(d, dict)]
    problems = []

    def report(kind: str, codes: list[Any]) -> None:
        for code, count in Counter(c for c in codes if c is not None).items():
            if count > 1:
                problems.append(f"duplicate {kind} code {code!r} ({count} times)")

    report("dimension", [d.get("code") for d in dims])
    indicator_codes, tag_codes = [], []
    for dim in dims:
        for ind in dim.get("indicators") or []:
            if isinstance(ind, dict):
                indicator_codes.append(ind.get("code"))
        for key in ("barrier_tags", "enabler_tags"):
            for tag in dim.get(key) or []:
                if isinstance(tag, dict):
                    tag_codes.append(tag.get("code"))
    report("indicator", indicator_codes)
    report("tag", tag_codes)
    return problems


def spec_from_data(raw: Any) -> QuestionnaireSpec:
    """Validate parsed file content; raise ``SpecInvalid`` listing every problem."""
    problems: list[str] = []
    spec = None
    try:
        spec = QuestionnaireSpec.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{_describe_location(raw, error['loc'])}: {message}")
    problems.extend(_duplicate_problems(raw))
    if problems or spec is None:
        raise SpecInvalid(problems)
    return spec
