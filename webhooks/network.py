"""Where a webhook may be sent, and sending it there and nowhere else.

A webhook URL is typed by an administrator, but its host name is resolved by DNS that someone
else may control. So every attempt resolves the host, refuses the attempt unless **every**
address it resolves to is allowed, and then connects to the address it checked (pinned: a
second DNS answer cannot switch it), checking the connected peer once more. TLS still checks the
certificate against the host name.

Allowed: public (globally routable) unicast addresses, and the networks listed in
``WEBHOOK_INTERNAL_RECEIVERS``. Refused: loopback, private, link-local (and so the cloud
metadata address 169.254.169.254), unspecified, shared, reserved, multicast, and their IPv6
equivalents, including IPv4 addresses written as IPv6 (``::ffff:127.0.0.1``).

The error kept for an attempt that did not get an HTTP answer is one of two generic texts, so
that the delivery log cannot be used to tell open ports from closed ones.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ERROR_NOT_ALLOWED = "receiver address not allowed"
ERROR_UNREACHABLE = "no HTTP answer from the receiver"


class AddressRefused(Exception):
    """The receiver's address is internal (and not listed) or cannot be resolved."""


def _internal_receivers() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(entry, strict=False) for entry in settings.WEBHOOK_INTERNAL_RECEIVERS
    ]


def address_allowed(address: IpAddress) -> bool:
    """A public unicast address, or one in ``WEBHOOK_INTERNAL_RECEIVERS``."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in network for network in _internal_receivers()):
        return True
    return address.is_global and not address.is_multicast


def resolve_allowed(host: str, port: int) -> IpAddress:
    """The address to connect to: the first of the host's addresses, all of which must be
    allowed; raises ``AddressRefused``."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise AddressRefused(host) from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses or not all(address_allowed(address) for address in addresses):
        raise AddressRefused(host)
    return addresses[0]


def _pinned_socket(address: IpAddress, port: int, timeout: float) -> socket.socket:
    sock = socket.create_connection((str(address), port), timeout=timeout)
    peer = ipaddress.ip_address(sock.getpeername()[0].split("%", 1)[0])
    if peer != address or not address_allowed(peer):  # checked again at connection time
        sock.close()
        raise AddressRefused(str(peer))
    return sock


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: IpAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.pinned = address

    def connect(self) -> None:
        self.sock = _pinned_socket(self.pinned, self.port, self.timeout)  # type: ignore[arg-type]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: IpAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.pinned = address

    def connect(self) -> None:
        sock = _pinned_socket(self.pinned, self.port, self.timeout)  # type: ignore[arg-type]
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post_pinned(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST to ``url`` at an allowed, pinned address, without following redirects:
    (HTTP status, "") or (None, one of the two generic error texts)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme == "https"
    try:
        port = parts.port or (443 if secure else 80)
    except ValueError:
        return None, ERROR_UNREACHABLE
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        address = resolve_allowed(host, port)
        kind = _PinnedHTTPSConnection if secure else _PinnedHTTPConnection
        connection = kind(host, port, address, settings.WEBHOOK_TIMEOUT)
        try:
            connection.request("POST", path, body=body, headers=headers)
            return connection.getresponse().status, ""
        finally:
            connection.close()
    except AddressRefused:
        return None, ERROR_NOT_ALLOWED
    except (OSError, http.client.HTTPException, ValueError):
        return None, ERROR_UNREACHABLE
