"""Shared set-up for the benchmarks that need Django and a database of their own.

``bench_django("imp_assess_bench_x")`` creates (or recreates) that PostgreSQL
database next to the one DATABASE_URL names, points Django at it, runs the
migrations and returns the new URL. Benchmarks never touch the working database.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[1]


def bench_django(database: str, *, fresh: bool = True) -> str:
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("This benchmark measures PostgreSQL: set DATABASE_URL=postgres://… first.")
    import psycopg

    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if exists and fresh:
            admin.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        if not exists or fresh:
            admin.execute(f'CREATE DATABASE "{database}"')
    bench_url = urlunsplit(parts._replace(path=f"/{database}"))
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imp_assess.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return bench_url
