"""Webhook signing secrets: made by the server, shown once, stored encrypted.

A secret is 32 random bytes (URL-safe base64). It is stored as a Fernet token (AES-128-CBC and
HMAC-SHA256, from the ``cryptography`` library) under the keys of ``WEBHOOK_SECRET_KEYS`` (from
the environment, newest first: ``MultiFernet`` encrypts with the first and decrypts with any,
so keys can be rotated). Without that setting, one key is derived from ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

SECRET_BYTES = 32
FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so (version byte and timestamp)


def _box() -> MultiFernet:
    keys = list(settings.WEBHOOK_SECRET_KEYS)
    if not keys:
        derived = hashlib.sha256(b"imp-assess webhook secrets:" + str(settings.SECRET_KEY).encode())
        keys = [base64.urlsafe_b64encode(derived.digest()).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def webhook_secret_new() -> str:
    """A new signing secret in clear (to be shown once, then stored encrypted)."""
    return secrets.token_urlsafe(SECRET_BYTES)


def webhook_secret_encrypt(secret: str) -> str:
    return _box().encrypt(secret.encode()).decode()


def webhook_secret_decrypt(stored: str) -> str:
    """The secret in clear; raises ``InvalidToken`` when no key opens it."""
    return _box().decrypt(stored.encode()).decode()


def is_encrypted(stored: str) -> bool:
    return stored.startswith(FERNET_PREFIX)


__all__ = [
    "InvalidToken",
    "is_encrypted",
    "webhook_secret_decrypt",
    "webhook_secret_encrypt",
    "webhook_secret_new",
]
