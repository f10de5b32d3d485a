"""Webhooks cannot be aimed at internal services (issue #25 item 6): internal addresses are
refused when the URL is saved, after DNS resolution at every attempt, and again at connection
time on the pinned address (no DNS rebinding); the delivery log keeps a generic error that does
not tell open ports from closed ones; signing secrets are made by the server, shown once and
stored encrypted.

No test sends anything beyond this machine: where a public address is needed, the connection
itself is replaced."""

import importlib
import ipaddress
import re
import socket
import threading

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.webhooks.test_webhooks import Receiver
from webhooks import network
from webhooks.models import Webhook, WebhookAttempt, WebhookDelivery, validate_webhook_url
from webhooks.network import ERROR_NOT_ALLOWED, ERROR_UNREACHABLE
from webhooks.secret_box import is_encrypted, webhook_secret_decrypt
from webhooks.services import webhook_delivery_attempt

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.215.14"  # never contacted: the connection is replaced in these tests


@pytest.fixture(autouse=True)
def _no_internal_receivers(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False
    settings.WEBHOOK_INTERNAL_RECEIVERS = []
    settings.WEBHOOK_RETRY_BACKOFF = 0
    settings.WEBHOOK_MAX_ATTEMPTS = 3


def _attempt(url: str) -> WebhookAttempt:
    hook = Webhook.objects.create(name="probe", url=url)  # as if saved before the rule
    delivery = WebhookDelivery.objects.create(webhook=hook, event="scoring.finished", payload={})
    webhook_delivery_attempt(delivery_id=delivery.pk)
    return WebhookAttempt.objects.get(delivery=delivery)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1:6379/",
        "https://127.0.0.1:5432/",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.8/hook",
        "https://192.168.1.1/hook",
        "https://172.16.0.1/hook",
        "https://0.0.0.0/hook",
        "https://[::]/hook",
        "https://[fe80::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://100.64.0.1/hook",
        "https://localhost/hook",
    ],
)
def test_internal_addresses_are_refused_when_the_url_is_saved(url):
    with pytest.raises(ValidationError, match="internal address"):
        validate_webhook_url(url)


def test_an_administrator_cannot_save_a_webhook_to_the_metadata_address(client, personas):
    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:webhooks_webhook_add"),
        {"name": "probe", "url": "https://169.254.169.254/latest/", "events": "[]"},
    )
    assert response.status_code == 200 and "internal address" in response.content.decode()
    assert not Webhook.objects.exists()


def test_a_listed_internal_receiver_is_allowed(settings):
    settings.WEBHOOK_INTERNAL_RECEIVERS = ["10.20.0.0/24"]
    validate_webhook_url("https://10.20.0.5/hook")
    with pytest.raises(ValidationError):
        validate_webhook_url("https://10.20.1.5/hook")


def test_a_host_name_that_resolves_to_an_internal_address_is_refused_at_send_time(
    monkeypatch,
):
    """The receiver really listens on 127.0.0.1, but is not listed: nothing reaches it."""
    receiver = Receiver()
    try:
        port = receiver.server.server_address[1]
        real = socket.getaddrinfo
        monkeypatch.setattr(
            network.socket,
            "getaddrinfo",
            lambda host, *args, **kwargs: real("127.0.0.1", *args, **kwargs),
        )
        attempt = _attempt(f"https://hooks.example.org:{port}/hook")
        assert attempt.error == ERROR_NOT_ALLOWED and attempt.status_code is None
        assert receiver.received == []
    finally:
        receiver.close()


def test_a_name_with_one_internal_address_among_public_ones_is_refused(monkeypatch):
    answers = [PUBLIC, "127.0.0.1"]
    monkeypatch.setattr(
        network.socket,
        "getaddrinfo",
        lambda host, port, **kwargs: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in answers
        ],
    )
    with pytest.raises(network.AddressRefused):
        network.resolve_allowed("hooks.example.org", 443)


def test_the_connection_goes_to_the_address_checked_not_a_second_dns_answer(monkeypatch):
    """DNS rebinding: the first answer is public, any later one internal. The attempt resolves
    once and connects to the pinned public address (the connection is replaced here)."""
    answers = iter([PUBLIC, "127.0.0.1", "127.0.0.1"])
    monkeypatch.setattr(
        network.socket,
        "getaddrinfo",
        lambda host, port, **kwargs: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))
        ],
    )
    connected = []

    def fake_connection(address, timeout=None, **kwargs):
        connected.append(address)
        raise ConnectionRefusedError

    monkeypatch.setattr(network.socket, "create_connection", fake_connection)
    attempt = _attempt("https://rebind.example.org/hook")
    assert connected == [(PUBLIC, 443)]
    assert attempt.error == ERROR_UNREACHABLE


