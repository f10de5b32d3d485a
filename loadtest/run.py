"""Load test: respondents and analysts against gunicorn on PostgreSQL, bounded in time.

Usage: DATABASE_URL=postgres://… REDIS_URL=redis://… python loadtest/run.py
       [--users 50] [--seconds 120] [--spawn-rate 10] [--web-workers 2] [--wait 1,4]

It builds its own database (imp_assess_load, dropped and re-created), seeds demo data with
one respondent login per virtual respondent, collects static files into a temporary folder,
starts gunicorn (production settings, DEBUG=0) and a Celery worker on a private queue, both
on 127.0.0.1 only, runs locust headless for --seconds, lets the worker finish, stops
everything and checks: no failed request, every answer the clients saved is in the database,
no error in the server logs, no scoring request left without a result. Logs and locust's CSV
files go to test-artifacts/loadtest/; loadtest/README.md explains the numbers. The last line
of output is one JSON object; the exit status is non-zero if any check fails.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import ExitStack
from pathlib import Path

LOADTEST = Path(__file__).resolve().parent
REPO_ROOT = LOADTEST.parent
sys.path.insert(0, str(REPO_ROOT))
from benchmarks._support import bench_django  # noqa: E402
from loadtest.machine import CpuMeter  # noqa: E402
from loadtest.report import (  # noqa: E402
    ACCESS_LOG_FORMAT,
    log_problems,
    page_table,
    read_locust_stats,
    read_results,
    scoring_left_pending,
    server_busy_seconds,
    server_times,
    tasks_succeeded,
    verify_saves,
)

DATABASE = "imp_assess_load"
OUT = REPO_ROOT / "test-artifacts" / "loadtest"
STOP_TIMEOUT = 30  # seconds users get to finish the task they are in when time is up


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--missions", type=int, help="demo missions to seed (default: --users)")
    parser.add_argument("--wait", default="1,4", help="think time between tasks: min,max seconds")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL: the load test runs a real Celery worker.")
    queue = f"load-{uuid.uuid4().hex[:8]}"
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = queue  # this process enqueues there too
    servers_env = dict(os.environ)
    os.environ["LOG_LEVEL"] = "WARNING"  # this process only: seeding and checking are quiet
    load_url = bench_django(DATABASE)

    from loadtest.plan import build_plan

    started = time.monotonic()
    plan = build_plan(missions=args.missions or max(6, args.users))
    print(f"seeded {len(plan['respondents'])} respondent logins in "
          f"{time.monotonic() - started:.0f} s")  # fmt: skip

    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    static_root = Path(tempfile.mkdtemp(prefix="imp-load-static-"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **servers_env,
        "DJANGO_SETTINGS_MODULE": "loadtest.settings",
        "LOADTEST_STATIC_ROOT": str(static_root),
        "LOADTEST_CACHE_PREFIX": f"imp-assess-{queue}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        # The analysts under load sign in with a password only (the second factor is
        # compulsory for HQ by default when DEBUG is off).
        "OTP_REQUIRED_FOR_HQ": "0",
        "DATABASE_URL": load_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    try:
        with ExitStack() as stack:
            subprocess.run(  # noqa: S603
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=REPO_ROOT, env=env, check=True,
            )  # fmt: skip
            node = f"load-{queue}@localhost"
            worker = _start(
                stack, "worker",
                [sys.executable, "-m", "celery", "-A", "imp_assess", "worker",
                 "--concurrency=1", "--without-gossip", "--without-mingle", "-Q", queue,
                 "-n", node, "--loglevel=INFO"],
                env,
            )  # fmt: skip
            web = _start(
                stack, "gunicorn",
                [sys.executable, "-m", "gunicorn", "imp_assess.wsgi:application",
                 "--bind", f"127.0.0.1:{port}", "--workers", str(args.web_workers),
                 "--access-logfile", str(OUT / "access.log"),
                 "--access-logformat", ACCESS_LOG_FORMAT],
                env,
            )  # fmt: skip
            _wait_until_up(base, web, worker, node)
            plan["analyst_pages"] = _reachable_pages(base, plan)
            plan_path = OUT / "plan.json"
            plan_path.write_text(json.dumps(plan))
            access_start = (OUT / "access.log").stat().st_size
            meter = CpuMeter(web_pid=web.pid, worker_pid=worker.pid, database=DATABASE)
            meter.start()
            locust_code = _run_locust(args, base, plan_path)
            cpu = meter.stop()
            drained = _drain(queue, node)
        results = read_results(OUT / "results.json")
        stats = read_locust_stats(results)
        stats.server = server_times(OUT / "access.log", plan, start=access_start)
        busy = server_busy_seconds(OUT / "access.log", start=access_start)
        cpu["web_busy_share"] = busy / (args.web_workers * cpu["available"] / cpu["cores"])
        saves = verify_saves(results)
        problems = log_problems(OUT)
        scored = tasks_succeeded(OUT / "worker.log")
        unscored = scoring_left_pending()
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    _print_report(args, stats, saves, problems, locust_code, cpu)
    print(
        f"{saves.completions} responses marked complete; the worker finished {scored} tasks"
        f"{'' if drained else ' (its queue did not empty in time)'}; {unscored} assessments "
        "asked for scoring and have no newer result"
    )
    summary = {
        "subject": "load_test",
        "users": args.users,
        "seconds": args.seconds,
        "web_workers": args.web_workers,
        "requests": stats.total_requests,
        "failures": stats.total_failures,
        "saves": saves.save_requests,
        "completions": saves.completions,
        "worker_tasks_done": scored,
        "scoring_left_pending": unscored,
        "answers_checked": saves.answers_checked,
        "lost_saves": len(saves.lost),
        "server_problems": len(problems),
        "gunicorn_workers_busy": round(cpu["web_busy_share"], 2),
        "cpu_seconds": {
            key: round(cpu[key])
            for key in ("available", "busy", "gunicorn", "postgres", "worker", "locust", "others")
        },
        "pages": {
            name: {
                "p50_ms": row.p50_ms,
                "p95_ms": row.p95_ms,
                "count": row.count,
                **(
                    {"steady_p50_ms": steady.p50_ms, "steady_p95_ms": steady.p95_ms}
                    if (steady := stats.steady.get(name))
                    else {}
                ),
                **(
                    {"server_p50_ms": server.p50_ms, "server_p95_ms": server.p95_ms}
                    if (server := stats.server.get(name))
                    else {}
                ),
            }
            for name, row in sorted(stats.pages.items())
        },
    }
    print(json.dumps(summary))
    bad = stats.total_failures or saves.lost or problems or unscored or locust_code not in (0, 1)
    return 1 if bad or not stats.total_requests else 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(stack: ExitStack, name: str, command: list[str], env: dict) -> subprocess.Popen:
    log = stack.enter_context((OUT / f"{name}.log").open("w"))
    process = subprocess.Popen(  # noqa: S603
        command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    stack.callback(_stop, process)
    return process


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_until_up(base: str, web: subprocess.Popen, worker: subprocess.Popen, node: str) -> None:
    from imp_assess.celery import app

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if web.poll() is not None or worker.poll() is not None:
            sys.exit(f"gunicorn or the worker stopped at start; see {OUT}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as answer:  # noqa: S310
                healthy = answer.status == 200
        except OSError:
            healthy = False
        if healthy and app.control.ping(destination=[node], timeout=1):
            return
        time.sleep(0.5)
    sys.exit(f"gunicorn or the worker did not come up in 90 s; see {OUT}")


def _drain(queue: str, node: str, timeout: float = 120) -> bool:
    """Let the worker finish the scoring the run enqueued (bounded); True if it did."""
    import redis

    from imp_assess.celery import app

    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    inspect = app.control.inspect(destination=[node], timeout=2)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = [*((inspect.active() or {}).values()), *((inspect.reserved() or {}).values())]
        if broker.llen(queue) == 0 and not any(busy):
            return True
        time.sleep(1)
    return False


def _reachable_pages(base: str, plan: dict) -> dict[str, list[str]]:
    """Keep the analyst pages that answer the analyst: 200 (or 5xx, a bug to report);
    a 3xx or 4xx means a page that is not there yet or a guessed address that is wrong."""
    from loadtest.plan import AnalystBrowser

    browser = AnalystBrowser(base, plan["analyst"], plan["password"])
    pages = {}
    for label, paths in plan["analyst_pages"].items():
        status = browser.status(paths[0])
        if status == 200 or status >= 500:
            pages[label] = paths
        else:
            print(f"analyst page {label!r} ({paths[0]}) answered {status}: left out")
    return pages


def _run_locust(args, base: str, plan_path: Path) -> int:
    env = {
        **os.environ,
        "LOADTEST_PLAN": str(plan_path),
        "LOADTEST_RESULTS": str(OUT / "results.json"),
        "LOADTEST_WAIT": args.wait,
    }
    command = [
        sys.executable, "-m", "locust", "-f", str(LOADTEST / "locustfile.py"), "--headless",
        "-u", str(args.users), "-r", str(args.spawn_rate), "--run-time", f"{args.seconds}s",
        "--stop-timeout", str(STOP_TIMEOUT), "--host", base, "--csv", str(OUT / "locust"),
        "--only-summary", "--loglevel", "WARNING", "--logfile", str(OUT / "locust.log"),
    ]  # fmt: skip
    with (OUT / "locust-summary.txt").open("w") as summary:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=REPO_ROOT, env=env, stdout=summary, stderr=subprocess.STDOUT
        )
        try:
            # Bounded: the run time, the stop timeout and a margin for start and reporting.
            return process.wait(timeout=args.seconds + STOP_TIMEOUT + 120)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            return -1


def _print_report(args, stats, saves, problems, locust_code: int, cpu: dict) -> None:
    print(f"\n{args.users} users, {args.seconds} s, {args.web_workers} gunicorn workers")
    print(CpuMeter.describe(cpu))
    print(
        f"gunicorn workers were busy with requests {cpu['web_busy_share']:.0%} of the run "
        f"(on CPU for {cpu['gunicorn']:.0f} s of that: the rest is waiting for a core or "
        "for PostgreSQL); the client-side times below add the wait for a free worker"
    )
    print(page_table(stats))
    print(f"steady: the last {stats.steady_seconds} s, after every user had logged in")
    for failure in stats.failure_details:
        print(f"FAILED {failure}")
    print(
        f"saves: {saves.save_requests} requests ({saves.page_saves} page saves, "
        f"{saves.autosaves} autosaves) wrote {saves.answers_written} answers; "
        f"{saves.answers_checked} answers checked against the database, "
        f"{len(saves.lost)} lost, {saves.unconfirmed} with an unknown outcome"
    )
    for lost in saves.lost[:20]:
        print(f"LOST {lost}")
    for problem in problems[:20]:
        print(f"SERVER {problem}")
    if locust_code not in (0, 1):
        print(f"locust ended abnormally (exit {locust_code}); see {OUT / 'locust.log'}")
    print(f"logs and CSV files: {OUT}")


if __name__ == "__main__":
    sys.exit(main())
