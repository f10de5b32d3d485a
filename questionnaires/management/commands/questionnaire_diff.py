from django.core.management.base import BaseCommand, CommandError

from questionnaires.diff import questionnaire_diff
from questionnaires.models import Questionnaire
from questionnaires.selectors import questionnaire_spec


class Command(BaseCommand):
    help = "List what changed between two versions of a questionnaire, by stable code."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("old_version", type=int)
        parser.add_argument("new_version", type=int)

    def handle(self, *args, code: str, old_version: int, new_version: int, **options):
        specs = []
        for version in (old_version, new_version):
            try:
                questionnaire = Questionnaire.objects.get(code=code, version=version)
            except Questionnaire.DoesNotExist:
                raise CommandError(f"No questionnaire {code} version {version}.") from None
            specs.append(questionnaire_spec(questionnaire=questionnaire))
        changes = questionnaire_diff(*specs)
        if not changes:
            self.stdout.write(
                f"{code}: versions {old_version} and {new_version} have the same content."
            )
            return
        # Glossary terms ("Humanitarian space") are longer than codes: align on the longest.
        width = max(len(change.code) for change in changes)
        for change in changes:
            self.stdout.write(f"{change.code:{width}}  {change.kind.value:32} {change.detail}")
        self.stdout.write(f"{len(changes)} change(s).")
