"""Who may open which dashboard: every page × the six personas (and nobody logged in)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PERSONAS = ["respondent_a", "focal_point_a", "respondent_b", "focal_point_b", "analyst", "admin"]
# Status per persona, in PERSONAS order. Cross-mission pages refuse mission staff outright.
EXPECTED = {
    "portfolio": [403, 403, 403, 403, 200, 200],
    "compare": [403, 403, 403, 403, 200, 200],
    "barriers": [403, 403, 403, 403, 200, 200],
    "evidence": [403, 403, 403, 403, 200, 200],
    "profile_a": [200, 200, 404, 404, 200, 200],
    "profile_a_csv": [200, 200, 404, 404, 200, 200],
    "profile_a_bad_filter": [400, 400, 404, 404, 400, 400],
    "missions": [302, 302, 302, 302, 200, 200],
    "actions": [403, 403, 403, 403, 200, 200],
    "actions_csv": [403, 403, 403, 403, 200, 200],
    "actions_bad_filter": [403, 403, 403, 403, 400, 400],
}


def _url(name: str, small) -> str:
    evidence = "?dimension=LEAD&tag=LEAD-B-ROLES"
    profile = reverse("dashboards:profile", args=[small.a.pk])
    return {
        "portfolio": reverse("dashboards:portfolio"),
        "compare": reverse("dashboards:compare") + f"?missions={small.a.pk}",
        "barriers": reverse("dashboards:barriers"),
        "evidence": reverse("dashboards:evidence") + evidence,
        "profile_a": profile,
        "profile_a_csv": profile + "?format=csv&chart=radar",
        "profile_a_bad_filter": profile + "?period=x",
        "missions": reverse("dashboards:missions"),
        "actions": reverse("dashboards:actions"),
        "actions_csv": reverse("dashboards:actions") + "?format=csv&status=planned",
        "actions_bad_filter": reverse("dashboards:actions") + "?status=nonsense",
    }[name]


@pytest.mark.parametrize("page", EXPECTED)
@pytest.mark.parametrize("persona", PERSONAS)
def test_dashboard_access_per_persona(client, small, personas, page, persona):
    client.force_login(personas.all()[persona])
    response = client.get(_url(page, small))
    assert response.status_code == EXPECTED[page][PERSONAS.index(persona)]


@pytest.mark.parametrize("page", EXPECTED)
def test_dashboards_ask_anonymous_visitors_to_log_in(client, small, page):
    response = client.get(_url(page, small))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_mission_staff_land_on_their_own_mission_profile(client, small, personas):
    client.force_login(personas.respondent_b)
    response = client.get(reverse("dashboards:missions"))
    assert response["Location"] == reverse("dashboards:profile", args=[small.b.pk])
    client.force_login(personas.analyst)
    assert client.get(reverse("dashboards:index"))["Location"] == reverse("dashboards:portfolio")


def test_mission_staff_never_see_another_mission_named_on_their_profile(client, small, personas):
    client.force_login(personas.focal_point_a)
    page = client.get(reverse("dashboards:profile", args=[small.a.pk])).content.decode()
    assert "MSN-A" in page
    for other in ("MSN-B", "MSN-C", "MSN-D"):
        assert other not in page
    # …but the anonymous peer median is there.
    assert "Peer median" in page


def test_dashboards_refuse_writes(client, small, personas):
    client.force_login(personas.analyst)
    assert client.post(reverse("dashboards:portfolio")).status_code == 405
