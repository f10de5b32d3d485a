from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questionnaires.formats import spec_to_xlsx, spec_to_yaml
from questionnaires.models import Questionnaire
from questionnaires.selectors import questionnaire_spec


class Command(BaseCommand):
    help = "Write a stored questionnaire version back as YAML (the load format) and XLSX."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("version", type=int)
        parser.add_argument("--out", type=Path, default=Path("."), help="Folder for the files.")

    def handle(self, *args, code: str, version: int, out: Path, **options):
        try:
            questionnaire = Questionnaire.objects.get(code=code, version=version)
        except Questionnaire.DoesNotExist:
            raise CommandError(f"No questionnaire {code} version {version}.") from None
        if not out.is_dir():
            raise CommandError(f"{out} is not a folder.")
        spec = questionnaire_spec(questionnaire=questionnaire)
        stem = out / f"{code.lower()}-v{version}"
        yaml_path, xlsx_path = stem.with_suffix(".yaml"), stem.with_suffix(".xlsx")
        yaml_path.write_text(spec_to_yaml(spec), encoding="utf-8")
        spec_to_xlsx(spec, xlsx_path)
        self.stdout.write(self.style.SUCCESS(f"Wrote {yaml_path} and {xlsx_path}."))
