from django.core.management.base import BaseCommand

from dashboards.services import peer_snapshots_take_due


class Command(BaseCommand):
    help = (
        "Freeze the peer values of every closed quarter that has no snapshot yet (mission "
        "staff's peer figures come only from these snapshots). Celery beat runs it hourly; "
        "safe to run twice: a snapshot is never re-taken."
    )

    def handle(self, *args, **options):
        frozen = peer_snapshots_take_due()
        for period in frozen:
            self.stdout.write(f"Froze the peer figures of {period}.")
        self.stdout.write(self.style.SUCCESS(f"{len(frozen)} quarter(s) frozen."))
