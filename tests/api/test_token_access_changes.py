"""API tokens hold to the second factor and end when the user's access changes (issue #25,
items 1 and 5), replayed through the API, the pages and the admin: a token works only while
its user's current role would be let in with the sign-in it was made under; a raised role or
membership, a password change or reset, a second-factor reset and deactivation revoke the
user's tokens, each logged."""

import datetime
import re
import time

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from api.models import ApiToken
from missions.models import Membership, MembershipRole
from missions.roles import ANALYST_GROUP
from security.models import SecurityEvent
from tests.api.conftest import bearer, token_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

MISSIONS = "/api/v1/missions/"
NEW_PASSWORD = "coherence across the peace continuum"


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def _verified_client(client, user):
    """A browser session that passed the second factor."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    client.post(reverse("two_factor"), {"token": _code(device), "next": "/"})
    return client


def _revocations(username: str) -> list[str]:
    return list(
        SecurityEvent.objects.filter(
            kind="api_token", detail__startswith=f"API token of {username} revoked"
        ).values_list("detail", flat=True)
    )


def _all_revoked(user) -> bool:
    tokens = ApiToken.objects.filter(user=user)
    return tokens.exists() and not tokens.filter(revoked_at__isnull=True).exists()


def test_a_respondents_token_ends_when_an_administrator_adds_them_to_hq_analysts(
    client, personas, settings
):
    settings.OTP_REQUIRED_FOR_HQ = True
    respondent = personas.respondent_a
    key = token_for(respondent)
    seen = client.get(MISSIONS, **bearer(key))
    assert seen.status_code == 200 and {m["code"] for m in seen.json()["results"]} == {"MSN-A"}
    admin = _verified_client(client, personas.admin)
    analysts = Group.objects.get_or_create(name=ANALYST_GROUP)[0]
    change = admin.post(
        reverse("admin:auth_user_change", args=[respondent.pk]),
        {
            "username": respondent.username,
            "email": respondent.email,
            "is_active": "on",
            "groups": [analysts.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert change.status_code == 302, change.content.decode()[:3000]
    assert respondent.groups.filter(name=ANALYST_GROUP).exists()
    refused = client.get(MISSIONS, **bearer(key))
    assert refused.status_code == 401
    assert _all_revoked(respondent)
    assert any("added to group HQ analysts" in line for line in _revocations("respondent_a"))


def test_the_second_factor_rule_holds_even_if_a_token_was_not_revoked(client, personas, settings):
    """A token made without the second factor is refused once its user needs one, whatever
    the revocations did (the rule is asked at every request)."""
    settings.OTP_REQUIRED_FOR_HQ = True
    key = token_for(personas.respondent_a)
    personas.respondent_a.groups.add(Group.objects.get_or_create(name=ANALYST_GROUP)[0])
    ApiToken.objects.update(revoked_at=None)  # as if the revocation had been missed
    refused = client.get(MISSIONS, **bearer(key))
    assert refused.status_code == 401
    assert "second factor" in refused.json()["detail"]


def test_an_analysts_token_made_before_the_second_factor_was_enforced_stops_working(
    client, personas, settings
):
    """A pilot without enforcement: the analyst makes a token on the tokens page. Once the
    second factor is enforced, their browser is sent to it, and so is their token: refused."""
    settings.OTP_REQUIRED_FOR_HQ = False
    client.force_login(personas.analyst)
    created = client.post(reverse("api:tokens"), {"name": "BI", "expires_on": _in_days(30)})
    key = re.search(r"imp_[A-Za-z0-9_-]+", created.content.decode()).group(0)
    assert Client().get(MISSIONS, **bearer(key)).status_code == 200
    settings.OTP_REQUIRED_FOR_HQ = True
    page = client.get(reverse("home"))
    assert page.status_code == 302 and page.url.startswith(reverse("two_factor"))
    assert Client().get(MISSIONS, **bearer(key)).status_code == 401  # a BI tool: no session


def test_an_analysts_token_made_before_enrolling_an_authenticator_stops_working(
    client, personas, settings
):
    settings.OTP_REQUIRED_FOR_HQ = False
    key = token_for(personas.analyst)
    assert client.get(MISSIONS, **bearer(key)).status_code == 200
    TOTPDevice.objects.create(user=personas.analyst, name="phone", confirmed=True)
    assert client.get(MISSIONS, **bearer(key)).status_code == 401


def test_who_needs_a_second_factor_creates_tokens_only_in_a_verified_session(
    client, personas, settings
):
    settings.OTP_REQUIRED_FOR_HQ = True
    client.force_login(personas.analyst)
    form = {"name": "BI", "expires_on": _in_days(30)}
    unverified = client.post(reverse("api:tokens"), form)
    assert unverified.status_code == 302 and unverified.url.startswith(reverse("two_factor"))
    assert not ApiToken.objects.exists()
    _verified_client(client, personas.analyst)
    created = client.post(reverse("api:tokens"), form)
    assert created.status_code == 200
    token = ApiToken.objects.get()
    assert token.second_factor_verified
    key = re.search(r"imp_[A-Za-z0-9_-]+", created.content.decode()).group(0)
    assert client.get(MISSIONS, **bearer(key)).status_code == 200


def test_the_service_refuses_an_unverified_token_for_who_needs_a_second_factor(personas, settings):
    settings.OTP_REQUIRED_FOR_HQ = True
    with pytest.raises(ValidationError, match="second factor"):
        token_for(personas.analyst, second_factor_verified=False)
    assert token_for(personas.analyst, second_factor_verified=True)


def test_a_password_reset_through_the_emailed_link_revokes_the_users_tokens(client, personas):
    key = token_for(personas.respondent_a)
    assert client.get(MISSIONS, **bearer(key)).status_code == 200
    client.post(reverse("password_reset"), {"email": "respondent_a@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    confirm = client.get(link, follow=True)
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert client.get(MISSIONS, **bearer(key)).status_code == 401
    assert _all_revoked(personas.respondent_a)
    assert any("password changed or reset" in line for line in _revocations("respondent_a"))


def test_a_password_change_on_the_account_page_revokes_the_users_tokens(client, personas):
    key = token_for(personas.respondent_a)
    client.force_login(personas.respondent_a)
    changed = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert client.get(MISSIONS, **bearer(key)).status_code == 401
    assert _all_revoked(personas.respondent_a)


def test_an_administrator_resetting_the_second_factor_revokes_the_users_tokens(
    client, personas, settings
):
    settings.OTP_REQUIRED_FOR_HQ = True
    analyst = personas.analyst
    device = TOTPDevice.objects.create(user=analyst, name="phone", confirmed=True)
    key = token_for(analyst, second_factor_verified=True)
    assert client.get(MISSIONS, **bearer(key)).status_code == 200
    admin = _verified_client(client, personas.admin)
    deleted = admin.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert client.get(MISSIONS, **bearer(key)).status_code == 401
    assert any("second factor reset" in line for line in _revocations("analyst"))


def test_deactivation_revokes_the_users_tokens(client, personas):
    key = token_for(personas.focal_point_a)
    personas.focal_point_a.is_active = False
    personas.focal_point_a.save()
    assert client.get(MISSIONS, **bearer(key)).status_code == 401
    assert any("deactivated" in line for line in _revocations("focal_point_a"))


def test_a_new_membership_or_role_revokes_but_leaving_a_mission_does_not(personas):
    token_for(personas.respondent_a)
    membership = Membership.objects.get(user=personas.respondent_a)
    membership.role = MembershipRole.FOCAL_POINT
    membership.component = ""
    membership.save()
    assert _all_revoked(personas.respondent_a)
    assert any("membership changed" in line for line in _revocations("respondent_a"))
    token_for(personas.respondent_b)
    Membership.objects.filter(user=personas.respondent_b).delete()  # sees less: no revocation
    assert ApiToken.objects.filter(user=personas.respondent_b, revoked_at__isnull=True).exists()
    Membership.objects.create(
        user=personas.respondent_b,
        mission=personas.mission_a,
        role=MembershipRole.RESPONDENT,
        component=membership.component or "political",
    )
    assert _all_revoked(personas.respondent_b)


def test_a_last_login_update_does_not_revoke_tokens(client, personas):
    token_for(personas.respondent_a)
    client.post(reverse("login"), {"username": "respondent_a", "password": PASSWORD})
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1


def _in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()
