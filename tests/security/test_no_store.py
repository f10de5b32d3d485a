"""Classified content stays out of browser caches: every page, CSV and download says no-store."""

import pytest
from django.test import Client
from django.urls import reverse

from exports.models import ExportKind
from exports.services import export_job_create, export_job_run
from tests.assessments.conftest import questionnaire  # noqa: F401 (fixture)
from tests.dashboards.conftest import small  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _assert_no_store(response, url):
    assert "no-store" in response.get("Cache-Control", ""), (url, response.status_code)


def test_pages_errors_and_redirects_are_no_store(client, personas):
    for url in (reverse("login"), reverse("home")):  # anonymous: a page and a redirect
        _assert_no_store(client.get(url), url)
    client.force_login(personas.focal_point_a)
    for url in (
        reverse("home"),
        reverse("assessments:mine"),
        reverse("questionnaire_list"),
        reverse("exports:index"),
        reverse("dashboards:profile", args=[personas.mission_a.pk]),
        "/no/such/page/",
    ):
        _assert_no_store(client.get(url), url)


def test_chart_csv_is_no_store(client, personas, small):  # noqa: F811
    client.force_login(personas.analyst)
    url = reverse("dashboards:profile", args=[small.a.pk]) + "?format=csv&chart=radar"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    _assert_no_store(response, url)


def test_export_download_is_no_store(personas):
    job = export_job_run(job_id=export_job_create(by=personas.analyst, kind=ExportKind.DATA_CSV).pk)
    client = Client()
    client.force_login(personas.analyst)
    url = reverse("exports:download", args=[job.pk])
    response = client.get(url)
    assert response.status_code == 200 and response.get("Content-Disposition", "")
    _assert_no_store(response, url)


def test_static_files_keep_their_caching(settings):
    settings.WHITENOISE_USE_FINDERS = True  # no collectstatic folder in tests
    response = Client().get("/static/css/imp.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
