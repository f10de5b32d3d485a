"""docker-compose.yml cannot rot: its commands name real modules of the project."""

import importlib
import os
import re
import subprocess
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
CADDYFILE = (ROOT / "deploy" / "Caddyfile").read_text()


def test_compose_declares_the_six_services_with_health_checks():
    services = COMPOSE["services"]
    assert set(services) == {"proxy", "web", "worker", "beat", "db", "redis", "mailpit"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"


def test_the_mail_catcher_runs_in_staging_only_and_links_point_at_the_site():
    mailpit = COMPOSE["services"]["mailpit"]
    assert mailpit["profiles"] == ["staging"]
    assert mailpit["image"].startswith("axllent/mailpit:v")
    assert "SITE_URL" in COMPOSE["x-app"]["environment"]
    assert COMPOSE["x-app"]["environment"]["SITE_URL"].startswith("https://${SITE_ADDRESS")


def _published_ports(service: dict) -> list[str]:
    return [str(port) for port in service.get("ports", [])]


def test_only_the_proxy_publishes_ports():
    for name, service in COMPOSE["services"].items():
        if name == "proxy":
            assert set(_published_ports(service)) == {"80:80", "443:443"}
            continue
        for port in _published_ports(service):
            # Anything else may only listen on the host's loopback interface.
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port}"


def test_the_proxy_terminates_tls_and_forwards_to_web_with_the_headers_django_trusts():
    proxy = COMPOSE["services"]["proxy"]
    assert proxy["image"].startswith("caddy:")
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert "reverse_proxy web:8000" in CADDYFILE and "{$SITE_ADDRESS}" in CADDYFILE
    directives = "\n".join(
        line for line in CADDYFILE.splitlines() if not line.lstrip().startswith("#")
    )
    assert "trusted_proxies" not in directives  # Caddy then replaces a client's X-Forwarded-For
    app_environment = COMPOSE["x-app"]["environment"]
    # Django's HTTPS detection and the client address for throttling agree with one proxy.
    assert app_environment["SECURE_PROXY_SSL_HEADER"] == "1"
    assert app_environment["TRUSTED_PROXY_HEADER"] == "X-Forwarded-For"
    assert app_environment["TRUSTED_PROXY_COUNT"] == "1"
    web_port = re.search(r"--bind 0\.0\.0\.0:(\d+)", COMPOSE["services"]["web"]["command"])
    assert web_port.group(1) == "8000"


def test_redis_requires_a_password_that_the_apps_url_carries():
    redis = COMPOSE["services"]["redis"]
    assert "--requirepass" in " ".join(redis["command"])
    assert redis["environment"]["REDIS_PASSWORD"].startswith("${REDIS_PASSWORD:?")
    assert "REDISCLI_AUTH" in " ".join(redis["healthcheck"]["test"])
    url = COMPOSE["x-app"]["environment"]["REDIS_URL"]
    assert url.startswith("redis://:${REDIS_PASSWORD:?") and url.endswith("@redis:6379/0")
    assert "ports" not in redis


def test_beat_health_check_fails_when_the_schedule_file_is_old(tmp_path):
    beat = COMPOSE["services"]["beat"]
    schedule = re.search(r"--schedule (\S+)", beat["command"]).group(1)
    check = beat["healthcheck"]["test"][1].replace("$$", "$")
    folder = str(Path(schedule).parent)
    assert f"find {folder} " in check
    local_check = check.replace(f"find {folder} ", f"find {tmp_path} ")
    stale = tmp_path / Path(schedule).name
    stale.write_bytes(b"schedule")
    old = time.time() - 15 * 60
    os.utime(stale, (old, old))
    assert subprocess.run(["sh", "-c", local_check], check=False).returncode != 0
    stale.touch()  # beat just synced its schedule
    assert subprocess.run(["sh", "-c", local_check], check=False).returncode == 0


def test_web_command_names_the_real_wsgi_application():
    command = COMPOSE["services"]["web"]["command"]
    module, attribute = re.search(r"gunicorn ([\w.]+):(\w+)", command).groups()
    assert callable(getattr(importlib.import_module(module), attribute))


def test_worker_and_beat_commands_name_the_real_celery_app():
    from celery import Celery

    for name in ("worker", "beat"):
        command = COMPOSE["services"][name]["command"]
        package = re.search(r"celery -A ([\w.]+) (worker|beat)", command).group(1)
        assert isinstance(importlib.import_module(package).celery_app, Celery)


def test_beat_schedule_names_registered_tasks():
    from imp_assess.celery import app
    from imp_assess.schedules import BEAT_SCHEDULE

    app.loader.import_default_modules()
    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_every_variable_of_env_example_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    names = [
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert names
    for name in names:
        assert f"`{name}`" in readme, f"{name} is not in the README configuration table"
