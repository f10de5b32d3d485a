"""Benchmark of the briefing deck (PowerPoint): a 20-mission deck through the export job.

Run from the repository root against PostgreSQL (SQLite is refused):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/deck.py

It creates its own database (``imp_assess_bench_deck`` next to the one DATABASE_URL names),
seeds the demo data set (``--missions 20 --quarters 12``, every past quarter scored by the real
service) and measures, as the analyst, the whole job (``export_job_create`` then
``export_job_run``: the dashboards' selectors, the slides and their native charts, the file
saved through the exports storage), median of ``--runs``; ``--reuse`` keeps a seeded
database. With ``--soffice`` it also times LibreOffice Impress converting the deck to PDF (not
part of the export). The last line of
output is one JSON object. Target: a 20-mission deck in < 20 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._support import bench_django  # noqa: E402

TARGET_S = 20.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missions", type=int, default=20)
    parser.add_argument("--quarters", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", default="imp_assess_bench_deck")
    parser.add_argument("--reuse", action="store_true", help="Keep a seeded database.")
    parser.add_argument("--soffice", action="store_true", help="Also time LibreOffice's PDF.")
    args = parser.parse_args()

    out = Path(tempfile.mkdtemp(prefix="imp-bench-deck-"))
    os.environ["EXPORTS_ROOT"] = str(out / "exports")
    os.environ.pop("REDIS_URL", None)  # the benchmark calls the services directly
    bench_django(args.database, fresh=not args.reuse)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pptx import Presentation

    from demo.services import demo_seed
    from exports.deck import deck_slide_count
    from exports.models import ExportKind, ExportStatus
    from exports.services import export_job_create, export_job_file, export_job_run
    from exports.storage import exports_storage
    from missions.models import Mission
    from scoring.models import ScoreSet

    seed_s = 0.0
    if not (args.reuse and ScoreSet.objects.exists()):
        started = time.perf_counter()
        demo_seed(missions=args.missions, quarters=args.quarters, score=True)
        seed_s = time.perf_counter() - started
        print(f"seeded in {seed_s:.1f} s", flush=True)

    analyst = get_user_model().objects.get(username="analyst")
    latest = ScoreSet.objects.order_by("-period__year", "-period__quarter").first()
    period_id = latest.period_id
    missions = list(
        Mission.objects.filter(assessments__period_id=period_id)
        .order_by("code")
        .values_list("pk", flat=True)[: args.missions]
    )
    timings, queries = [], []
    job = None
    for _run in range(args.runs):
        # (connection.queries is a bounded log: a count taken from its length reads 0 once it
        # is full; the capture context counts this run's queries only.)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            job = export_job_create(
                by=analyst, kind=ExportKind.BRIEFING_DECK, mission_ids=missions, period_id=period_id
            )
            job = export_job_run(job_id=job.pk)
            timings.append(time.perf_counter() - started)
        queries.append(len(captured.captured_queries))
        assert job is not None and job.status == ExportStatus.DONE, job and job.error
    name = export_job_file(job=job)
    local = out / "deck.pptx"
    with exports_storage().open(name, "rb") as stored:
        local.write_bytes(stored.read())
    presentation = Presentation(str(local))
    charts = sum(1 for s in presentation.slides for shape in s.shapes if shape.has_chart)
    result = {
        "benchmark": "deck",
        "missions": len(missions),
        "quarters": args.quarters,
        "seed_s": round(seed_s, 1),
        "deck_s_median": round(statistics.median(timings), 2),
        "deck_s_runs": [round(t, 2) for t in timings],
        "queries": queries[-1],
        "slides": len(presentation.slides),
        "slides_expected": deck_slide_count(len(missions)),
        "charts": charts,
        "bytes": job.size,
        "target_s": TARGET_S,
        "met": statistics.median(timings) < TARGET_S,
        "load": os.getloadavg()[0],
    }
    if args.soffice and shutil.which("soffice"):
        started = time.perf_counter()
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{out}/lo-profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                str(local),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
        result["soffice_pdf_s"] = round(time.perf_counter() - started, 2)
    shutil.rmtree(out, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
