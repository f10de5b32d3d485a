"""Caching dashboard aggregates per visibility scope, invalidated when scores change.

A cached entry's key holds the page, its parameters, the language, the user's *visibility
scope* (``all`` for analysts and administrators, else the sorted ids of the user's missions)
and the current *generation*. Storing a new score moves the generation on, which orphans every
earlier entry at once (they expire on their own), so a page never outlives the scores it shows.
Two users share an entry only if they see exactly the same missions: a mission user is never
served what was computed for an analyst.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from missions.roles import user_sees_all_missions
from missions.selectors import mission_list_visible_to

GENERATION_KEY = "dashboards:generation"
# A safety net only: scoring invalidates explicitly; mission renames show within this time.
TIMEOUT = 60 * 60


def visibility_scope(user) -> str:
    """``all`` for users who see every mission, else ``m`` and their sorted mission ids."""
    if user_sees_all_missions(user):
        return "all"
    ids = sorted(mission_list_visible_to(user=user).values_list("pk", flat=True))
    return "m" + "-".join(str(pk) for pk in ids)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def dashboards_cache_invalidate() -> None:
    """Orphan every cached dashboard entry (a new, random generation)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def dashboards_scores_changed() -> None:
    """Called by scoring when it stores a result: invalidate now, and again once the scores
    are committed, so that no page read between the two is kept under the new generation."""
    dashboards_cache_invalidate()
    transaction.on_commit(dashboards_cache_invalidate)


def cache_key(*, page: str, scope: str, params: dict[str, Any]) -> str:
    payload = json.dumps(params, sort_keys=True, default=str)
    digest = hashlib.sha256(f"{scope}|{get_language()}|{payload}".encode()).hexdigest()[:32]
    return f"dashboards:{page}:{_generation()}:{digest}"


def cached(*, user, page: str, params: dict[str, Any], build: Callable[[], Any]) -> Any:
    """``build()``'s result for this page, parameters and the user's scope, from the cache
    when there. Exceptions (e.g. a mission outside the scope) are not cached."""
    key = cache_key(page=page, scope=visibility_scope(user), params=params)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=TIMEOUT)
    return value
