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


def _test_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def live_worker(*, startup_timeout: float = 60) -> Iterator[tuple[str, str]]:
    """Start ``celery -A imp_assess worker`` as a subprocess; yield (node name, queue)."""
    token = uuid.uuid4().hex[:8]
    queue, node = f"test-{token}", f"imp-test-{token}@localhost"
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"worker-{token}.log"
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "DEBUG": "1"}
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "imp_assess", "worker", "--pool=solo",
             "--concurrency=1", "--without-gossip", "--without-mingle", "-Q", queue, "-n", node,
             "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + startup_timeout
            while not app.control.ping(destination=[node], timeout=1):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"worker did not start; see {log_path}")
            yield node, queue
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
