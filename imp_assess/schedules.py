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
    "exports-cleanup": {
        "task": "exports.tasks.exports_cleanup_periodic",
        # Deletes export files past EXPORT_RETENTION_HOURS, fails jobs a lost worker left
        # running and re-sends queued exports that never reached a worker.
        "schedule": 900.0,
        "options": {"expires": 850},
    },
    "webhooks-sweep": {
        "task": "webhooks.tasks.webhook_deliveries_sweeper",
        # Webhook deliveries whose message never reached a worker (Redis down) are re-sent.
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    "security-log-purge": {
        "task": "security.tasks.security_log_purge",
        "schedule": 24 * 3600.0,
    },
}
