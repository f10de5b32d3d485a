"""A mission's context profile: recorded per quarter, carried forward, a change needs a reason."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError

from missions.context import DEFAULT_PROFILE, PHASES, PROFILE_KEYS, ContextProfile, profile_problems
from missions.models import MissionContextProfile, MissionPhase
from missions.selectors import (
    context_profile_changes,
    context_profile_for,
    context_profile_history,
    context_profiles_for,
)
from missions.services import context_profile_set
from tests.factories import PeriodFactory

pytestmark = pytest.mark.django_db

NO_TRIPLE_HAT = dataclasses.replace(DEFAULT_PROFILE, leadership="none")


@pytest.fixture
def quarters():
    return [PeriodFactory(year=2026, quarter=q) for q in (1, 2, 3, 4)]


def test_the_profile_phases_are_the_mission_phases():
    assert tuple(MissionPhase.values) == PHASES


def test_the_default_profile_is_the_v2_mission_and_is_valid():
    assert DEFAULT_PROFILE.leadership == "triple_hatted"
    assert DEFAULT_PROFILE.phase == "consolidation"
    assert not profile_problems(DEFAULT_PROFILE.as_dict())


def test_a_profile_refuses_unknown_keys_and_values():
    data = DEFAULT_PROFILE.as_dict() | {"leadership": "quadruple", "poc_mandate": 1, "x": 1}
    problems = profile_problems(data)
    assert "unknown profile key 'x'" in problems
    assert any(p.startswith("leadership: unknown value 'quadruple'") for p in problems)
    assert any(p.startswith("poc_mandate: unknown value 1") for p in problems)
    with pytest.raises(ValueError, match="leadership"):
        dataclasses.replace(DEFAULT_PROFILE, leadership="quadruple")


def test_a_mission_with_no_profile_reads_the_default(personas, quarters):
    assert context_profile_for(mission=personas.mission_a, period=quarters[0]) == DEFAULT_PROFILE


def test_the_profile_carries_forward_to_later_quarters_only(personas, quarters):
    mission = personas.mission_a
    context_profile_set(
        mission=mission,
        period=quarters[1],
        profile=NO_TRIPLE_HAT,
        reason="",
        by=personas.focal_point_a,
    )
    assert context_profile_for(mission=mission, period=quarters[0]) == DEFAULT_PROFILE
    assert context_profile_for(mission=mission, period=quarters[1]) == NO_TRIPLE_HAT
    assert context_profile_for(mission=mission, period=quarters[3]) == NO_TRIPLE_HAT
    # The other mission is not touched.
    assert context_profile_for(mission=personas.mission_b, period=quarters[3]) == DEFAULT_PROFILE


def test_a_change_of_a_recorded_profile_needs_a_reason_and_nothing_is_saved_without(
    personas, quarters
):
    mission = personas.mission_a
    context_profile_set(
        mission=mission,
        period=quarters[0],
        profile=DEFAULT_PROFILE,
        reason="",
        by=personas.focal_point_a,
    )
    drawdown = dataclasses.replace(DEFAULT_PROFILE, phase="drawdown")
    with pytest.raises(ValidationError) as excinfo:
        context_profile_set(
            mission=mission,
            period=quarters[2],
            profile=drawdown,
            reason="  ",
            by=personas.focal_point_a,
        )
    assert "reason" in excinfo.value.message_dict
    assert MissionContextProfile.objects.count() == 1
    context_profile_set(
        mission=mission,
        period=quarters[2],
        profile=drawdown,
        reason="Security Council resolution sets the drawdown.",
        by=personas.focal_point_a,
    )
    assert context_profile_for(mission=mission, period=quarters[3]).phase == "drawdown"


def test_recording_the_same_profile_again_records_nothing(personas, quarters):
    mission = personas.mission_a
    first = context_profile_set(
        mission=mission,
        period=quarters[0],
        profile=NO_TRIPLE_HAT,
        reason="",
        by=personas.focal_point_a,
    )
    again = context_profile_set(
        mission=mission,
        period=quarters[1],
        profile=NO_TRIPLE_HAT,
        reason="",
        by=personas.focal_point_a,
    )
    assert first is not None and again is None
    assert MissionContextProfile.objects.count() == 1


def test_an_administrators_correction_always_needs_a_reason(personas, quarters):
    with pytest.raises(ValidationError):
        context_profile_set(
            mission=personas.mission_a,
            period=quarters[0],
            profile=NO_TRIPLE_HAT,
            reason="",
            by=personas.admin,
        )
    record = context_profile_set(
        mission=personas.mission_a,
        period=quarters[0],
        profile=NO_TRIPLE_HAT,
        reason="The focal point recorded the wrong leadership.",
        by=personas.admin,
    )
    assert record is not None and record.set_by == personas.admin


def test_history_and_changes_list_each_change_with_its_keys_and_reason(personas, quarters):
    mission = personas.mission_a
    by = personas.focal_point_a
    start_up = dataclasses.replace(DEFAULT_PROFILE, phase="start_up")
    context_profile_set(mission=mission, period=quarters[0], profile=start_up, reason="", by=by)
    context_profile_set(
        mission=mission,
        period=quarters[2],
        profile=DEFAULT_PROFILE,
        reason="Start-up ended.",
        by=by,
    )
    history = context_profile_history(mission=mission)
    assert [record.changed for record in history] == [("phase",), ("phase",)]
    changes = context_profile_changes(mission=mission)
    assert [(c.period.label, c.reason, c.set_by) for c in changes] == [
        ("2026-Q1", "", "focal_point_a"),
        ("2026-Q3", "Start-up ended.", "focal_point_a"),
    ]


def test_profiles_for_many_assessments_take_one_query(
    personas, quarters, django_assert_num_queries
):
    by = personas.focal_point_a
    context_profile_set(
        mission=personas.mission_a, period=quarters[1], profile=NO_TRIPLE_HAT, reason="", by=by
    )
    pairs = [(m.pk, q) for m in (personas.mission_a, personas.mission_b) for q in quarters]
    with django_assert_num_queries(1):
        found = context_profiles_for(pairs=pairs)
    assert found[(personas.mission_a.pk, quarters[0].pk)] == DEFAULT_PROFILE
    assert found[(personas.mission_a.pk, quarters[3].pk)] == NO_TRIPLE_HAT
    assert found[(personas.mission_b.pk, quarters[3].pk)] == DEFAULT_PROFILE


def test_profile_keys_are_the_contract():
    assert PROFILE_KEYS == (
        "mission_type",
        "leadership",
        "poc_mandate",
        "human_rights_mandate",
        "humanitarian_operation",
        "country_team",
        "host_state_party",
        "phase",
    )
    assert ContextProfile.from_dict(DEFAULT_PROFILE.as_dict()) == DEFAULT_PROFILE
