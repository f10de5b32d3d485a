"""Shared fixtures: the six personas, and the rules for service tests.

Service tests (marked ``service``) need PostgreSQL, Redis, a live Celery worker
or the browser. They run when DATABASE_URL points at PostgreSQL and REDIS_URL is
set, and are skipped with a reason otherwise. With REQUIRE_SERVICE_TESTS=1 (as
in .ci/run) a run in which any service test was skipped, or none ran, fails.
"""

import os
from dataclasses import dataclass

import pytest
from django.utils import translation

from missions.models import Component, MembershipRole, Mission
from tests.browser_support import (  # noqa: F401 (shared fixtures)
    browser,
    page,
    page_watch,
    screenshot,
)
from tests.factories import (
    AdministratorFactory,
    AnalystFactory,
    MembershipFactory,
    MissionFactory,
    UserFactory,
)
from tests.oidc_provider import oidc_provider, oidc_settings  # noqa: F401 (shared fixtures)

SERVICES_CONFIGURED = os.environ.get("DATABASE_URL", "").startswith(
    ("postgres://", "postgresql://")
) and bool(os.environ.get("REDIS_URL"))
SKIP_REASON = "service test: needs PostgreSQL and Redis; set DATABASE_URL=postgres://… and REDIS_URL=redis://…"

_service_outcomes = {"passed": 0, "failed": 0, "skipped": 0}


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in French leaves French active in the thread (the middleware activates the
    reader's language): back to the default language after each test, so the next one does
    not depend on the order the tests ran in."""
    yield
    translation.deactivate()


def pytest_collection_modifyitems(config, items):
    if SERVICES_CONFIGURED:
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if "service" in item.keywords:
            item.add_marker(skip)


def pytest_runtest_logreport(report):
    if "service" not in report.keywords:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        _service_outcomes[report.outcome] += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    counts = ", ".join(f"{n} {outcome}" for outcome, n in _service_outcomes.items())
    terminalreporter.write_line(f"service tests: {counts}")


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("REQUIRE_SERVICE_TESTS") != "1":
        return
    collected_only = session.config.option.collectonly
    if collected_only:
        return
    if _service_outcomes["skipped"] or not _service_outcomes["passed"]:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(
            "\nREQUIRE_SERVICE_TESTS=1 but service tests did not all run: "
            f"{_service_outcomes}. Check DATABASE_URL and REDIS_URL."
        )


@pytest.fixture(autouse=True)
def _eager_tasks_outside_service_tests(request):
    """Tasks run in-process except in service tests, which send them through Redis."""
    from imp_assess.celery import app

    if request.node.get_closest_marker("service"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashers are slow by design; tests only need logins to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Personas:
    mission_a: Mission
    mission_b: Mission
    respondent_a: object
    focal_point_a: object
    respondent_b: object
    focal_point_b: object
    analyst: object
    admin: object

    def all(self) -> dict[str, object]:
        return {
            "respondent_a": self.respondent_a,
            "focal_point_a": self.focal_point_a,
            "respondent_b": self.respondent_b,
            "focal_point_b": self.focal_point_b,
            "analyst": self.analyst,
            "admin": self.admin,
        }


@pytest.fixture
def personas(db) -> Personas:
    """A respondent and a focal point of mission A, the same of mission B, an analyst, an admin."""
    mission_a = MissionFactory(code="MSN-A", name="Mission A")
    mission_b = MissionFactory(code="MSN-B", name="Mission B")

    def staff(username: str, mission: Mission, role: str, component: str):
        user = UserFactory(username=username)
        MembershipFactory(user=user, mission=mission, role=role, component=component)
        return user

    return Personas(
        mission_a=mission_a,
        mission_b=mission_b,
        respondent_a=staff(
            "respondent_a", mission_a, MembershipRole.RESPONDENT, Component.POLITICAL
        ),
        focal_point_a=staff("focal_point_a", mission_a, MembershipRole.FOCAL_POINT, ""),
        respondent_b=staff(
            "respondent_b", mission_b, MembershipRole.RESPONDENT, Component.MILITARY
        ),
        focal_point_b=staff("focal_point_b", mission_b, MembershipRole.FOCAL_POINT, ""),
        analyst=AnalystFactory(username="analyst"),
        admin=AdministratorFactory(username="admin"),
    )
