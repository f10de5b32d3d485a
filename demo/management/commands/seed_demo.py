from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.services import DEMO_PASSWORD, demo_seed

# Enough for every login of the default six missions; larger data sets are cut short.
LOGINS_LISTED = 40


class Command(BaseCommand):
    help = (
        "Create fictional demo missions, periods, demo users and answers: older quarters on "
        "IMP-CORE v1, the latest on v2 (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--missions", type=int, default=6, help="Number of demo missions.")
        parser.add_argument(
            "--quarters", type=int, default=8, help="Past quarters before the current one."
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Do not list the logins.")
        parser.add_argument(
            "--no-score",
            action="store_true",
            help="Do not score the past quarters (run `rescore` later).",
        )
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Run although DEBUG is off (the demo users include the superuser admin/demo).",
        )

    def handle(
        self,
        *args,
        missions: int,
        quarters: int,
        quiet_logins: bool,
        no_score: bool,
        not_production: bool,
        **options,
    ):
        # The demo users have a documented password (and one is a superuser): never let a
        # production database receive them by accident.
        if not (settings.DEBUG or not_production):
            raise CommandError(
                "seed_demo creates users with the documented password 'demo', including the "
                "superuser 'admin'. It runs only with DEBUG=1 (make run) or with "
                "--i-know-this-is-not-production."
            )
        if missions < 1 or quarters < 0:
            raise CommandError("--missions must be at least 1 and --quarters at least 0.")
        logins = demo_seed(missions=missions, quarters=quarters, score=not no_score)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {missions} fictional missions, {quarters} past quarters "
                f"and the current one."
            )
        )
        if not quiet_logins:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD!r}):")
            for login in logins[:LOGINS_LISTED]:
                self.stdout.write(f"  {login.username:22} {login.role}")
            if len(logins) > LOGINS_LISTED:
                self.stdout.write(f"  … and {len(logins) - LOGINS_LISTED} more")
