from pathlib import Path
from typing import cast

from django.core.management.base import BaseCommand, CommandError

from exports.management.commands._common import missions_from_codes
from exports.models import ExportJob, ExportKind, ExportSource, ExportStatus
from exports.services import export_job_create, export_job_run


class Command(BaseCommand):
    help = (
        "Write the data export (missions, quarters, questionnaire, answers, targets, scores "
        "and a README) as an XLSX workbook or a ZIP of CSV files into a folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["xlsx", "csv"], required=True)
        parser.add_argument(
            "--missions", nargs="*", default=None, help="Mission codes (default: all missions)."
        )
        parser.add_argument("--out", type=Path, required=True, help="Folder for the file.")

    def handle(self, *args, format: str, missions, out: Path, **options):
        mission_ids = [m.pk for m in missions_from_codes(missions)] if missions else None
        out.mkdir(parents=True, exist_ok=True)
        job = export_job_create(
            by=None,
            kind=ExportKind.DATA_XLSX if format == "xlsx" else ExportKind.DATA_CSV,
            mission_ids=mission_ids,
            source=ExportSource.COMMAND,
        )
        destination = out / job.filename
        # (created just now, so it is there to run)
        job = cast(ExportJob, export_job_run(job_id=job.pk, destination=destination))
        if job.status != ExportStatus.DONE:
            raise CommandError(job.error)
        self.stdout.write(f"{destination} ({job.size} bytes)")
