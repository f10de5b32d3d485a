"""The refused-Save sequence of issue 25 on the embedded default (SQLite, as under `make run`).

The browser tests run against PostgreSQL (service tests); this one runs where the database is
the embedded SQLite file: `.ci/run` runs it after the service run, without the services.
"""

import shutil

import pytest
from django.db import connection

from tests.assessments.conftest import *  # noqa: F403 (questionnaire and assessment fixtures)
from tests.browser.test_conflicts import refused_save_then_typing_elsewhere
from tests.browser_support import CHROMIUM

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the embedded default's SQLite settings only"
    ),
    pytest.mark.skipif(
        shutil.which(CHROMIUM) is None, reason=f"needs chromium ({CHROMIUM}; .ci/run installs it)"
    ),
]


@pytest.fixture(autouse=True)
def _refusals_are_the_point(page_watch):
    page_watch.allow_console(r"status of (409|401) ", source="/assessments/")


def test_a_save_refused_by_the_save_button_pauses_autosave_on_the_embedded_default(
    page, assessment_a, screenshot
):
    refused_save_then_typing_elsewhere(page, assessment_a, screenshot)
