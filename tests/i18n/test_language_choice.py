"""The language switcher, the profile's language, the browser's default, user_language()."""

import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from questionnaires.models import _STEP_NAMES_TO_TRANSLATE
from questionnaires.steps import STEP_NAMES
from security.languages import user_language
from security.models import UserProfile

pytestmark = pytest.mark.django_db


def test_anonymous_page_follows_the_browser(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "Connexion" in html


def test_signed_in_user_without_a_choice_follows_the_browser(client, personas):
    client.force_login(personas.respondent_a)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.headers["Content-Language"] == "fr"
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers["Content-Language"] == "en"
    assert user_language(personas.respondent_a) == settings.LANGUAGE_CODE == "en"


def test_switcher_saves_the_choice_to_the_profile_and_wins_over_the_browser(client, personas):
    client.force_login(personas.respondent_a)
    response = client.post(
        reverse("language_set"), {"language": "fr", "next": reverse("assessments:mine")}
    )
    assert response.status_code == 302 and response.url == reverse("assessments:mine")
    assert UserProfile.objects.get(user=personas.respondent_a).language == "fr"
    assert user_language(personas.respondent_a) == "fr"
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert ">Évaluations</a>" in html


def test_the_choice_follows_the_user_to_a_new_session(client, personas):
    UserProfile.objects.create(user=personas.analyst, language="fr")
    client.force_login(personas.analyst)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers["Content-Language"] == "fr"


def test_switcher_refuses_an_unknown_language_and_a_foreign_next(client, personas):
    client.force_login(personas.respondent_a)
    assert client.post(reverse("language_set"), {"language": "xx"}).status_code == 400
    assert not UserProfile.objects.exists()
    response = client.post(
        reverse("language_set"), {"language": "fr", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == "/"


def test_switcher_before_login_sets_the_cookie(client):
    response = client.post(reverse("language_set"), {"language": "fr", "next": reverse("login")})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert "Connexion" in client.get(reverse("login")).content.decode()


def test_switcher_is_post_only(client):
    assert client.get(reverse("language_set")).status_code == 405


def test_user_language_of_the_system_is_the_default():
    assert user_language(None) == settings.LANGUAGE_CODE


def test_javascript_catalog_is_a_script_in_french(client):
    response = client.get(reverse("javascript_catalog"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    # The catalogue is JSON inside the script (non-ASCII escaped).
    assert json.dumps("Enregistré à %(time)s") in response.content.decode()


def test_step_names_are_marked_and_translated():
    assert tuple(STEP_NAMES.values()) == _STEP_NAMES_TO_TRANSLATE
    with translation.override("fr"):
        assert translation.gettext(STEP_NAMES[4]) == "Collaboration / planification conjointe"
