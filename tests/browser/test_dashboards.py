"""The dashboards in a real browser: Plotly draws every chart from local files, filters live in
the URL and change the chart, and each page leaves a screenshot in test-artifacts/."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from scoring.services import assessment_scores_compute
from tests.assessments import conftest as assessments_data
from tests.browser.conftest import log_in
from tests.dashboards import conftest as dashboard_data
from tests.dashboards import test_method_v2 as dashboard_v2
from tests.factories import PASSWORD
from tests.scoring import test_board_v2 as board_v2

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


# The dashboards' hand-built data set of stored scores (fixtures shared with their tests).
questionnaire = dashboard_data.questionnaire
small = dashboard_data.small
v2_data = dashboard_v2.v2_data


@pytest.fixture
def analyst_page(small, page):  # the test database first, then the browser
    cache.clear()  # entries cached by an earlier run of the same database would be stale
    log_in(page, "analyst", PASSWORD)
    return page


def _charts_drawn(page, *keys: str) -> None:
    for key in keys:
        expect(page.locator(f"#{key}-plot.js-plotly-plot svg.main-svg").first).to_be_visible()


def _plotted(page, key: str, expression: str):
    return page.evaluate(f"document.getElementById('{key}-plot').data{expression}")


def _apply(page, label: str, value, url_part: str) -> None:
    page.get_by_label(label, exact=True).select_option(value)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"**{url_part}**")


def test_portfolio_draws_the_heatmap_and_the_measure_filter_changes_url_and_chart(
    analyst_page,
    small,
    screenshot,
):
    page = analyst_page
    page.goto(f"/dashboards/portfolio/?period={small.p3.pk}&measure=score")
    _charts_drawn(page, "heatmap", "cycle")
    assert page.locator(".js-plotly-plot svg").count() > 0
    assert _plotted(page, "heatmap", "[0].zmid") is None  # colour by score
    assert _plotted(page, "heatmap", "[0].z[0]") == [3.0, 2.5]
    screenshot(page, "portfolio")

    _apply(page, "Colour by", "gap", "measure=gap")
    assert "measure=gap" in page.url and f"period={small.p3.pk}" in page.url
    assert "kind=" not in page.url  # empty filters stay out of the URL
    _charts_drawn(page, "heatmap")
    assert _plotted(page, "heatmap", "[0].zmid") == 0
    assert _plotted(page, "heatmap", "[0].z[0]") == [1.0, -0.5]

    # The data table is one keyboard press away.
    summary = page.locator("#heatmap-table").locator("xpath=ancestor::details/summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#heatmap-table")).to_be_visible()
    screenshot(page, "portfolio-gap")


def test_mission_profile_draws_every_chart_and_the_quarter_filter_changes_them(
    analyst_page,
    small,
    screenshot,
):
    page = analyst_page
    page.goto(f"/dashboards/missions/{small.a.pk}/")
    keys = [
        "radar",
        "gaps",
        "alignment_trend",
        "index_trend",
        "dimension_trends",
        "coherence",
        "components",
        "tags",
    ]
    _charts_drawn(page, *keys)
    assert _plotted(page, "index_trend", "[3].x") == ["2024-Q2", "2024-Q3", "2024-Q4"]
    screenshot(page, "profile")

    _apply(page, "Quarter", "2024-Q3", f"period={small.p2.pk}")
    _charts_drawn(page, *keys)
    assert _plotted(page, "index_trend", "[3].x") == ["2024-Q2", "2024-Q3"]
    screenshot(page, "profile-earlier-quarter")


def test_compare_draws_lines_before_the_peer_band_and_mission_choice_changes_them(
    analyst_page,
    small,
    screenshot,
):
    page = analyst_page
    page.goto("/dashboards/compare/?measure=index")
    _charts_drawn(page, "compare")
    assert len(_plotted(page, "compare", "")) == 3  # the peer band and median only
    page.get_by_label("Missions", exact=True).select_option([str(small.a.pk), str(small.c.pk)])
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**missions=**")
    assert f"missions={small.a.pk}" in page.url and f"missions={small.c.pk}" in page.url
    _charts_drawn(page, "compare")
    lines = _plotted(page, "compare", ".slice(3).map(t => t.name)")
    assert lines == ["MSN-A", "MSN-C · DEMO"]
    screenshot(page, "compare")


def test_barriers_drill_down_from_dimensions_to_tags_to_evidence(
    analyst_page,
    small,
    screenshot,
):
    page = analyst_page
    page.goto("/dashboards/barriers/")
    _charts_drawn(page, "barriers")
    assert _plotted(page, "barriers", "[0].x") == ["LEAD", "HUM"]
    screenshot(page, "barriers")

    _apply(page, "Dimension", "LEAD", "dimension=LEAD")
    _charts_drawn(page, "barriers")
    assert _plotted(page, "barriers", "[0].y") == ["Unclear roles"]
    screenshot(page, "barriers-lead")
    page.get_by_role("link", name=re.compile(r"Evidence notes\W+Unclear roles")).click()
    page.wait_for_url("**/dashboards/barriers/evidence/**tag=LEAD-B-ROLES**")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Unclear roles")
    screenshot(page, "evidence")


@pytest.fixture
def analyst_v2_page(v2_data, page):
    cache.clear()
    log_in(page, "analyst", PASSWORD)
    return page


def test_method_2_results_on_the_four_dashboards(analyst_v2_page, v2_data, screenshot):
    """Alignment and flags in the scheme of scoring/flags, the version-change marker, and one
    screenshot per dashboard with method-2 data."""
    page = analyst_v2_page
    page.goto(f"/dashboards/portfolio/?period={v2_data['p3'].pk}")
    _charts_drawn(page, "heatmap")
    assert _plotted(page, "heatmap", "[0].z[0]") == [90.0, 75.0]  # MSN-A by alignment
    screenshot(page, "portfolio-alignment")
    _apply(page, "Colour by", "flags", "measure=flags")
    _charts_drawn(page, "heatmap")
    assert _plotted(page, "heatmap", "[0].text[0]") == ["▼1", "▲1"]
    screenshot(page, "portfolio-flags")

    page.goto(f"/dashboards/missions/{v2_data['a'].pk}/")
    _charts_drawn(page, "indicator_flags", "alignment_trend", "index_trend")
    expect(page.locator("#profile-version-changes")).to_contain_text("TEST v2")
    expect(page.locator("#indicator_flags-table")).to_contain_text("over-integration")
    screenshot(page, "profile")

    page.goto(f"/dashboards/compare/?missions={v2_data['a'].pk}&measure=alignment")
    _charts_drawn(page, "compare")
    screenshot(page, "compare-alignment")

    page.goto("/dashboards/barriers/")
    _charts_drawn(page, "barriers")
    screenshot(page, "barriers")


current_period = assessments_data.current_period
assessment_a = assessments_data.assessment_a
answered = board_v2.answered


def test_method_2_board_shows_alignment_flags_and_missing_components(page, answered, screenshot):
    assessment_scores_compute(assessment_id=answered.pk)  # no worker needed for the picture
    log_in(page, "focal_point_a", PASSWORD)
    page.goto(f"/assessments/{answered.pk}/")
    expect(page.locator("#scores-alignment")).to_be_visible()
    expect(page.locator("#scores-not-responded")).to_contain_text("Humanitarian")
    # The findings are listed under their dimension; every indicator's answers unfold there.
    expect(
        page.locator('#dimension-LEAD tr[data-finding="LEAD-01"] .flag-shortfall')
    ).to_be_visible()
    page.locator("#dimension-LEAD details.board-drilldown summary").click()
    expect(page.locator('tr[data-indicator="LEAD-01"] .flag-shortfall')).to_be_visible()
    colour = page.locator('tr[data-indicator="LEAD-01"] .flag-shortfall').evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert colour == "rgb(230, 159, 0)"  # #E69F00, scoring.flags SHORTFALL
    screenshot(page, "board")
