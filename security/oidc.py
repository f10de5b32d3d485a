"""Organisation sign-in with OpenID Connect (mozilla-django-oidc, tightened).

The authorization code flow only, with PKCE (S256), ``state`` and ``nonce`` (the library's
request view keeps them in the session and the callback uses each once). What is checked here
beyond the library: the provider's metadata comes from discovery and must name the configured
issuer; the ID token's signature is checked against the provider's JWKS, and its issuer,
audience (our client id), expiry, issue time and nonce, with ``OIDC_CLOCK_SKEW`` seconds of
clock difference allowed. Claims are read from the ID token (Entra puts app roles, ``oid`` and
``amr`` there; its userinfo endpoint has none of them).

Every failure is a ``SignInRefused`` with a code the callback view turns into a page in the
user's language and a security-log entry; nothing is made before every check has passed.
"""

from __future__ import annotations

import enum
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from security.oidc_accounts import SignInResult, organisation_account_sign_in
from security.oidc_mapping import RoleMappingError, role_mapping_load, roles_granted

_METADATA_CACHE_KEY = "imp-oidc-metadata"
_METADATA_CACHE_SECONDS = 3600
ID_TOKEN_SESSION_KEY = "oidc_id_token"  # noqa: S105 (a session key): the hint for sign-out
SIGNED_IN_WITH_OIDC = "imp_oidc_signed_in"


class Refusal(enum.StrEnum):
    PROVIDER_DOWN = "provider_down"
    WRONG_ISSUER = "wrong_issuer"
    CODE_REJECTED = "code_rejected"  # expired or already used at the provider
    STATE_UNKNOWN = "state_unknown"  # an old or replayed answer from the provider
    WRONG_AUDIENCE = "wrong_audience"
    TOKEN_EXPIRED = "token_expired"  # noqa: S105 (a refusal code)
    INVALID_TOKEN = "invalid_token"  # noqa: S105 (a refusal code)
    MISSING_ROLE_CLAIM = "missing_role_claim"
    MISSING_SUBJECT = "missing_subject"
    PROVIDER_ERROR = "provider_error"  # the provider answered with an error (e.g. denied)
    MAPPING_BROKEN = "mapping_broken"


class SignInRefused(Exception):
    def __init__(self, refusal: Refusal, detail: str, *, subject: str = "") -> None:
        super().__init__(detail)
        self.refusal = refusal
        self.detail = detail
        self.subject = subject


def oidc_enabled() -> bool:
    return bool(settings.OIDC_ENABLED)


