"""Who answers an indicator: one rule (applies_to_component) behind every selector."""

import pytest
from django.core.management import call_command

from missions.models import MISSION_WIDE
from questionnaires.applicability import applies_to_component
from questionnaires.models import Indicator, Questionnaire
from questionnaires.selectors import (
    indicator_applies_to,
    indicators_for_component,
    questionnaire_has_mission_level_indicators,
)


@pytest.mark.parametrize(
    ("applies_to", "component", "asked"),
    [
        ([], "military", True),  # v1: every component
        ([], MISSION_WIDE, False),  # … but never the mission-level response
        (["political", "military"], "military", True),
        (["political", "military"], "humanitarian", False),
        (["political"], MISSION_WIDE, False),
        ([MISSION_WIDE], MISSION_WIDE, True),
        ([MISSION_WIDE], "political", False),
        (["mission_support"], MISSION_WIDE, False),  # no prefix matching
    ],
)
def test_applies_to_component(applies_to, component, asked):
    assert applies_to_component(applies_to, component) is asked


@pytest.fixture
def v2(db, write_yaml, small_v2_data):
    call_command("questionnaire_load", str(write_yaml(small_v2_data)), "--publish")
    return Questionnaire.objects.get(version=2)


@pytest.fixture
def v1(db, write_yaml, small_data):
    call_command("questionnaire_load", str(write_yaml(small_data, "v1.yaml")), "--publish")
    return Questionnaire.objects.get(version=1)


def test_indicators_for_component_follow_applies_to_in_questionnaire_order(v2):
    def codes(component):
        return list(
            indicators_for_component(questionnaire=v2, component=component).values_list(
                "code", flat=True
            )
        )

    assert codes("military") == ["LEAD-01", "HUM-01"]
    assert codes("humanitarian") == ["HUM-01"]
    assert codes(MISSION_WIDE) == ["LEAD-02"]


def test_indicators_for_component_is_a_chainable_queryset(v2, django_assert_num_queries):
    with django_assert_num_queries(2):
        queryset = indicators_for_component(questionnaire=v2, component="military")
        assert queryset.filter(dimension__code="HUM").count() == 1


def test_v1_asks_every_component_everything_and_has_no_mission_level(v1):
    assert indicators_for_component(questionnaire=v1, component="police").count() == 3
    assert not indicators_for_component(questionnaire=v1, component=MISSION_WIDE).exists()
    assert not questionnaire_has_mission_level_indicators(questionnaire=v1)


def test_v2_has_mission_level_indicators(v2):
    assert questionnaire_has_mission_level_indicators(questionnaire=v2)


def test_indicator_applies_to(v2):
    lead02 = Indicator.objects.get(questionnaire=v2, code="LEAD-02")
    assert indicator_applies_to(indicator=lead02, component=MISSION_WIDE)
    assert not indicator_applies_to(indicator=lead02, component="political")
