"""The access matrix again, with people who exist only at the organisation's provider: each of
the six personas is an account made at its first organisation sign-in (a real OpenID provider
on a local port, tests/oidc_provider.py), its role given by the role mapping from a provider
app role. They must get exactly what the local personas get (EXPECTED), and change nothing
where they are refused."""

import pytest
from django.test import Client
from django.urls import reverse

from security.models import OrganisationIdentity
from tests.assessments.test_access_matrix import (
    EXPECTED,
    PERSONAS,
    TAMPERING_POST,
    URL_NAMES,
    _state,
    _url,
)
from tests.security.test_oidc import sign_in

pytestmark = pytest.mark.django_db

# The provider app role that makes each persona (the mapping in tests/oidc_provider.py).
PROVIDER_ROLES = {
    "respondent_a": "ImpAssess.MSN-A.Political",
    "focal_point_a": "ImpAssess.MSN-A.FocalPoint",
    "respondent_b": "ImpAssess.MSN-B.Military",
    "focal_point_b": "ImpAssess.MSN-B.FocalPoint",
    "analyst": "ImpAssess.HQAnalyst",
    "admin": "ImpAssess.Administrator",
}


def _sso_client(provider, persona: str) -> Client:
    sub = f"sso-{persona}"
    provider.put_user(
        sub,
        oid=f"oid-{sub}",
        email=f"{sub}@un.example",
        name=f"SSO {persona}",
        roles=[PROVIDER_ROLES[persona]],
        amr=["pwd", "mfa"],
    )
    client = Client()
    response = sign_in(client, provider, sub)
    assert response.status_code == 302 and response["Location"] == reverse("home"), persona
    identity = OrganisationIdentity.objects.get(subject=f"oid-{sub}")
    assert not identity.user.has_usable_password()  # made by the sign-in, not locally
    return client


@pytest.mark.parametrize("persona_index", range(len(PERSONAS)), ids=PERSONAS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_access_matrix_with_organisation_accounts(
    oidc_settings, oidc_provider, personas, assessment_a, assessment_b, persona_index, method
):
    persona = PERSONAS[persona_index]
    client = _sso_client(oidc_provider, persona)
    mismatches = []
    for name in URL_NAMES:
        expected = EXPECTED[name.split(":")[-1]][method][persona_index]
        before = _state()
        url = _url(name, assessment_a)
        response = client.get(url) if method == "GET" else client.post(url, TAMPERING_POST)
        if response.status_code != expected:
            mismatches.append((name, response.status_code, expected))
        if method == "POST" and expected in (400, 403, 404, 405):
            assert _state() == before, f"SSO {persona} changed data through {name}"
    assert not mismatches, f"SSO {persona} {method}: (url, got, expected) {mismatches}"
