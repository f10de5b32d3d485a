"""The embedded default (SQLite, `make run`) survives a handful of concurrent users.

Several respondents save answers (autosave), open pages and copy last quarter forward at the
same time, each in its own thread against the live server, on a file database as under
runserver. Conflicts (409) are fine; a server error ("database is locked") is not.
"""

import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.models import Answer
from assessments.services import AnswerInput, assessment_open, response_answers_save
from missions.models import Component
from tests.assessments.conftest import (  # noqa: F401 (fixtures)
    current_period,
    previous_period,
    questionnaire,
)
from tests.factories import MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the embedded default's SQLite settings only"
    ),
]

THREADS = 8
ROUNDS = 6


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


class _Browser:
    """One user's session over real HTTP, with the CSRF cookie and header a page would send."""

    def __init__(self, base_url: str, session_key: str):
        self.base_url = base_url
        self.csrf = secrets.token_hex(16)  # 32 characters, as Django's CSRF secret
        self.cookie = f"sessionid={session_key}; csrftoken={self.csrf}"

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 (the test's own live server)
            self.base_url + path,
            data=body,
            headers={"Cookie": self.cookie, "X-CSRFToken": self.csrf},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


def test_concurrent_saves_and_copy_forward_on_sqlite_give_no_server_error(
    live_server,
    personas,
    questionnaire,  # noqa: F811
    previous_period,  # noqa: F811
    current_period,  # noqa: F811
):
    assert connection.settings_dict["NAME"] != ":memory:"
    users = []
    for n in range(THREADS):
        user = UserFactory(username=f"concurrent{n}")
        component = [Component.POLITICAL, Component.MILITARY][n % 2]
        MembershipFactory(
            user=user, mission=personas.mission_a, role="respondent", component=component
        )
        users.append((user, component))
    # Last quarter answered, so that copy-forward has something to write.
    last = assessment_open(mission=personas.mission_a, period=previous_period)
    for user, component in users[:2]:
        response_answers_save(
            response=last.responses.get(component=component),
            by=user,
            answers=[AnswerInput("LEAD-01", "2", "Old"), AnswerInput("LEAD-02", "3", "Old")],
        )
    assessment = assessment_open(mission=personas.mission_a, period=current_period)
    browsers = [
        (_Browser(live_server.url, _session_cookie(user)), component) for user, component in users
    ]
    statuses: list[tuple[int, str, str]] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def work(index: int, browser: _Browser, component: str) -> None:
        base = reverse("assessments:answer", args=[assessment.pk, component, "LEAD"])
        start.wait()
        for round_ in range(ROUNDS):
            calls = [
                (base, None),
                (
                    base + "autosave/",
                    {
                        "LEAD-01-revision": "0",
                        "LEAD-01-choice": str(1 + (index + round_) % 5),
                        "LEAD-01-evidence": f"thread {index} round {round_}",
                        "LEAD-01-other_tags": "",
                        "LEAD-02-revision": "0",
                        "LEAD-02-evidence": "",
                        "LEAD-02-other_tags": "",
                    },
                ),
                (base + "copy-forward/", {}),
            ]
            for path, data in calls:
                status, body = browser.request(path, data)
                with lock:
                    statuses.append((status, path, body[:300] if status >= 500 else ""))

    threads = [
        threading.Thread(target=work, args=(index, browser, component))
        for index, (browser, component) in enumerate(browsers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    assert len(statuses) == THREADS * ROUNDS * 3
    server_errors = [s for s in statuses if s[0] >= 500]
    assert not server_errors, server_errors[:3]
    assert {status for status, _path, _body in statuses} <= {200, 409}
    assert Answer.objects.filter(response__assessment=assessment).exists()
