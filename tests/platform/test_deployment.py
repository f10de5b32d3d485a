"""docker-compose.yml cannot rot: its commands name real modules of the project."""

import importlib
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_declares_the_five_services_with_health_checks():
    services = COMPOSE["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"


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
