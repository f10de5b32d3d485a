"""Load test of imp-assess: respondents answering, analysts reading dashboards.

Driven by ``loadtest/run.py``, which seeds a database, starts gunicorn on 127.0.0.1 and
writes the plan this file reads (``LOADTEST_PLAN``, JSON):

    {"respondents": [{"username", "assessment_id", "component", "dimensions": [...]}],
     "analyst": "analyst", "password": "demo",
     "analyst_pages": {"portfolio": ["/dashboards/…", …], …}}

Each respondent user logs in with an account of its own, so no two virtual users edit the
same response and no save may end in a conflict. Every answer a client sends is recorded
(user, indicator, choice, evidence marker); when the run stops, that record and the final
statistics are written to ``LOADTEST_RESULTS`` (JSON), so run.py can check every save
against the database.
"""

import itertools
import json
import os
import random
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

from loadtest.answer_form import AnswerPage, csrf_token, parse_answer_page

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"], encoding="utf-8").read())  # noqa: SIM115
RESULTS_PATH = os.environ.get("LOADTEST_RESULTS", "")
WAIT_MIN, WAIT_MAX = (float(s) for s in os.environ.get("LOADTEST_WAIT", "1,4").split(","))
CHOICES = ["1", "2", "3", "4", "5", "na", "dk"]
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}

_accounts = iter(PLAN["respondents"])
_save_numbers = itertools.count(1)


# --- What the clients saved ---------------------------------------------------------------
@dataclass
class SaveRecord:
    """The last value a client knows it saved for one answer, and any sent since whose
    outcome is unknown (the request failed in a way that may or may not have committed)."""

    username: str
    assessment_id: int
    component: str
    indicator: str
    confirmed: tuple[str, str] | None = None
    uncertain: list[tuple[str, str]] = field(default_factory=list)


RECORDS: dict[tuple[str, str], SaveRecord] = {}
COUNTS = {"page_saves": 0, "autosaves": 0, "answers_written": 0, "completions": 0}

# Steady state: the response times of requests sent after the last virtual user logged in.
# At the start every user logs in within seconds, and each login costs most of a second of a
# gunicorn worker (PBKDF2), so the first stretch of the run measures a log-in storm and the
# requests queued behind it, not the pages.
STEADY: dict = {"since": None, "logins": 0, "times": {}}


@events.request.add_listener
def _steady_times(name, response_time, start_time=None, **_kwargs) -> None:
    if STEADY["since"] is not None and start_time is not None and start_time >= STEADY["since"]:
        STEADY["times"].setdefault(name, []).append(response_time)


def _logged_in(environment) -> None:
    STEADY["logins"] += 1
    if STEADY["logins"] == environment.parsed_options.num_users:
        STEADY["since"] = time.time()  # the clock of the request event's start_time


def _nearest_rank(values: list[float], percent: int) -> int:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, len(ordered) * percent // 100)])


def _record_sent(account: dict, changes: dict[str, tuple[str, str]]) -> None:
    for code, value in changes.items():
        key = (account["username"], code)
        record = RECORDS.setdefault(
            key,
            SaveRecord(account["username"], account["assessment_id"], account["component"], code),
        )
        record.uncertain.append(value)


def _record_outcome(account: dict, changes: dict[str, tuple[str, str]], saved: bool) -> None:
    """saved=True: the server confirmed; False: it refused, so nothing was written."""
    for code, value in changes.items():
        record = RECORDS[(account["username"], code)]
        record.uncertain.remove(value)
        if saved:
            record.confirmed = value
            record.uncertain.clear()  # anything older is overwritten by this save
            COUNTS["answers_written"] += 1


