"""Every user can change their password (12 characters at least, Django's validators) and
reset a forgotten one by e-mail; the pages use the product's layout."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from security.models import SecurityEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "coherence across the peace continuum"


def _can_log_in(username, password) -> bool:
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Oslo#2007abc"[:11])
    validate_password("Oslo#2007abc")


def test_every_user_changes_their_password_from_the_account_page(client, personas):
    client.force_login(personas.respondent_a)
    account = client.get(reverse("account")).content.decode()
    assert reverse("password_change") in account
    assert reverse("account") in client.get(reverse("home")).content.decode()  # user menu
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "UN CONFIDENTIAL" in page.content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    assert client.get(reverse("home")).status_code == 200  # this session goes on
    assert _can_log_in("respondent_a", NEW_PASSWORD)
    assert not _can_log_in("respondent_a", PASSWORD)
    assert SecurityEvent.objects.filter(
        kind="password", username="respondent_a", detail="changed"
    ).exists()


def test_a_short_new_password_is_refused(client, personas):
    client.force_login(personas.respondent_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Peace#2007x", "new_password2": "Peace#2007x"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert _can_log_in("respondent_a", PASSWORD)


def test_anonymous_visitors_cannot_change_a_password(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_forgotten_password_is_reset_through_an_emailed_link(client, personas):
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page
    form = client.get(reverse("password_reset"))
    assert form.status_code == 200 and "UN CONFIDENTIAL" in form.content.decode()
    response = client.post(reverse("password_reset"), {"email": "respondent_a@example.org"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["respondent_a@example.org"]
    assert "reset your password" in message.subject
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", message.body).group(1)
    confirm = client.get(link, follow=True)
    assert "Choose a new password" in confirm.content.decode()
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert _can_log_in("respondent_a", NEW_PASSWORD)
    assert SecurityEvent.objects.filter(kind="password", username="respondent_a").exists()
    # The link works once.
    assert "not valid" in client.get(link, follow=True).content.decode()


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, personas):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "Check your e-mail" in response.content.decode()
    assert not mail.outbox


def test_account_pages_have_no_inline_scripts_or_styles_and_label_every_field(personas):
    client = Client()
    client.force_login(personas.analyst)
    client.post(reverse("password_confirm"), {"password": PASSWORD, "next": "/"})
    urls = [
        reverse("account"),
        reverse("password_change"),
        reverse("password_confirm"),
        reverse("two_factor_setup"),
        reverse("recovery_codes"),
    ]
    pages = [client.get(url) for url in urls]
    pages.append(Client().get(reverse("password_reset")))
    for url, response in zip([*urls, reverse("password_reset")], pages, strict=True):
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html and "<style" not in html, url
        assert "<h1" in html, url
        for field_id in re.findall(
            r'<input[^>]*type="(?:text|password|email)"[^>]*id="([^"]+)"', html
        ):
            assert f'for="{field_id}"' in html, (url, field_id)
