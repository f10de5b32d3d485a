"""Every periodic task of imp-assess, declared in one place (run by celery beat)."""

BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "health.tasks.worker_heartbeat",
        "schedule": 60.0,
        # A heartbeat nobody picked up within a minute is worthless.
        "options": {"expires": 55},
    },
    "scoring-sweeper": {
        "task": "scoring.tasks.scoring_sweeper",
        # Lost scoring requests (Redis down when they were sent) are found and sent again.
        "schedule": 120.0,
        "options": {"expires": 110},
    },
}
