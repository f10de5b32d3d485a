"""The dashboard selectors return the right numbers for a hand-built set of stored scores."""

import datetime

import pytest

from assessments.models import Answer
from dashboards.selectors import (
    barrier_counts,
    barrier_evidence,
    compare_series,
    cycle_board,
    mission_profile,
    portfolio,
)
from dashboards.types import INSUFFICIENT, NO_RESULT
from missions.models import Mission, Period
from tests.dashboards.conftest import tagged_answer

pytestmark = pytest.mark.django_db


def _codes(result) -> list[str]:
    return [row.mission.code for row in result.rows]


# --- portfolio ---------------------------------------------------------------------------------


def test_portfolio_holds_each_missions_plotted_scores_gaps_and_index(small, personas):
    result = portfolio(user=personas.analyst, period_id=small.p3.pk)
    assert result.period.label == "2024-Q4"
    assert [d.code for d in result.dimensions] == ["LEAD", "HUM"]
    rows = {row.mission.code: row for row in result.rows}
    assert [c.score for c in rows["MSN-A"].cells] == [3.0, 2.5]
    assert [c.gap for c in rows["MSN-A"].cells] == [1.0, -0.5]
    assert rows["MSN-A"].index == 50
    assert [c.gap for c in rows["MSN-C"].cells] == [2.0, 0.0]  # a zero gap is a value


def test_portfolio_shows_insufficient_and_absent_results_as_missing_never_zero(small, personas):
    rows = {
        row.mission.code: row
        for row in portfolio(user=personas.analyst, period_id=small.p3.pk).rows
    }
    hum_b = rows["MSN-B"].cells[1]
    assert (hum_b.score, hum_b.gap, hum_b.missing) == (None, None, INSUFFICIENT)
    assert rows["MSN-D"].index is None and rows["MSN-D"].missing == NO_RESULT
    assert all(c.score is None and c.missing == NO_RESULT for c in rows["MSN-D"].cells)


def test_portfolio_sorts_by_any_column_with_missing_values_last(small, personas):
    def order(sort):
        return _codes(portfolio(user=personas.analyst, period_id=small.p3.pk, sort=sort))

    assert order(None) == ["MSN-A", "MSN-B", "MSN-C", "MSN-D"]
    assert order("-mission") == ["MSN-D", "MSN-C", "MSN-B", "MSN-A"]
    assert order("-index") == ["MSN-B", "MSN-A", "MSN-C", "MSN-D"]
    assert order("index") == ["MSN-C", "MSN-A", "MSN-B", "MSN-D"]
    assert order("-LEAD") == ["MSN-B", "MSN-A", "MSN-C", "MSN-D"]
    assert order("HUM") == ["MSN-C", "MSN-A", "MSN-B", "MSN-D"]


def test_portfolio_filters_by_kind_and_region(small, personas):
    def codes(**filters):
        return _codes(portfolio(user=personas.analyst, period_id=small.p3.pk, **filters))

    assert codes(kind="spm") == ["MSN-C", "MSN-D"]
    assert codes(region="africa") == ["MSN-A", "MSN-B"]
    assert codes(kind="spm", region="europe") == ["MSN-C"]


def test_portfolio_of_mission_staff_holds_only_their_mission(small, personas):
    result = portfolio(user=personas.focal_point_a, period_id=small.p3.pk)
    assert _codes(result) == ["MSN-A"]


def test_portfolio_marks_demo_missions(small, personas):
    rows = portfolio(user=personas.analyst, period_id=small.p3.pk).rows
    assert [row.mission.label for row in rows if row.mission.is_demo] == ["MSN-C · DEMO"]


def test_portfolio_refuses_an_unknown_sort_column(small, personas):
    with pytest.raises(ValueError, match="unknown sort column"):
        portfolio(user=personas.analyst, period_id=small.p3.pk, sort="NOPE")


# --- cycle board -------------------------------------------------------------------------------


def test_cycle_board_places_each_mission_and_flags_overdue_ones(small, personas):
    # C's assessment is open with one answer given; D has no assessment at all.
    tagged_answer(small.c.assessments.get(period=small.p3), "political", "LEAD-01", choice="3")
    board = cycle_board(
        user=personas.analyst, period_id=small.p3.pk, today=datetime.date(2025, 2, 1)
    )
    states = {row.mission.code: (row.state, row.overdue) for row in board.rows}
    assert states == {
        "MSN-A": ("approved", False),
        "MSN-B": ("submitted", False),
        "MSN-C": ("in_progress", True),
        "MSN-D": ("not_started", True),
    }
    counts = {c.state: (c.on_time, c.overdue) for c in board.counts}
    assert counts == {
        "not_started": (0, 1),
        "in_progress": (0, 1),
        "submitted": (1, 0),
        "approved": (1, 0),
    }


