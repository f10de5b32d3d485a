"""Benchmark of the dashboard pages at realistic and at large scale, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imp_assess \
        .venv/bin/python benchmarks/dashboards.py [--redis redis://127.0.0.1:6379/14] [--reuse]

It never touches the database DATABASE_URL names: it creates two of its own on the same server,
``imp_assess_bench_dash_<N>`` (``--database`` names the prefix) for ``--small`` and for
``--missions`` missions (dropped and made
anew unless ``--reuse`` finds them), migrates them and seeds them with the demo generator, each
mission with ``--quarters`` past quarters of synthetic answers (``demo_seed(answers=True,
score=False)``), every completed assessment then scored by the real scoring service, then
ANALYZE. Pages read the stored scores only.

Each page is rendered through ``django.test.Client`` as the demo analyst (the whole middleware
stack, DEBUG off): the median of ``--runs`` renders with the aggregate cache cold (cleared
before each render) and warm. SQL time is measured with ``connection.execute_wrapper``, figure
building and template rendering by timing the dashboards' own functions; the rest is other
Python (selectors' Python, middleware, forms). The growth ratio is a page's cold median at
``--missions`` over the one at ``--small`` missions, same quarters; the two databases are
measured alternately, run by run, so that both meet the same load of the machine. Without
``--redis`` the cache is Django's local memory; with it, that Redis database is FLUSHED: give it
one of its own.

The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

BENCH_DATABASE = "imp_assess_bench_dash"
FIGURE_JSON = re.compile(r'<script id="[^"]+" type="application/json">(.*?)</script>', re.S)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--missions", type=int, default=100)
    parser.add_argument("--small", type=int, default=10, help="missions of the growth baseline")
    parser.add_argument("--quarters", type=int, default=40)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--redis", default="", help="Redis URL for the cache (flushed!)")
    parser.add_argument("--reuse", action="store_true", help="keep a seeded bench database")
    parser.add_argument(
        "--database",
        default=BENCH_DATABASE,
        help="name prefix of the two bench databases (one per person on a shared server)",
    )
    return parser.parse_args()


def _urls(source: str, first: str) -> tuple[str, str]:
    """(URL of the first bench database, URL of the server's maintenance database)."""
    if not source.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "benchmarks/dashboards.py measures PostgreSQL only: set DATABASE_URL=postgres://… "
            "(SQLite timings would say nothing about production)."
        )
    parts = urlsplit(source)
    return (
        urlunsplit(parts._replace(path=f"/{first}")),
        urlunsplit(parts._replace(path="/postgres")),
    )


def _database_prepare(maintenance_url: str, name: str, *, reuse: bool) -> bool:
    """Create a bench database; True if it already existed and is kept."""
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if exists and reuse:
            return True
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return False


