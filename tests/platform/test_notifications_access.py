"""Access matrix of the notifications pages: every URL of the app × anonymous and the six
personas. A notification is its user's alone: anyone else gets 404, not 403.

URLs are discovered from the URLconf: a new notifications URL fails this test until it is
given its rules in EXPECTED.
"""

import datetime

import pytest
from django.urls import URLPattern, get_resolver, reverse

from notifications.models import NotificationKind
from notifications.services.recording import notification_record

pytestmark = pytest.mark.django_db

PERSONAS = ["respondent_a", "focal_point_a", "respondent_b", "focal_point_b", "analyst", "admin"]

# (GET, POST) statuses for anonymous, then the six personas in PERSONAS order. The
# notification in ``read`` is respondent_a's. The preferences POST is a valid one.
EXPECTED = {
    "list": {"GET": [302, 200, 200, 200, 200, 200, 200], "POST": [302] + [405] * 6},
    "read_all": {"GET": [302] + [405] * 6, "POST": [302] * 7},
    "preferences": {"GET": [302] + [200] * 6, "POST": [302] * 7},
    "read": {
        "GET": [302, 405, 404, 404, 404, 404, 404],
        "POST": [302, 302, 404, 404, 404, 404, 404],
    },
}


def _names() -> list[str]:
    resolver = get_resolver()
    (_prefix, app_resolver) = resolver.namespace_dict["notifications"]
    return [p.name for p in app_resolver.url_patterns if isinstance(p, URLPattern)]


def test_every_notifications_url_has_access_rules():
    assert sorted(_names()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("who", range(7), ids=["anonymous", *PERSONAS])
def test_notifications_access_matrix(client, personas, name, method, who):
    notification = notification_record(
        kind=NotificationKind.DIGEST,
        user=personas.respondent_a,
        assessment=None,
        on_date=datetime.date(2026, 10, 5),
        data={
            "week_of": "2026-10-05",
            "submitted": [],
            "approved": [],
            "overdue": [],
            "actions_overdue": [],
        },
    )
    if who:
        client.force_login(personas.all()[PERSONAS[who - 1]])
    kwargs = {"notification_id": notification.pk} if name == "read" else {}
    url = reverse(f"notifications:{name}", kwargs=kwargs)
    data = {"kinds": ["reminder"]} if name == "preferences" else {}
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == EXPECTED[name][method][who]
    if response.status_code == 302 and not who:
        assert response.url.startswith(reverse("login"))
    notification.refresh_from_db()
    read = who == 1 and method == "POST" and name in ("read", "read_all")
    assert (notification.read_at is not None) == read
