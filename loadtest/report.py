"""Reading a load test run: locust's statistics, the saves against the database, the logs."""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class PageRow:
    method: str
    count: int
    failures: int
    p50_ms: int | None
    p95_ms: int | None
    p99_ms: int | None
    max_ms: int | None
    rps: float


@dataclass(frozen=True)
class ServerTime:
    """Count and percentiles of a subset of one page's requests."""

    count: int
    p50_ms: int
    p95_ms: int


@dataclass
class Stats:
    pages: dict[str, PageRow] = field(default_factory=dict)
    server: dict[str, ServerTime] = field(default_factory=dict)
    steady: dict[str, ServerTime] = field(default_factory=dict)
    steady_seconds: int = 0
    total_requests: int = 0
    total_failures: int = 0
    failure_details: list[str] = field(default_factory=list)


def read_locust_stats(results: dict | None) -> Stats:
    """Per request name, from the statistics locustfile.py wrote after every user stopped
    (locust's own CSV files are snapshots taken every second and may miss the last ones)."""
    stats = Stats()
    if results is None:
        stats.failure_details.append("locust wrote no results (it did not end normally)")
        return stats
    stats.pages = {name: PageRow(**row) for name, row in results["pages"].items()}
    stats.steady = {
        name: ServerTime(row["count"], row["p50_ms"], row["p95_ms"])
        for name, row in results["steady"]["pages"].items()
    }
    stats.steady_seconds = results["steady"]["seconds"]
    stats.total_requests = results["total"]["count"]
    stats.total_failures = results["total"]["failures"]
    stats.failure_details = [
        f"{e['method']} {e['name']}: {e['error']} ×{e['occurrences']}" for e in results["errors"]
    ]
    return stats


def page_table(stats: Stats) -> str:
    """Client-side times over the whole run (what a user waits, queueing for a free
    gunicorn worker included), then the same after every user logged in (steady), then,
    from gunicorn's access log, the time a worker spent on the request (server)."""
    lines = [
        "| page | method | requests | failures | p50 ms | p95 ms | p99 ms | max ms | req/s "
        "| steady p50 ms | steady p95 ms | server p50 ms | server p95 ms |",
        "| --- | --- |" + " ---: |" * 11,
    ]
    for name, row in sorted(stats.pages.items()):
        steady, server = stats.steady.get(name), stats.server.get(name)
        lines.append(
            f"| {name} | {row.method} | {row.count} | {row.failures} | {row.p50_ms} "
            f"| {row.p95_ms} | {row.p99_ms} | {row.max_ms} | {row.rps:.1f} "
            f"| {steady.p50_ms if steady else ''} | {steady.p95_ms if steady else ''} "
            f"| {server.p50_ms if server else ''} | {server.p95_ms if server else ''} |"
        )
    lines.append(f"| all | | {stats.total_requests} | {stats.total_failures} |" + " |" * 9)
    return "\n".join(lines)


# gunicorn --access-logformat for server_times(): method, path, status, milliseconds.
ACCESS_LOG_FORMAT = '%(h)s [%(t)s] "%(m)s %(U)s" %(s)s %(M)sms'
_ACCESS_LINE = re.compile(r'"(\w+) (\S+)" (\d{3}) (\d+)ms$')
_ANSWER_PATH = re.compile(r"/assessments/\d+/[\w-]+/[\w-]+/(autosave/)?")


def _request_name(method: str, path: str, analyst_pages: dict[str, str]) -> str | None:
    """The locust name of a request seen in the access log (see locustfile.py)."""
    if path == "/accounts/login/":
        return "login page" if method == "GET" else "login"
    if path == "/assessments/":
        return "my assessments"
    if path.endswith("/complete/") and path.startswith("/assessments/"):
        return "complete page" if method == "GET" else "mark complete"
    if match := _ANSWER_PATH.fullmatch(path):
        if match[1]:
            return "autosave"
        return "answer page" if method == "GET" else "save (page POST)"
    return analyst_pages.get(path)


