"""Dashboards for method-2 results: alignment and flags shown as stored, the one colour scheme,
a marker where the method or questionnaire version changes, new CSV columns."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus
from dashboards import figures
from dashboards.selectors import barrier_counts, compare_series, mission_profile, portfolio
from questionnaires.models import Questionnaire
from scoring.flags import IN_BAND, INSUFFICIENT, OVER_INTEGRATION, SHORTFALL, flag_style
from scoring.method import METHODS
from scoring.models import DimensionScore, IndicatorScore, ScoreSet, TagCount
from tests.factories import PeriodFactory

pytestmark = pytest.mark.django_db

V1, V2 = METHODS[1].label, METHODS[2].label
RATIONALE = "Drawdown: joint planning handed over to the UN country team."


def _set(mission, period, questionnaire, method, *, index, alignment=None, counts=(0, 0)):
    assessment, _created = Assessment.objects.get_or_create(
        mission=mission,
        period=period,
        defaults={"questionnaire": questionnaire, "status": AssessmentStatus.APPROVED},
    )
    Assessment.objects.filter(pk=assessment.pk).update(phase="drawdown")
    v2 = method == V2
    return ScoreSet.objects.create(
        assessment=assessment,
        mission=mission,
        period=period,
        method_version=method,
        computed_at=timezone.now(),
        index=index,
        score=index / 25 + 1,
        stage="Coordination",
        completeness=0.9,
        sufficient=True,
        alignment=alignment if v2 else None,
        shortfall=(100 - alignment) / 3 if v2 else None,
        over_integration=(100 - alignment) * 2 / 3 if v2 else None,
        shortfall_count=counts[0] if v2 else None,
        over_integration_count=counts[1] if v2 else None,
    )


@pytest.fixture
def v2_data(personas, questionnaire):
    """Mission A: 2025-Q1 scored by method 1 on TEST v1; 2025-Q2 by method 2 on TEST v1;
    2025-Q3 by method 2 on TEST v2 (alignment 82.5: LEAD short, HUM-01 over-integrated).
    Mission B: 2025-Q3 by method 2, alignment 100."""
    newer = Questionnaire.objects.create(code="TEST", version=2, title="Test v2")
    p1, p2, p3 = (PeriodFactory(year=2025, quarter=q) for q in (1, 2, 3))
    a, b = personas.mission_a, personas.mission_b
    _set(a, p1, questionnaire, V1, index=40)
    _set(a, p2, questionnaire, V2, index=45, alignment=70.0, counts=(2, 0))
    latest = _set(a, p3, newer, V2, index=50, alignment=82.5, counts=(1, 1))
    _set(b, p3, newer, V2, index=30, alignment=100.0)
    for code, alignment, counts, flag in (
        ("LEAD", 90.0, (1, 0), "shortfall"),
        ("HUM", 75.0, (0, 1), "over_integration"),
    ):
        DimensionScore.objects.create(
            score_set=latest,
            dimension_code=code,
            score=2.5,
            completeness=1.0,
            sufficient=True,
            target=3,
            gap=0.5 if flag == "shortfall" else -1.0,
            gap_flag=flag,
            alignment=alignment,
            shortfall_count=counts[0],
            over_integration_count=counts[1],
        )
    rows = (
        ("LEAD-01", "LEAD", 2.6, 3, 4, False, "", -0.4, "shortfall"),
        ("LEAD-02", "LEAD", 3.0, 3, 3, True, RATIONALE, 0.0, ""),
        ("HUM-01", "HUM", 3.0, 1, 2, False, "", 1.0, "over_integration"),
    )
    for code, dim, value, low, high, overridden, rationale, distance, flag in rows:
        IndicatorScore.objects.create(
            score_set=latest,
            indicator_code=code,
            dimension_code=dim,
            applicable=True,
            value=value,
            band_min=low,
            band_max=high,
            band_overridden=overridden,
            rationale=rationale,
            distance=distance,
            flag=flag,
            counted=2,
            expected=2,
            sufficient=True,
        )
    return {"a": a, "b": b, "p1": p1, "p2": p2, "p3": p3, "latest": latest}


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_portfolio_rows_carry_the_stored_alignment_and_flags(personas, v2_data):
    result = portfolio(user=personas.analyst, period_id=v2_data["p3"].pk, sort="-alignment")
    assert [row.mission.code for row in result.rows] == ["MSN-B", "MSN-A"]
    row_a = result.rows[1]
    stored = v2_data["latest"]
    assert (row_a.alignment, row_a.shortfall_count, row_a.over_integration_count) == (
        stored.alignment,
        stored.shortfall_count,
        stored.over_integration_count,
    )
    lead, hum = row_a.cells
    assert (lead.alignment, lead.flag) == (90.0, SHORTFALL)
    assert (hum.alignment, hum.flag) == (75.0, OVER_INTEGRATION)
    assert figures.flag_cell_text(hum) == "▲1"


def test_portfolio_flags_heatmap_uses_the_one_colour_scheme(personas, v2_data):
    result = portfolio(user=personas.analyst, period_id=v2_data["p3"].pk)
    figure = figures.figure_portfolio_heatmap(result, "flags")
    colours = {colour for _position, colour in figure.data[0].colorscale}
    assert {flag_style(SHORTFALL).colour, flag_style(OVER_INTEGRATION).colour} <= colours
    assert flag_style(IN_BAND).colour in colours
    legend = {
        trace.name: (trace.marker.color, trace.marker.symbol)
        for trace in figure.data
        if trace.type == "scatter"
    }
    # Each flag once: its marker is its symbol, its name the label alone.
    assert legend == {
        "shortfall": (flag_style(SHORTFALL).colour, "triangle-down"),
        "over-integration": (flag_style(OVER_INTEGRATION).colour, "triangle-up"),
        "in band": (flag_style(IN_BAND).colour, "circle"),
        "insufficient data": (flag_style(INSUFFICIENT).colour, "circle-open"),
    }


def test_indicator_flags_legend_names_each_flag_once(personas, v2_data):
    profile = mission_profile(user=personas.analyst, mission_id=v2_data["a"].pk)
    figure = figures.figure_indicator_flags(profile)
    legend = {t.name: t.marker.symbol for t in figure.data if t.type == "scatter"}
    assert legend == {
        "shortfall": "triangle-down",
        "over-integration": "triangle-up",
        "in band": "circle",
    }


def test_portfolio_toggle_is_in_the_url_and_its_csv_has_the_new_columns(client, personas, v2_data):
    client.force_login(personas.analyst)
    url = reverse("dashboards:portfolio") + f"?period={v2_data['p3'].pk}&measure=flags"
    page = client.get(url).content.decode()
    assert "Portfolio 2025-Q3: flags by dimension" in page
    rows = _csv(client.get(url + "&format=csv&chart=heatmap"))
    assert rows[0][:5] == ["Mission", "Critical findings", "LEAD", "HUM", "Alignment"]
    assert "Indicators over-integrated" in rows[0]
    msn_a = next(row for row in rows if row[0] == "MSN-A")
    assert msn_a[2] == "▼ shortfall: 1" and msn_a[3] == "▲ over-integration: 1"
    assert msn_a[4] == "82.5"
    by_alignment = _csv(client.get(url.replace("flags", "alignment") + "&format=csv&chart=heatmap"))
    assert next(row for row in by_alignment if row[0] == "MSN-A")[2:5] == ["90.0", "75.0", "82.5"]


def test_profile_lists_indicator_flags_with_band_rationale_and_phase(client, personas, v2_data):
    profile = mission_profile(user=personas.analyst, mission_id=v2_data["a"].pk)
    flags = {row.code: row for row in profile.indicator_flags}
    assert flags["LEAD-01"].flag == SHORTFALL and flags["HUM-01"].flag == OVER_INTEGRATION
    assert flags["LEAD-02"].flag == IN_BAND and flags["LEAD-02"].rationale == RATIONALE
    assert profile.phase == "Drawdown / transition"
    client.force_login(personas.analyst)
    url = reverse("dashboards:profile", args=[v2_data["a"].pk])
    page = client.get(url).content.decode()
    assert 'id="indicator_flags-table"' in page
    assert '<strong class="fs-3" id="profile-alignment">83</strong>' in page  # 82.5 rounds to 83
    rows = _csv(client.get(url + "?format=csv&chart=indicator_flags"))
    assert rows[0][:8] == [
        "Indicator",
        "Dimension",
        "Value",
        "Band",
        "Distance",
        "Flag",
        "Band overridden: rationale",
        "Phase",
    ]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["HUM-01"][2:6] == ["3.0", "1–2", "1.0", "▲ over-integration"]
    assert by_code["LEAD-02"][6:8] == [RATIONALE, "Drawdown / transition"]
    assert by_code["LEAD-01"][-1] == V2


def test_profile_trend_marks_where_method_and_questionnaire_versions_change(
    client, personas, v2_data
):
    profile = mission_profile(user=personas.analyst, mission_id=v2_data["a"].pk)
    assert [p.label for p in profile.periods] == ["2025-Q1", "2025-Q2", "2025-Q3"]
    assert profile.index_trend == (40.0, 45.0, 50.0)  # the method-1 quarter is kept
    assert profile.alignment_trend == (None, 70.0, 82.5)
    changes = [(v.period.label, v.method_version, v.questionnaire) for v in profile.version_changes]
    assert changes == [("2025-Q2", V2, "TEST v1"), ("2025-Q3", V2, "TEST v2")]
    figure = figures.figure_alignment_trend(profile)
    lines = [shape for shape in figure.layout.shapes if shape.line.dash == "dot"]
    assert [line.x0 for line in lines] == [0.5, 1.5]  # before Q2 and before Q3
    assert any("TEST v2" in note.text for note in figure.layout.annotations)
    client.force_login(personas.analyst)
    url = reverse("dashboards:profile", args=[v2_data["a"].pk])
    assert 'id="profile-version-changes"' in client.get(url).content.decode()
    rows = _csv(client.get(url + "?format=csv&chart=alignment_trend"))
    assert rows[1][:6] == ["2025-Q1", "", "40.0", V1, "TEST v1", ""]
    assert "Peer median" in rows[0]  # alignment against its anonymous peers (disclosure rule)
    assert rows[3][:5] == ["2025-Q3", "82.5", "50.0", V2, "TEST v2"]
    assert "questionnaire TEST v2" in rows[3][5]


def test_compare_on_alignment_reads_the_stored_alignment(personas, v2_data):
    comparison = compare_series(
        user=personas.analyst, mission_ids=[v2_data["a"].pk], measure="alignment"
    )
    assert comparison.scale == (0.0, 100.0)
    # Each quarter's newest result, as on the profile: the method-1 quarter has no alignment.
    assert [p.label for p in comparison.periods] == ["2025-Q1", "2025-Q2", "2025-Q3"]
    assert comparison.lines[0].values == (None, 70.0, 82.5)


def test_method_2_gaps_are_ranked_per_indicator_by_distance_with_their_flags(
    client, personas, v2_data
):
    profile = mission_profile(user=personas.analyst, mission_id=v2_data["a"].pk)
    # HUM-01 is 1.0 above its band, LEAD-01 0.4 below; LEAD-02 (in band) is no gap.
    assert [(row.code, row.distance, row.flag) for row in profile.indicator_gaps_ranked] == [
        ("HUM-01", 1.0, OVER_INTEGRATION),
        ("LEAD-01", -0.4, SHORTFALL),
    ]
    bars = figures.figure_gaps_ranked(profile).data[0]
    assert list(bars.y) == ["HUM-01", "LEAD-01"] and list(bars.x) == [1.0, -0.4]
    assert list(bars.marker.color) == [
        flag_style(OVER_INTEGRATION).colour,
        flag_style(SHORTFALL).colour,
    ]
    assert list(bars.text) == ["▲ over-integration", "▼ shortfall"]
    client.force_login(personas.analyst)
    url = reverse("dashboards:profile", args=[v2_data["a"].pk])
    rows = _csv(client.get(url + "?format=csv&chart=gaps"))
    assert rows[0] == ["Indicator", "Dimension", "Distance", "Flag", "Value", "Band"]
    assert rows[1:] == [
        ["HUM-01", "HUM", "1.0", "▲ over-integration", "3.0", "1–2"],
        ["LEAD-01", "LEAD", "-0.4", "▼ shortfall", "2.6", "3–4"],
    ]


def test_method_1_gaps_stay_per_dimension(personas, v2_data):
    profile = mission_profile(
        user=personas.analyst, mission_id=v2_data["a"].pk, period_id=v2_data["p1"].pk
    )
    assert profile.method_version == V1 and not profile.ranks_indicators
    assert figures.figure_gaps_ranked(profile).data[0].name == "Gap to target"


def test_level_is_never_called_an_index_and_says_higher_is_not_better(personas, v2_data):
    result = portfolio(user=personas.analyst, period_id=v2_data["p3"].pk)
    figure = figures.figure_portfolio_heatmap(result, "score")
    side = figure.data[2]
    assert side.name == "Integration level (higher is not better)" and list(side.x) == ["Level"]
    from dashboards import tables as table

    score_table = table.table_portfolio_heatmap(result, "score")
    assert score_table.columns[-1] == "Integration level"
    assert "higher is not better" in score_table.caption


def test_portfolio_says_why_a_mission_has_no_alignment(client, personas, v2_data):
    ScoreSet.objects.filter(pk=v2_data["latest"].pk).update(sufficient=False, completeness=0.4)
    result = portfolio(user=personas.analyst, period_id=v2_data["p3"].pk)
    row_a = next(row for row in result.rows if row.mission.code == "MSN-A")
    assert row_a.alignment is None and row_a.index is None
    assert row_a.insufficient_because == "completeness 40 % (below 50 %)"
    figure = figures.figure_portfolio_heatmap(result, "alignment")
    side_missing = figure.data[3]
    a = list(side_missing.y).index(row_a.mission.label)
    assert side_missing.text[a] == ["insufficient data"]
    assert side_missing.customdata[a] == ["completeness 40 % (below 50 %)"]
    client.force_login(personas.analyst)
    url = reverse("dashboards:portfolio") + f"?period={v2_data['p3'].pk}&measure=alignment"
    page = client.get(url).content.decode()
    assert "insufficient: completeness 40 % (below 50 %)" in page
    # The stored alignment (82.5) is nowhere in the mission's row.
    csv_row = next(
        r for r in _csv(client.get(url + "&format=csv&chart=heatmap")) if r[0] == "MSN-A"
    )
    assert "82.5" not in csv_row and csv_row[4] == ""
    ScoreSet.objects.filter(pk=v2_data["latest"].pk).update(completeness=0.8)
    again = portfolio(user=personas.analyst, period_id=v2_data["p3"].pk)
    row_a = next(row for row in again.rows if row.mission.code == "MSN-A")
    assert row_a.insufficient_because == "no indicator with enough answers"


def test_barriers_count_each_assessment_once_across_method_versions(personas, questionnaire):
    """A quarter never rescored keeps its method-1 tags; a rescored one counts only its
    current-method result, not both."""
    p1, p2 = PeriodFactory(year=2025, quarter=1), PeriodFactory(year=2025, quarter=2)
    a = personas.mission_a
    old_only = _set(a, p1, questionnaire, V1, index=40)
    rescored_v1 = _set(a, p2, questionnaire, V1, index=45)
    rescored_v2 = _set(a, p2, questionnaire, V2, index=45, alignment=90.0)
    for score_set, count in ((old_only, 2), (rescored_v1, 3), (rescored_v2, 3)):
        TagCount.objects.create(
            score_set=score_set,
            dimension_code="LEAD",
            tag_code="LEAD-B-ROLES",
            kind="barrier",
            count=count,
        )
    counts = barrier_counts(user=personas.analyst)
    lead = next(d for d in counts.dimensions if d.code == "LEAD")
    assert lead.barriers == 2 + 3


def test_compare_marks_where_a_missions_questionnaire_version_changes(client, personas, v2_data):
    comparison = compare_series(
        user=personas.analyst, mission_ids=[v2_data["a"].pk], measure="alignment"
    )
    # 2025-Q1 method 1, 2025-Q2 method 2 on TEST v1, 2025-Q3 method 2 on TEST v2: the method
    # changes before Q2 and the questionnaire before Q3 (the same markers as on the profile).
    assert [(v.period.label, v.questionnaire) for v in comparison.version_changes] == [
        ("2025-Q2", "TEST v1"),
        ("2025-Q3", "TEST v2"),
    ]
    figure = figures.figure_compare(comparison)
    lines = [shape for shape in figure.layout.shapes if shape.line.dash == "dot"]
    assert [line.x0 for line in lines] == [0.5, 1.5]
    assert [note.text for note in figure.layout.annotations][-1] == (
        f"⇢ From 2025-Q3: method {V2}, questionnaire TEST v2"
    )
    client.force_login(personas.analyst)
    url = reverse("dashboards:compare") + f"?missions={v2_data['a'].pk}&measure=alignment"
    page = client.get(url).content.decode()
    assert 'id="compare-version-changes"' in page
    assert f"from 2025-Q3: method {V2}, questionnaire TEST v2" in page
    rows = _csv(client.get(url + "&format=csv&chart=compare"))
    assert rows[0][-1] == "Version change"
    assert rows[1][0] == "2025-Q1" and rows[1][-1] == ""
    assert rows[2][0] == "2025-Q2" and f"method {V2}" in rows[2][-1]
    assert rows[3][0] == "2025-Q3" and "questionnaire TEST v2" in rows[3][-1]
    # Mission B has one quarter only: nothing changes in its line.
    alone = compare_series(user=personas.analyst, mission_ids=[v2_data["b"].pk], measure="index")
    assert alone.version_changes == ()


def test_profile_states_the_peer_rule_with_its_own_thresholds(client, personas, v2_data):
    from dashboards.disclosure import ANALYST_MIN_PEERS, K_PEERS, K_QUARTILES

    url = reverse("dashboards:profile", args=[v2_data["a"].pk])
    client.force_login(personas.focal_point_a)
    page = client.get(url).content.decode()
    assert 'id="profile-peer-rule"' in page
    assert f"from {K_QUARTILES} comparable missions on, the inter-quartile range" in page
    assert f"no peer figure is shown for fewer than {K_PEERS} of them" in page
    client.force_login(personas.analyst)
    page = client.get(url).content.decode()
    assert 'id="profile-peer-rule"' not in page  # analysts see every mission's own value
    assert ANALYST_MIN_PEERS < K_PEERS
