"""A real OpenID Connect provider for the organisation sign-in tests, on a local port.

oidc-provider-mock (Authlib's authorization server in a Flask app: discovery, JWKS, the
authorization code flow with nonce, userinfo, end_session) runs in a thread. Two things are
added around it here:
- PKCE is required: the authorization request must carry an S256 code challenge, and the token
  request the verifier that matches it (the mock does not check PKCE by itself);
- a test can make the token endpoint hand out an ID token with other claims (another audience,
  issuer or expiry), signed with the provider's own key: what a token meant for another
  application, or a stale one, looks like.

Without the package the tests skip, saying why; with REQUIRE_SERVICE_TESTS=1 (CI) they fail.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.cache import cache

try:
    import flask
    import oidc_provider_mock
    import werkzeug.serving
    from authlib.jose import RSAKey
    from authlib.jose import jwt as authlib_jwt

    _IMPORT_ERROR = ""
except ImportError as exc:  # pragma: no cover - the skip path
    oidc_provider_mock = None
    _IMPORT_ERROR = str(exc)

CLIENT_ID = "imp-assess"
CLIENT_SECRET = "test-client-secret"  # noqa: S105 (the test provider accepts any)

MAPPING = """
ImpAssess.Administrator: [administrator]
ImpAssess.HQAnalyst: [hq_analyst]
ImpAssess.MSN-A.FocalPoint:
  - focal_point: MSN-A
ImpAssess.MSN-B.FocalPoint:
  - focal_point: MSN-B
ImpAssess.MSN-A.Political:
  - respondent: {mission: MSN-A, component: political}
ImpAssess.MSN-B.Military:
  - respondent: {mission: MSN-B, component: military}
ImpAssess.DEMO-ARV.Humanitarian:
  - respondent: {mission: DEMO-ARV, component: humanitarian}
"""


def require_provider() -> None:
    if oidc_provider_mock is None:
        reason = (
            "organisation sign-in tests need a real OpenID provider: install oidc-provider-mock "
            f"(requirements-dev.txt) ({_IMPORT_ERROR})"
        )
        if os.environ.get("REQUIRE_SERVICE_TESTS") == "1":
            pytest.fail(f"REQUIRE_SERVICE_TESTS=1: {reason}")
        pytest.skip(reason)


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass
class Provider:
    url: str
    server: object
    # Set by a test: claims the next ID tokens are re-signed with (e.g. another audience).
    claims_override: dict[str, object] = field(default_factory=dict)
    # Set by a test: sign the next ID tokens with a key that is not in the provider's JWKS.
    foreign_key: bool = False
    challenges: dict[str, str] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def put_user(self, sub: str, **claims: object) -> None:
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        assert response.status_code == 204, response.text

    def authorize(self, authorize_url: str, sub: str) -> str:
        """Sign ``sub`` in at the provider's form; the callback URL it sends the browser to."""
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]


def _add_pkce_and_tampering(app, provider: Provider) -> None:
    @app.before_request
    def pkce_required():
        request = flask.request
        pkce_missing = request.args.get("code_challenge_method") != "S256" or not request.args.get(
            "code_challenge"
        )
        if request.path == "/oauth2/authorize" and request.method == "POST" and pkce_missing:
            return flask.jsonify(error="invalid_request", error_description="PKCE"), 400
        if request.path == "/oauth2/token":
            form = request.form
            provider.token_requests.append(dict(form))
            challenge = provider.challenges.get(form.get("code", ""))
            verifier = form.get("code_verifier", "")
            if challenge is None or not verifier or _s256(verifier) != challenge:
                return flask.jsonify(
                    error="invalid_grant", error_description="PKCE verifier does not match"
                ), 400
        return None

    @app.after_request
    def remember_challenge_or_tamper(response):
        request = flask.request
        if request.path == "/oauth2/authorize" and response.status_code == 302:
            query = parse_qs(urlsplit(response.headers["Location"]).query)
            if "code" in query:
                provider.challenges[query["code"][0]] = request.args["code_challenge"]
        if (
            request.path == "/oauth2/token"
            and response.status_code == 200
            and (provider.claims_override or provider.foreign_key)
        ):
            body = response.get_json()
            key = flask.g.oidc_provider_mock_storage.jwk
            claims = authlib_jwt.decode(body["id_token"], key)
            claims.update(provider.claims_override)
            header = {"alg": "RS256", "kid": key.as_dict()["kid"]}
            signer = RSAKey.generate_key(is_private=True) if provider.foreign_key else key
            body["id_token"] = authlib_jwt.encode(header, dict(claims), signer).decode()
            response.set_data(flask.json.dumps(body))
        return response


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    require_provider()
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain HTTP on the loopback
    app = oidc_provider_mock.app(require_nonce=True)
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    provider = Provider(url=f"http://127.0.0.1:{server.server_port}", server=server)
    _add_pkce_and_tampering(app, provider)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def oidc_settings(settings, oidc_provider, tmp_path: Path):
    """The application configured for the test provider, with the mapping above."""
    mapping = tmp_path / "role-mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = oidc_provider.url
    settings.OIDC_DISCOVERY_URL = f"{oidc_provider.url}/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_ROLE_MAPPING_FILE = str(mapping)
    settings.OIDC_ROLES_CLAIM = "roles"
    settings.OIDC_SUBJECT_CLAIM = "oid"
    settings.OIDC_MFA_ACR_VALUES = []
    cache.clear()  # the provider's metadata is cached
    oidc_provider.claims_override = {}
    oidc_provider.foreign_key = False
    yield settings
    oidc_provider.claims_override = {}
    oidc_provider.foreign_key = False
    cache.clear()
