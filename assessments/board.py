"""The assessment board's layout, assembled from what the selectors read: what blocks
submission (per component), then the dimensions, each with its findings and the controls of
its indicators (bands, not applicable), in questionnaire order.

No query here: the board view passes in the rows it already holds, so the page's query count
stays that of its selectors."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assessments.models import IndicatorNotApplicable, ResponseStatus
from assessments.selectors import DimensionBands, ResponseProgress, scope_label
from missions.models import MISSION_WIDE
from questionnaires.models import Dimension, Indicator


@dataclass(frozen=True)
class ComponentState:
    """One component's response as the focal point needs it before submitting."""

    component: str
    label: str
    answered: int
    total: int
    started: bool
    complete: bool
    viewable: bool  # the user may open the response (component confidentiality)
    respondents: tuple[str, ...] = ()  # who answers for it, by name (for the focal point)

    @property
    def missing(self) -> int:
        return max(self.total - self.answered, 0)

    @property
    def is_mission(self) -> bool:
        """The mission-level response, which the focal point answers."""
        return self.component == MISSION_WIDE

    @property
    def unconfirmed(self) -> bool:
        """Every indicator answered, but the response is not marked complete."""
        return self.started and not self.complete and self.missing == 0


def board_components(
    progress: Iterable[ResponseProgress],
    *,
    readable: frozenset[str] | None,
    respondents: Mapping[str, list[str]] | None = None,
) -> list[ComponentState]:
    """Each expected component, those that block submission first (in the board's order),
    with the names of its respondents when ``respondents`` is given."""
    respondents = respondents or {}
    states = [
        ComponentState(
            component=p.component,
            label=scope_label(p.component),
            answered=p.answered,
            total=p.total,
            started=p.response is not None,
            complete=p.response is not None and p.response.status == ResponseStatus.COMPLETE,
            viewable=readable is None or p.component in readable,
            respondents=tuple(respondents.get(p.component, [])),
        )
        for p in progress
    ]
    return [s for s in states if not s.complete] + [s for s in states if s.complete]


@dataclass
class BoardDimension:
    """One dimension of the board: its findings, then its indicators' controls (folded)."""

    dimension: Dimension
    indicators: list[Indicator]
    bands: DimensionBands | None = None
    scores: Mapping[str, Any] | None = None  # the score panel's dimension, if scored
    declared: list[IndicatorNotApplicable] = field(default_factory=list)
    band_form: Any = None
    not_applicable_form: Any = None
    open: bool = False  # a form of this dimension was sent back with errors

    @property
    def code(self) -> str:
        return self.dimension.code

    @property
    def findings(self) -> list[Mapping[str, Any]]:
        """The scored indicators outside their band (a stored flag on a sufficient,
        applicable value), in questionnaire order; in-band ones are counted, not listed."""
        if not self.scores:
            return []
        return [
            ind
            for ind in self.scores.get("indicators", [])
            if ind.get("flag") and ind.get("sufficient", False) and ind.get("applicable", True)
        ]

    @property
    def scored(self) -> int:
        return len(self.scores.get("indicators", [])) if self.scores else 0


def board_dimensions(
    *,
    indicators: Iterable[Indicator],
    bands: Iterable[DimensionBands],
    scores: Any,
    declared: Mapping[str, IndicatorNotApplicable],
    band_form: Callable[[DimensionBands], Any],
    not_applicable_form: Callable[[list[Indicator]], Any],
    bound: Mapping[str, Any],
) -> list[BoardDimension]:
    """The board's dimensions in questionnaire order.

    ``band_form(group)`` and ``not_applicable_form(indicators)`` make a dimension's empty
    forms; ``bound`` holds forms sent back with errors by name (``band_form``,
    ``not_applicable_form``), shown in the dimension their hidden ``dimension`` field names,
    which is then unfolded."""
    by_code: dict[str, BoardDimension] = {}
    for indicator in indicators:
        dimension = indicator.dimension
        if dimension.code not in by_code:
            by_code[dimension.code] = BoardDimension(dimension, [])
        by_code[dimension.code].indicators.append(indicator)
    for group in bands:
        if group.dimension.code in by_code:
            by_code[group.dimension.code].bands = group
    for dim in getattr(scores, "dimensions", None) or []:
        if dim.get("code") in by_code:
            by_code[dim["code"]].scores = dim
    for declaration in declared.values():
        code = declaration.indicator.dimension.code
        if code in by_code:
            by_code[code].declared.append(declaration)
    for board_dimension in by_code.values():
        if board_dimension.bands is not None:
            board_dimension.band_form = band_form(board_dimension.bands)
        board_dimension.not_applicable_form = not_applicable_form(
            [i for i in board_dimension.indicators if i.code not in declared]
        )
    for name, form in bound.items():
        target = by_code.get(str(form.data.get("dimension", "")))
        if target is not None:
            setattr(target, name, form)
            target.open = True
    return list(by_code.values())
