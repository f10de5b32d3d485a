"""Where the CPU went during a load test run: the machine is shared (2 cores, other work
running), so the run reports how much of it the servers under test used."""

import os
import resource
import threading
import time

import psutil


def _tree_seconds(pid: int) -> float:
    try:
        root = psutil.Process(pid)
        return sum(sum(p.cpu_times()[:2]) for p in [root, *root.children(recursive=True)])
    except psutil.NoSuchProcess:
        return 0.0


class CpuMeter:
    """CPU seconds between start() and stop(): the whole machine, the gunicorn and worker
    process trees, locust (a child waited for in between), and the PostgreSQL backends
    serving ``database`` (sampled twice a second: they come and go with DB_CONN_MAX_AGE)."""

    def __init__(self, *, web_pid: int, worker_pid: int, database: str) -> None:
        self.pids = {"gunicorn": web_pid, "worker": worker_pid}
        self.database = database
        self.backends: dict[int, tuple[float, float]] = {}  # pid: (first seen, last seen)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_backends, daemon=True)

    def _snapshot(self) -> dict:
        machine = psutil.cpu_times()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "at": time.monotonic(),
            "busy": sum(machine) - machine.idle - getattr(machine, "iowait", 0),
            "total": sum(machine),
            "locust": children.ru_utime + children.ru_stime,
            **{name: _tree_seconds(pid) for name, pid in self.pids.items()},
        }

    def _sample_backends(self) -> None:
        while not self._stop.is_set():
            for process in psutil.process_iter(["cmdline", "cpu_times"]):
                title = " ".join(process.info["cmdline"] or [])
                if title.startswith("postgres:") and f" {self.database} " in title:
                    used = sum(process.info["cpu_times"][:2])
                    first = self.backends.get(process.pid, (used, used))[0]
                    self.backends[process.pid] = (first, used)
            self._stop.wait(0.5)

    def start(self) -> None:
        self.before = self._snapshot()
        self._thread.start()

    def stop(self) -> dict:
        after = self._snapshot()
        self._stop.set()
        self._thread.join()
        before, cores = self.before, os.cpu_count() or 1
        share = (after["busy"] - before["busy"]) / max(after["total"] - before["total"], 1e-9)
        available = (after["at"] - before["at"]) * cores
        used = {key: after[key] - before[key] for key in ("gunicorn", "worker", "locust")}
        used["postgres"] = sum(last - first for first, last in self.backends.values())
        return {
            **used,
            "cores": cores,
            "available": available,
            "busy": share * available,
            "others": share * available - sum(used.values()),
            "load_average": os.getloadavg()[0],
        }

    @staticmethod
    def describe(cpu: dict) -> str:
        return (
            f"CPU over the run: {cpu['busy']:.0f} of {cpu['available']:.0f} CPU-seconds busy "
            f"({cpu['cores']} cores, load average {cpu['load_average']:.1f} at the end): "
            f"gunicorn {cpu['gunicorn']:.0f} s, PostgreSQL for this database "
            f"{cpu['postgres']:.0f} s, Celery worker {cpu['worker']:.0f} s, locust "
            f"{cpu['locust']:.0f} s, other work on the machine {cpu['others']:.0f} s"
        )