def provider_metadata(*, refresh: bool = False) -> dict[str, Any]:
    """The provider's discovery document (cached an hour); its issuer must be ours."""
    metadata = None if refresh else cache.get(_METADATA_CACHE_KEY)
    if metadata is None:
        try:
            response = requests.get(settings.OIDC_DISCOVERY_URL, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            metadata = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise SignInRefused(
                Refusal.PROVIDER_DOWN,
                f"discovery at {settings.OIDC_DISCOVERY_URL} failed: {type(exc).__name__}",
            ) from None
        missing = {"issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"} - set(metadata)
        if missing:
            raise SignInRefused(
                Refusal.PROVIDER_DOWN, f"discovery document lacks {', '.join(sorted(missing))}"
            )
        if metadata["issuer"].rstrip("/") != settings.OIDC_ISSUER:
            raise SignInRefused(
                Refusal.WRONG_ISSUER,
                f"provider's issuer {metadata['issuer']!r} is not {settings.OIDC_ISSUER!r}",
            )
        cache.set(_METADATA_CACHE_KEY, metadata, _METADATA_CACHE_SECONDS)
    return metadata


def end_session_url(*, id_token: str, post_logout_redirect_uri: str) -> str | None:
    """RP-initiated logout at the provider, when it has an end_session_endpoint."""
    try:
        endpoint = provider_metadata().get("end_session_endpoint")
    except SignInRefused:
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def asserts_multi_factor(claims: dict[str, Any]) -> bool:
    """The provider says the person used more than one factor: ``mfa`` in ``amr``, or an
    ``acr`` listed in OIDC_MFA_ACR."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if "mfa" in amr:
        return True
    return bool(claims.get("acr")) and claims.get("acr") in settings.OIDC_MFA_ACR_VALUES


def provider_roles(claims: dict[str, Any]) -> list[str]:
    claim = settings.OIDC_ROLES_CLAIM
    if claim not in claims:
        raise SignInRefused(
            Refusal.MISSING_ROLE_CLAIM,
            f"the ID token has no {claim!r} claim",
            subject=str(claims.get(settings.OIDC_SUBJECT_CLAIM, "")),
        )
    value = claims[claim]
    values = [value] if isinstance(value, str) else list(value or [])
    return [str(item) for item in values]


class OrganisationBackend(OIDCAuthenticationBackend):
    """Answers only the callback view (``organisation_sign_in=True``), never a login form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads its endpoints from settings here; ours come from discovery, at
        # sign-in, so that a process without a provider configured starts as before.
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.result: SignInResult | None = None
        self.claims: dict[str, Any] = {}
        self.id_token = ""

    def authenticate(self, request, organisation_sign_in: bool = False, **kwargs):  # type: ignore[override]
        if not organisation_sign_in or request is None or not oidc_enabled():
            return None
        metadata = provider_metadata()
        self.OIDC_OP_TOKEN_ENDPOINT = metadata["token_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = metadata["jwks_uri"]
        self.OIDC_OP_USER_ENDPOINT = metadata.get("userinfo_endpoint")
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as exc:
            response = exc.response
            if response is not None and 400 <= response.status_code < 500:
                raise SignInRefused(
                    Refusal.CODE_REJECTED,
                    f"token endpoint refused the code ({response.status_code}: "
                    f"{_oauth_error(response)})",
                ) from None
            raise SignInRefused(
                Refusal.PROVIDER_DOWN, f"token or key endpoint failed: {exc}"
            ) from None
        except requests.RequestException as exc:
            raise SignInRefused(
                Refusal.PROVIDER_DOWN, f"provider unreachable: {type(exc).__name__}"
            ) from None

    @staticmethod
    def get_settings(attr, *args):
        if attr == "OIDC_TIMEOUT":
            return settings.OIDC_TIMEOUT
        return OIDCAuthenticationBackend.get_settings(attr, *args)

    def retrieve_matching_jwk(self, token):
        """The provider's key that signed the token: by ``kid``; a token without one is
        accepted only from a provider that publishes a single signing key."""
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        header = jwt.get_unverified_header(token)
        keys = [
            key
            for key in response.json().get("keys", [])
            if key.get("use", "sig") == "sig"
            and key.get("alg", header.get("alg")) == header.get("alg")
        ]
        if "kid" in header:
            keys = [key for key in keys if key.get("kid") == header["kid"]]
        if len(keys) != 1:
            raise jwt.InvalidKeyError("no single key of the provider's JWKS matches the token")
        return jwt.PyJWK(keys[0])

    def verify_token(self, token, **kwargs):
        """Signature from the JWKS; issuer, audience, expiry, issue time, nonce."""
        if not token:
            raise SignInRefused(Refusal.INVALID_TOKEN, "the token response has no ID token")
        try:
            key = self.retrieve_matching_jwk(token)
            claims = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=settings.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=settings.OIDC_CLOCK_SKEW,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidAudienceError:
            raise SignInRefused(
                Refusal.WRONG_AUDIENCE,
                f"ID token is for audience {_unverified(token).get('aud')!r}, "
                f"not {settings.OIDC_RP_CLIENT_ID!r}",
            ) from None
        except jwt.InvalidIssuerError:
            raise SignInRefused(
                Refusal.WRONG_ISSUER,
                f"ID token issued by {_unverified(token).get('iss')!r}, "
                f"not {settings.OIDC_ISSUER!r}",
            ) from None
        except jwt.ExpiredSignatureError:
            raise SignInRefused(Refusal.TOKEN_EXPIRED, "ID token expired") from None
        except (jwt.PyJWTError, ValueError, KeyError) as exc:
            raise SignInRefused(
                Refusal.INVALID_TOKEN, f"ID token rejected: {type(exc).__name__}: {exc}"
            ) from None
        except Exception as exc:  # the library's SuspiciousOperation: no matching key
            if isinstance(exc, requests.RequestException):
                raise
            raise SignInRefused(Refusal.INVALID_TOKEN, f"ID token rejected: {exc}") from None
        if claims.get("nonce") != kwargs.get("nonce"):
            raise SignInRefused(Refusal.INVALID_TOKEN, "ID token nonce does not match")
        return claims

    def store_tokens(self, access_token, id_token):
        self.id_token = id_token  # kept in the session after login, for sign-out

    def get_or_create_user(self, access_token, id_token, payload):
        claims: dict[str, Any] = dict(payload)
        subject = claims.get(settings.OIDC_SUBJECT_CLAIM)
        if not subject:
            raise SignInRefused(
                Refusal.MISSING_SUBJECT,
                f"the ID token has no {settings.OIDC_SUBJECT_CLAIM!r} claim",
            )
        roles = provider_roles(claims)
        try:
            mapping = role_mapping_load(settings.OIDC_ROLE_MAPPING_FILE)
        except RoleMappingError as exc:
            raise SignInRefused(Refusal.MAPPING_BROKEN, str(exc), subject=str(subject)) from None
        self.claims = claims
        sign_in = {
            "issuer": settings.OIDC_ISSUER,
            "subject": str(subject),
            "claims": claims,
            "provider_roles": roles,
            "granted": roles_granted(mapping, roles),
            "request": getattr(self, "request", None),
        }
        try:
            self.result = organisation_account_sign_in(**sign_in)
        except IntegrityError:
            # The same person's first sign-in in two tabs at once: the other one made the
            # account; this one finds it.
            self.result = organisation_account_sign_in(**sign_in)
        return self.result.user


def _unverified(token: str) -> dict[str, Any]:
    try:
        return jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return {}


def _oauth_error(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return "no error description"
    return f"{body.get('error', '?')}: {body.get('error_description', '')}"[:200]


def request_is_organisation_sign_in(request: HttpRequest) -> bool:
    return bool(request.session.get(SIGNED_IN_WITH_OIDC))