def _percentile(sorted_values: list[int], percent: int) -> int:
    return sorted_values[min(len(sorted_values) - 1, len(sorted_values) * percent // 100)]


def _access_lines(access_log: Path, start: int) -> list[re.Match]:
    """The access log's requests after byte ``start`` (where the run began)."""
    if not access_log.exists():
        return []
    with access_log.open("rb") as log:
        log.seek(start)
        lines = log.read().decode(errors="replace").splitlines()
    return [match for line in lines if (match := _ACCESS_LINE.search(line))]


def server_times(access_log: Path, plan: dict, *, start: int = 0) -> dict[str, ServerTime]:
    """Per request name, the time a gunicorn worker spent on it."""
    analyst_pages = {
        path.split("?")[0]: label
        for label, paths in plan["analyst_pages"].items()
        for path in paths
    }
    times: dict[str, list[int]] = {}
    for match in _access_lines(access_log, start):
        if name := _request_name(match[1], match[2], analyst_pages):
            times.setdefault(name, []).append(int(match[4]))
    return {
        name: ServerTime(len(values), _percentile(values, 50), _percentile(values, 95))
        for name, values in ((n, sorted(v)) for n, v in times.items())
    }


def server_busy_seconds(access_log: Path, *, start: int = 0) -> float:
    """Worker-seconds spent on requests: over (workers × run time), how busy gunicorn was."""
    return sum(int(match[4]) for match in _access_lines(access_log, start)) / 1000


@dataclass
class SaveCheck:
    save_requests: int = 0
    page_saves: int = 0
    autosaves: int = 0
    answers_written: int = 0
    completions: int = 0
    answers_checked: int = 0
    unconfirmed: int = 0
    lost: list[str] = field(default_factory=list)


def verify_saves(results: dict | None) -> SaveCheck:
    """Every answer a client last saved must be in the database with that value.

    A value sent in a request whose outcome the client could not know (the request broke
    off) is also accepted; such requests are failures in locust's statistics anyway.
    """
    from django.db import connection

    from assessments.models import Answer

    check = SaveCheck()
    if results is None:
        check.lost.append("the clients' record of their saves is missing")
        return check
    record = results
    counts = record["counts"]
    check.page_saves, check.autosaves = counts["page_saves"], counts["autosaves"]
    check.save_requests = check.page_saves + check.autosaves
    check.answers_written = counts["answers_written"]
    check.completions = counts["completions"]
    connection.close()  # opened before the run; start afresh
    assessment_ids = {row["assessment_id"] for row in record["answers"]}
    in_database = {
        (assessment_id, component, code): (choice, evidence)
        for assessment_id, component, code, choice, evidence in Answer.objects.filter(
            response__assessment_id__in=assessment_ids
        ).values_list(
            "response__assessment_id",
            "response__component",
            "indicator__code",
            "choice",
            "evidence",
        )
    }
    for row in record["answers"]:
        key = (row["assessment_id"], row["component"], row["indicator"])
        saved = in_database.get(key)
        confirmed = tuple(row["confirmed"]) if row["confirmed"] else None
        uncertain = [tuple(value) for value in row["uncertain"]]
        if confirmed is None:
            check.unconfirmed += 1
            continue
        check.answers_checked += 1
        if uncertain:
            check.unconfirmed += 1
        if saved != confirmed and saved not in uncertain:
            check.lost.append(
                f"{row['username']} {row['indicator']}: saved {confirmed}, database has {saved}"
            )
    return check


# A log record starts with its time stamp (Django's, gunicorn's or Celery's format); the
# lines after it, up to the next record, are its traceback.
_RECORD_START = re.compile(r"^\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")
_SERIOUS = re.compile(r"\bERROR\b|\bCRITICAL\b|WORKER TIMEOUT")
_EXCEPTION = re.compile(r"^[\w.]+(Error|Exception|Exit|Interrupt|Timeout)\b: ")
_ACCESS_5XX = re.compile(r'" 5\d\d ')


def scoring_left_pending() -> int:
    """Assessments whose scoring was asked for (a response marked complete) and that have
    no result computed since, once the worker emptied its queue: should be none."""
    import datetime

    from scoring.services import scoring_pending

    return scoring_pending(older_than=datetime.timedelta(0)).count()


def tasks_succeeded(worker_log: Path) -> int:
    """How many Celery tasks the worker finished (the scoring that completions enqueued)."""
    if not worker_log.exists():
        return 0
    return worker_log.read_text(errors="replace").count("] succeeded in ")


def read_results(path: Path) -> dict | None:
    return json.loads(path.read_text()) if path.exists() else None


def log_problems(folder: Path) -> list[str]:
    """Errors the servers logged, one line each: the record and the exception that ended
    its traceback; and how many answers the access log shows with a 5xx status."""
    problems = []
    for name in ("gunicorn.log", "worker.log"):
        path = folder / name
        if not path.exists():
            continue
        record: list[str] = []
        for line in [*path.read_text(errors="replace").splitlines(), "0000-00-00 00:00:00 end"]:
            if _RECORD_START.match(line):
                if record and _SERIOUS.search(record[0][:120]):
                    cause = next((t for t in reversed(record[1:]) if _EXCEPTION.match(t)), "")
                    problems.append(f"{name}: {record[0]}" + (f" -> {cause}" if cause else ""))
                record = [line.strip()]
            elif record:
                record.append(line.strip())
    access = folder / "access.log"
    if access.exists():
        lines = access.read_text(errors="replace").splitlines()
        server_errors = sum(1 for line in lines if _ACCESS_5XX.search(line))
        if server_errors:
            problems.append(f"access.log: {server_errors} responses with a 5xx status")
    return problems
