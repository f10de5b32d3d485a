"""Signing webhook events: HMAC-SHA256 over the timestamp and the body. Pure functions.

The receiver gets ``X-Imp-Timestamp`` (Unix seconds) and ``X-Imp-Signature: v1=<hex>``, the
HMAC-SHA256, keyed with the webhook's secret, of ``<timestamp>.<body>`` (the raw body bytes).
It recomputes it, compares in constant time, and refuses a timestamp more than
``REPLAY_WINDOW_SECONDS`` away from its clock; within that window it may also refuse an
``X-Imp-Delivery`` id it has already seen (a retry of the same event keeps its id but is
signed again with a fresh timestamp).
"""

import hashlib
import hmac

REPLAY_WINDOW_SECONDS = 300
SIGNATURE_VERSION = "v1"


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def signature_valid(
    *,
    secret: str,
    timestamp: str,
    body: bytes,
    header: str,
    now: float,
    window: int = REPLAY_WINDOW_SECONDS,
) -> bool:
    """What a receiver checks (our tests do, as a receiver would)."""
    try:
        moment = int(timestamp)
    except ValueError:
        return False
    if abs(now - moment) > window:
        return False
    return hmac.compare_digest(signature(secret=secret, timestamp=moment, body=body), header)