def test_the_peer_is_checked_again_at_connection_time(monkeypatch):
    class LoopbackSocket:
        def getpeername(self):
            return ("127.0.0.1", 443)

        def close(self):
            pass

    monkeypatch.setattr(
        network.socket,
        "getaddrinfo",
        lambda host, port, **kwargs: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port))],
    )
    monkeypatch.setattr(network.socket, "create_connection", lambda *a, **k: LoopbackSocket())
    assert _attempt("https://hooks.example.org/hook").error == ERROR_NOT_ALLOWED


def test_the_error_does_not_tell_open_ports_from_closed_ones(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    settings.WEBHOOK_INTERNAL_RECEIVERS = ["127.0.0.1/32"]
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    listening = socket.socket()  # an open port that is not HTTP: accepts, then hangs up
    listening.bind(("127.0.0.1", 0))
    listening.listen()

    def hang_up():
        connection, _address = listening.accept()
        connection.close()

    threading.Thread(target=hang_up, daemon=True).start()
    try:
        open_error = _attempt(f"http://127.0.0.1:{listening.getsockname()[1]}/").error
        closed_error = _attempt(f"http://127.0.0.1:{closed_port}/").error
    finally:
        listening.close()
    assert open_error == closed_error == ERROR_UNREACHABLE


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "::1", "169.254.169.254", "10.1.2.3", "0.0.0.0", "::", "fe80::1", "224.0.0.1"],  # noqa: S104
)
def test_internal_and_multicast_addresses_are_never_allowed(address):
    assert not network.address_allowed(ipaddress.ip_address(address))


def test_the_secret_is_made_by_the_server_shown_once_and_stored_encrypted(client, personas):
    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:webhooks_webhook_add"),
        {"name": "UN system", "url": "https://hooks.example.org/imp", "events": "[]"},
        follow=True,
    )
    assert response.status_code == 200
    shown = re.search(r"Signing secret of “UN system”: (\S+) ", response.content.decode())
    assert shown, response.content.decode()[:3000]
    secret = shown.group(1)
    assert len(secret) >= 43  # 32 random bytes, URL-safe base64
    hook = Webhook.objects.get()
    assert is_encrypted(hook.secret) and secret not in hook.secret
    assert webhook_secret_decrypt(hook.secret) == secret
    page = client.get(reverse("admin:webhooks_webhook_change", args=[hook.pk])).content.decode()
    assert secret not in page and hook.secret not in page
    rotated = client.post(
        reverse("admin:webhooks_webhook_changelist"),
        {"action": "new_signing_secret", "_selected_action": [hook.pk]},
        follow=True,
    )
    new = re.search(r"Signing secret of “UN system”: (\S+) ", rotated.content.decode()).group(1)
    hook.refresh_from_db()
    assert new != secret and webhook_secret_decrypt(hook.secret) == new


def test_a_new_key_first_still_opens_secrets_stored_under_the_old_one(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.WEBHOOK_SECRET_KEYS = [old]
    hook = Webhook.objects.create(name="x", url="https://hooks.example.org/")
    secret = webhook_secret_decrypt(hook.secret)
    settings.WEBHOOK_SECRET_KEYS = [new, old]
    assert webhook_secret_decrypt(hook.secret) == secret
    settings.WEBHOOK_SECRET_KEYS = [new]
    with pytest.raises(InvalidToken):
        webhook_secret_decrypt(hook.secret)


def test_the_migration_encrypts_secrets_stored_in_clear():
    hook = Webhook.objects.create(name="x", url="https://hooks.example.org/")
    Webhook.objects.filter(pk=hook.pk).update(secret="clear-secret-of-an-older-version")
    migration = importlib.import_module("webhooks.migrations.0002_secret_encrypted")
    migration.encrypt_clear_secrets(apps, None)
    migration.encrypt_clear_secrets(apps, None)  # safe to run twice
    hook.refresh_from_db()
    assert is_encrypted(hook.secret)
    assert webhook_secret_decrypt(hook.secret) == "clear-secret-of-an-older-version"