def test_cycle_board_has_nothing_overdue_before_the_quarter_closes(small, personas):
    board = cycle_board(
        user=personas.analyst, period_id=small.p3.pk, today=datetime.date(2024, 11, 1)
    )
    assert not any(row.overdue for row in board.rows)


# --- mission profile ---------------------------------------------------------------------------


def test_mission_profile_defaults_to_the_latest_scored_quarter(small, personas):
    profile = mission_profile(user=personas.focal_point_a, mission_id=small.a.pk)
    assert profile.period.label == "2024-Q4"
    assert profile.previous_period.label == "2024-Q3"
    assert (profile.index, profile.previous_index, profile.stage) == (50, 40, "Coordination")


def test_mission_profile_dimension_rows_against_targets_and_last_quarter(small, personas):
    profile = mission_profile(user=personas.analyst, mission_id=small.a.pk)
    lead, hum = profile.dimensions
    assert (lead.code, lead.title) == ("LEAD", "Leadership and management")
    assert (lead.score, lead.target, lead.gap, lead.gap_flag) == (3.0, 4, 1.0, "shortfall")
    assert (lead.previous_score, lead.divergence_flag, lead.sufficient) == (2.5, True, True)
    assert (hum.score, hum.target, hum.gap, hum.previous_score) == (2.5, 2, -0.5, 2.0)
    assert hum.gap_flag == "over_integration"


def test_mission_profile_ranks_gaps_by_size_and_puts_missing_ones_last(small, personas):
    profile_a = mission_profile(user=personas.analyst, mission_id=small.a.pk)
    assert [(d.code, d.gap) for d in profile_a.gaps_ranked] == [("LEAD", 1.0), ("HUM", -0.5)]
    profile_b = mission_profile(user=personas.analyst, mission_id=small.b.pk)
    assert [(d.code, d.gap, d.missing) for d in profile_b.gaps_ranked] == [
        ("LEAD", -0.5, ""),
        ("HUM", None, INSUFFICIENT),
    ]


def test_mission_profile_trend_has_a_gap_for_an_insufficient_quarter(small, personas):
    profile = mission_profile(user=personas.analyst, mission_id=small.a.pk)
    assert [p.label for p in profile.periods] == ["2024-Q2", "2024-Q3", "2024-Q4"]
    assert profile.index_trend == (None, 40, 50)
    lead = profile.dimension_trends[0]
    assert (lead.code, lead.values) == ("LEAD", (None, 2.5, 3.0))


def test_mission_profile_peer_median_and_quartiles_for_analysts_are_exact(small, personas):
    profile = mission_profile(user=personas.analyst, mission_id=small.a.pk)
    # Real missions only (C is a demo mission), the profiled one included:
    # 2024-Q2: 50, 60 (A insufficient) · Q3: 40, 60, 70 · Q4: 50, 75 (D no result)
    assert [(p.median, p.q1, p.q3, p.missions) for p in profile.peer] == [
        (None, None, None, 2),
        (60, 50, 65, 3),
        (None, None, None, 2),
    ]


def test_mission_profile_shows_mission_staff_no_peer_figure_of_fewer_than_five(small, personas):
    profile = mission_profile(user=personas.respondent_a, mission_id=small.a.pk)
    # Their own mission A is no peer, nor the demo mission C: B and D at most.
    assert [(p.median, p.q1, p.q3, p.missions, p.withheld) for p in profile.peer] == [
        (None, None, None, None, "few_peers")
    ] * 3
    assert not profile.peer_count_shown
    assert any("fewer than 5 comparable missions" in note for note in profile.peer_notes)


def test_mission_profile_coherence_levels_this_and_last_quarter(small, personas):
    profile = mission_profile(user=personas.analyst, mission_id=small.a.pk)
    levels = profile.coherence_levels
    assert [(lv.level, lv.score, lv.previous_score, lv.missing) for lv in levels] == [
        ("policy_strategic", 3.2, 3.0, ""),
        ("operational_programmatic", 2.8, 2.6, ""),
        ("administrative", None, 2.0, INSUFFICIENT),
    ]


