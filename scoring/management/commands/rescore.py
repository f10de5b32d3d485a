"""Re-score assessments in batches through Celery, with a progress bar."""

import time
from typing import Any

from celery.exceptions import TimeoutError as CeleryTimeout
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from missions.periods import quarter_parse
from scoring.method import METHOD_VERSION, METHODS
from scoring.services import (
    STORABLE_METHODS,
    assessments_for_rescore,
    rescore_band_mappings,
    rescore_v3_mappings,
)
from scoring.tasks import assessments_score_batch


class Command(BaseCommand):
    help = (
        "Re-score assessments through the Celery workers, in batches, with the current scoring "
        f"method ({METHOD_VERSION}: {METHODS[METHOD_VERSION].label}) or the one --method names. "
        "Results of other methods are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--questionnaire", help="CODE or CODE:VERSION")
        parser.add_argument(
            "--method",
            type=int,
            choices=sorted(STORABLE_METHODS),
            default=METHOD_VERSION,
            help=f"Scoring method number to score with (default {METHOD_VERSION}).",
        )
        parser.add_argument(
            "--scored-with",
            help="Only assessments with stored scores from this method version, e.g. "
            f"{METHODS[1].label}.",
        )
        parser.add_argument("--mission", help="Mission code, e.g. DEMO-ARV")
        parser.add_argument("--period", help="Quarter, e.g. 2026-Q3")
        parser.add_argument("--batch-size", type=int, default=50)
        parser.add_argument(
            "--timeout", type=int, default=1800, help="Seconds to wait for all batches."
        )

    def handle(
        self, *args: Any, batch_size: int, timeout: int, method: int, **options: Any
    ) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["period"]:
            try:
                quarter_parse(options["period"])
            except ValueError:
                raise CommandError("--period looks like 2026-Q3.") from None
        try:
            ids = list(
                assessments_for_rescore(
                    questionnaire=options["questionnaire"],
                    scored_with=options["scored_with"],
                    mission=options["mission"],
                    period=options["period"],
                ).values_list("pk", flat=True)
            )
        except ValueError as exc:
            raise CommandError(f"Bad filter: {exc}") from None
        if not ids:
            self.stdout.write("Nothing to score for these filters.")
            return
        label = METHODS[method].label
        if method == 2:
            self._report_band_mappings(ids)
        if method == 3:
            ids = self._report_v3_mappings(ids)
            if not ids:
                self.stdout.write("Nothing method 3 can score for these filters.")
                return
        batches = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]
        started = time.monotonic()
        pending = [assessments_score_batch.delay(batch, method) for batch in batches]
        sizes = {result.id: len(batch) for result, batch in zip(pending, batches, strict=True)}
        totals = {"scored": 0, "nothing_to_score": 0, "failed": 0}
        with tqdm(total=len(ids), unit="assessment", file=self.stderr, disable=None) as bar:
            while pending:
                if time.monotonic() - started > timeout:
                    raise CommandError(
                        f"Timed out after {timeout}s with {len(pending)} batch(es) unfinished; "
                        "is a worker running?"
                    )
                still = []
                for result in pending:
                    if not result.ready():
                        still.append(result)
                        continue
                    try:
                        counts = result.get(timeout=5, propagate=True)
                    except CeleryTimeout:
                        still.append(result)
                        continue
                    except Exception:  # a failed batch is counted and reported, not fatal
                        totals["failed"] += sizes[result.id]
                    else:
                        for key, value in counts.items():
                            totals[key] = totals.get(key, 0) + value
                    bar.update(sizes[result.id])
                pending = still
                if pending:
                    time.sleep(0.2)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-scored with {label}: {totals['scored']} scored, "
                f"{totals['nothing_to_score']} with nothing to score, {totals['failed']} failed "
                f"({len(ids)} assessments in {len(batches)} batches, {elapsed:.1f}s)."
            )
        )
        if totals["failed"]:
            raise CommandError(f"{totals['failed']} assessment(s) failed; see the worker log.")

    def _report_band_mappings(self, ids: list[int]) -> None:
        """Say where the bands of questionnaires without their own come from, and which
        indicator codes could not be mapped."""
        for questionnaire, mapping in rescore_band_mappings(assessment_ids=ids):
            if mapping.source:
                self.stdout.write(
                    f"{questionnaire}: default bands of {mapping.source} mapped by code for "
                    f"{len(mapping.mapped)} indicator(s)."
                )
            else:
                self.stdout.write(f"{questionnaire}: no later version with target bands is loaded.")
            if mapping.unmapped:
                self.stdout.write(
                    self.style.WARNING(
                        f"{questionnaire}: could not map {len(mapping.unmapped)} indicator(s) "
                        f"({', '.join(mapping.unmapped)}); their dimension's target step is "
                        "used as a one-step band."
                    )
                )

    def _report_v3_mappings(self, ids: list[int]) -> list[int]:
        """Say how method 3 reads each questionnaire: on itself, or on the newest version with
        safeguards with the answers mapped by code, naming what it could not map. Returns the
        assessments it can score (a questionnaire with no such version loaded: none)."""
        scorable = []
        for mapping, assessment_ids in rescore_v3_mappings(assessment_ids=ids):
            name = mapping.questionnaire
            if not mapping.source:
                self.stdout.write(
                    self.style.WARNING(
                        f"{name}: no version with safeguards is loaded; its "
                        f"{len(assessment_ids)} assessment(s) cannot be scored with method 3."
                    )
                )
                continue
            scorable += assessment_ids
            if mapping.is_own:
                self.stdout.write(f"{name}: read as answered ({len(mapping.mapped)} indicators).")
                continue
            self.stdout.write(
                f"{name}: read on {mapping.source}, answers mapped by code for "
                f"{len(mapping.mapped)} indicator(s) whose text kept its meaning."
            )
            if mapping.unmapped:
                self.stdout.write(
                    self.style.WARNING(
                        f"{name}: could not map {len(mapping.unmapped)} indicator(s) of "
                        f"{mapping.source} (added or reworded: {', '.join(mapping.unmapped)}); "
                        "they are left out of these results."
                    )
                )
            if mapping.dropped:
                self.stdout.write(
                    self.style.WARNING(
                        f"{name}: {len(mapping.dropped)} indicator(s) answered are not in "
                        f"{mapping.source} ({', '.join(mapping.dropped)}); not read."
                    )
                )
        return sorted(scorable)
