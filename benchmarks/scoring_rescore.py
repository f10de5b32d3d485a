"""Benchmark: `rescore` of the seed_demo --missions 100 --quarters 40 data set through a
real Celery worker on PostgreSQL, and the number of queries per assessment.

Usage: DATABASE_URL=postgres://… REDIS_URL=redis://… python benchmarks/scoring_rescore.py
       [--missions 100] [--quarters 40] [--concurrency 2] [--keep] [--method 2]
       [--database imp_assess_bench_score]
It builds its own database (--database, so that two people on one server do not share one) and
its own queue; the last line of output is one JSON object. ``--method`` is the scoring method
number ``rescore`` runs with (default: the current one).
"""

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import REPO_ROOT, bench_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--missions", type=int, default=100)
    parser.add_argument("--quarters", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="Reuse the seeded database.")
    parser.add_argument("--method", type=int, default=None)
    parser.add_argument("--database", default="imp_assess_bench_score")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL: the benchmark goes through a real worker.")
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = queue
    bench_url = bench_django(args.database, fresh=not args.keep)

    from django.core.management import call_command
    from django.db import connection

    from assessments.models import Answer, Assessment
    from demo.services import demo_seed
    from scoring.method import METHOD_VERSION, METHODS
    from scoring.models import ScoreSet
    from scoring.services import assessment_scores_compute_many, assessments_for_rescore

    method = args.method or METHOD_VERSION

    seed_seconds = None
    if not Assessment.objects.exists():
        started = time.monotonic()
        demo_seed(missions=args.missions, quarters=args.quarters, score=False)
        seed_seconds = round(time.monotonic() - started, 1)
    if method >= 3:
        from questionnaires.models import Questionnaire

        # Method 3 reads the demo's v1 and v2 answers on IMP-CORE v3, mapped by code: v3 must
        # be published (a draft is never read).
        if not Questionnaire.objects.filter(code="IMP-CORE", version=3).exists():
            call_command(
                "questionnaire_load",
                str(REPO_ROOT / "questionnaires" / "data" / "imp-core-v3.yaml"),
                "--publish",
                stdout=open(os.devnull, "w"),  # noqa: SIM115
            )
    assessments = assessments_for_rescore().count()
    answers = Answer.objects.count()

    # Queries per assessment, measured in-process on a batch of 50.
    sample = list(assessments_for_rescore().values_list("pk", flat=True)[:50])
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assessment_scores_compute_many(assessment_ids=sample, method=method)
    queries_per_assessment = len(executed) / len(sample)
    ScoreSet.objects.all().delete()

    env = {**os.environ, "DATABASE_URL": bench_url, "CELERY_TASK_DEFAULT_QUEUE": queue}
    (REPO_ROOT / "benchmarks" / "out").mkdir(exist_ok=True)
    log = open(REPO_ROOT / "benchmarks" / "out" / f"worker-{queue}.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "imp_assess", "worker", "-Q", queue,
         f"--concurrency={args.concurrency}", "--without-gossip", "--without-mingle",
         "-n", f"{queue}@localhost", "--loglevel=WARNING"],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        from imp_assess.celery import app

        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"{queue}@localhost"], timeout=1):
            if time.monotonic() > deadline:
                sys.exit("worker did not start")
        started = time.monotonic()
        call_command(
            "rescore",
            "--batch-size",
            "50",
            "--method",
            str(method),
            stdout=open(os.devnull, "w"),  # noqa: SIM115
        )
        rescore_seconds = time.monotonic() - started
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
    stored = ScoreSet.objects.count()
    print(
        f"rescore: {assessments} assessments ({answers} answers) in {rescore_seconds:.1f}s, "
        f"{queries_per_assessment:.1f} queries per assessment"
    )
    print(
        json.dumps(
            {
                "subject": "scoring_rescore",
                "method_version": METHODS[method].label,
                "missions": args.missions,
                "quarters": args.quarters,
                "assessments": assessments,
                "answers": answers,
                "score_sets_stored": stored,
                "rescore_seconds": round(rescore_seconds, 1),
                "assessments_per_second": round(assessments / rescore_seconds, 1),
                "queries_per_assessment": round(queries_per_assessment, 2),
                "worker_concurrency": args.concurrency,
                "seed_seconds": seed_seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
