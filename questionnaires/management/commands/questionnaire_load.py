from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questionnaires.formats import spec_from_file
from questionnaires.services import QuestionnaireLocked, questionnaire_load
from questionnaires.spec import SpecInvalid, translatable_count, translation_gaps
from questionnaires.translations import language_name


class Command(BaseCommand):
    help = (
        "Validate a questionnaire YAML file and store it as its code and version. "
        "Reloading identical content changes nothing; a published version takes new "
        "translations and refuses any other change."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--publish", action="store_true", help="Publish the version after loading it."
        )

    def handle(self, *args, file: Path, publish: bool, **options):
        try:
            spec = spec_from_file(file)
        except SpecInvalid as exc:
            lines = "\n".join(f"  - {problem}" for problem in exc.problems)
            raise CommandError(
                f"{file}: {len(exc.problems)} problem(s), nothing was saved:\n{lines}"
            ) from None
        try:
            result = questionnaire_load(spec=spec, publish=publish)
        except QuestionnaireLocked as exc:
            raise CommandError(f"{file}: {exc} Nothing was saved.") from None
        questionnaire = result.questionnaire
        self.stdout.write(
            self.style.SUCCESS(
                f"{questionnaire.code} version {questionnaire.version}: {result.action} "
                f"({len(spec.dimensions)} dimensions, {len(spec.indicators())} indicators, "
                f"{questionnaire.get_status_display().lower()})."
            )
        )
        # Per language: a declared one is complete (or the file would not load); another
        # one is work in progress, read in English where a text is missing.
        total = translatable_count(spec)
        for language, gaps in translation_gaps(spec).items():
            name = f"{language_name(language)} ({language})"
            if not gaps:
                self.stdout.write(f"{name}: all {total} texts translated.")
                continue
            self.stdout.write(
                self.style.WARNING(
                    f"{name}: {len(gaps)} of {total} texts missing (not in the file's "
                    f"languages, so they read in English):"
                )
            )
            for gap in gaps:
                self.stdout.write(f"  - {gap}")