@events.test_stop.add_listener
def _write_results(environment, **_kwargs) -> None:
    """After every user stopped: the final statistics and the record of saves."""
    if not RESULTS_PATH:
        return
    stats = environment.stats

    def summary(entry) -> dict:
        has_requests = entry.num_requests > 0
        return {
            "method": entry.method or "",
            "count": entry.num_requests,
            "failures": entry.num_failures,
            **{
                f"p{percent}_ms": entry.get_response_time_percentile(percent / 100)
                if has_requests
                else None
                for percent in (50, 95, 99)
            },
            "max_ms": round(entry.max_response_time) if has_requests else None,
            "rps": round(entry.total_rps, 2),
        }

    results = {
        "pages": {name: summary(entry) for (name, _method), entry in stats.entries.items()},
        "total": summary(stats.total),
        "errors": [
            {
                "method": e.method,
                "name": e.name,
                "error": str(e.error),
                "occurrences": e.occurrences,
            }
            for e in stats.errors.values()
        ],
        "steady": {
            "seconds": round(time.time() - STEADY["since"]) if STEADY["since"] else 0,
            "pages": {
                name: {
                    "count": len(times),
                    "p50_ms": _nearest_rank(times, 50),
                    "p95_ms": _nearest_rank(times, 95),
                }
                for name, times in STEADY["times"].items()
            },
        },
        "counts": COUNTS,
        "answers": [
            {
                "username": r.username,
                "assessment_id": r.assessment_id,
                "component": r.component,
                "indicator": r.indicator,
                "confirmed": r.confirmed,
                "uncertain": r.uncertain,
            }
            for r in RECORDS.values()
        ],
    }
    text = json.dumps(results, default=str)  # all or nothing: never a half-written file
    with open(RESULTS_PATH, "w", encoding="utf-8") as out:
        out.write(text)