def test_mission_profile_component_views_follow_the_dimensions(small, personas):
    profile = mission_profile(user=personas.analyst, mission_id=small.a.pk)
    assert [(c.component, c.scores) for c in profile.components] == [
        ("political", (2.0, 3.0)),
        ("military", (4.0, None)),
    ]


def test_mission_profile_top_barriers_and_enablers_add_up_the_last_quarters(small, personas):
    profile = mission_profile(user=personas.analyst, mission_id=small.a.pk)
    assert [(t.code, t.label, t.count) for t in profile.top_barriers] == [
        ("LEAD-B-ROLES", "Unclear roles", 5)
    ]
    assert [(t.code, t.count) for t in profile.top_enablers] == [("LEAD-E-RETREAT", 5)]


def test_mission_profile_of_an_earlier_quarter_stops_there(small, personas):
    profile = mission_profile(user=personas.analyst, mission_id=small.a.pk, period_id=small.p2.pk)
    assert [p.label for p in profile.periods] == ["2024-Q2", "2024-Q3"]
    assert (profile.index, profile.previous_index) == (40, None)
    assert [(t.code, t.count) for t in profile.top_barriers] == [("LEAD-B-ROLES", 2)]


def test_mission_profile_refuses_another_missions_staff(small, personas):
    with pytest.raises(Mission.DoesNotExist):
        mission_profile(user=personas.focal_point_b, mission_id=small.a.pk)


def test_mission_profile_refuses_an_unknown_quarter(small, personas):
    with pytest.raises(Period.DoesNotExist):
        mission_profile(user=personas.analyst, mission_id=small.a.pk, period_id=99999)


# --- compare -----------------------------------------------------------------------------------


def test_compare_lines_and_peer_band_of_all_missions(small, personas):
    result = compare_series(user=personas.analyst, mission_ids=[small.a.pk, small.c.pk])
    assert [p.label for p in result.periods] == ["2024-Q2", "2024-Q3", "2024-Q4"]
    assert [(line.mission.label, line.values) for line in result.lines] == [
        ("MSN-A", (None, 40, 50)),
        ("MSN-C · DEMO", (10, 20, 25)),
    ]
    # A real mission is chosen: real peers only (B 60, D 50 · A 40, B 70, D 60 · A 50, B 75).
    assert [(p.median, p.q1, p.q3, p.missions) for p in result.peer_points] == [
        (None, None, None, 2),
        (60, 50, 65, 3),
        (None, None, None, 2),
    ]


def test_compare_demo_missions_have_demo_peers_only(small, personas):
    result = compare_series(user=personas.analyst, mission_ids=[small.c.pk])
    assert [p.missions for p in result.peer_points] == [1, 1, 1]  # C alone


def test_compare_a_dimension_within_a_too_small_peer_group_draws_no_band(small, personas):
    result = compare_series(
        user=personas.analyst, mission_ids=[small.a.pk], measure="dim:LEAD", peer="kind:pko"
    )
    # Only A and B (peacekeeping) have LEAD scores, and only in 2024-Q3 and Q4.
    assert [p.label for p in result.periods] == ["2024-Q3", "2024-Q4"]
    assert result.lines[0].values == (2.5, 3.0)
    assert [(p.median, p.missions) for p in result.peer_points] == [(None, 1), (None, 2)]
    assert result.scale == (1.0, 5.0)


def test_compare_a_coherence_level_keeps_insufficient_quarters_as_gaps(small, personas):
    result = compare_series(
        user=personas.analyst, mission_ids=[small.a.pk], measure="level:administrative"
    )
    assert result.lines[0].values == (2.0, None)


def test_compare_peer_group_by_region(small, personas):
    result = compare_series(user=personas.analyst, mission_ids=[], peer="region:africa")
    assert result.lines == ()
    # A and B only: never three missions, so never a median.
    assert [p.missions for p in result.peer_points] == [1, 2, 2]
    assert all(p.median is None for p in result.peer_points)


def test_compare_last_quarters_only(small, personas):
    result = compare_series(user=personas.analyst, mission_ids=[small.b.pk], quarters=2)
    assert [p.label for p in result.periods] == ["2024-Q3", "2024-Q4"]
    assert result.lines[0].values == (70, 75)


def test_compare_never_draws_a_mission_the_user_cannot_see(small, personas):
    result = compare_series(user=personas.focal_point_a, mission_ids=[small.a.pk, small.b.pk])
    assert [line.mission.code for line in result.lines] == ["MSN-A"]


