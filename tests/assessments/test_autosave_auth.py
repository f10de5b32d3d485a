"""The autosave endpoint answers its script in JSON even when the session or the CSRF
token is gone, so the page can keep the typing and say so instead of retrying HTML."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Answer

pytestmark = pytest.mark.django_db


def _autosave_url(assessment):
    return reverse("assessments:autosave", args=[assessment.pk, "political", "LEAD"])


def _page(**values):
    return {"LEAD-01-revision": "0", "LEAD-02-revision": "0", **values}


def test_signed_out_autosave_is_a_json_401_with_a_reason(client, assessment_a):
    response = client.post(
        _autosave_url(assessment_a), _page(**{"LEAD-01-choice": "3"}), HTTP_X_REQUESTED_WITH="fetch"
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "signed_out", "reason": "login_required"}
    assert not Answer.objects.exists()


def test_csrf_failure_of_a_fetch_is_a_json_403_with_a_reason(personas, assessment_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.respondent_a)
    response = client.post(
        _autosave_url(assessment_a),
        _page(**{"LEAD-01-choice": "3", "csrfmiddlewaretoken": "stale" * 8}),
        HTTP_X_REQUESTED_WITH="fetch",
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {"status": "forbidden", "reason": "csrf_failed"}
    assert not Answer.objects.exists()


def test_csrf_failure_of_a_page_form_is_still_the_html_page(personas, assessment_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.respondent_a)
    url = reverse("assessments:answer", args=[assessment_a.pk, "political", "LEAD"])
    response = client.post(url, _page(**{"LEAD-01-choice": "3"}))
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert not Answer.objects.exists()


def test_the_answer_page_gives_the_script_its_translated_messages_and_storage_key(
    client, personas, assessment_a
):
    client.force_login(personas.respondent_a)
    html = client.get(
        reverse("assessments:answer", args=[assessment_a.pk, "political", "LEAD"])
    ).content.decode()
    # The script's messages come from the JavaScript catalogue, loaded before it.
    catalogue = reverse("javascript_catalog")
    assert html.index(f'src="{catalogue}"') < html.index("js/autosave.js")
    script = client.get(catalogue, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert (
        json.dumps(
            "Vous avez été déconnecté — reconnectez-vous dans un autre onglet\u202f; "
            "votre saisie est conservée ici."
        )
        in script
    )
    key = f"imp-assess:answers:{personas.respondent_a.pk}:{assessment_a.pk}:political:LEAD"
    assert f'data-storage-key="{key}"' in html
    assert 'id="conflict-row-template"' in html
