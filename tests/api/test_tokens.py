"""Personal access tokens: shown once, stored hashed, expiry at most a year, revocation,
the security log, throttling per user and at most ten active tokens per user."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.permissions import TOKEN_MAX_ACTIVE
from api.services import api_token_create
from api.throttling import TokenRateThrottle
from security.models import EventKind, SecurityEvent
from tests.api.conftest import bearer, token_for

pytestmark = pytest.mark.django_db


def test_the_tokens_page_creates_a_token_shown_once_and_stores_only_its_digest(client, personas):
    client.force_login(personas.analyst)
    expires = timezone.localdate() + datetime.timedelta(days=200)
    response = client.post(
        reverse("api:tokens"), {"name": "Power BI", "expires_on": expires.isoformat()}
    )
    assert response.status_code == 200
    key = response.context["created_key"]
    assert key.startswith("imp_") and key in response.content.decode()
    token = ApiToken.objects.get(user=personas.analyst)
    assert token.name == "Power BI" and token.expires_at.date() == expires
    assert key not in {token.key_hash, token.prefix} and token.prefix == key[:12]
    # Shown once: the page never shows it again.
    assert key not in client.get(reverse("api:tokens")).content.decode()
    assert client.get(reverse("api:missions"), **bearer(key)).status_code == 200


@pytest.mark.parametrize("days", [0, 366, -1])
def test_expiry_must_be_within_a_year(client, personas, days):
    client.force_login(personas.respondent_a)
    expires = timezone.localdate() + datetime.timedelta(days=days)
    response = client.post(reverse("api:tokens"), {"name": "x", "expires_on": expires.isoformat()})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_year_is_allowed(personas):
    token, _key = api_token_create(
        user=personas.analyst,
        name="yearly",
        expires_on=timezone.localdate() + datetime.timedelta(days=365),
        second_factor_verified=False,
    )
    assert token.pk


def test_revoked_and_expired_tokens_are_refused(client, personas):
    key = token_for(personas.analyst)
    assert client.get(reverse("api:missions"), **bearer(key)).status_code == 200
    client.force_login(personas.analyst)
    token = ApiToken.objects.get()
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 302
    client.logout()
    assert client.get(reverse("api:missions"), **bearer(key)).status_code == 401

    other = token_for(personas.analyst)
    ApiToken.objects.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(reverse("api:missions"), **bearer(other)).status_code == 401
    assert client.get(reverse("api:missions"), **bearer("imp_nonsense")).status_code == 401


def test_nobody_revokes_another_users_token(client, personas):
    token_for(personas.analyst)
    token = ApiToken.objects.get()
    client.force_login(personas.admin)
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    client.force_login(personas.analyst)
    assert client.get(reverse("api:token_revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_security_log_records_creation_first_use_of_the_day_and_revocation(client, personas):
    key = token_for(personas.focal_point_a, name="Excel")
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    for _ in range(3):
        assert client.get(reverse("api:periods"), **bearer(key)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    client.force_login(personas.focal_point_a)
    client.post(reverse("api:token_revoke", args=[token.pk]))
    details = list(
        SecurityEvent.objects.filter(kind=EventKind.API_TOKEN)
        .order_by("pk")
        .values_list("username", "detail")
    )
    assert [username for username, _detail in details] == ["focal_point_a"] * 3
    assert details[0][1].startswith(f"API token created: {token.prefix}… (Excel)")
    assert details[1][1] == f"API token used: {token.prefix}… (Excel)"  # once, not three times
    assert details[2][1] == f"API token revoked: {token.prefix}… (Excel)"
    assert "Excel" in client.get(reverse("api:tokens")).content.decode()


def test_throttling_per_user_answers_429_with_retry_after(client, personas, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api": "3/min"})
    first, other_users = token_for(personas.analyst), token_for(personas.respondent_a)
    url = reverse("api:periods")
    assert [client.get(url, **bearer(first)).status_code for _ in range(3)] == [200] * 3
    refused = client.get(url, **bearer(first))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another user has their own allowance.
    assert client.get(url, **bearer(other_users)).status_code == 200


def test_a_second_token_does_not_reset_the_users_allowance(client, personas, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api": "3/min"})
    first, second = token_for(personas.analyst), token_for(personas.analyst, name="second")
    url = reverse("api:periods")
    assert [client.get(url, **bearer(first)).status_code for _ in range(3)] == [200] * 3
    assert client.get(url, **bearer(second)).status_code == 429
    client.force_login(personas.analyst)  # nor does the user's browser session
    assert client.get(url).status_code == 429


def test_a_user_holds_at_most_ten_active_tokens(client, personas):
    for number in range(TOKEN_MAX_ACTIVE):
        token_for(personas.analyst, name=f"tool {number}")
    client.force_login(personas.analyst)
    expires = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    refused = client.post(reverse("api:tokens"), {"name": "eleventh", "expires_on": expires})
    assert refused.status_code == 400
    assert "you already have 10 active tokens" in refused.content.decode()
    assert ApiToken.objects.filter(user=personas.analyst).count() == TOKEN_MAX_ACTIVE
    # A revoked (or expired) token frees a place.
    oldest = ApiToken.objects.filter(user=personas.analyst).last()
    client.post(reverse("api:token_revoke", args=[oldest.pk]))
    created = client.post(reverse("api:tokens"), {"name": "eleventh", "expires_on": expires})
    assert created.status_code == 200 and "imp_" in created.content.decode()
