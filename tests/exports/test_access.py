"""Who may export what, for each of the six personas (and anonymous visitors)."""

import pytest
from django.urls import reverse

from exports import pdf
from exports.models import ExportJob, ExportKind, ExportStatus
from exports.services import export_job_create, export_job_run

pytestmark = pytest.mark.django_db

PERSONAS = ["respondent_a", "focal_point_a", "respondent_b", "focal_point_b", "analyst", "admin"]


@pytest.fixture(autouse=True)
def _quick_scorecards(monkeypatch):
    """Access rules do not need real figures: a stand-in PDF is enough here."""

    def write(*, path, user, mission_id, period_id):
        path.write_bytes(b"%PDF-1.7 stand-in")

    monkeypatch.setattr(pdf, "scorecard_pdf_write", write)


def _login(client, personas, name):
    client.force_login(personas.all()[name])


def test_anonymous_visitors_are_sent_to_the_login_page(client, known_data):
    for name in ["exports:index"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    url = reverse(
        "exports:mission_scorecard",
        args=[known_data.personas.mission_a.pk, known_data.current_period.pk],
    )
    assert client.post(url).status_code == 302
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("respondent_a", 302),
        ("focal_point_a", 302),
        ("respondent_b", 404),
        ("focal_point_b", 404),
        ("analyst", 302),
        ("admin", 302),
    ],
)
def test_mission_a_scorecard_per_persona(client, known_data, persona, expected):
    personas = known_data.personas
    _login(client, personas, persona)
    url = reverse(
        "exports:mission_scorecard", args=[personas.mission_a.pk, known_data.current_period.pk]
    )
    response = client.post(url)
    assert response.status_code == expected
    if expected == 404:
        assert not ExportJob.objects.exists()
        return
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("exports:download", args=[job.pk])
    assert job.created_by == personas.all()[persona]
    download = client.get(response["Location"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]
    assert "scorecard-MSN-A-" in download["Content-Disposition"]


def test_the_scorecard_url_answers_404_before_405_to_outsiders(client, known_data):
    personas = known_data.personas
    url = reverse(
        "exports:mission_scorecard", args=[personas.mission_a.pk, known_data.current_period.pk]
    )
    _login(client, personas, "respondent_b")
    assert client.get(url).status_code == 404
    _login(client, personas, "respondent_a")
    assert client.get(url).status_code == 405


def test_scorecard_form_offers_only_the_users_missions(client, known_data):
    personas = known_data.personas
    _login(client, personas, "respondent_a")
    page = client.get(reverse("exports:index"))
    assert page.status_code == 200
    form = page.context["scorecard_form"]
    assert list(form.fields["mission"].queryset) == [personas.mission_a]
    refused = client.post(
        reverse("exports:scorecard"),
        {
            "scorecard-mission": personas.mission_b.pk,
            "scorecard-period": known_data.current_period.pk,
        },
    )
    assert refused.status_code == 400
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("respondent_a", 403),
        ("focal_point_a", 403),
        ("respondent_b", 403),
        ("focal_point_b", 403),
        ("analyst", 302),
        ("admin", 302),
    ],
)
def test_briefing_pack_is_for_analysts_and_administrators(
    client, known_data, persona, expected, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("exports.services.requesting._send", lambda job_id: None)
    personas = known_data.personas
    _login(client, personas, persona)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exports:briefing_pack"),
            {
                "briefing-period": known_data.current_period.pk,
                "briefing-missions": [personas.mission_a.pk, personas.mission_b.pk],
            },
        )
    assert response.status_code == expected
    assert ExportJob.objects.filter(kind=ExportKind.BRIEFING_PACK).count() == (
        1 if expected == 302 else 0
    )


@pytest.mark.parametrize(
    ("persona", "mission", "expected"),
    [
        ("respondent_a", "A", 403),
        ("focal_point_a", "A", 302),
        ("focal_point_a", "B", 400),
        ("respondent_b", "A", 403),
        ("focal_point_b", "A", 400),
        ("analyst", "B", 302),
        ("admin", "A", 302),
    ],
)
def test_briefing_deck_is_for_analysts_administrators_and_own_focal_points(
    client, known_data, monkeypatch, persona, mission, expected
):
    monkeypatch.setattr("exports.services.requesting._send", lambda job_id: None)
    personas = known_data.personas
    client.force_login(personas.all()[persona])
    target = personas.mission_a if mission == "A" else personas.mission_b
    response = client.post(
        reverse("exports:briefing_deck"),
        {"deck-period": known_data.current_period.pk, "deck-missions": [target.pk]},
    )
    assert response.status_code == expected
    assert ExportJob.objects.filter(kind=ExportKind.BRIEFING_DECK).count() == (
        1 if expected == 302 else 0
    )


