"""Export files go through Django's storage API; a download checks again that the requester
may still see everything in the file; a respondent's data export holds only the answers of
their own component(s)."""

import csv
import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from assessments.models import Answer, Response, ResponseStatus
from exports.models import ExportJob, ExportKind, ExportStatus
from exports.services import export_job_create, export_job_run, exports_cleanup
from exports.storage import ExportsFileSystemStorage, exports_storage
from imp_assess.env import env_json_object
from missions.models import Component, Membership
from questionnaires.models import Indicator

pytestmark = pytest.mark.django_db

MILITARY_NOTE = "Military evidence: not for the political component."


def _csv_job(user, **kwargs):
    job = export_job_create(by=user, kind=ExportKind.DATA_CSV, **kwargs)
    job = export_job_run(job_id=job.pk)
    assert job.status == ExportStatus.DONE, job.error
    return job


def _answers(client, job) -> list[dict]:
    response = client.get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        text = archive.read("answers.csv").decode()
        readme = archive.read("README.csv").decode()
    return list(csv.DictReader(io.StringIO(text))), readme


# --- storage ------------------------------------------------------------------------------------


def test_the_default_exports_storage_is_on_disk_under_exports_root(settings, tmp_path):
    assert settings.STORAGES["exports"]["BACKEND"] == "exports.storage.ExportsFileSystemStorage"
    settings.EXPORTS_ROOT = tmp_path / "elsewhere"
    storage = exports_storage()
    assert isinstance(storage, ExportsFileSystemStorage)
    assert storage.location == str(tmp_path / "elsewhere")


def test_the_storage_options_come_from_the_environment_as_json(monkeypatch):
    monkeypatch.setenv("EXPORTS_STORAGE_OPTIONS", '{"bucket_name": "exports"}')
    assert env_json_object("EXPORTS_STORAGE_OPTIONS", {}) == {"bucket_name": "exports"}
    for bad in ("{not json", '["a list"]'):
        monkeypatch.setenv("EXPORTS_STORAGE_OPTIONS", bad)
        with pytest.raises(ImproperlyConfigured, match="EXPORTS_STORAGE_OPTIONS"):
            env_json_object("EXPORTS_STORAGE_OPTIONS", {})


def test_every_file_operation_goes_through_the_configured_storage(client, known_data, settings):
    """With an in-memory storage (no disk at all) an export is made, downloaded, expired and
    cleaned up: nothing reads or writes export files behind the storage's back."""
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    analyst = known_data.personas.analyst
    job = _csv_job(analyst)
    storage = exports_storage()
    assert storage.exists(job.file_path) and storage.size(job.file_path) == job.size
    client.force_login(analyst)
    rows, _readme = _answers(client, job)
    assert len(rows) == 12
    orphan = storage.save("999-left-behind.zip", io.BytesIO(b"x"))
    later = job.expires_at + datetime.timedelta(days=1)
    counts = exports_cleanup(now=later)
    assert counts["expired"] == 1 and counts["orphans"] == 1
    assert not storage.exists(job.file_path) and not storage.exists(orphan)


def test_compose_gives_web_and_worker_one_exports_volume():
    import yaml

    from tests.dashboards.conftest import PROJECT_ROOT

    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    mounts = {
        name: [v for v in services[name].get("volumes", []) if v.startswith("exports:")]
        for name in ("web", "worker")
    }
    assert mounts["web"] and mounts["web"] == mounts["worker"], mounts
    assert "exports" in compose["volumes"]


# --- downloads re-check access ------------------------------------------------------------------


def test_a_member_removed_from_a_mission_cannot_fetch_yesterdays_export(client, known_data):
    personas = known_data.personas
    job = _csv_job(personas.focal_point_a)
    client.force_login(personas.focal_point_a)
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 200
    Membership.objects.filter(user=personas.focal_point_a).delete()
    response = client.get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 403
    assert ExportJob.objects.get(pk=job.pk).download_count == 1
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "no longer have access" in page
    assert reverse("exports:download", args=[job.pk]) not in page
    status = client.get(reverse("exports:status", args=[job.pk])).json()
    assert status["download_url"] is None


def test_an_analyst_who_lost_the_role_cannot_fetch_an_all_missions_export(client, known_data):
    analyst = known_data.personas.analyst
    job = _csv_job(analyst)
    analyst.groups.clear()
    client.force_login(analyst)
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 403


# --- component confidentiality ------------------------------------------------------------------


@pytest.fixture
def two_components(known_data):
    """Mission A's current quarter has a military response beside the political one."""
    assessment = known_data.assessment("A", "current")
    military = Response.objects.create(
        assessment=assessment, component=Component.MILITARY, status=ResponseStatus.COMPLETE
    )
    Answer.objects.create(
        response=military,
        indicator=Indicator.objects.get(code="LEAD-01"),
        choice="3",
        evidence=MILITARY_NOTE,
    )
    return known_data


def test_a_respondents_data_export_holds_only_their_components_answers(client, two_components):
    personas = two_components.personas
    job = _csv_job(personas.respondent_a)
    client.force_login(personas.respondent_a)
    rows, readme = _answers(client, job)
    assert rows and {row["component"] for row in rows} == {Component.POLITICAL}
    assert MILITARY_NOTE not in {row["evidence"] for row in rows}
    assert "MSN-A: political" in readme


@pytest.mark.parametrize("persona", ["focal_point_a", "analyst", "admin"])
def test_focal_points_and_analysts_get_every_components_answers(client, two_components, persona):
    user = two_components.personas.all()[persona]
    job = _csv_job(user)
    client.force_login(user)
    rows, _readme = _answers(client, job)
    components = {row["component"] for row in rows if row["mission"] == "MSN-A"}
    assert components == {Component.POLITICAL, Component.MILITARY}
    assert MILITARY_NOTE in {row["evidence"] for row in rows}


def test_a_respondent_moved_to_another_component_cannot_fetch_the_old_file(client, two_components):
    personas = two_components.personas
    job = _csv_job(personas.respondent_a)
    Membership.objects.filter(user=personas.respondent_a).update(component=Component.MILITARY)
    client.force_login(personas.respondent_a)
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 403
