"""Every periodic task of imp-assess, declared in one place (run by celery beat)."""

from celery.schedules import crontab

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
    "periods-open-due": {
        "task": "assessments.tasks.periods_open_due_task",
        # Opens each quarter's assessments on its open date, once (hourly, so a missed
        # run is caught up within the hour).
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    "peer-snapshots": {
        "task": "dashboards.tasks.peer_snapshots_take_task",
        # Freezes each quarter's peer values the day after its due date (hourly, so a missed
        # run is caught up within the hour; a quarter is frozen once).
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    "notifications-deadlines": {
        "task": "notifications.tasks.deadlines_notify_task",
        # Reminders 7 and 2 days before due dates, overdue notices the day after; each
        # notification is stored once, so running hourly only catches up.
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    "notifications-digest": {
        "task": "notifications.tasks.digest_send_task",
        # The analysts' weekly digest: Monday 06:00; later runs in the week catch up.
        "schedule": crontab(hour=6, minute=0),
        "options": {"expires": 3500},
    },
    "notifications-email-sweeper": {
        "task": "notifications.tasks.notification_emails_sweeper",
        # E-mails whose task was lost (the broker down when they were stored).
        "schedule": 600.0,
        "options": {"expires": 590},
    },
}