# --- Users ---------------------------------------------------------------------------------
class LoggedInUser(FastHttpUser):
    abstract = True
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def log_in(self, username: str) -> None:
        page = self.client.get("/accounts/login/", name="login page")
        token = csrf_token(page.text or "")
        body = urlencode(
            {"username": username, "password": PLAN["password"], "csrfmiddlewaretoken": token}
        )
        with self.client.post(
            "/accounts/login/",
            data=body,
            headers=FORM_HEADERS,
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            if response.status_code != 302 or "/accounts/login/" in location:
                response.failure(f"login of {username} refused ({response.status_code})")
                raise StopUser
            response.success()
        _logged_in(self.environment)


class Respondent(LoggedInUser):
    """A mission respondent filling in the current quarter's questionnaire: opens pages,
    autosaves, saves, now and then marks the response complete (run.py answered what the
    demo data left blank, so it is always complete)."""

    weight = 4

    def on_start(self) -> None:
        try:
            self.account = next(_accounts)
        except StopIteration:
            raise RuntimeError("more respondent users than seeded respondent accounts") from None
        self.page: AnswerPage | None = None
        self.log_in(self.account["username"])

    def _path(self, dimension: str) -> str:
        a = self.account
        return f"/assessments/{a['assessment_id']}/{a['component']}/{dimension}/"

    def _open(self, path: str) -> AnswerPage | None:
        with self.client.get(path, name="answer page", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"answer page answered {response.status_code}")
                return None
            page = parse_answer_page(path, response.text or "")
            if page is None:
                response.failure("answer page has no editable answer form")
                return None
            response.success()
            return page

    def _change_some_answers(self, page: AnswerPage) -> dict[str, tuple[str, str]]:
        """Pick one to three indicators, give each a new choice and a unique evidence marker."""
        changes = {}
        for code in random.sample(page.indicators, k=min(len(page.indicators), 3)):  # noqa: S311
            number = next(_save_numbers)
            choice = random.choice(CHOICES)  # noqa: S311
            evidence = f"load {self.account['username']} #{number}"
            page.set(f"{code}-choice", choice)
            page.set(f"{code}-evidence", evidence)
            changes[code] = (choice, evidence)
        return changes

    @task(3)
    def open_answer_page(self) -> None:
        self.page = self._open(self._path(random.choice(self.account["dimensions"])))  # noqa: S311

    @task(3)
    def autosave(self) -> None:
        """What autosave.js does a few seconds after typing stops: POST the whole form."""
        page = self.page or self._open(self._path(random.choice(self.account["dimensions"])))  # noqa: S311
        if page is None:
            return
        self.page = page
        changes = self._change_some_answers(page)
        _record_sent(self.account, changes)
        with self.client.post(
            page.path + "autosave/",
            data=page.body(),
            headers=FORM_HEADERS,
            name="autosave",
            catch_response=True,
        ) as response:
            try:
                body = response.json()
            except ValueError:
                body = {}
            if response.status_code == 200 and body.get("status") == "saved":
                page.apply_revisions(body.get("revisions", {}))
                _record_outcome(self.account, changes, saved=True)
                COUNTS["autosaves"] += 1
                response.success()
            elif response.status_code in (400, 409):
                _record_outcome(self.account, changes, saved=False)
                self.page = None
                response.failure(f"autosave refused {response.status_code}: {body}")
            else:
                self.page = None  # outcome unknown: the values stay "uncertain"
                response.failure(f"autosave answered {response.status_code}")

    @task(2)
    def save_page(self) -> None:
        """The Save button: full-page POST, redirect, and the page must show what was saved."""
        page = self.page or self._open(self._path(random.choice(self.account["dimensions"])))  # noqa: S311
        if page is None:
            return
        changes = self._change_some_answers(page)
        _record_sent(self.account, changes)
        with self.client.post(
            page.path,
            data=page.body(go="stay"),
            headers=FORM_HEADERS,
            name="save (page POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            if response.status_code == 302 and urlsplit(location).path == page.path:
                _record_outcome(self.account, changes, saved=True)
                COUNTS["page_saves"] += 1
                response.success()
            elif response.status_code in (400, 409):
                _record_outcome(self.account, changes, saved=False)
                self.page = None
                response.failure(f"page save refused with {response.status_code}")
                return
            else:
                self.page = None
                response.failure(f"page save answered {response.status_code} to {location!r}")
                return
        # The browser follows the redirect; the page it shows must hold what was saved.
        self.page = self._open(page.path)
        if self.page is None:
            return
        for code, (choice, evidence) in changes.items():
            shown = (self.page.value(f"{code}-choice"), self.page.value(f"{code}-evidence"))
            if shown != (choice, evidence):
                events.request.fire(
                    request_type="CHECK",
                    name="saved values shown after redirect",
                    response_time=0,
                    response_length=0,
                    exception=AssertionError(f"{code}: saved {choice!r}, page shows {shown!r}"),
                )

    @task(1)
    def mark_complete(self) -> None:
        """Review completeness, then mark the response complete: scoring is enqueued."""
        a = self.account
        path = f"/assessments/{a['assessment_id']}/{a['component']}/complete/"
        with self.client.get(path, name="complete page", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"complete page answered {response.status_code}")
                return
            token = csrf_token(response.text or "")
            response.success()
        with self.client.post(
            path,
            data=urlencode({"csrfmiddlewaretoken": token}),
            headers=FORM_HEADERS,
            name="mark complete",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                COUNTS["completions"] += 1
                response.success()
            else:
                response.failure(f"mark complete answered {response.status_code}")

    @task(1)
    def my_assessments(self) -> None:
        self.client.get("/assessments/", name="my assessments")


class Analyst(LoggedInUser):
    """An HQ analyst browsing the dashboards (read-only, every mission)."""

    weight = 1

    def on_start(self) -> None:
        self.log_in(PLAN["analyst"])

    @task
    def open_a_page(self) -> None:
        label = random.choice(list(PLAN["analyst_pages"]))  # noqa: S311
        path = random.choice(PLAN["analyst_pages"][label])  # noqa: S311
        self.client.get(path, name=label)