def test_the_deck_url_is_post_only_and_needs_a_login(client, known_data):
    url = reverse("exports:briefing_deck")
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(known_data.personas.analyst)
    assert client.get(url).status_code == 405


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("respondent_a", 302),
        ("focal_point_a", 302),
        ("analyst", 302),
        ("admin", 200),
    ],
)
def test_only_administrators_upload_deck_templates(client, known_data, persona, expected):
    """The admin sends everyone else to its login page (302)."""
    _login(client, known_data.personas, persona)
    for name in ("admin:exports_decktemplate_changelist", "admin:exports_decktemplate_add"):
        response = client.get(reverse(name))
        assert response.status_code == expected
        if expected == 302:
            assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "missions"),
    [
        ("respondent_a", ["MSN-A"]),
        ("focal_point_a", ["MSN-A"]),
        ("respondent_b", ["MSN-B"]),
        ("focal_point_b", ["MSN-B"]),
        ("analyst", None),
        ("admin", None),
    ],
)
def test_data_export_is_limited_to_the_users_missions(
    client, known_data, persona, missions, monkeypatch
):
    monkeypatch.setattr("exports.services.requesting._send", lambda job_id: None)
    personas = known_data.personas
    _login(client, personas, persona)
    response = client.post(reverse("exports:data"), {"data-format": "csv"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    ids = job.parameters["mission_ids"]
    codes = (
        None
        if ids is None
        else [m.code for m in personas.mission_a._meta.model.objects.filter(pk__in=ids)]
    )
    assert codes == missions


def test_staff_cannot_ask_for_another_missions_data(client, known_data):
    personas = known_data.personas
    _login(client, personas, "focal_point_a")
    response = client.post(
        reverse("exports:data"), {"data-format": "xlsx", "data-missions": [personas.mission_b.pk]}
    )
    assert response.status_code == 400
    assert not ExportJob.objects.exists()


def test_a_user_without_missions_cannot_export_data(client, known_data, django_user_model):
    loner = django_user_model.objects.create_user("loner", password="x")  # noqa: S106
    client.force_login(loner)
    assert client.get(reverse("exports:index")).status_code == 200
    assert client.post(reverse("exports:data"), {"data-format": "csv"}).status_code == 404


@pytest.fixture
def job_of_respondent_a(known_data):
    job = export_job_create(
        by=known_data.personas.respondent_a,
        kind=ExportKind.SCORECARD,
        mission_ids=[known_data.personas.mission_a.pk],
        period_id=known_data.current_period.pk,
    )
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    return job


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("respondent_a", 200),
        ("focal_point_a", 404),
        ("respondent_b", 404),
        ("focal_point_b", 404),
        ("analyst", 404),
        ("admin", 200),
    ],
)
def test_a_file_is_served_to_the_person_who_asked_or_an_administrator(
    client, known_data, job_of_respondent_a, persona, expected
):
    _login(client, known_data.personas, persona)
    for name in ["exports:job", "exports:status", "exports:download"]:
        response = client.get(reverse(name, args=[job_of_respondent_a.pk]))
        assert response.status_code == expected, name
    retry = client.post(reverse("exports:retry", args=[job_of_respondent_a.pk]))
    assert retry.status_code == (302 if expected == 200 else 404)


def test_files_are_not_under_any_static_or_media_folder(settings, job_of_respondent_a):
    from pathlib import Path

    root = Path(settings.EXPORTS_ROOT).resolve()
    for public in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        folder = Path(public[1] if isinstance(public, tuple) else public).resolve()
        assert folder not in root.parents and folder != root


def test_administrators_see_the_export_log(client, known_data, job_of_respondent_a):
    _login(client, known_data.personas, "admin")
    page = client.get(reverse("exports:index"))
    assert job_of_respondent_a in page.context["log"]
    admin_page = client.get(reverse("admin:exports_exportjob_changelist"))
    assert admin_page.status_code == 200
    assert job_of_respondent_a.description.encode() in admin_page.content
    _login(client, known_data.personas, "analyst")
    assert client.get(reverse("exports:index")).context["log"] is None
