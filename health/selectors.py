"""What /healthz reports: can we reach the database, Redis, and is a worker alive."""

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from health.models import WorkerHeartbeat

WORKER_STALE_AFTER = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class ServiceState:
    database: str
    redis: str
    worker: str

    @property
    def healthy(self) -> bool:
        return self.database == "ok" and self.redis in ("ok", "not configured")

    def as_dict(self) -> dict[str, object]:
        return {"healthy": self.healthy, **asdict(self)}


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unreachable"
    return "ok"


def _redis_state() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        )
        client.ping()
    except redis.RedisError:
        return "unreachable"
    return "ok"


def _worker_state(database: str) -> str:
    if not settings.REDIS_URL:
        return "eager (tasks run in the web process)"
    if database != "ok":
        return "unknown"
    try:
        latest = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True)
        last_seen = latest.first()
    except DatabaseError:
        return "unknown"
    if last_seen is None:
        return "no heartbeat yet"
    if timezone.now() - last_seen > WORKER_STALE_AFTER:
        return "stale"
    return "ok"


def service_state() -> ServiceState:
    database = _database_state()
    return ServiceState(database=database, redis=_redis_state(), worker=_worker_state(database))
