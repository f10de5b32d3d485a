"""Who may open and change which action page: every URL of the actions app × the six
personas. URLs are discovered from the URLconf: a new view fails until it is given its rules.

Mission A's actions: its staff read them, its focal point (and administrators) change them,
analysts read everything and change nothing, mission B's staff get 404 (they learn nothing).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from actions.models import Action, ActionNote
from actions.services import action_create

pytestmark = pytest.mark.django_db

PERSONAS = ["respondent_a", "focal_point_a", "respondent_b", "focal_point_b", "analyst", "admin"]

# (GET, POST) status per persona in PERSONAS order, on a submitted assessment of mission A
# and one of its actions. A POST that is allowed gets 400 here (the tampering POST lacks
# fields) except where noted; what the allowed writes do is tested in test_lifecycle.
EXPECTED = {
    "create": {"GET": [403, 200, 404, 404, 403, 200], "POST": [403, 400, 404, 404, 403, 400]},
    "detail": {"GET": [200, 200, 404, 404, 200, 200], "POST": [403, 400, 404, 404, 403, 400]},
    "note_add": {"GET": [405, 405, 404, 404, 405, 405], "POST": [403, 400, 404, 404, 403, 400]},
    "followup": {"GET": [200, 200, 404, 404, 200, 200], "POST": [405, 405, 404, 404, 405, 405]},
}
TAMPERING_POST = {"description": "tampered", "status": "done", "text": ""}


def _action_url_names() -> list[str]:
    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and namespace == "actions:":
                names.append(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_actions_url_has_access_rules():
    names = _action_url_names()
    assert names, "no actions URL discovered"
    assert sorted(names) == sorted(EXPECTED)


@pytest.fixture
def action(personas, quarters):
    return action_create(
        assessment=quarters.assessments[2],
        by=personas.focal_point_a,
        description="Agreed",
        owner="Chief of Staff",
        dimension_code="LEAD",
        due=(2099, 1),
    )


def _url(name: str, quarters, action, personas) -> str:
    args = {
        "create": [quarters.assessments[2].pk],
        "detail": [action.pk],
        "note_add": [action.pk],
        "followup": [personas.mission_a.pk],
    }[name]
    return reverse(f"actions:{name}", args=args)


def _state() -> tuple:
    return (
        list(Action.objects.values_list("pk", "description", "status")),
        list(ActionNote.objects.values_list("pk", "text")),
        Action.history.count(),
    )


@pytest.mark.parametrize("name", list(EXPECTED))
@pytest.mark.parametrize("persona_index", range(len(PERSONAS)), ids=PERSONAS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_actions_access_matrix(client, personas, quarters, action, name, persona_index, method):
    persona = PERSONAS[persona_index]
    client.force_login(personas.all()[persona])
    url = _url(name, quarters, action, personas)
    before = _state()
    response = client.get(url) if method == "GET" else client.post(url, TAMPERING_POST)
    expected = EXPECTED[name][method][persona_index]
    assert response.status_code == expected, (persona, name, method, response.status_code)
    if method == "POST":
        assert _state() == before, f"{persona} changed data through {name}"


@pytest.mark.parametrize("name", list(EXPECTED))
def test_actions_pages_ask_anonymous_visitors_to_log_in(client, personas, quarters, action, name):
    response = client.get(_url(name, quarters, action, personas))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_board_panel_offers_recording_to_the_focal_point_only(client, personas, quarters):
    url = reverse("assessments:board", args=[quarters.assessments[2].pk])
    record = reverse("actions:create", args=[quarters.assessments[2].pk])
    for persona, shown in [
        ("respondent_a", False),
        ("focal_point_a", True),
        ("analyst", False),
        ("admin", True),
    ]:
        client.force_login(personas.all()[persona])
        page = client.get(url).content.decode()
        assert 'id="actions-panel"' in page
        assert (record in page) is shown, persona


def test_an_open_assessment_offers_no_recording(client, personas, quarters):
    client.force_login(personas.focal_point_a)
    page = client.get(reverse("assessments:board", args=[quarters.current.pk])).content.decode()
    assert reverse("actions:create", args=[quarters.current.pk]) not in page
