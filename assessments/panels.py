"""The assessment board's score panel, filled by a higher layer through a registry it
does not need to import.

The scoring app registers its reader here in ``ScoringConfig.ready``; without one the board
shows no score panel.
"""

from collections.abc import Callable
from typing import Any

ScoresProvider = Callable[..., Any]

_scores_provider: ScoresProvider | None = None


def board_scores_provider_register(provider: ScoresProvider) -> None:
    """Register ``provider(*, assessment)``, which returns the board's scores (or None)."""
    global _scores_provider
    _scores_provider = provider


def board_scores(*, assessment: Any) -> Any:
    """The scores the board shows for ``assessment``; None when no provider is registered."""
    if _scores_provider is None:
        return None
    return _scores_provider(assessment=assessment)
