"""An action's life: agreed on a flagged indicator, changed, noted, dropped with a reason;
each change in the history with who made it. Bad input names the field and saves nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions.models import Action, ActionNote, ActionStatus
from actions.selectors import action_history
from actions.services import action_create, action_note_add, action_update
from missions.periods import quarter_label, quarter_next

pytestmark = pytest.mark.django_db


def _create_data(quarters, **overrides) -> dict:
    agreed = quarters.assessments[2].period
    data = {
        "indicators": ["LEAD-02"],
        "dimension": "",
        "description": "Joint leadership retreat on roles of the DSRSG/RC/HC",
        "barriers": ["LEAD-B-ROLES"],
        "owner": "Office of the DSRSG/RC/HC",
        "owner_user": "",
        "due": quarter_label(*quarter_next(agreed.year, agreed.quarter)),
    }
    data.update(overrides)
    return data


def test_focal_point_records_an_action_on_a_flagged_indicator(client, personas, quarters):
    assessment = quarters.assessments[2]  # submitted, LEAD-02 over-integrated
    client.force_login(personas.focal_point_a)
    url = reverse("actions:create", args=[assessment.pk])
    page = client.get(url + "?indicator=LEAD-02").content.decode()
    assert 'value="LEAD-02"' in page and "checked" in page
    # Only the flagged indicators are offered (LEAD-01 is in band in that quarter).
    assert 'value="LEAD-01"' not in page and 'value="HUM-01"' in page
    data = _create_data(quarters, owner_user=str(personas.respondent_a.pk))
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:board", args=[assessment.pk])
    action = Action.objects.get()
    assert action.mission == personas.mission_a and action.assessment == assessment
    assert action.indicator_codes == ["LEAD-02"] and action.dimension_code == "LEAD"
    assert action.barrier_codes == ["LEAD-B-ROLES"]
    assert action.owner_user == personas.respondent_a
    assert action.status == ActionStatus.PLANNED
    assert action.due_label == data["due"]
    record = action.history.get()
    assert record.history_type == "+" and record.history_user == personas.focal_point_a
    board = client.get(reverse("assessments:board", args=[assessment.pk])).content.decode()
    assert "Joint leadership retreat" in board and 'id="actions-agreed"' in board


def test_status_changes_notes_and_drop_go_to_the_history(client, personas, quarters):
    assessment = quarters.assessments[2]
    client.force_login(personas.focal_point_a)
    client.post(reverse("actions:create", args=[assessment.pk]), _create_data(quarters))
    action = Action.objects.get()
    url = reverse("actions:detail", args=[action.pk])
    edit = {
        "description": action.description,
        "owner": action.owner,
        "owner_user": "",
        "due": action.due_label,
        "status": "in_progress",
        "dropped_reason": "",
    }
    assert client.post(url, edit).status_code == 302
    note = {"noted_on": "2020-01-15", "text": "Retreat scheduled with the UNCT."}
    assert client.post(reverse("actions:note_add", args=[action.pk]), note).status_code == 302
    # Dropped without a reason: refused, the error names the field, nothing saved.
    response = client.post(url, {**edit, "status": "dropped"})
    assert response.status_code == 400
    assert "Reason for dropping" in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    assert client.post(url, {**edit, "status": "dropped", "dropped_reason": "Mandate ended"})
    action.refresh_from_db()
    assert (action.status, action.dropped_reason) == ("dropped", "Mandate ended")
    statuses = list(action.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["planned", "in_progress", "dropped"]
    assert {r.history_user for r in action.history.all()} == {personas.focal_point_a}
    assert ActionNote.history.get().text == "Retreat scheduled with the UNCT."
    entries = action_history(action=action)
    assert entries[0].changes[0][1:] == ("In progress", "Dropped")
    page = client.get(url).content.decode()
    assert "Mandate ended" in page and "Retreat scheduled with the UNCT." in page
    assert "In progress → Dropped" in page


@pytest.mark.parametrize(
    ("overrides", "field_text"),
    [
        ({"owner": "  "}, "Owner (office or post): this is required."),
        ({"description": ""}, "What will be done: this is required."),
        ({"indicators": ["LEAD-01"]}, "Flagged indicators it addresses: choose one of"),
        ({"indicators": ["LEAD-02", "HUM-01"]}, "indicators of one dimension"),
        ({"indicators": [], "barriers": []}, "choose the flagged indicators"),
        ({"barriers": ["NO-SUCH"]}, "Barriers it addresses (optional): choose one of"),
        ({"due": "1999-Q1"}, "Due quarter: choose one of the options offered."),
        ({"indicators": ["LEAD-02"], "dimension": "HUM"}, "belong to LEAD"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    client, personas, quarters, overrides, field_text
):
    client.force_login(personas.focal_point_a)
    url = reverse("actions:create", args=[quarters.assessments[2].pk])
    response = client.post(url, _create_data(quarters, **overrides))
    assert response.status_code == 400
    assert field_text in response.content.decode()
    assert not Action.objects.exists() and not Action.history.exists()


def test_due_quarter_before_agreement_is_refused_by_the_service(personas, quarters):
    assessment = quarters.assessments[2]
    earlier = quarters.periods[1]
    with pytest.raises(ValidationError) as error:
        action_create(
            assessment=assessment,
            by=personas.focal_point_a,
            description="x",
            owner="y",
            indicator_codes=["LEAD-02"],
            due=(earlier.year, earlier.quarter),
        )
    assert "due" in error.value.error_dict
    assert not Action.objects.exists()


def test_an_indicator_in_its_band_is_refused_by_the_service(personas, quarters):
    with pytest.raises(ValidationError) as error:
        action_create(
            assessment=quarters.assessments[2],
            by=personas.focal_point_a,
            description="x",
            owner="y",
            indicator_codes=["LEAD-01"],
            due=(2099, 1),
        )
    assert error.value.error_dict["indicators"][0].message == (
        "Indicators: LEAD-01 not flagged in this quarter's findings."
    )
    assert not Action.objects.exists()


def test_actions_are_agreed_only_after_submission(client, personas, quarters):
    open_assessment = quarters.current
    client.force_login(personas.focal_point_a)
    url = reverse("actions:create", args=[open_assessment.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _create_data(quarters)).status_code == 403
    with pytest.raises(PermissionDenied):
        action_create(
            assessment=open_assessment,
            by=personas.focal_point_a,
            description="x",
            owner="y",
            dimension_code="LEAD",
            due=(open_assessment.period.year, open_assessment.period.quarter),
        )
    assert not Action.objects.exists()


def test_respondent_and_analyst_may_not_change_an_action(personas, quarters):
    action = action_create(
        assessment=quarters.assessments[2],
        by=personas.focal_point_a,
        description="x",
        owner="y",
        dimension_code="HUM",
        due=(2099, 1),
    )
    for user in (personas.respondent_a, personas.analyst, personas.focal_point_b):
        with pytest.raises(PermissionDenied):
            action_update(
                action=action, by=user, description="z", owner="y", due=(2099, 1), status="done"
            )
        with pytest.raises(PermissionDenied):
            action_note_add(action=action, by=user, text="z")
    assert action_update(
        action=action, by=personas.admin, description="x", owner="y", due=(2099, 1),
        status="done",
    )  # fmt: skip
    action.refresh_from_db()
    assert action.status == "done" and action.history.count() == 2


def test_an_unchanged_save_writes_no_history(personas, quarters):
    action = action_create(
        assessment=quarters.assessments[2],
        by=personas.focal_point_a,
        description="x",
        owner="y",
        dimension_code="HUM",
        due=(2099, 1),
    )
    assert not action_update(
        action=action, by=personas.focal_point_a, description="x", owner="y", due=(2099, 1),
        status="planned",
    )  # fmt: skip
    assert action.history.count() == 1


def test_the_database_refuses_a_dropped_action_without_reason(personas, quarters):
    action = action_create(
        assessment=quarters.assessments[2],
        by=personas.focal_point_a,
        description="x",
        owner="y",
        dimension_code="HUM",
        due=(2099, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status="dropped", dropped_reason="")


def test_a_future_dated_note_is_refused(client, personas, quarters):
    action = action_create(
        assessment=quarters.assessments[2],
        by=personas.focal_point_a,
        description="x",
        owner="y",
        dimension_code="HUM",
        due=(2099, 1),
    )
    client.force_login(personas.focal_point_a)
    response = client.post(
        reverse("actions:note_add", args=[action.pk]), {"noted_on": "2999-01-01", "text": "t"}
    )
    assert response.status_code == 400
    assert "cannot be dated in the future" in response.content.decode()
    assert not ActionNote.objects.exists()
