from pathlib import Path
from typing import cast

from django.core.management.base import BaseCommand, CommandError

from exports.figure_renderer import figure_batch, figure_server_stop
from exports.management.commands._common import missions_from_codes, period_from_label
from exports.models import ExportJob, ExportKind, ExportSource, ExportStatus
from exports.services import export_job_create, export_job_run
from missions.models import Mission


class Command(BaseCommand):
    help = (
        "Write scorecard PDFs (one per mission) for a quarter, and optionally the briefing "
        "pack, into a folder. Every file is logged like an export made on the web."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="Quarter, e.g. 2026-Q3.")
        parser.add_argument(
            "--missions",
            nargs="*",
            default=None,
            help="Mission codes (default: every mission with an assessment that quarter).",
        )
        parser.add_argument("--out", type=Path, required=True, help="Folder for the files.")
        parser.add_argument(
            "--pack", action="store_true", help="Also write briefing-pack-<quarter>.pdf."
        )
        parser.add_argument(
            "--no-scorecards", action="store_true", help="Only the briefing pack (with --pack)."
        )

    def handle(self, *args, period, missions, out: Path, pack, no_scorecards, **options):
        period = period_from_label(period)
        if missions:
            chosen = missions_from_codes(missions)
        else:
            chosen = list(
                Mission.objects.filter(assessments__period=period).order_by("code").distinct()
            )
        if not chosen:
            raise CommandError(f"No mission has an assessment in {period.label}.")
        out.mkdir(parents=True, exist_ok=True)
        failed = 0
        try:
            with figure_batch():  # one chromium for every figure of the run
                if not no_scorecards:
                    for mission in chosen:
                        failed += self._run(
                            ExportKind.SCORECARD, [mission.pk], period.pk, out, mission.code
                        )
                if pack:
                    failed += self._run(
                        ExportKind.BRIEFING_PACK, [m.pk for m in chosen], period.pk, out, "pack"
                    )
        finally:
            # Stop chromium now rather than in an exit handler racing the interpreter's end.
            figure_server_stop()
        if failed:
            raise CommandError(f"{failed} export(s) failed; see above.")

    def _run(self, kind, mission_ids, period_id, out: Path, label: str) -> int:
        job = export_job_create(
            by=None,
            kind=kind,
            mission_ids=mission_ids,
            period_id=period_id,
            source=ExportSource.COMMAND,
        )
        destination = out / job.filename
        # (created just now, so it is there to run)
        job = cast(ExportJob, export_job_run(job_id=job.pk, destination=destination))
        if job.status != ExportStatus.DONE:
            self.stderr.write(f"{label}: {job.error}")
            return 1
        self.stdout.write(f"{destination} ({job.size} bytes)")
        return 0
