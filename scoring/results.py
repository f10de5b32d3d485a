"""Which stored result of an assessment counts: one rule for every page, file and API.

An assessment can hold one result per scoring method (``ScoreSet.method_version``): history
scored with method 1 or 2 keeps its result when the current method (3) rescores it, and an
assessment the current method cannot read is scored with ``FALLBACK_METHOD``. Everything
shown reads the **newest** method's result of each assessment: the current method's where it
scored the assessment, else the newest one stored. Method labels ("imp-score-1.0",
"imp-score-2.0", "imp-score-3.0") sort in method order, so "newer" is a string comparison in
SQL.
"""

from __future__ import annotations

from typing import cast

from django.db.models import Exists, OuterRef, Q

from scoring.models import ScoreSet


def newest_result(prefix: str = "") -> Q:
    """The rows whose score set is its assessment's newest stored result. ``prefix`` leads
    from the filtered model to its ScoreSet (``"score_set__"``; empty on ``ScoreSet``)."""
    newer = ScoreSet.objects.filter(
        assessment=OuterRef(f"{prefix}assessment"),
        method_version__gt=OuterRef(f"{prefix}method_version"),
    )
    # (~Exists is a Q at run time; the stubs say Combinable)
    return cast(Q, ~Exists(newer))