def test_compare_refuses_unknown_measures_and_peer_groups(small, personas):
    with pytest.raises(ValueError, match="measure"):
        compare_series(user=personas.analyst, mission_ids=[], measure="dim:NOPE")
    with pytest.raises(ValueError, match="peer"):
        compare_series(user=personas.analyst, mission_ids=[], peer="kind:nope")


# --- barriers and enablers ---------------------------------------------------------------------


def test_barrier_counts_per_dimension_and_tag_across_missions_and_quarters(small, personas):
    result = barrier_counts(user=personas.analyst)
    assert [(d.code, d.barriers, d.enablers) for d in result.dimensions] == [
        ("LEAD", 10, 5),
        ("HUM", 0, 0),
    ]
    assert [(t.code, t.label, t.kind, t.count, t.missions) for t in result.tags] == [
        ("LEAD-B-ROLES", "Unclear roles", "barrier", 10, 2),
        ("LEAD-E-RETREAT", "Leadership retreats", "enabler", 5, 1),
    ]


def test_barrier_counts_filtered_by_quarters_kind_and_tag_kind(small, personas):
    last = barrier_counts(user=personas.analyst, period_from_id=small.p3.pk)
    assert [(d.barriers, d.enablers) for d in last.dimensions][0] == (8, 1)
    first_two = barrier_counts(
        user=personas.analyst, period_from_id=small.p1.pk, period_to_id=small.p2.pk
    )
    assert [(t.code, t.count) for t in first_two.tags] == [
        ("LEAD-B-ROLES", 2),
        ("LEAD-E-RETREAT", 4),
    ]
    assert barrier_counts(user=personas.analyst, kind="spm").tags == ()
    enablers = barrier_counts(user=personas.analyst, tag_kind="enabler")
    assert [(d.barriers, d.enablers) for d in enablers.dimensions][0] == (0, 5)


def test_barrier_evidence_pages_through_the_notes_of_one_tag(small, personas):
    assessment, tag = small.a.assessments.get(period=small.p3), "LEAD-B-ROLES"
    for n, code in enumerate(["LEAD-01", "LEAD-02"]):
        tagged_answer(
            assessment, "political", code, choice="2", evidence=f"note {n}", tag_codes=[tag]
        )
    tagged_answer(assessment, "military", "LEAD-01", choice="3", tag_codes=["LEAD-E-RETREAT"])
    tagged_answer(assessment, "military", "HUM-01", choice="3", tag_codes=["LEAD-B-ROLES"])
    page = barrier_evidence(user=personas.analyst, dimension="LEAD", tag="LEAD-B-ROLES", per_page=1)
    assert page.paginator.count == 2  # the HUM answer and the other tag are left out
    assert [(n.mission.code, n.indicator_code, n.evidence) for n in page.object_list] == [
        ("MSN-A", "LEAD-01", "note 0")
    ]
    second = barrier_evidence(
        user=personas.analyst, dimension="LEAD", tag="LEAD-B-ROLES", per_page=1, page=2
    )
    assert [n.evidence for n in second.object_list] == ["note 1"]


def test_barrier_evidence_never_matches_a_longer_tag_code(small, personas):
    assessment = small.a.assessments.get(period=small.p3)
    tagged_answer(assessment, "political", "LEAD-01", choice="2", tag_codes=["LEAD-B-ROLES-X"])
    tagged_answer(assessment, "military", "LEAD-01", choice="2", tag_codes=["X-LEAD-B-ROLES"])
    tagged_answer(assessment, "police", "LEAD-01", choice="2", tag_codes=["LEAD-B-ROLES"])
    page = barrier_evidence(user=personas.analyst, dimension="LEAD", tag="LEAD-B-ROLES")
    assert [n.component for n in page.object_list] == ["police"]


@pytest.mark.service
def test_on_postgresql_the_evidence_query_is_answered_by_the_tag_index(small, personas):
    """The evidence page finds one tag's answers through the GIN index of assessments 0007
    (JSON containment), not by reading every answer's tag list as text."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["assessments_answer_tag_codes_gin"],
        )
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "jsonb_path_ops" in definition
    page = barrier_evidence(user=personas.analyst, dimension="LEAD", tag="LEAD-B-ROLES")
    query = str(page.paginator.object_list.query)
    assert "@>" in query
    # The containment the selector uses is one the index answers.
    tagged = Answer.objects.filter(tag_codes__contains=["LEAD-B-ROLES"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = tagged.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "assessments_answer_tag_codes_gin" in plan
