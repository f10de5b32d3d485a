"""A page's number of SQL queries does not grow with the missions or quarters in the data."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _compare(missions) -> str:
    chosen = "&".join(f"missions={m.pk}" for m in missions)  # every mission: any number
    return reverse("dashboards:compare") + f"?{chosen}&measure=dim:LEAD&peer=kind:pko"


PAGES = {
    "portfolio": lambda missions: reverse("dashboards:portfolio") + "?measure=gap&sort=-LEAD",
    "profile": lambda missions: reverse("dashboards:profile", args=[missions[0].pk]),
    "compare": _compare,
    "barriers": lambda missions: reverse("dashboards:barriers"),
    "barriers_of_a_dimension": lambda missions: reverse("dashboards:barriers") + "?dimension=LEAD",
    "evidence": lambda missions: (
        reverse("dashboards:evidence") + "?dimension=LEAD&tag=LEAD-B-ROLES"
    ),
}


def _count(client, url: str, *, cold: bool = True) -> int:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def analyst_client(client, personas):
    client.force_login(personas.analyst)
    client.get(reverse("home"))  # a session's first request may write to it
    return client


@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_the_same_for_2_and_20_missions(
    analyst_client, build_many, page, django_assert_num_queries
):
    missions = build_many(missions=2, quarters=4)
    with_two = _count(analyst_client, PAGES[page](missions))
    missions = build_many(missions=20, quarters=4)
    cache.clear()
    with django_assert_num_queries(with_two):
        analyst_client.get(PAGES[page](missions))


@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_the_same_for_2_and_20_quarters(
    analyst_client, build_many, page, django_assert_num_queries
):
    missions = build_many(missions=2, quarters=2)
    with_two = _count(analyst_client, PAGES[page](missions))
    missions = build_many(missions=2, quarters=20)
    cache.clear()
    with django_assert_num_queries(with_two):
        analyst_client.get(PAGES[page](missions))


@pytest.mark.parametrize("page", ["portfolio", "profile", "compare", "barriers"])
def test_a_warm_cache_saves_queries_and_stays_constant(analyst_client, build_many, page):
    missions = build_many(missions=2, quarters=2)
    url = PAGES[page](missions)
    cold = _count(analyst_client, url)
    warm_small = _count(analyst_client, url, cold=False)
    missions = build_many(missions=20, quarters=20)
    url = PAGES[page](missions)
    _count(analyst_client, url)
    warm_large = _count(analyst_client, url, cold=False)
    assert warm_small == warm_large < cold


def test_mission_staff_profile_query_count_is_constant_too(
    client, personas, build_many, django_assert_num_queries
):
    from tests.factories import MembershipFactory

    missions = build_many(missions=2, quarters=2)
    MembershipFactory(user=personas.focal_point_a, mission=missions[0], role="focal_point")
    client.force_login(personas.focal_point_a)
    client.get(reverse("home"))
    url = reverse("dashboards:profile", args=[missions[0].pk])
    with_two = _count(client, url)
    build_many(missions=20, quarters=20)
    cache.clear()
    with django_assert_num_queries(with_two):
        client.get(url)