def _use_database(name: str) -> None:
    """Point Django's default connection at another bench database."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _seed(missions: int, quarters: int) -> dict:
    """Demo missions up to ``missions``, scored; returns what it did and how long it took."""
    from django.db import connection

    from assessments.models import Assessment
    from demo.services import demo_seed
    from scoring.method import METHOD_VERSION_LABEL
    from scoring.services import assessment_scores_compute_many, assessments_for_rescore

    started = time.perf_counter()
    demo_seed(missions=missions, quarters=quarters, answers=True, score=False)
    seeded = time.perf_counter()
    to_score = list(
        assessments_for_rescore()
        .exclude(score_sets__method_version=METHOD_VERSION_LABEL)
        .values_list("pk", flat=True)
    )
    assessment_scores_compute_many(assessment_ids=to_score)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have, long before anyone looks
    return {
        "missions": missions,
        "assessments": Assessment.objects.count(),
        "scored_now": len(to_score),
        "seed_s": round(seeded - started, 1),
        "score_s": round(time.perf_counter() - seeded, 1),
    }


class Timers:
    """Accumulates SQL, figure and template time over one request."""

    def __init__(self):
        self.sql = self.figures = self.template = self.template_sql = 0.0
        self.queries = 0
        self._in_template = False

    def sql_wrapper(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - start
            self.sql += elapsed
            self.queries += 1
            if self._in_template:
                self.template_sql += elapsed


@contextmanager
def _instrumented(timers_ref: list):
    """Time the ``dashboards.charts`` builders (figures and their tables) and the views'
    ``render`` (templates)."""
    from dashboards import charts, views

    originals = {name: getattr(charts, name) for name in dir(charts) if name.endswith("_charts")}
    original_render = views.render

    def timed(function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                timers_ref[0].figures += time.perf_counter() - start

        return wrapper

    def timed_render(*args, **kwargs):
        timers = timers_ref[0]
        timers._in_template = True
        start = time.perf_counter()
        try:
            return original_render(*args, **kwargs)
        finally:
            timers.template += time.perf_counter() - start
            timers._in_template = False

    for name, function in originals.items():
        setattr(charts, name, timed(function))
    views.render = timed_render
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(charts, name, function)
        views.render = original_render


def _pages() -> dict[str, str]:
    from django.urls import reverse

    from missions.models import Mission

    missions = list(Mission.objects.filter(is_demo=True).order_by("code")[:5])
    chosen = "&".join(f"missions={m.pk}" for m in missions)
    return {
        "portfolio": reverse("dashboards:portfolio"),
        "portfolio_gap_sorted": reverse("dashboards:portfolio") + "?measure=gap&sort=-LEAD",
        "mission_profile": reverse("dashboards:profile", args=[missions[0].pk]),
        "compare": reverse("dashboards:compare") + f"?{chosen}&measure=index&peer=all",
        "compare_dimension_kind": reverse("dashboards:compare")
        + f"?{chosen}&measure=dim:PLAN&peer=kind:pko",
        "barriers": reverse("dashboards:barriers"),
        "barriers_dimension": reverse("dashboards:barriers") + "?dimension=LEAD",
        "evidence": reverse("dashboards:evidence") + "?dimension=LEAD&tag=LEAD-B-ROLES",
    }


def _summary(cold: list[float], warm: list[float], parts: list[Timers], size: int) -> dict:
    median = statistics.median(cold)
    sql = statistics.median(t.sql for t in parts)
    return {
        "cold_ms": round(median * 1000, 1),
        "warm_ms": round(statistics.median(warm) * 1000, 1),
        "queries": parts[-1].queries,
        "sql_ms": round(sql * 1000, 1),
        "figures_ms": round(statistics.median(t.figures for t in parts) * 1000, 1),
        "templates_ms": round(
            statistics.median(t.template - t.template_sql for t in parts) * 1000, 1
        ),
        "sql_share": round(sql / median, 2),
        "python_share": round(1 - sql / median, 2),
        "figure_json_bytes": size,
    }


def _measure_interleaved(names: dict[int, str], runs: int) -> dict[int, dict]:
    """Every page on every database, alternating database run by run, so that both sizes
    meet the same load of the machine (the ratio is what matters)."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    clients, pages = {}, {}
    for size, name in names.items():
        _use_database(name)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username="analyst"))
        client.get("/")
        clients[size], pages[size] = client, _pages()
    timers_ref = [Timers()]
    samples = {
        (size, page): {"cold": [], "warm": [], "parts": [], "size": 0}
        for size in names
        for page in pages[next(iter(names))]
    }
    with (
        _instrumented(timers_ref),
        connection.execute_wrapper(lambda *a: timers_ref[0].sql_wrapper(*a)),
    ):
        for page in pages[next(iter(names))]:
            for _run in range(runs + 1):  # the first round warms the process up
                for size, name in names.items():
                    _use_database(name)
                    client, url = clients[size], pages[size][page]
                    client.get(url)  # reconnects after the switch; not timed
                    sample = samples[(size, page)]
                    for mode in ("cold", "warm"):
                        if mode == "cold":
                            cache.clear()  # the cold render fills it for the warm one
                        timers_ref[0] = timers = Timers()
                        start = time.perf_counter()
                        response = client.get(url)
                        total = time.perf_counter() - start
                        assert response.status_code == 200, (url, response.status_code)
                        if _run == 0:
                            continue
                        sample[mode].append(total)
                        if mode == "cold":
                            sample["parts"].append(timers)
                            sample["size"] = sum(
                                len(m) for m in FIGURE_JSON.findall(response.content.decode())
                            )
    results: dict[int, dict] = {size: {} for size in names}
    for (size, page), sample in samples.items():
        results[size][page] = _summary(
            sample["cold"], sample["warm"], sample["parts"], sample["size"]
        )
    return results


def main() -> None:
    options = _arguments()
    names = {n: f"{options.database}_{n}" for n in (options.small, options.missions)}
    first_url, maintenance_url = _urls(os.environ.get("DATABASE_URL", ""), names[options.small])
    kept = {
        n: _database_prepare(maintenance_url, name, reuse=options.reuse)
        for n, name in names.items()
    }
    os.environ["DATABASE_URL"] = first_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imp_assess.settings")
    os.environ.setdefault("DEBUG", "1")
    if options.redis:
        os.environ["REDIS_URL"] = options.redis
    else:
        os.environ.pop("REDIS_URL", None)

    import logging

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from missions.models import Mission

    # DEBUG only lets the process start without a SECRET_KEY; measure without its overhead
    # (the query log of every cursor).
    settings.DEBUG = False
    logging.disable(logging.WARNING)

    seeding = []
    for missions, name in names.items():
        _use_database(name)
        call_command("migrate", verbosity=0, interactive=False)
        if not kept[missions] or Mission.objects.filter(is_demo=True).count() < missions:
            _log(f"{name}: seeding and scoring {missions} missions × {options.quarters} quarters")
            seeding.append(_seed(missions, options.quarters))
            _log(f"  {seeding[-1]}")
    _log("measuring, alternating the two databases …")
    results = _measure_interleaved(names, options.runs)

    small, large = results[options.small], results[options.missions]
    for page, figures in large.items():
        figures["growth_ratio"] = round(figures["cold_ms"] / small[page]["cold_ms"], 2)
        figures[f"cold_ms_at_{options.small}"] = small[page]["cold_ms"]
    for page, figures in large.items():
        _log(
            f"{page:24} cold {figures['cold_ms']:7.1f} ms  warm {figures['warm_ms']:6.1f} ms  "
            f"growth ×{figures['growth_ratio']:.2f}  SQL {figures['sql_share']:.0%} "
            f"({figures['queries']} q)  figures {figures['figures_ms']} ms  "
            f"templates {figures['templates_ms']} ms  JSON {figures['figure_json_bytes']} B"
        )
    print(
        json.dumps(
            {
                "benchmark": "dashboards",
                "database": "postgresql",
                "cache": "redis" if options.redis else "locmem",
                "missions": options.missions,
                "baseline_missions": options.small,
                "quarters": options.quarters,
                "runs": options.runs,
                "seeding": seeding,
                "pages": large,
            },
            separators=(",", ":"),
        )
    )


if __name__ == "__main__":
    main()
