"""Dashboard reads: stored scores aggregated in SQL, returned as plain dataclasses.

The pages read only the scoring tables (``ScoreSet`` and its rows), missions, periods and the
assessments' status, never the raw answers, except ``barrier_evidence``, which pages through the
answers tagged with one barrier or enabler on one dimension. Every selector runs a fixed number
of queries whatever the number of missions or quarters (pinned by tests) and is scoped to the
user's missions through ``mission_list_visible_to``. Peer distributions are the exception by
design: they cover missions beyond the user's, anonymously, under the one disclosure rule of
``dashboards.disclosure``.

The data classes are documented in ``dashboards.types``; the figures in ``dashboards.figures``.
"""

from dashboards.selectors.barriers import barrier_counts, barrier_evidence
from dashboards.selectors.common import (
    dimension_catalogue,
    period_latest_scored,
    period_list,
)
from dashboards.selectors.compare import compare_measures, compare_peer_groups, compare_series
from dashboards.selectors.portfolio import (
    cycle_board,
    portfolio,
    portfolio_headline_rows,
    portfolio_sort_keys,
)
from dashboards.selectors.profile import mission_profile

__all__ = [
    "barrier_counts",
    "barrier_evidence",
    "compare_measures",
    "compare_peer_groups",
    "compare_series",
    "cycle_board",
    "dimension_catalogue",
    "mission_profile",
    "period_latest_scored",
    "period_list",
    "portfolio",
    "portfolio_headline_rows",
    "portfolio_sort_keys",
]
