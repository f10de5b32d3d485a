"""The login page, the role-dependent home page and the layout every page shares."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_renders_in_the_product_layout(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert 'for="id_username"' in html and 'for="id_password"' in html
    assert "UN CONFIDENTIAL" in html


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_analyst_logs_in_and_sees_the_home_page_with_every_mission(client, personas):
    response = client.post(
        reverse("login"), {"username": "analyst", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    html = response.content.decode()
    assert "HQ analyst" in html
    assert "MSN-A" in html and "MSN-B" in html
    assert reverse("admin:index") not in html  # no administration link for analysts


def test_wrong_password_shows_an_error_and_no_session(client, personas):
    response = client.post(reverse("login"), {"username": "analyst", "password": "nope"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_respondent_home_lists_only_their_mission(client, personas):
    client.force_login(personas.respondent_a)
    html = client.get(reverse("home")).content.decode()
    assert "MSN-A" in html and "MSN-B" not in html


def test_administrator_navigation_links_to_the_admin(client, personas):
    client.force_login(personas.admin)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


def test_demo_marker_shows_when_demo_missions_are_visible(client, personas):
    client.force_login(personas.respondent_a)
    assert "DEMO DATA" not in client.get(reverse("home")).content.decode()
    personas.mission_a.is_demo = True
    personas.mission_a.save()
    assert "DEMO DATA" in client.get(reverse("home")).content.decode()
    client.force_login(personas.respondent_b)
    assert "DEMO DATA" not in client.get(reverse("home")).content.decode()


def test_logout_ends_the_session(client, personas):
    client.force_login(personas.analyst)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_static_assets_are_local_not_from_a_cdn(client):
    html = client.get(reverse("login")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "cdn" not in html.lower() and "https://" not in html
