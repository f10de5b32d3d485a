"""The Celery application of imp-assess.

Workers start with ``celery -A imp_assess worker``; beat with
``celery -A imp_assess beat``. Configuration comes from Django settings
(``CELERY_*``), periodic schedules from ``imp_assess.schedules``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imp_assess.settings")

app = Celery("imp_assess")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _install_schedules(sender: Celery, **kwargs) -> None:
    from imp_assess.schedules import BEAT_SCHEDULE

    sender.conf.beat_schedule = BEAT_SCHEDULE
