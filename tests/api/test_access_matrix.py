"""Every API URL × the six personas, with a personal token and with a session.

URLs are discovered from the ``api`` namespace: a new endpoint fails
``test_every_api_url_has_access_rules`` until it is given its rules below. What each list
returns is checked too: exactly the rows of the missions the persona may see (the rule of the
pages, ``mission_list_visible_to``), and a token of a user who has since lost a mission loses
it at the next request.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from missions.models import Membership
from tests.api.conftest import ALL_MISSIONS, PERSONAS, VISIBLE, bearer, token_for

pytestmark = pytest.mark.django_db

# JSON lists whose rows name a mission: the column that names it.
MISSION_LISTS = {
    "missions": "code",
    "assessments": "mission",
    "dimension_scores": "mission",
    "indicator_scores": "mission",
    "coherence_scores": "mission",
    "actions": "mission",
}
# Lists not scoped by mission (the same for everybody who is signed in).
OPEN_LISTS = {"periods", "questionnaires", "questionnaire", "schema"}
# Per-mission endpoint (mission A): status per persona, in PERSONAS order.
MISSION_A_ONLY = {"mission_peers": [200, 200, 404, 404, 200, 200]}
# Scoped in its own way (tested below): barrier counts.
OTHER = {"barriers"}
# HTML pages of the api app (a session only; tokens never open them).
PAGES = {"tokens", "docs", "token_revoke"}


def _api_url_names() -> list[str]:
    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and namespace == "api:":
                names.append(pattern.name)

    walk(get_resolver().url_patterns)
    return names


API_NAMES = _api_url_names()
JSON_NAMES = sorted(set(API_NAMES) - PAGES)


def test_every_api_url_has_access_rules():
    assert "missions" in API_NAMES
    known = set(MISSION_LISTS) | OPEN_LISTS | set(MISSION_A_ONLY) | OTHER | PAGES
    assert not set(API_NAMES) - known, f"give these their rules: {set(API_NAMES) - known}"


def _url(name: str, small) -> str:
    if name == "mission_peers":
        return reverse("api:mission_peers", args=["MSN-A"])
    if name == "questionnaire":
        return reverse("api:questionnaire", args=[small.a.assessments.first().questionnaire_id])
    return reverse(f"api:{name}")


def _get(client, url, persona, how, tokens, personas):
    if how == "token":
        return client.get(url, **bearer(tokens[persona]))
    client.force_login(personas.all()[persona])
    try:
        return client.get(url)
    finally:
        client.logout()


def _missions_in(response, column: str) -> set[str]:
    return {row[column] for row in response.json()["results"]}


@pytest.mark.parametrize("name", JSON_NAMES)
def test_anonymous_is_refused_with_a_bearer_challenge(client, small, name):
    response = client.get(_url(name, small))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("how", ["token", "session"])
@pytest.mark.parametrize("name", JSON_NAMES)
def test_api_access_matrix(client, personas, small, tokens, name, how):
    url = _url(name, small)
    analyst_view = _get(client, url, "analyst", how, tokens, personas)
    for index, persona in enumerate(PERSONAS):
        response = _get(client, url, persona, how, tokens, personas)
        if name in MISSION_A_ONLY:
            assert response.status_code == MISSION_A_ONLY[name][index], (persona, how)
            continue
        assert response.status_code == 200, (persona, name, how, response.status_code)
        if name in MISSION_LISTS:
            column = MISSION_LISTS[name]
            seen = _missions_in(response, column)
            assert seen == _missions_in(analyst_view, column) & VISIBLE[persona], (persona, name)
        elif name in OPEN_LISTS:
            assert response.content == analyst_view.content, (persona, name)


def test_every_mission_list_has_rows_for_the_analyst(client, personas, small, tokens):
    for name, column in MISSION_LISTS.items():
        response = client.get(reverse(f"api:{name}"), **bearer(tokens["analyst"]))
        assert _missions_in(response, column) >= {"MSN-A", "MSN-B"}, name
    missions = client.get(reverse("api:missions"), **bearer(tokens["admin"]))
    assert _missions_in(missions, "code") == ALL_MISSIONS


def test_barrier_counts_cover_only_the_personas_missions(client, personas, small, tokens):
    def roles_count(persona):
        response = client.get(reverse("api:barriers"), **bearer(tokens[persona]))
        assert response.status_code == 200
        rows = response.json()["results"]
        return sum(r["count"] for r in rows if r["tag"] == "LEAD-B-ROLES")

    assert roles_count("respondent_a") == 2 + 3  # mission A, 2024-Q3 and Q4
    assert roles_count("focal_point_b") == 5
    assert roles_count("analyst") == 10
    assert roles_count("admin") == 10


def test_peer_figures_follow_the_disclosure_rule(client, personas, small, tokens):
    url = reverse("api:mission_peers", args=["MSN-A"])
    staff = client.get(url, **bearer(tokens["respondent_a"])).json()["results"]
    analyst = client.get(url, **bearer(tokens["analyst"])).json()["results"]
    # Mission staff never see the number of peers; with B and D only (C is demo), no median.
    assert staff and all(row["missions"] is None for row in staff)
    assert all(row["median"] is None and row["withheld"] for row in staff)
    q3 = next(
        r for r in analyst if r["quarter"] == "2024-Q3" and r["measure"] == "integration_level"
    )
    # Analysts: A, B and D are real missions with a result in 2024-Q3 (40, 70, 60).
    assert q3["missions"] == 3 and q3["median"] == 60.0


@pytest.mark.parametrize("name", ["tokens", "docs"])
def test_api_pages_need_a_session_not_a_token(client, personas, tokens, name):
    url = reverse(f"api:{name}")
    assert client.get(url).status_code == 302  # to the login page
    response = client.get(url, **bearer(tokens["analyst"]))
    assert response.status_code == 302  # a token does not sign anyone in to the pages
    for persona in PERSONAS:
        client.force_login(personas.all()[persona])
        assert client.get(url).status_code == 200, (persona, name)


def test_token_of_a_user_who_lost_a_mission_loses_it(client, personas, small):
    key = token_for(personas.respondent_a)
    missions = reverse("api:missions")
    scores = reverse("api:dimension_scores")
    peers = reverse("api:mission_peers", args=["MSN-A"])
    assert _missions_in(client.get(missions, **bearer(key)), "code") == {"MSN-A"}
    assert _missions_in(client.get(scores, **bearer(key)), "mission") == {"MSN-A"}
    assert client.get(peers, **bearer(key)).status_code == 200

    Membership.objects.filter(user=personas.respondent_a).delete()

    assert client.get(missions, **bearer(key)).json()["results"] == []
    assert client.get(scores, **bearer(key)).json()["results"] == []
    assert client.get(reverse("api:assessments"), **bearer(key)).json()["results"] == []
    assert client.get(peers, **bearer(key)).status_code == 404
    assert client.get(reverse("api:barriers"), **bearer(key)).json()["results"] == []


def test_a_token_of_a_deactivated_user_is_refused(client, personas, small):
    key = token_for(personas.analyst)
    personas.analyst.is_active = False
    personas.analyst.save()
    assert client.get(reverse("api:missions"), **bearer(key)).status_code == 401
