"""Carry-forward and follow-up on a hand-built mission: three scored quarters (Q-3, Q-2,
Q-1) and the current quarter open; values from tests/actions/conftest.py."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ActionStatus
from actions.selectors import (
    action_followup,
    actions_beside_indicators,
    open_actions_for_mission,
    overdue_actions,
)
from actions.services import action_create, action_update
from missions.periods import quarter_next

pytestmark = pytest.mark.django_db


def _quarter(period) -> tuple[int, int]:
    return (period.year, period.quarter)


@pytest.fixture
def agreed(personas, quarters):
    """Two actions agreed in Q-3 (LEAD-01, due Q-2: overdue; HUM as a whole, due now) and
    one in Q-2 (LEAD-02, due next quarter)."""
    first, second = quarters.assessments[0], quarters.assessments[1]
    fp = personas.focal_point_a
    lead = action_create(
        assessment=first, by=fp, description="Clarify the roles of the DSRSG/RC/HC",
        owner="Chief of Staff", indicator_codes=["LEAD-01"], due=_quarter(quarters.periods[1]),
    )  # fmt: skip
    hum = action_create(
        assessment=first, by=fp, description="Humanitarian-military liaison forum",
        owner="OCHA liaison", dimension_code="HUM", due=_quarter(quarters.periods[3]),
    )  # fmt: skip
    later = action_create(
        assessment=second, by=fp, description="Stop sharing humanitarian planning with the force",
        owner="DSRSG/RC/HC", indicator_codes=["LEAD-02"],
        due=quarter_next(*_quarter(quarters.periods[3])),
    )  # fmt: skip
    return lead, hum, later


def test_followup_values_from_the_agreed_quarter_to_now(personas, quarters, agreed):
    lead, hum, later = agreed
    rows = {
        row.line.action.pk: row
        for row in action_followup(mission_id=personas.mission_a.pk, user=None)
    }
    labels = [p.label for p in quarters.periods]
    (lead_series,) = rows[lead.pk].series
    assert lead_series.code == "LEAD-01" and lead_series.measure == "value"
    assert [(p.quarter, p.value) for p in lead_series.points] == list(
        zip(labels[:3], [1.5, 2.0, 3.0], strict=True)
    )
    assert [p.flag for p in lead_series.points] == ["shortfall", "shortfall", "in_band"]
    assert lead_series.change == 1.5
    (hum_series,) = rows[hum.pk].series
    assert hum_series.measure == "alignment"
    assert [p.value for p in hum_series.points] == [100.0, 100.0, 75.0]
    assert hum_series.change == -25.0
    (later_series,) = rows[later.pk].series  # agreed in Q-2: its values start there
    assert [(p.quarter, p.value) for p in later_series.points] == [
        (labels[1], 4.0),
        (labels[2], 4.0),
    ]
    assert later_series.change == 0.0
    assert [rows[a.pk].line.overdue for a in agreed] == [True, False, False]


def test_followup_page_shows_the_numbers_and_marks_overdue(client, personas, quarters, agreed):
    """To the focal point, who reads every component's answers (a respondent sees only the
    values that cannot give another component's answer back:
    ``tests/security/test_component_figures_surfaces.py``)."""
    lead, _hum, _later = agreed
    client.force_login(personas.focal_point_a)
    page = client.get(reverse("actions:followup", args=[personas.mission_a.pk])).content.decode()
    row = page[page.index(f'data-action="{lead.pk}"') :].split("</tr>")[0]
    assert row.startswith(f'data-action="{lead.pk}" class="action-overdue"')
    assert "Overdue" in row
    for value in ("1.5", "2.0", "3.0"):
        assert f'<span class="followup-value">{value}</span>' in row
    assert '<div data-code="LEAD-01" class="followup-change">1.5</div>' in row


def test_followup_query_count_does_not_grow_with_actions(personas, quarters, agreed):
    with CaptureQueriesContext(connection) as few:
        action_followup(mission_id=personas.mission_a.pk, user=None)
    for _i in range(5):
        action_create(
            assessment=quarters.assessments[2], by=None, description="more", owner="x",
            dimension_code="LEAD", due=(2099, 1),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        rows = action_followup(mission_id=personas.mission_a.pk, user=None)
    assert len(rows) == 8
    assert len(few) == len(many) == 3


def test_open_actions_carry_forward_until_closed(personas, quarters, agreed):
    lead, hum, later = agreed
    open_ids = [a.pk for a in open_actions_for_mission(mission=personas.mission_a)]
    assert open_ids == [lead.pk, hum.pk, later.pk]
    # Only those agreed up to Q-3:
    up_to = _quarter(quarters.periods[0])
    assert [a.pk for a in open_actions_for_mission(mission=personas.mission_a, up_to=up_to)] == [
        lead.pk,
        hum.pk,
    ]
    action_update(
        action=lead, by=personas.focal_point_a, description=lead.description, owner=lead.owner,
        due=(lead.due_year, lead.due_quarter), status=ActionStatus.DONE,
    )  # fmt: skip
    assert [a.pk for a in open_actions_for_mission(mission=personas.mission_a.pk)] == [
        hum.pk,
        later.pk,
    ]
    assert open_actions_for_mission(mission=personas.mission_b) == []


def test_overdue_actions_by_quarter_boundaries(personas, quarters, agreed):
    lead, hum, later = agreed
    # Today (in the current quarter): LEAD-01's was due last quarter.
    assert [a.pk for a in overdue_actions()] == [lead.pk]
    # On the first day of the next quarter the HUM action (due this quarter) is overdue too.
    next_year, next_quarter = quarter_next(*_quarter(quarters.periods[3]))
    first_day = datetime.date(next_year, 3 * next_quarter - 2, 1)
    assert [a.pk for a in overdue_actions(today=first_day)] == [lead.pk, hum.pk]
    assert overdue_actions(mission_ids=[personas.mission_b.pk]) == []
    assert overdue_actions(user=personas.respondent_b) == []
    assert [a.pk for a in overdue_actions(user=personas.respondent_a)] == [lead.pk]


def test_selectors_for_other_helpers_run_one_query(personas, quarters, agreed):
    with CaptureQueriesContext(connection) as queries:
        open_actions_for_mission(mission=personas.mission_a)
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        found = overdue_actions()
        [a.mission.code for a in found]
        [a.assessment.period.label for a in found]
    assert len(queries) == 1


def test_next_quarters_answering_page_shows_open_actions_beside_their_indicators(
    client, personas, quarters, agreed
):
    lead, hum, later = agreed
    current = quarters.current
    client.force_login(personas.respondent_a)
    url = reverse("assessments:answer", args=[current.pk, "political", "LEAD"])
    page = client.get(url).content.decode()
    block = page[page.index('id="ind-LEAD-01"') : page.index('id="ind-LEAD-02"')]
    first_label = quarters.periods[0].label
    assert f"Action agreed in {first_label} (LEAD-01)" in block
    assert "Clarify the roles of the DSRSG/RC/HC" in block and "Planned" in block
    assert "Overdue" in block
    assert "Stop sharing humanitarian planning" in page[page.index('id="ind-LEAD-02"') :]
    hum_page = client.get(
        reverse("assessments:answer", args=[current.pk, "political", "HUM"])
    ).content.decode()
    assert 'id="dimension-actions"' in hum_page and "Humanitarian-military liaison" in hum_page
    # Done: no longer carried forward.
    action_update(
        action=lead, by=personas.focal_point_a, description=lead.description, owner=lead.owner,
        due=(lead.due_year, lead.due_quarter), status=ActionStatus.DONE,
    )  # fmt: skip
    assert "Clarify the roles" not in client.get(url).content.decode()
    board = client.get(reverse("assessments:board", args=[current.pk])).content.decode()
    assert "Stop sharing humanitarian planning" in board and 'id="actions-carried"' in board
    assert "Record an action" not in board  # respondents read


def test_beside_indicators_is_hidden_from_other_missions(personas, quarters, agreed):
    assert (
        actions_beside_indicators(assessment=quarters.current, user=personas.respondent_b) is None
    )
    found = actions_beside_indicators(assessment=quarters.current, user=personas.analyst)
    assert set(found.by_indicator) == {"LEAD-01", "LEAD-02"}
    assert [line.action.pk for line in found.by_dimension["HUM"]] == [agreed[1].pk]
