"""The scoring methods, by version: the one place that says which method is current.

Every stored result carries the version string of the method that produced it
(``ScoreSet.method_version``), so results of an older method stay readable and reproducible:
``METHODS[number].score`` is the pure function (plain data in, plain data out) and
``METHODS[number].label`` the string it stores. A change that can move a number or a flag gets a
new entry here, never an edit of an old one.

- 1: ``imp-score-1.0`` (``scoring.method_v1``): dimension means against a dimension target step.
- 2: ``imp-score-2.0`` (``scoring.method_v2``): per-indicator target bands, flags at the
  indicator, target alignment as the headline. Scores what method 3 cannot read (a
  questionnaire with no published version with safeguards): ``FALLBACK_METHOD``.
- 3: ``imp-score-3.0`` (``scoring.method_v3``): safeguards with voice components and critical
  findings that gate the headline, contested indicators, coverage beside alignment, no figure
  that rewards not answering, external context out of alignment. Current.

Pages read each assessment's **newest** stored result (``scoring.results.newest_result``):
the current method's once scored or rescored with it, else the one it has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from questionnaires.steps import STEP_NAMES
from scoring import method_v1, method_v2, method_v3
from scoring.method_v1 import COHERENCE_LEVELS, result_to_dict

__all__ = [
    "COHERENCE_LEVELS",
    "METHODS",
    "METHOD_VERSION",
    "METHOD_VERSION_LABEL",
    "FALLBACK_METHOD",
    "LIVE_METHOD_LABELS",
    "STEP_NAMES",
    "ScoringMethod",
    "method_number",
    "result_to_dict",
]


@dataclass(frozen=True, slots=True)
class ScoringMethod:
    number: int
    label: str  # stored in ScoreSet.method_version
    score: Callable[[Any], Any]  # ScoringInput of that method -> AssessmentResult of that method


METHODS: dict[int, ScoringMethod] = {
    1: ScoringMethod(1, method_v1.METHOD_LABEL, method_v1.score_assessment),
    2: ScoringMethod(2, method_v2.METHOD_LABEL, method_v2.score_assessment),
    3: ScoringMethod(3, method_v3.METHOD_LABEL, method_v3.score_assessment),
}

# The method new scoring requests use.
METHOD_VERSION = 3
# What its results store as ``method_version``.
METHOD_VERSION_LABEL = METHODS[METHOD_VERSION].label
# The method that scores an assessment the current one cannot read (see ``scoring.services``).
FALLBACK_METHOD = 2
# The results live scoring stores: the sweeper counts either as the answer to a request.
LIVE_METHOD_LABELS = (METHOD_VERSION_LABEL, METHODS[FALLBACK_METHOD].label)


def method_number(label: str) -> int | None:
    """The method number behind a stored version string ("imp-score-1.0" -> 1), or None."""
    return next((m.number for m in METHODS.values() if m.label == label), None)
