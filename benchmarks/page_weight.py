"""Page weight on a poor link: bytes moved and time until usable, with production settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imp_assess \
        .venv/bin/python benchmarks/page_weight.py [--missions 2] [--quarters 4] [--reuse]

It never touches the database DATABASE_URL names: it seeds ``imp_assess_bench_weight`` on the
same server with the demo generator (``--missions`` missions, ``--quarters`` quarters, the
past ones scored), collects the static files as production does (WhiteNoise's compressed,
hashed copies: gzip and brotli) into a temporary folder, and starts gunicorn with DEBUG off.

Chromium then opens each page as the person who uses it, with the DevTools network emulation
of a team site's link (512 kbit/s down, 256 kbit/s up, 300 ms latency): once on a cold cache
(the login page's files cleared first) and once warm (the same page again). Bytes are what
crossed the wire (Network.loadingFinished's encodedDataLength: headers and compressed
bodies). "Usable" is the time from navigation until the page's controls can be used (the
answer page's first choice, a home page's heading, the board's first form, the dashboard's
first data table and CSV link), and "charts" on a dashboard until the first chart is drawn.

The functions are shared with ``tests/browser/test_page_weight.py``, which fails above the
budgets (``BUDGETS``). The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

# A team site's link, as the DevTools protocol takes it (bytes per second, milliseconds).
POOR_LINK = {
    "offline": False,
    "latency": 300,
    "downloadThroughput": 512 * 1000 / 8,
    "uploadThroughput": 256 * 1000 / 8,
}
KB = 1000
# (cold bytes, warm bytes, seconds until usable on a cold cache) per kind of page.
BUDGETS = {
    "answer": (150 * KB, 20 * KB, 5.0),
    "home": (150 * KB, 20 * KB, 5.0),
    "board": (150 * KB, 20 * KB, 5.0),
    "dashboard": (500 * KB, 20 * KB, None),
}


@dataclass(frozen=True)
class PageVisit:
    name: str  # e.g. "answer (respondent)"
    kind: str  # a key of BUDGETS
    username: str
    path: str
    ready: str  # the CSS selector of what makes the page usable
    chart: str = ""  # on a dashboard: the selector of a drawn chart


@dataclass
class PageWeight:
    name: str
    kind: str
    path: str
    cold_bytes: int
    warm_bytes: int
    cold_requests: int
    usable_s: float
    charts_s: float | None

    def over_budget(self) -> list[str]:
        cold, warm, usable = BUDGETS[self.kind]
        problems = []
        if self.cold_bytes > cold:
            problems.append(f"{self.name}: {self.cold_bytes} bytes cold > {cold}")
        if self.warm_bytes > warm:
            problems.append(f"{self.name}: {self.warm_bytes} bytes warm > {warm}")
        if usable is not None and self.usable_s > usable:
            problems.append(f"{self.name}: usable after {self.usable_s:.1f} s > {usable} s")
        return problems


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(database_url: str, static_root: Path) -> dict[str, str]:
    """The environment of a production process on this machine, without TLS in front."""
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "page-weight-measurement-only-not-a-real-key-0123456789",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(static_root),
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "OTP_REQUIRED_FOR_HQ": "0",
            "SITE_URL": "http://127.0.0.1",
        }
    )
    return env


def collect_static(env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


@contextlib.contextmanager
def production_server(database_url: str, static_root: Path) -> Iterator[str]:
    """gunicorn with DEBUG off and the collected static files; yields its base URL."""
    env = production_env(database_url, static_root)
    if not (static_root / "staticfiles.json").exists():
        collect_static(env)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own application, fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "imp_assess.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=REPO_ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if server.poll() is not None:
                raise RuntimeError("gunicorn stopped at start")
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")


_STYLED = """() => Array.from(document.querySelectorAll('link[rel="stylesheet"]'))
  .every((link) => link.sheet !== null)"""


def _load(page, session, url: str, visit: PageVisit) -> tuple[int, int, float, float | None]:
    """(bytes, requests, seconds until usable, seconds until a chart) for one navigation."""
    received: dict[str, int] = {}

    def finished(event: dict) -> None:
        received[event["requestId"]] = int(event.get("encodedDataLength", 0))

    session.on("Network.loadingFinished", finished)
    start = time.monotonic()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(visit.ready, state="visible", timeout=60000)
    # Usable once the page is styled too (its stylesheets block rendering until loaded).
    page.wait_for_function(_STYLED, timeout=60000, polling=50)
    usable = time.monotonic() - start
    charts = None
    if visit.chart:
        page.wait_for_selector(visit.chart, state="attached", timeout=120000)
        charts = time.monotonic() - start
    page.wait_for_load_state("load", timeout=120000)
    page.wait_for_load_state("networkidle", timeout=120000)
    session.remove_listener("Network.loadingFinished", finished)
    return sum(received.values()), len(received), usable, charts


def measure(browser, base_url: str, visit: PageVisit, password: str) -> PageWeight:
    """One page, cold then warm, under the poor link's emulation."""
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        _log_in(page, base_url, visit.username, password)
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.clearBrowserCache")
        session.send("Network.emulateNetworkConditions", POOR_LINK)
        url = f"{base_url}{visit.path}"
        cold_bytes, cold_requests, usable, charts = _load(page, session, url, visit)
        warm_bytes, _requests, _usable, _charts = _load(page, session, url, visit)
        return PageWeight(
            name=visit.name,
            kind=visit.kind,
            path=visit.path,
            cold_bytes=cold_bytes,
            warm_bytes=warm_bytes,
            cold_requests=cold_requests,
            usable_s=round(usable, 2),
            charts_s=round(charts, 2) if charts is not None else None,
        )
    finally:
        context.close()


