"""PostgreSQL restarts under a running app and worker: requests and tasks after the
restart succeed without restarting either (connection health checks, task retries).

The test runs its own PostgreSQL cluster (initdb on a free port), so restarting it
disturbs nobody else.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest

from tests.live_worker import ARTIFACTS, wait_until

pytestmark = pytest.mark.service
ROOT = Path(__file__).resolve().parents[2]


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.fail(f"PostgreSQL's {name} not found under /usr/lib/postgresql")
    return found[-1]


def _as_postgres(args: list[str]) -> None:
    # PostgreSQL refuses to run as root; CI and sessions run as root. No pipes: a
    # server started by pg_ctl would inherit them and keep this call waiting.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(
        prefix + args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def private_postgres():
    data = Path(tempfile.mkdtemp(prefix="imp-pg-"))
    shutil.chown(data, "postgres") if os.geteuid() == 0 else None
    port = _free_port()
    _as_postgres([_pg_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"])
    ctl = [
        _pg_bin("pg_ctl"),
        "-D",
        str(data),
        "-o",
        f"-p {port} -k /tmp -c listen_addresses=127.0.0.1",
    ]
    _as_postgres([*ctl, "-w", "-l", str(data / "log"), "start"])
    _as_postgres([_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "imp"])
    yield {"url": f"postgres://postgres@127.0.0.1:{port}/imp", "ctl": ctl, "data": data}
    subprocess.run(
        (["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else [])
        + [*ctl, "-m", "immediate", "stop"],
        capture_output=True,
    )
    shutil.rmtree(data, ignore_errors=True)


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def test_app_and_worker_survive_a_database_restart(private_postgres, settings):
    env = {
        **os.environ,
        "DATABASE_URL": private_postgres["url"],
        "DEBUG": "1",
        "CELERY_TASK_DEFAULT_QUEUE": f"restart-{os.getpid()}",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "restart-web.log").open("w")
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "imp_assess.wsgi:application", "--workers", "2",
         "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker_log = (ARTIFACTS / "restart-worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "imp_assess", "worker", "--pool=solo",
         "-Q", env["CELERY_TASK_DEFAULT_QUEUE"], "-n", f"restart-{os.getpid()}@localhost",
         "--without-gossip", "--without-mingle", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    health = f"http://127.0.0.1:{port}/healthz"
    try:
        assert wait_until(lambda: _get(health) == 200, timeout=60), "app did not start"
        from health.tasks import worker_heartbeat

        queue = env["CELERY_TASK_DEFAULT_QUEUE"]
        first = worker_heartbeat.apply_async(queue=queue).get(timeout=60)

        _as_postgres([*private_postgres["ctl"], "-w", "-m", "fast", "restart"])

        # The first requests after the restart may meet the dead connection and
        # reconnect; within a few seconds every request succeeds.
        assert wait_until(lambda: _get(health) == 200, timeout=30)
        statuses = [_get(health) for _ in range(10)]
        assert statuses == [200] * 10
        assert _get(f"http://127.0.0.1:{port}/accounts/login/") == 200
        second = worker_heartbeat.apply_async(queue=queue).get(timeout=90)
        assert second == first  # the same heartbeat row, written after the restart
        assert web.poll() is None and worker.poll() is None  # neither was restarted
    finally:
        for process in (web, worker):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        worker_log.close()
