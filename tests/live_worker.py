"""A real Celery worker process for service tests, on the test database and a private queue."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from imp_assess.celery import app

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def worker_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def new_queue() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


@contextmanager
def live_worker(
    *,
    queue: str | None = None,
    env: dict[str, str] | None = None,
    startup_timeout: float = 60,
    kill: bool = False,
) -> Iterator[tuple[str, str, subprocess.Popen]]:
    """Start ``celery -A imp_assess worker`` as a subprocess; yield (node, queue, process).

    The worker reads the test database and only the given queue, so leftovers of
    other runs in a shared Redis never reach it.
    """
    queue = queue or new_queue()
    token = uuid.uuid4().hex[:8]
    node = f"imp-test-{token}@localhost"
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"worker-{token}.log"
    full_env = {**os.environ, "DATABASE_URL": worker_database_url(), "DEBUG": "1", **(env or {})}
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "imp_assess", "worker", "--pool=solo",
             "--concurrency=1", "--without-gossip", "--without-mingle", "-Q", queue, "-n", node,
             "--loglevel=INFO"],
            cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + startup_timeout
            while not app.control.ping(destination=[node], timeout=1):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"worker did not start; see {log_path}")
            yield node, queue, process
        finally:
            if process.poll() is None:
                process.kill() if kill else process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until(condition, *, timeout: float = 60, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()
