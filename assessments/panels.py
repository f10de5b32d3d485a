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
    """Register ``provider(*, assessment, own_components)``, which returns the board's scores
    (or None)."""
    global _scores_provider
    _scores_provider = provider


def board_scores(*, assessment: Any, own_components: frozenset[str] | None) -> Any:
    """The scores the board shows for ``assessment`` to a reader of ``own_components``'
    answers (None: every component's), with the figures that would give another component's
    answers back withheld; None when no provider is registered."""
    if _scores_provider is None:
        return None
    return _scores_provider(assessment=assessment, own_components=own_components)


# The board's actions panel and the answering page's notes beside each indicator, filled by
# the actions app (``ActionsConfig.ready``); without it neither shows.
ActionsProvider = Callable[..., Any]

_board_actions_provider: ActionsProvider | None = None
_indicator_actions_provider: ActionsProvider | None = None


def board_actions_provider_register(provider: ActionsProvider) -> None:
    """Register ``provider(*, assessment, user)``, which returns the board's actions panel."""
    global _board_actions_provider
    _board_actions_provider = provider


def indicator_actions_provider_register(provider: ActionsProvider) -> None:
    """Register ``provider(*, assessment, user)``, which returns the open actions to show
    beside the indicators of the assessment's answering pages."""
    global _indicator_actions_provider
    _indicator_actions_provider = provider


def board_actions(*, assessment: Any, user: Any) -> Any:
    """The board's actions panel for ``assessment``; None when no provider is registered."""
    if _board_actions_provider is None:
        return None
    return _board_actions_provider(assessment=assessment, user=user)


def indicator_actions(*, assessment: Any, user: Any) -> Any:
    """Open actions beside the indicators; None when no provider is registered."""
    if _indicator_actions_provider is None:
        return None
    return _indicator_actions_provider(assessment=assessment, user=user)
