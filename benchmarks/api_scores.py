"""Benchmark of the API's scores endpoint: 100 missions × 40 quarters, one page of 1,000 rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imp_api \
        .venv/bin/python benchmarks/api_scores.py [--missions 100] [--quarters 40] [--runs 15]

It never touches the database DATABASE_URL names: it creates ``imp_api_bench_scores`` next to
it (dropped and made anew), migrates it and writes stored results directly (bulk inserts, no
answers, no scoring run): per mission and quarter one assessment and the current method's
result with a row per dimension of IMP-CORE v2 (9), plus, for a fifth of the quarters, an
older method's result that the endpoint must skip. Then ANALYZE.

``GET /api/v1/scores/dimensions/?page_size=1000`` is requested through ``django.test.Client``
(the whole middleware stack, DEBUG off) with an analyst's personal access token, which sees
every mission. "Cold" is a request on a new database connection with the throttle cache
cleared: the first page, and a page deep into the table (its cursor taken from a walk before
measuring). Server time is the time ``Client.get`` takes; SQL time is measured with
``connection.execute_wrapper``. The target is ≤ 150 ms for a cold page.

The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

BENCH_DATABASE = "imp_api_bench_scores"
TARGET_MS = 150.0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--missions", type=int, default=100)
    parser.add_argument("--quarters", type=int, default=40)
    parser.add_argument("--runs", type=int, default=15)
    return parser.parse_args()


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _seed(missions: int, quarters: int) -> dict:
    import datetime

    from django.db import connection
    from django.utils import timezone

    from assessments.models import Assessment, AssessmentStatus
    from missions.models import Mission, MissionKind, Period, Region
    from missions.periods import quarter_end, quarter_next, quarter_start
    from questionnaires.formats import spec_from_file
    from questionnaires.models import Questionnaire
    from questionnaires.services import questionnaire_load
    from scoring.method import METHOD_VERSION_LABEL
    from scoring.models import DimensionScore, ScoreSet

    started = time.perf_counter()
    spec = spec_from_file(REPO_ROOT / "questionnaires" / "data" / "imp-core-v2.yaml")
    questionnaire_load(spec=spec, publish=True)
    questionnaire = Questionnaire.objects.get(code=spec.code, version=spec.version)
    dimensions = list(questionnaire.dimensions.order_by("order").values_list("code", flat=True))
    year, quarter = 2017, 1
    periods = []
    for _ in range(quarters):
        periods.append(
            Period(
                year=year,
                quarter=quarter,
                opens_on=quarter_start(year, quarter),
                closes_on=quarter_end(year, quarter),
            )
        )
        year, quarter = quarter_next(year, quarter)
    periods = Period.objects.bulk_create(periods)
    kinds, regions = list(MissionKind.values), list(Region.values)
    mission_rows = Mission.objects.bulk_create(
        Mission(
            code=f"BENCH-{n:03d}",
            name=f"Benchmark mission {n}",
            kind=kinds[n % len(kinds)],
            region=regions[n % len(regions)],
            is_demo=True,
        )
        for n in range(missions)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            mission=mission, period=period, questionnaire=questionnaire,
            status=AssessmentStatus.APPROVED,
        )
        for mission in mission_rows
        for period in periods
    )  # fmt: skip
    now = timezone.now()
    sets = []
    for n, assessment in enumerate(assessments):
        methods = [METHOD_VERSION_LABEL] + (["imp-score-1"] if n % 5 == 0 else [])
        for offset, method in enumerate(methods):
            sets.append(
                ScoreSet(
                    assessment=assessment,
                    mission_id=assessment.mission_id,
                    period_id=assessment.period_id,
                    method_version=method,
                    computed_at=now - datetime.timedelta(days=offset),
                    index=40.0 + n % 50,
                    score=2.5,
                    stage="Coordination",
                    completeness=0.9,
                    sufficient=True,
                    alignment=70.0,
                )
            )
    sets = ScoreSet.objects.bulk_create(sets, batch_size=2000)
    rows = [
        DimensionScore(
            score_set=score_set,
            dimension_code=code,
            score=1 + (k + score_set.pk) % 40 / 10,
            target=3,
            gap=0.5,
            gap_flag="",
            completeness=0.9,
            sufficient=True,
            divergence=0.5,
            divergence_flag=False,
            band_min=2,
            band_max=4,
            alignment=75.0,
            shortfall=10.0,
            shortfall_count=1,
            over_integration=5.0,
            over_integration_count=0,
        )
        for score_set in sets
        for k, code in enumerate(dimensions)
    ]
    DimensionScore.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "missions": missions,
        "quarters": quarters,
        "score_sets": len(sets),
        "dimension_score_rows": len(rows),
        "seed_s": round(time.perf_counter() - started, 1),
    }


class SqlTimer:
    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def _measure(client, url: str, headers: dict, runs: int) -> dict:
    from django.core.cache import cache
    from django.db import connection

    totals, sqls, queries, rows = [], [], [], 0
    for _ in range(runs):
        connection.close()  # a new connection: nothing prepared, nothing cached by Django
        cache.clear()
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = client.get(url, **headers)
            totals.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        if response["Content-Type"].startswith("text/csv"):
            rows = response.content.count(b"\n") - 1
        else:
            rows = len(response.json()["results"])
        sqls.append(timer.seconds * 1000)
        queries.append(timer.queries)
    ordered = sorted(totals)
    return {
        "rows": rows,
        "cold_ms": round(statistics.median(totals), 1),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 1),
        "max_ms": round(ordered[-1], 1),
        "sql_ms": round(statistics.median(sqls), 1),
        "queries": max(queries),
    }


def main() -> None:
    options = _arguments()
    os.environ["DEBUG"] = "1"  # lets the process start without a SECRET_KEY; switched off below
    os.environ.pop("REDIS_URL", None)
    from benchmarks._support import bench_django

    bench_django(BENCH_DATABASE)
    import datetime
    import logging

    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.test import Client
    from django.utils import timezone

    from api.services import api_token_create
    from missions.roles import ANALYST_GROUP

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.disable(logging.WARNING)
    _log(f"{BENCH_DATABASE}: seeding {options.missions} missions × {options.quarters} quarters")
    seeding = _seed(options.missions, options.quarters)
    _log(f"  {seeding}")
    analyst = User.objects.create_user("bench-analyst")
    analyst.groups.add(Group.objects.get_or_create(name=ANALYST_GROUP)[0])
    _token, key = api_token_create(
        user=analyst,
        name="benchmark",
        expires_on=timezone.localdate() + datetime.timedelta(days=1),
        second_factor_verified=True,  # an analyst who signed in with their authenticator
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client = Client()
    first = "/api/v1/scores/dimensions/?page_size=1000"
    # A page deep in the table: walk to page 20 once.
    url = first
    for _ in range(19):
        url = client.get(url, **headers).json()["next"]
    deep = url.replace("http://testserver", "")
    pages = {
        "first_page": _measure(client, first, headers, options.runs),
        "page_20": _measure(client, deep, headers, options.runs),
        "first_page_csv": _measure(
            client, first, headers | {"HTTP_ACCEPT": "text/csv"}, options.runs
        ),
    }
    for name, figures in pages.items():
        _log(f"{name:12} {figures}")
    print(
        json.dumps(
            {
                "benchmark": "api_scores",
                "database": "postgresql",
                "runs": options.runs,
                "target_ms": TARGET_MS,
                "met": all(f["cold_ms"] <= TARGET_MS for f in pages.values()),
                "seeding": seeding,
                "pages": pages,
                "load": os.getloadavg(),
            },
            separators=(",", ":"),
        )
    )


if __name__ == "__main__":
    main()
