"""Export jobs: queued on commit, progress while running, a done file, failures with their
reason, retry, running twice, and the periodic clean-up."""

import csv
import datetime
import io
import os
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from exports import services
from exports.models import ExportJob, ExportKind, ExportSource, ExportStatus
from exports.progress import Progress
from exports.services import (
    export_job_create,
    export_job_request,
    export_job_run,
    exports_cleanup,
    requesting,
    running,
)
from exports.storage import exports_storage
from missions.models import Period
from tests.factories import PeriodFactory

pytestmark = pytest.mark.django_db


def _stored() -> list[str]:
    try:
        return exports_storage().listdir("")[1]
    except FileNotFoundError:
        return []


def _data_job(known_data, kind=ExportKind.DATA_CSV):
    return export_job_create(by=known_data.personas.analyst, kind=kind)


def test_a_data_export_is_queued_after_commit_and_done_by_the_worker(
    known_data, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = export_job_request(by=known_data.personas.analyst, kind=ExportKind.DATA_XLSX)
    assert ExportJob.objects.get(pk=job.pk).status == ExportStatus.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()  # the task runs eagerly in tests
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.progress == 100
    assert job.size > 0 and job.size == exports_storage().size(services.export_job_file(job=job))
    assert job.expires_at > timezone.now()
    assert job.attempts == 1
    client.force_login(known_data.personas.analyst)
    status = client.get(reverse("exports:status", args=[job.pk])).json()
    assert status["status"] == "done"
    assert status["download_url"] == reverse("exports:download", args=[job.pk])
    page = client.get(reverse("exports:job", args=[job.pk]))
    assert b'id="export-download"' in page.content
    assert b"export-progress.js" not in page.content  # nothing left to poll


def test_progress_is_reported_while_running_and_shown_on_the_status_endpoint(
    known_data, client, monkeypatch
):
    job = _data_job(known_data)
    seen: list[tuple[str, int]] = []
    original = running._report_progress

    def watching(job_id):
        report = original(job_id)

        def wrapped(percent):
            report(percent)
            current = ExportJob.objects.get(pk=job_id)
            seen.append((current.status, current.progress))

        return wrapped

    monkeypatch.setattr(running, "_report_progress", watching)
    export_job_run(job_id=job.pk)
    assert seen, "no progress reported"
    assert all(status == ExportStatus.RUNNING for status, _p in seen)
    percentages = [p for _s, p in seen]
    assert percentages == sorted(percentages)
    assert max(percentages) <= 99  # 100 only once the file is in place


def test_the_job_page_polls_a_running_job(known_data, client):
    job = _data_job(known_data)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, progress=42)
    client.force_login(known_data.personas.analyst)
    page = client.get(reverse("exports:job", args=[job.pk]))
    assert b'value="42"' in page.content
    assert b"js/export-progress.js" in page.content
    assert b"<script>" not in page.content  # no inline script (CSP)
    assert client.get(reverse("exports:status", args=[job.pk])).json() == {
        "id": job.pk,
        "status": "running",
        "status_label": "Running",
        "progress": 42,
        "progress_label": "42 %",
        "error": "",
        "finished": False,
        "download_url": None,
    }
    # In French the page and the script show « 42 % » with the no-break space of the catalogue.
    french = client.get(reverse("exports:status", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert french.json()["progress_label"] == "42\u00a0%"
    page = client.get(reverse("exports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<span id="export-percent">42\u00a0%</span>' in page.content.decode()


def test_progress_counts_map_onto_whole_percentages():
    reported = []
    progress = Progress(200, reported.append, start=10, end=90)
    for _ in range(200):
        progress.advance()
    assert reported[0] == 10 and reported[-1] == 90
    assert reported == sorted(set(reported))


def test_a_failed_job_shows_its_reason_and_a_retry_succeeds(
    known_data, client, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("exports.csv_zip.data_csv_zip_write", broken)
    job = _data_job(known_data)
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert f"export #{job.pk}" in job.error
    assert "disk on fire" not in job.error  # internals stay in the log
    assert _stored() == []  # no half-written file left
    client.force_login(known_data.personas.analyst)
    page = client.get(reverse("exports:job", args=[job.pk]))
    assert job.error.encode() in page.content
    assert reverse("exports:retry", args=[job.pk]).encode() in page.content
    assert client.get(reverse("exports:status", args=[job.pk])).json()["finished"] is True

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.error == ""
    assert job.attempts == 2


def test_a_job_for_a_deleted_quarter_fails_with_a_reason(known_data):
    lonely = PeriodFactory(year=2030, quarter=1)
    job = export_job_create(
        by=known_data.personas.analyst,
        kind=ExportKind.BRIEFING_PACK,
        mission_ids=[known_data.personas.mission_a.pk],
        period_id=lonely.pk,
    )
    Period.objects.filter(pk=lonely.pk).delete()
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == "That quarter no longer exists."


def test_only_a_failed_job_can_be_retried(known_data, client):
    job = _data_job(known_data)
    export_job_run(job_id=job.pk)
    client.force_login(known_data.personas.analyst)
    response = client.post(reverse("exports:retry", args=[job.pk]), follow=True)
    assert b"Only a failed export can be tried again." in response.content


def test_running_a_job_twice_keeps_the_first_result(known_data):
    job = _data_job(known_data)
    first = export_job_run(job_id=job.pk)
    second = export_job_run(job_id=job.pk)
    assert second.file_path == first.file_path
    assert second.attempts == 1
    assert len(_stored()) == 1


def test_staff_lose_access_between_request_and_run(known_data):
    personas = known_data.personas
    job = export_job_create(
        by=personas.focal_point_a,
        kind=ExportKind.SCORECARD,
        mission_ids=[personas.mission_a.pk],
        period_id=known_data.current_period.pk,
    )
    personas.focal_point_a.mission_memberships.all().delete()
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert "no longer have access" in job.error


def test_cleanup_deletes_expired_files_and_keeps_the_log(known_data):
    job = _data_job(known_data)
    job = export_job_run(job_id=job.pk)
    name = services.export_job_file(job=job)
    assert exports_cleanup()["expired"] == 0
    later = job.expires_at + datetime.timedelta(minutes=1)
    counts = exports_cleanup(now=later)
    assert counts["expired"] == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED
    assert job.size > 0 and job.file_path == ""
    assert not exports_storage().exists(name)


def test_expired_files_are_no_longer_downloadable(known_data, client, settings):
    job = export_job_run(job_id=_data_job(known_data).pk)
    exports_cleanup(now=job.expires_at + datetime.timedelta(seconds=1))
    client.force_login(known_data.personas.analyst)
    response = client.get(reverse("exports:download", args=[job.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("exports:job", args=[job.pk])
    assert b"deleted after its retention time" in response.content


def test_retention_time_is_configurable(known_data, settings):
    settings.EXPORT_RETENTION_HOURS = 2
    job = export_job_run(job_id=_data_job(known_data).pk)
    assert job.expires_at - job.finished_at == datetime.timedelta(hours=2)


def test_cleanup_fails_stale_running_jobs_resends_lost_ones_and_removes_orphans(
    known_data, monkeypatch
):
    sent = []
    monkeypatch.setattr(requesting, "_send", sent.append)
    now = timezone.now()
    stale = _data_job(known_data)
    ExportJob.objects.filter(pk=stale.pk).update(
        status=ExportStatus.RUNNING, started_at=now - datetime.timedelta(hours=3)
    )
    lost = _data_job(known_data)
    ExportJob.objects.filter(pk=lost.pk).update(created_at=now - datetime.timedelta(hours=1))
    fresh = _data_job(known_data)
    orphan = exports_storage().save("999-abc.xlsx", ContentFile(b"left behind"))
    old = (now - datetime.timedelta(days=1)).timestamp()
    os.utime(exports_storage().path(orphan), (old, old))

    counts = exports_cleanup(now=now)
    assert counts == {"expired": 0, "interrupted": 1, "resent": 1, "orphans": 1}
    assert ExportJob.objects.get(pk=stale.pk).status == ExportStatus.FAILED
    assert "interrupted" in ExportJob.objects.get(pk=stale.pk).error
    assert sent == [lost.pk]
    assert ExportJob.objects.get(pk=fresh.pk).status == ExportStatus.QUEUED
    assert not exports_storage().exists(orphan)


def test_cleanup_is_a_periodic_task():
    from imp_assess.schedules import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["exports-cleanup"]
    assert entry["task"] == "exports.tasks.exports_cleanup_periodic"
    from exports import tasks

    assert tasks.exports_cleanup_periodic.name == entry["task"]


def test_export_data_command_writes_csv_and_xlsx_and_logs_them(known_data, tmp_path):
    call_command("export_data", "--format", "csv", "--out", str(tmp_path))
    call_command("export_data", "--format", "xlsx", "--missions", "MSN-A", "--out", str(tmp_path))
    archive = next(tmp_path.glob("*.zip"))
    with zipfile.ZipFile(archive) as opened:
        assert "answers.csv" in opened.namelist()
        rows = list(csv.reader(io.StringIO(opened.read("answers.csv").decode(), newline="")))
        assert len(rows) == 1 + 12
    assert next(tmp_path.glob("*.xlsx")).stat().st_size > 0
    logged = ExportJob.objects.filter(source=ExportSource.COMMAND, status=ExportStatus.DONE)
    assert logged.count() == 2
    assert all(job.created_by is None and job.size > 0 for job in logged)


def test_export_data_command_refuses_unknown_missions(known_data, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="NOPE"):
        call_command("export_data", "--format", "csv", "--missions", "NOPE", "--out", str(tmp_path))


def test_a_job_over_its_time_limit_fails_with_a_reason_to_choose_less(known_data, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    def slow(**kwargs):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr("exports.xlsx.data_xlsx_write", slow)
    job = export_job_run(job_id=_data_job(known_data, ExportKind.DATA_XLSX).pk)
    assert job.status == ExportStatus.FAILED
    assert "time limit" in job.error
