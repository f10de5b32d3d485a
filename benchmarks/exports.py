"""Benchmark of the exports: scorecard PDF, briefing pack, full data set to XLSX and CSV.

Run from the repository root against PostgreSQL (SQLite is refused: the numbers would say
nothing about production):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/exports.py

It creates its own database (``imp_assess_bench_exp`` on the same server, or --database),
migrates it and seeds the demo data set (``--missions 100 --quarters 40``: over 600,000
answers, every past quarter scored). ``--reuse`` keeps an existing seeded database, which
saves the seeding time on a second run. Then it measures:

- one scorecard PDF with a warm figure process (median of several runs);
- a 20-mission briefing pack;
- the full data set to XLSX and to zipped CSV, each in a fresh child process so that its
  peak memory (ru_maxrss) is the export's own, not the seeding's.

The last line of output is one JSON object. Goals: scorecard ≤ 0.8 s warm and ≤ 2.5 s
cold, a 20-mission pack ≤ 15 s, XLSX ≤ 30 s with peak RSS ≤ 300 MB, zipped CSV ≤ 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

BENCH_DATABASE = "imp_assess_bench_exp"


def _database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _prepare_database(base_url: str, name: str, *, reuse: bool) -> bool:
    """Create the benchmark database; returns True if it already existed and is kept."""
    import psycopg

    admin_url = _database_url(base_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if exists and reuse:
            return True
        if exists:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return False


def _setup_django(database_url: str, exports_root: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["EXPORTS_ROOT"] = exports_root
    os.environ.pop("REDIS_URL", None)  # the benchmark calls the services directly
    import django

    django.setup()


def _peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM belongs to the process's own memory map;
    ru_maxrss would also carry the parent's peak over fork and exec on Linux."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(kind: str, out: Path) -> dict:
    """Runs in a fresh process: one data export, its time and its own peak memory."""
    from exports.csv_zip import data_csv_zip_write
    from exports.tables import DataScope
    from exports.xlsx import data_xlsx_write

    writer = data_xlsx_write if kind == "xlsx" else data_csv_zip_write
    path = out / f"bench-data.{'xlsx' if kind == 'xlsx' else 'zip'}"
    rss_before = _peak_rss_mb()
    started = time.perf_counter()
    counts = writer(path=path, scope=DataScope())
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "rss_before_mb": round(rss_before, 1),
        "bytes": path.stat().st_size,
        "rows": counts,
    }


def _seed(missions: int, quarters: int) -> float:
    from django.core.management import call_command

    from demo.services import demo_seed

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    demo_seed(missions=missions, quarters=quarters, score=True)
    return time.perf_counter() - started


def _pdf_measures(out: Path, runs: int) -> dict:
    from django.contrib.auth import get_user_model

    from assessments.models import Answer
    from exports.figure_renderer import figure_batch, figure_server_stop
    from exports.pdf import briefing_pack_pdf_write, scorecard_pdf_write
    from missions.models import Mission
    from scoring.models import ScoreSet

    analyst = get_user_model().objects.get(username="analyst")
    latest = ScoreSet.objects.order_by("-period__year", "-period__quarter").first()
    period_id = latest.period_id
    missions = list(
        Mission.objects.filter(assessments__period_id=period_id)
        .order_by("code")
        .values_list("pk", flat=True)[:20]
    )
    result: dict = {"answers": Answer.objects.count(), "period_id": period_id}
    with figure_batch():
        cold = time.perf_counter()
        scorecard_pdf_write(
            path=out / "warmup.pdf", user=analyst, mission_id=missions[0], period_id=period_id
        )
        result["scorecard_cold_s"] = round(time.perf_counter() - cold, 2)
        timings = []
        for run in range(runs):
            started = time.perf_counter()
            scorecard_pdf_write(
                path=out / f"scorecard-{run}.pdf",
                user=analyst,
                mission_id=missions[run % len(missions)],
                period_id=period_id,
            )
            timings.append(time.perf_counter() - started)
        result["scorecard_warm_s"] = round(statistics.median(timings), 2)
        result["scorecard_warm_max_s"] = round(max(timings), 2)
        started = time.perf_counter()
        briefing_pack_pdf_write(
            path=out / "pack.pdf", user=analyst, mission_ids=missions, period_id=period_id
        )
        result["pack_missions"] = len(missions)
        result["pack_s"] = round(time.perf_counter() - started, 2)
        result["pack_bytes"] = (out / "pack.pdf").stat().st_size
    figure_server_stop()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missions", type=int, default=100)
    parser.add_argument("--quarters", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5, help="Warm scorecard runs.")
    parser.add_argument("--database", default=BENCH_DATABASE)
    parser.add_argument("--reuse", action="store_true", help="Keep an existing seeded database.")
    parser.add_argument("--child", choices=["xlsx", "csv"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imp_assess.settings")
    os.environ.setdefault("DEBUG", "1")
    os.chdir(REPO_ROOT)
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "benchmarks/exports.py needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/"
            "any (SQLite numbers would say nothing about production)."
        )

    if args.child:
        _setup_django(base_url, args.out)
        print(json.dumps(_child(args.child, Path(args.out))))
        return

    total = time.perf_counter()
    kept = _prepare_database(base_url, args.database, reuse=args.reuse)
    database_url = _database_url(base_url, args.database)
    out = Path(tempfile.mkdtemp(prefix="imp-bench-exports-"))
    _setup_django(database_url, str(out))
    seed_s = None if kept else round(_seed(args.missions, args.quarters), 1)
    print(f"seeded in {seed_s} s" if seed_s is not None else "reusing the seeded database")

    result = {
        "benchmark": "exports",
        "missions": args.missions,
        "quarters": args.quarters,
        "seed_s": seed_s,
        **_pdf_measures(out, args.runs),
    }
    print(f"scorecard warm {result['scorecard_warm_s']} s, pack {result['pack_s']} s")
    env = {**os.environ, "DATABASE_URL": database_url}
    for kind in ("xlsx", "csv"):
        child = subprocess.run(
            [sys.executable, __file__, "--child", kind, "--out", str(out)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        measured = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"{kind}: {measured['seconds']} s, peak RSS {measured['peak_rss_mb']} MB")
        result[f"{kind}_s"] = measured["seconds"]
        result[f"{kind}_peak_rss_mb"] = measured["peak_rss_mb"]
        result[f"{kind}_bytes"] = measured["bytes"]
        result["rows"] = measured["rows"]
    result["targets_met"] = {
        "scorecard_warm_at_most_0.8s": result["scorecard_warm_s"] <= 0.8,
        "scorecard_cold_at_most_2.5s": result["scorecard_cold_s"] <= 2.5,
        "pack_20_at_most_15s": result["pack_s"] <= 15,
        "xlsx_at_most_30s": result["xlsx_s"] <= 30,
        "xlsx_at_most_300mb": result["xlsx_peak_rss_mb"] <= 300,
        "csv_at_most_10s": result["csv_s"] <= 10,
    }
    result["load_average"] = [round(load, 2) for load in os.getloadavg()]
    result["total_s"] = round(time.perf_counter() - total, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
