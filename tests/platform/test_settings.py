"""Configuration comes from the environment, and a bad value stops the process at start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from imp_assess.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "Zq8#vL2!pR5@xN9$wT3%mB7^cF1&hJ4*",
    "ALLOWED_HOSTS": "imp-assess.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://imp-assess.example.org",
    "EMAIL_URL": "smtp+tls://imp-assess:secret@smtp.example.org:587",
    "SITE_URL": "https://imp-assess.example.org",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests lift Django's async guard for their session; a deployment never does.
    unset = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_passes_the_deployment_checklist_with_zero_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checklist_warns_about_a_weak_account_setup():
    result = _manage(
        "check",
        "--deploy",
        **{k: v for k, v in PRODUCTION.items() if k not in ("EMAIL_URL", "SITE_URL")},
        OTP_REQUIRED_FOR_HQ="0",
        SECURE_PROXY_SSL_HEADER="1",
    )
    for check in ("security.W001", "security.W002", "security.W003", "notifications.W001"):
        assert check in result.stderr, result.stderr


def _setting(name: str, **env: str) -> str:
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    result = _manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_second_factor_is_required_by_default_unless_debug_or_turned_off():
    assert _setting("OTP_REQUIRED_FOR_HQ", **PRODUCTION) == "True"
    assert _setting("OTP_REQUIRED_FOR_HQ", **PRODUCTION, OTP_REQUIRED_FOR_HQ="0") == "False"
    assert _setting("OTP_REQUIRED_FOR_HQ", DEBUG="1") == "False"  # make run stays frictionless


def test_production_mode_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("TIME_ZONE", "Mars/Olympus", "TIME_ZONE='Mars/Olympus' is not a known time zone"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL must start with redis://"),
        ("CSRF_TRUSTED_ORIGINS", "example.org", "must start with http:// or https://"),
        ("CELERY_TASK_TIME_LIMIT", "10", "CELERY_TASK_TIME_LIMIT must exceed"),
        ("EMAIL_URL", "mail.example.org", "EMAIL_URL must start with one of"),
        ("TRUSTED_PROXY_HEADER", "X-Forwarded-For: 1", "is not a header name"),
        ("TRUSTED_PROXY_COUNT", "0", "TRUSTED_PROXY_COUNT=0 must be at least 1"),
    ],
)
def test_a_bad_value_fails_at_start_with_a_clear_message(variable, value, message):
    result = _manage("check", **{**PRODUCTION, variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_env_bool_accepts_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("yes", True), ("On", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("FLAG", raw)
        assert env_bool("FLAG", default=not expected) is expected
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", default=True) is True


def test_env_int_rejects_words_and_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="NUMBER='ten' is not a whole number"):
        env_int("NUMBER", 1)
    monkeypatch.setenv("NUMBER", "-1")
    with pytest.raises(ImproperlyConfigured, match="must be at least 0"):
        env_int("NUMBER", 1, minimum=0)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.org, ,b.org ")
    assert env_list("HOSTS", []) == ["a.org", "b.org"]


def test_celery_is_configured_for_at_least_once_delivery(settings):
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.CELERY_TASK_TIME_LIMIT > settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_embedded_default_runs_tasks_eagerly_without_redis(settings):
    if os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is set: this run uses the real broker")
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_organisation_sign_in_is_on_only_with_its_settings_and_fails_loudly_without_a_part(
    tmp_path,
):
    assert _setting("OIDC_ENABLED", **PRODUCTION) == "False"
    oidc = {"OIDC_ISSUER": "https://login.example.org/tenant/v2.0", "OIDC_CLIENT_ID": "imp"}
    result = _manage("check", **PRODUCTION, **oidc)
    assert result.returncode != 0
    assert "OIDC_CLIENT_SECRET must be set" in result.stderr
    result = _manage("check", **PRODUCTION, **oidc, OIDC_CLIENT_SECRET="s")
    assert result.returncode != 0
    assert "OIDC_ROLE_MAPPING_FILE" in result.stderr
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("ImpAssess.HQAnalyst: [hq_analyst]\n", encoding="utf-8")
    full = {**PRODUCTION, **oidc, "OIDC_CLIENT_SECRET": "s", "OIDC_ROLE_MAPPING_FILE": str(mapping)}
    assert _setting("OIDC_ENABLED", **full) == "True"
    assert _setting("OIDC_DISCOVERY_URL", **full) == (
        "'https://login.example.org/tenant/v2.0/.well-known/openid-configuration'"
    )
    # A mapping file it cannot understand stops `check`, naming the entry.
    mapping.write_text("ImpAssess.HQAnalyst: [superuser]\n", encoding="utf-8")
    result = _manage("check", **full)
    assert result.returncode != 0
    assert "security.E005" in result.stderr
    assert "'superuser' is not a role" in result.stderr
