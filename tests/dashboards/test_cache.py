"""Cached aggregates are kept per visibility scope and dropped when scoring stores a result."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from assessments.models import ResponseStatus
from dashboards.cache import cache_key, dashboards_scores_changed, visibility_scope
from scoring.models import ScoreSet
from scoring.services import assessment_scores_compute
from tests.dashboards.conftest import tagged_answer

pytestmark = pytest.mark.django_db

POISON = "ANALYST-ONLY-CACHED-CONTENT"


def test_visibility_scopes_are_all_or_the_users_missions(small, personas):
    assert visibility_scope(personas.analyst) == "all"
    assert visibility_scope(personas.admin) == "all"
    assert visibility_scope(personas.focal_point_a) == f"m{small.a.pk}"
    assert visibility_scope(personas.respondent_a) == visibility_scope(personas.focal_point_a)
    assert visibility_scope(personas.respondent_b) == f"m{small.b.pk}"


def test_a_mission_user_is_never_served_an_analysts_cached_page(client, small, personas):
    url = reverse("dashboards:profile", args=[small.a.pk])
    client.force_login(personas.analyst)
    assert client.get(url).status_code == 200
    # Mark the analyst's cached entry so that serving it to anyone would show.
    params = {"mission": small.a.pk, "period": None}
    key = cache_key(page="profile", scope="all", params=params)
    profile, charts = cache.get(key)
    cache.set(key, (profile, [c.__class__(c.key, POISON, c.figure, c.table) for c in charts]))
    assert POISON in client.get(url).content.decode()  # the analyst gets the cache

    for member in (personas.focal_point_a, personas.respondent_a):
        client.force_login(member)
        page = client.get(url)
        assert page.status_code == 200
        assert POISON not in page.content.decode()


def test_scoring_a_new_result_invalidates_the_cached_pages(client, small, personas):
    url = reverse("dashboards:profile", args=[small.a.pk])
    client.force_login(personas.analyst)
    assert "<strong>50</strong> / 100" in client.get(url).content.decode()

    # A change behind the cache's back is not seen: the page really is cached.
    ScoreSet.objects.filter(mission=small.a, period=small.p3).update(index=55)
    assert "<strong>50</strong> / 100" in client.get(url).content.decode()

    # Scoring stores a new result (every answer at step 5: index 100) and invalidates.
    assessment = small.a.assessments.get(period=small.p3)
    for code in ("LEAD-01", "LEAD-02", "HUM-01"):
        tagged_answer(assessment, "political", code, choice="5")
    assessment.responses.update(status=ResponseStatus.COMPLETE)
    assessment_scores_compute(assessment_id=assessment.pk)
    page = client.get(url).content.decode()
    assert "<strong>100</strong> / 100" in page  # the integration level of every step at 5
    assert 'id="profile-alignment"' in page  # a method-2 result: its alignment headlines


def test_invalidation_also_runs_when_the_scores_are_committed(
    monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr("dashboards.cache.dashboards_cache_invalidate", lambda: calls.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        dashboards_scores_changed()
    assert len(calls) == 2  # at once, and again once the new scores are committed
