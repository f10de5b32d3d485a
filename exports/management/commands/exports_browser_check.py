"""Say whether PDF exports can be made here: ``make run`` prints it once at start.

Exits 0 either way (everything else works without chromium); ``--strict`` exits 1 when the
browser is missing, for deployment checks.
"""

from django.core.management.base import BaseCommand, CommandError

from exports.figure_renderer import browser_path, missing_browser_message


class Command(BaseCommand):
    help = "Say whether the browser that draws the PDF exports' figures (chromium) is there."

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="exit 1 when chromium is missing")

    def handle(self, *args, strict: bool = False, **options):
        path = browser_path()
        if path is None:
            message = f"{missing_browser_message()} (everything else works without it)"
            if strict:
                raise CommandError(message)
            self.stdout.write(self.style.WARNING(message))
            return
        self.stdout.write(f"PDF exports: figures drawn with {path}")
