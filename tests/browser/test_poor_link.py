"""Answering from a team site: saving without JavaScript, typing that survives a dropped
connection, and pages that stay within their weight on a poor link (production settings,
the browser's network emulation; figures from benchmarks/page_weight.py)."""

import json
from pathlib import Path

import pytest
from django.conf import global_settings
from django.db import connection

from assessments.models import Answer
from benchmarks.page_weight import demo_visits, measure_all, production_server
from demo.services import demo_seed
from tests.assessments.conftest import *  # noqa: F403 (questionnaire and assessment fixtures)
from tests.browser.conftest import ARTIFACTS, log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def _choices(assessment) -> dict[str, str]:
    return dict(
        Answer.objects.filter(response__assessment=assessment).values_list(
            "indicator__code", "choice"
        )
    )


def test_answers_are_saved_by_a_plain_form_post_without_javascript(
    browser, live_server, personas, assessment_a
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, "respondent_a", PASSWORD)
        page.goto(f"/assessments/{assessment_a.pk}/political/LEAD/")
        page.locator("label[for='LEAD-01-choice-4']").click()
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text("Answers saved.").wait_for()
    finally:
        context.close()
    assert _choices(assessment_a) == {"LEAD-01": "4"}


def test_typing_survives_a_dropped_connection_and_is_sent_when_the_link_returns(
    page, page_watch, personas, assessment_a
):
    # The browser logs the failed autosave request itself; that is the situation under test.
    page_watch.allow_console("ERR_INTERNET_DISCONNECTED")
    log_in(page, "respondent_a", PASSWORD)
    page.goto(f"/assessments/{assessment_a.pk}/political/LEAD/")
    page.context.set_offline(True)
    page.locator("label[for='LEAD-01-choice-2']").click()
    page.get_by_label("Evidence (what shows this?)").first.fill("Typed at the team site")
    page.get_by_text("Not saved: no connection. Will retry.").wait_for(timeout=15000)
    kept = page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('imp-assess:answers:'))"
        ".map(k => localStorage.getItem(k))"
    )
    assert kept and json.loads(kept[0])["answers"]["LEAD-01"]["choice"] == "2"
    assert _choices(assessment_a) == {}

    page.context.set_offline(False)  # the browser fires "online": the kept typing goes out
    page.get_by_text("Saved at").wait_for(timeout=10000)
    assert _choices(assessment_a) == {"LEAD-01": "2"}
    assert Answer.objects.get(indicator__code="LEAD-01").evidence == "Typed at the team site"


def test_pages_stay_within_their_weight_and_time_on_a_poor_link(browser, settings, tmp_path: Path):
    # The production server checks passwords with the production hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    demo_seed(missions=1, quarters=2)
    visits = demo_visits()
    settings = connection.settings_dict
    database_url = (
        f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    )
    with production_server(database_url, tmp_path / "static") as base_url:
        weights = measure_all(browser, base_url, visits)
    ARTIFACTS.mkdir(exist_ok=True)
    report = [vars(weight) for weight in weights]
    (ARTIFACTS / "page-weight.json").write_text(json.dumps(report, indent=1))
    problems = [problem for weight in weights for problem in weight.over_budget()]
    assert not problems, "\n".join(problems) + "\n" + json.dumps(report, indent=1)
    dashboard = next(w for w in weights if w.kind == "dashboard")
    # The tables come before the charts: usable while plotly.js is still on its way.
    assert dashboard.charts_s is not None and dashboard.usable_s < dashboard.charts_s
