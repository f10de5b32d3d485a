"""The client's address, the one place that decides it.

Behind a reverse proxy REMOTE_ADDR is the proxy's address. When ``TRUSTED_PROXY_HEADER``
names the header the proxy sets (``X-Forwarded-For``) and ``TRUSTED_PROXY_COUNT`` says how
many proxies of ours append to it, the client is the entry that the outermost of our
proxies wrote: the ``TRUSTED_PROXY_COUNT``-th from the right. Entries further left were
sent by the client and are never believed. Without the setting, REMOTE_ADDR is used and the
header is ignored. Login throttling (django-axes) and the security log both ask here.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def proxy_header_meta_key(header: str) -> str:
    """``X-Forwarded-For`` -> ``HTTP_X_FORWARDED_FOR`` (how Django stores request headers)."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def _valid_address(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    remote_addr = _valid_address(request.META.get("REMOTE_ADDR"))
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
    if not header:
        return remote_addr
    entries = [e for e in request.META.get(proxy_header_meta_key(header), "").split(",") if e]
    count = settings.TRUSTED_PROXY_COUNT
    if len(entries) < count:
        # The request did not come through all our proxies: there is nothing to believe.
        return remote_addr
    return _valid_address(entries[-count]) or remote_addr
