"""The pages: filters in the URL, charts with their data tables and CSV, honest missing data."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from dashboards import figures, tables
from dashboards.plotly_css import MAPLIBRE_STYLE_ID, plotly_base_css, plotly_maplibre_style_ids
from dashboards.selectors import compare_series, mission_profile, portfolio
from dashboards.tables import Missing
from tests.dashboards.conftest import PROJECT_ROOT

pytestmark = pytest.mark.django_db


def _figure(response, key: str) -> dict:
    match = re.search(
        rf'<script id="{key}-figure" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no figure {key} in the page"
    return json.loads(match.group(1))


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def _cell(value) -> str:
    return "" if value is None else str(value)


@pytest.fixture
def analyst(client, personas):
    client.force_login(personas.analyst)
    return client


def test_portfolio_page_embeds_the_heatmap_for_the_quarter_in_the_url(analyst, small):
    url = reverse("dashboards:portfolio") + f"?period={small.p3.pk}&measure=gap&sort=-index"
    response = analyst.get(url)
    assert response.status_code == 200
    heatmap = _figure(response, "heatmap")["data"][0]
    assert heatmap["y"] == ["MSN-B", "MSN-A", "MSN-C · DEMO", "MSN-D"]
    assert heatmap["z"] == [[-0.5, None], [1.0, -0.5], [2.0, 0.0], [None, None]]
    assert heatmap["zmid"] == 0  # the diverging scale is centred on zero


def test_portfolio_csv_is_exactly_the_plotted_data(analyst, small):
    query = f"?period={small.p3.pk}&measure=score&format=csv&chart=heatmap"
    page = analyst.get(reverse("dashboards:portfolio") + query.replace("&format=csv", ""))
    rows = _csv(analyst.get(reverse("dashboards:portfolio") + query))
    figure = _figure(page, "heatmap")["data"]
    scores, index = figure[0], figure[2]
    # Method v3's critical findings lead the row ("—": no method 3 result).
    assert rows[0] == ["Mission", "Critical findings", "LEAD", "HUM", "Integration level"]
    assert [row[0] for row in rows[1:]] == scores["y"]
    for row, z, z_index in zip(rows[1:], scores["z"], index["z"], strict=True):
        assert row[1] == "—"
        assert row[2:] == [_cell(v) for v in z] + [_cell(z_index[0])]
    # Missing is an empty cell, never a zero.
    assert rows[2][2:] == ["4.5", "", "75.0"]


def test_heatmap_labels_missing_cells_and_draws_them_grey(small, personas):
    result = portfolio(user=personas.analyst, period_id=small.p3.pk)
    layer = figures.figure_portfolio_heatmap(result).data[1]
    assert list(layer.text[1]) == ["", "insufficient data"]  # B's HUM
    assert list(layer.text[3]) == ["no result", "no result"]  # D has no result
    assert list(layer.z[0]) == [None, None]  # nothing drawn over A's scores


def test_every_profile_chart_has_a_table_and_a_csv_matching_its_figure(analyst, small):
    url = reverse("dashboards:profile", args=[small.a.pk])
    page = analyst.get(url).content.decode()
    keys = re.findall(r'<script id="([a-z_]+)-figure"', page)
    assert keys == [
        "radar",
        "gaps",
        "alignment_trend",  # indicator_flags only with stored indicator rows (method 2)
        "index_trend",
        "dimension_trends",
        "coherence",
        "components",
        "tags",
    ]
    for key in keys:
        assert f'id="{key}-table"' in page
        assert f"format=csv&amp;chart={key}" in page
        assert analyst.get(url + f"?format=csv&chart={key}").status_code == 200


def test_profile_csvs_hold_the_plotted_values(analyst, small, personas):
    url = reverse("dashboards:profile", args=[small.a.pk])
    radar = _csv(analyst.get(url + "?format=csv&chart=radar"))
    assert radar == [
        ["Dimension", "This quarter", "Target", "Previous quarter"],
        ["LEAD", "3.0", "4", "2.5"],
        ["HUM", "2.5", "2", "2.0"],
    ]
    figure = figures.figure_radar(mission_profile(user=personas.analyst, mission_id=small.a.pk))
    current = figure.data[2]
    assert list(current.r[:-1]) == [3.0, 2.5]  # the outline is closed on its first point
    trend = _csv(analyst.get(url + "?format=csv&chart=index_trend"))
    assert trend[1:] == [
        # Real missions only (C is a demo mission): B 60, D 50 · A 40, B 70, D 60 · A 50, B 75.
        ["2024-Q2", "", "", "", "", "2", ""],
        ["2024-Q3", "40.0", "60.0", "50.0", "65.0", "3", ""],
        ["2024-Q4", "50.0", "", "", "", "2", ""],
    ]
    # A method-2 result ranks its gaps per indicator (tests/dashboards/test_method_v2.py), never
    # as a dimension's mean gap; these results stored no indicator findings, so none is ranked.
    gaps = _csv(analyst.get(url + "?format=csv&chart=gaps"))
    assert gaps == [["Indicator", "Dimension", "Distance", "Flag", "Value", "Band"]]


@pytest.mark.parametrize(
    ("figure", "table"),
    [
        (figures.figure_index_trend, tables.table_index_trend),
        (figures.figure_dimension_trends, tables.table_dimension_trends),
    ],
)
def test_trend_tables_follow_their_figures_also_for_the_last_quarters(
    small, personas, figure, table
):
    profile = mission_profile(user=personas.analyst, mission_id=small.a.pk)
    for last_n in (None, 2):
        drawn, listed = figure(profile, last_n=last_n), table(profile, last_n=last_n)
        assert list(drawn.data[-1].x) == [row[0] for row in listed.rows]
        values = [None if isinstance(v, Missing) else v for v in (r[-1] for r in listed.rows)]
        if figure is figures.figure_dimension_trends:
            assert list(drawn.data[-1].y) == values


def test_compare_csv_is_exactly_the_plotted_data(analyst, small, personas):
    query = f"?missions={small.a.pk}&missions={small.c.pk}&measure=index&peer=all"
    url = reverse("dashboards:compare") + query
    rows = _csv(analyst.get(url + "&format=csv&chart=compare"))
    figure = _figure(analyst.get(url), "compare")["data"]
    q1, q3, median, line_a, line_c = figure
    assert rows[0] == [
        "Quarter",
        "MSN-A",
        "MSN-C · DEMO",
        "Peer median",
        "Peer lower quartile",
        "Peer upper quartile",
        "Peer missions",
        "Version change",
    ]
    assert [row[-1] for row in rows[1:]] == ["" for _row in rows[1:]]  # one questionnaire
    assert [row[0] for row in rows[1:]] == line_a["x"]
    assert [row[1] for row in rows[1:]] == [_cell(v) for v in line_a["y"]]
    assert [row[2] for row in rows[1:]] == [_cell(v) for v in line_c["y"]]
    assert [row[3] for row in rows[1:]] == [_cell(v) for v in median["y"]]
    assert [row[4] for row in rows[1:]] == [_cell(v) for v in q1["y"]]
    assert [row[5] for row in rows[1:]] == [_cell(v) for v in q3["y"]]
    assert q3["fill"] == "tonexty"  # the band is drawn between the quartiles


def test_compare_figure_draws_gaps_not_zeros(small, personas):
    result = compare_series(user=personas.analyst, mission_ids=[small.a.pk])
    line = figures.figure_compare(result).data[-1]
    assert list(line.y) == [None, 40, 50]
    assert line.connectgaps is False


def test_barriers_page_drills_down_from_dimensions_to_tags_to_evidence(analyst, small):
    page = analyst.get(reverse("dashboards:barriers"))
    bars = _figure(page, "barriers")["data"]
    assert (bars[0]["x"], bars[0]["y"], bars[1]["y"]) == (["LEAD", "HUM"], [10, 0], [5, 0])
    assert _csv(analyst.get(reverse("dashboards:barriers") + "?format=csv&chart=barriers")) == [
        ["Dimension", "Barriers", "Enablers"],
        ["LEAD", "10", "5"],
        ["HUM", "0", "0"],
    ]
    drilled = analyst.get(reverse("dashboards:barriers") + "?dimension=LEAD")
    tag_bars = _figure(drilled, "barriers")["data"]
    assert (tag_bars[0]["y"], tag_bars[0]["x"]) == (["Unclear roles"], [10])
    assert "dimension=LEAD&amp;tag=LEAD-B-ROLES" in drilled.content.decode()
    evidence = analyst.get(reverse("dashboards:evidence") + "?dimension=LEAD&tag=LEAD-B-ROLES")
    assert evidence.status_code == 200
    assert "Unclear roles" in evidence.content.decode()


@pytest.mark.parametrize(
    ("page", "query", "message"),
    [
        ("portfolio", "?period=abc", "Unknown quarter"),
        ("portfolio", "?period=999999", "Unknown quarter"),
        ("portfolio", "?measure=colour", "Select a valid choice"),
        ("portfolio", "?sort=-nothing", "Select a valid choice"),
        ("portfolio", "?kind=army", "Select a valid choice"),
        ("compare", "?missions=abc", "Unknown mission"),
        ("compare", "?measure=dim:NOPE", "Select a valid choice"),
        ("compare", "?peer=kind:army", "Select a valid choice"),
        ("compare", "?quarters=7", "Select a valid choice"),
        ("barriers", "?region=mars", "Select a valid choice"),
        ("barriers", "?dimension=NOPE", "Select a valid choice"),
        ("evidence", "?dimension=LEAD", "This field is required"),
        ("evidence", "?dimension=LEAD&tag=HUM-B-NOPE", "No such barrier or enabler"),
        ("evidence", "?dimension=LEAD&tag=LEAD-B-ROLES&page=0", "greater than or equal to 1"),
    ],
)
def test_bad_filter_values_get_a_clear_message_and_400(analyst, small, page, query, message):
    response = analyst.get(reverse(f"dashboards:{page}") + query)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Some filters are not valid" in content
    assert message in content
    assert "-figure" not in content  # no chart from half-understood filters


def test_barriers_refuse_a_period_range_in_the_wrong_order(analyst, small):
    query = f"?period_from={small.p3.pk}&period_to={small.p1.pk}"
    response = analyst.get(reverse("dashboards:barriers") + query)
    assert response.status_code == 400
    assert "must not come after" in response.content.decode()


def test_unknown_chart_for_csv_is_a_400(analyst, small):
    response = analyst.get(reverse("dashboards:portfolio") + "?format=csv&chart=nope")
    assert response.status_code == 400


def test_heatmap_table_headers_sort_the_page_and_keep_the_filters(analyst, small):
    url = reverse("dashboards:portfolio") + f"?period={small.p3.pk}&kind=pko&sort=-LEAD"
    page = analyst.get(url).content.decode()
    assert 'aria-sort="descending"' in page
    assert f"?period={small.p3.pk}&amp;kind=pko&amp;sort=LEAD" in page


def test_demo_missions_carry_the_demo_marker(analyst, small):
    page = analyst.get(reverse("dashboards:profile", args=[small.c.pk])).content.decode()
    assert "DEMO" in page and "MSN-C · DEMO" in page


def test_a_mission_without_scores_says_so(analyst, small):
    page = analyst.get(reverse("dashboards:profile", args=[small.d.pk]) + f"?period={small.p3.pk}")
    assert page.status_code == 200
    assert "no result" in page.content.decode()


def test_pages_load_plotly_from_local_static_files_and_no_inline_script(analyst, small):
    page = analyst.get(reverse("dashboards:portfolio")).content.decode()
    assert "/static/vendor/plotly-dashboards/plotly-dashboards.min.js" in page
    assert "cdn" not in page.lower()
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert scripts and all('type="application/json"' in attrs for attrs in scripts)


def test_shipped_plotly_stylesheet_matches_the_pinned_bundle():
    shipped = (PROJECT_ROOT / "static" / "dashboards" / "plotly.css").read_text()
    assert shipped == plotly_base_css(), (
        "plotly was upgraded: run .venv/bin/python -m dashboards.plotly_css "
        "> static/dashboards/plotly.css"
    )


def test_layout_stops_plotly_injecting_its_map_librarys_style(analyst, small):
    assert plotly_maplibre_style_ids() == [MAPLIBRE_STYLE_ID], (
        "plotly was upgraded: set MAPLIBRE_STYLE_ID in dashboards/plotly_css.py to the id "
        "plotly.min.js looks for before injecting its map library's <style>"
    )
    page = analyst.get(reverse("dashboards:portfolio")).content.decode()
    assert f'id="{MAPLIBRE_STYLE_ID}"' in page
    # The style-attribute shim loads before plotly.js (both deferred, so in this order).
    assert page.index("dashboards/plotly-csp.js") < page.index(
        "vendor/plotly-dashboards/plotly-dashboards.min.js"
    )