def demo_visits() -> list[PageVisit]:
    """The pages of the first demo mission, as its respondent and its focal point see them;
    reads the database (Django set up)."""
    from assessments.models import Assessment
    from demo.scenario import demo_missions, login_name
    from missions.models import Component

    scenario = demo_missions(1)[0]
    respondent = login_name(scenario.slug, Component.POLITICAL)
    focal = f"{scenario.slug}-focal"
    assessment = Assessment.objects.filter(mission__code=scenario.code).order_by(
        "-period__year", "-period__quarter"
    )[0]
    first_dimension = assessment.questionnaire.dimensions.order_by("order")[0].code
    answer = f"/assessments/{assessment.pk}/political/{first_dimension}/"
    return [
        PageVisit(
            "answer (respondent)", "answer", respondent, answer, "#answer-form input[type=radio]"
        ),
        PageVisit("home (respondent)", "home", respondent, "/", "main h1"),
        PageVisit("home (focal point)", "home", focal, "/", "main h1"),
        PageVisit(
            "board (focal point)", "board", focal, f"/assessments/{assessment.pk}/", "main form"
        ),
        PageVisit(
            "dashboard, mission profile (respondent)",
            "dashboard",
            respondent,
            f"/dashboards/missions/{assessment.mission_id}/",
            "main details.dash-table summary",
            chart=".js-plotly-plot svg.main-svg",
        ),
    ]


def measure_all(browser, base_url: str, visits: list[PageVisit]) -> list[PageWeight]:
    from demo.services import DEMO_PASSWORD

    return [measure(browser, base_url, visit, DEMO_PASSWORD) for visit in visits]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--missions", type=int, default=2)
    parser.add_argument("--quarters", type=int, default=4)
    parser.add_argument("--database", default="imp_assess_bench_weight")
    parser.add_argument("--reuse", action="store_true", help="keep a seeded database")
    parser.add_argument(
        "--static-root", help="collect the static files here (kept; reused when collected)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(REPO_ROOT))
    from benchmarks._support import bench_django

    database_url = bench_django(args.database, fresh=not args.reuse)
    from assessments.models import Assessment
    from demo.services import demo_seed

    if not (args.reuse and Assessment.objects.exists()):
        demo_seed(missions=args.missions, quarters=args.quarters)
    visits = demo_visits()
    from django.db import connections

    connections.close_all()
    from playwright.sync_api import sync_playwright

    chromium = "/usr/bin/chromium"
    with (
        tempfile.TemporaryDirectory() as temporary,
        production_server(database_url, Path(args.static_root or temporary)) as base_url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        weights = measure_all(browser, base_url, visits)
        browser.close()
    load = os.getloadavg()
    for weight in weights:
        print(
            f"{weight.name:42} cold {weight.cold_bytes / KB:7.1f} KB "
            f"({weight.cold_requests} requests)  warm {weight.warm_bytes / KB:5.1f} KB  "
            f"usable {weight.usable_s:5.2f} s"
            + (f"  charts {weight.charts_s:5.2f} s" if weight.charts_s is not None else "")
        )
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(
        json.dumps(
            {
                "link": POOR_LINK,
                "load_average_1m": round(load[0], 2),
                "pages": [asdict(weight) for weight in weights],
                "over_budget": [p for weight in weights for p in weight.over_budget()],
            }
        )
    )


if __name__ == "__main__":
    main()
