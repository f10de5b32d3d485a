import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_demo() -> None:
    """What `make demo` runs after migrating: IMP-CORE v1, v2 then v3, then the demo data."""
    call_command("questionnaire_load", "questionnaires/data/imp-core-v1.yaml", "--publish")
    call_command("questionnaire_load", "questionnaires/data/imp-core-v2.yaml", "--publish")
    call_command("questionnaire_load", "questionnaires/data/imp-core-v3.yaml", "--publish")
    call_command("seed_demo", "--quiet-logins", "--i-know-this-is-not-production")


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The default demo data set, made once for a module of read-only tests and rolled
    back after it (each test runs in its own savepoint inside this transaction)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        make_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(demo_data, db):
    """The demo data set, in a test that may read and write it (rolled back after)."""
