"""Small helpers that read configuration from the environment and fail loudly.

Every setting of imp-assess comes from an environment variable (12-factor). A
value that cannot be understood stops the process at start with a message that
names the variable, instead of running with a silently wrong configuration.
"""

import json
import os
import urllib.parse
from typing import overload

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None = None) -> str | None: ...
def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_EMAIL_SCHEMES = {
    # scheme: (backend, default port, STARTTLS, implicit TLS)
    "smtp": ("django.core.mail.backends.smtp.EmailBackend", 25, False, False),
    "smtp+tls": ("django.core.mail.backends.smtp.EmailBackend", 587, True, False),
    "smtps": ("django.core.mail.backends.smtp.EmailBackend", 465, False, True),
    "console": ("django.core.mail.backends.console.EmailBackend", None, False, False),
}


def env_email_url(name: str) -> dict | None:
    """E-mail settings from one URL: ``smtp+tls://user:password@host:587`` (STARTTLS),
    ``smtps://…`` (implicit TLS), ``smtp://…`` (plain, a relay on a private network) or
    ``console:`` (written to the log). Returns Django's EMAIL_* settings, or None if unset."""
    raw = env_str(name)
    if not raw:
        return None
    parsed = urllib.parse.urlsplit(raw)
    if parsed.scheme not in _EMAIL_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} must start with one of {', '.join(f'{s}:' for s in _EMAIL_SCHEMES)}."
        )
    backend, default_port, use_tls, use_ssl = _EMAIL_SCHEMES[parsed.scheme]
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": backend}
    try:
        port = parsed.port or default_port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number.") from None
    if not parsed.hostname:
        raise ImproperlyConfigured(f"{name} names no host (e.g. smtp+tls://user:pw@host:587).")
    return {
        "EMAIL_BACKEND": backend,
        "EMAIL_HOST": parsed.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": urllib.parse.unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": urllib.parse.unquote(parsed.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


def env_json_object(name: str, default: dict) -> dict:
    """A JSON object (e.g. ``{"bucket_name": "exports"}``); anything else stops the start."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = json.loads(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {error}") from None
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f'{name} must be a JSON object, e.g. {{"key": "value"}}.')
    return value
