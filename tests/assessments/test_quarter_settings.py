"""The focal point's settings for the quarter: indicators declared not applicable to the
mission (with a reason, carried forward until withdrawn), target bands overridden for one
quarter with a rationale, and the mission's phase. Every change is in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessments.activity import assessment_activity
from assessments.models import IndicatorBandOverride, IndicatorNotApplicable
from assessments.quarter_services import (
    BandInput,
    BandOverrideConflict,
    assessment_phase_set,
    band_override_clear,
    band_override_set,
    indicator_not_applicable_declare,
    indicator_not_applicable_withdraw,
)
from assessments.selectors import assessment_bands
from assessments.services import (
    AnswerInput,
    WorkflowError,
    assessment_open,
    response_answers_save,
    response_mark_complete,
)
from missions.models import MissionPhase

pytestmark = pytest.mark.django_db


def _declare(assessment, by, code="HUM-01", reason="No protection-of-civilians mandate."):
    return indicator_not_applicable_declare(
        assessment=assessment, by=by, indicator_code=code, reason=reason
    )


# --- Declarations -------------------------------------------------------------------------


def test_a_declaration_needs_a_reason(personas, assessment_a_v2):
    with pytest.raises(ValidationError) as error:
        _declare(assessment_a_v2, personas.focal_point_a, reason="   ")
    assert error.value.message_dict == {
        "reason": ["Give the reason why this indicator does not apply to the mission."]
    }
    assert not IndicatorNotApplicable.objects.exists()


def test_an_unknown_indicator_cannot_be_declared(personas, assessment_a_v2):
    with pytest.raises(ValidationError) as error:
        _declare(assessment_a_v2, personas.focal_point_a, code="ZZ-99")
    assert error.value.message_dict == {"indicator": ["Unknown indicator: ZZ-99."]}


def test_only_the_focal_point_or_an_administrator_declares(personas, assessment_a_v2):
    for user in (personas.respondent_a, personas.analyst, personas.focal_point_b):
        with pytest.raises(PermissionDenied):
            _declare(assessment_a_v2, user)
    _declare(assessment_a_v2, personas.admin)
    assert IndicatorNotApplicable.objects.count() == 1


def test_declarations_are_refused_once_submitted(personas, assessment_a_v2):
    assessment_a_v2.status = "submitted"
    assessment_a_v2.save()
    with pytest.raises(WorkflowError, match="submitted and accepts no changes"):
        _declare(assessment_a_v2, personas.focal_point_a)


def test_declaration_is_recorded_with_its_reason_and_author(personas, assessment_a_v2):
    declaration = _declare(assessment_a_v2, personas.focal_point_a)
    assert (declaration.indicator.code, declaration.reason, declaration.carried_forward) == (
        "HUM-01",
        "No protection-of-civilians mandate.",
        False,
    )
    assert declaration.declared_by == personas.focal_point_a


def test_withdrawal_deletes_the_declaration_and_returns_incomplete_responses_to_draft(
    personas, assessment_a_v2, military_respondent_a, django_capture_on_commit_callbacks
):
    _declare(assessment_a_v2, personas.focal_point_a)
    military = assessment_a_v2.responses.get(component="military")
    response_answers_save(
        response=military, by=military_respondent_a, answers=[AnswerInput("LEAD-01", "3")]
    )
    with django_capture_on_commit_callbacks(execute=False):
        response_mark_complete(response=military, by=military_respondent_a)
    assert indicator_not_applicable_withdraw(
        assessment=assessment_a_v2, by=personas.focal_point_a, indicator_code="HUM-01"
    )
    assert not IndicatorNotApplicable.objects.exists()
    military.refresh_from_db()
    assert military.status == "draft"  # HUM-01 is expected again and has no answer
    # Withdrawing what is not declared changes nothing.
    assert not indicator_not_applicable_withdraw(
        assessment=assessment_a_v2, by=personas.focal_point_a, indicator_code="HUM-01"
    )


def test_declarations_carry_forward_to_the_next_quarter_until_withdrawn(
    personas,
    military_respondent_a,
    questionnaire,
    questionnaire_v2,
    previous_period,
    current_period,
):
    # Last quarter on v1; this quarter on v2: matched by indicator code across versions.
    last = assessment_open(
        mission=personas.mission_a, period=previous_period, questionnaire=questionnaire
    )
    _declare(last, personas.focal_point_a, code="HUM-01", reason="No PoC mandate.")
    _declare(last, personas.focal_point_a, code="LEAD-02", reason="No DSRSG post.")
    indicator_not_applicable_withdraw(
        assessment=last, by=personas.focal_point_a, indicator_code="LEAD-02"
    )
    assessment_phase_set(assessment=last, by=personas.focal_point_a, phase="drawdown")
    now = assessment_open(
        mission=personas.mission_a, period=current_period, questionnaire=questionnaire_v2
    )
    (carried,) = IndicatorNotApplicable.objects.filter(assessment=now)
    assert (carried.indicator.code, carried.reason, carried.carried_forward) == (
        "HUM-01",
        "No PoC mandate.",
        True,
    )
    assert carried.indicator.questionnaire == questionnaire_v2
    assert now.phase == "drawdown"  # prefilled from last quarter
    activity = [(e.subject, e.changes) for e in assessment_activity(assessment=now)]
    assert (
        "Not applicable to the mission: HUM-01",
        [
            ("reason", "—", "No PoC mandate."),
            ("carried forward from the previous quarter", "—", "yes"),
        ],
    ) in activity


def test_overrides_carry_forward_with_their_rationale_until_withdrawn(
    client, personas, questionnaire_v2, military_respondent_a, previous_period, current_period
):
    last = assessment_open(
        mission=personas.mission_a, period=previous_period, questionnaire=questionnaire_v2
    )
    band_override_set(
        assessment=last,
        by=personas.focal_point_a,
        bands=[BandInput("HUM-01", 3, 3, "Joint protection planning required.")],
        phase="consolidation",
    )
    now = assessment_open(
        mission=personas.mission_a, period=current_period, questionnaire=questionnaire_v2
    )
    (carried,) = IndicatorBandOverride.objects.filter(assessment=now)
    assert (carried.indicator.code, carried.band_min, carried.band_max, carried.rationale) == (
        "HUM-01",
        3,
        3,
        "Joint protection planning required.",
    )
    assert carried.carried_from == previous_period.label
    assert carried.indicator.questionnaire == questionnaire_v2
    assert now.phase == "consolidation"
    client.force_login(personas.focal_point_a)
    board = client.get(reverse("assessments:board", args=[now.pk])).content.decode()
    assert f"carried from {previous_period.label}" in board


def test_changing_a_carried_override_makes_it_this_quarters_and_clearing_withdraws_it(
    personas, questionnaire_v2, military_respondent_a, previous_period, current_period
):
    last = assessment_open(
        mission=personas.mission_a, period=previous_period, questionnaire=questionnaire_v2
    )
    band_override_set(
        assessment=last,
        by=personas.focal_point_a,
        bands=[
            BandInput("HUM-01", 3, 3, "Joint protection planning required."),
            BandInput("LEAD-01", 4, 4, "Joint leadership team in place."),
        ],
        phase="consolidation",
    )
    now = assessment_open(
        mission=personas.mission_a, period=current_period, questionnaire=questionnaire_v2
    )
    band_override_set(
        assessment=now,
        by=personas.focal_point_a,
        bands=[BandInput("HUM-01", 2, 3, "Protection planning handed over.")],
    )
    band_override_clear(assessment=now, by=personas.focal_point_a, indicator_codes=["LEAD-01"])
    (kept,) = IndicatorBandOverride.objects.filter(assessment=now)
    assert (kept.indicator.code, kept.band_min, kept.carried_from) == ("HUM-01", 2, "")


def test_history_shows_declaration_and_withdrawal(personas, assessment_a_v2):
    _declare(assessment_a_v2, personas.focal_point_a)
    indicator_not_applicable_withdraw(
        assessment=assessment_a_v2, by=personas.focal_point_a, indicator_code="HUM-01"
    )
    entries = [
        (e.who, e.subject, e.changes)
        for e in assessment_activity(assessment=assessment_a_v2)
        if "HUM-01" in e.subject
    ]
    assert entries == [
        (
            "focal_point_a",
            "Not applicable to the mission: HUM-01",
            [("declaration", "declared", "withdrawn")],
        ),
        (
            "focal_point_a",
            "Not applicable to the mission: HUM-01",
            [("reason", "—", "No protection-of-civilians mandate.")],
        ),
    ]


# --- Bands and phase ----------------------------------------------------------------------


def test_an_override_without_rationale_is_refused_and_names_the_field(personas, assessment_a_v2):
    with pytest.raises(ValidationError) as error:
        band_override_set(
            assessment=assessment_a_v2,
            by=personas.focal_point_a,
            bands=[BandInput("HUM-01", 2, 3, "  ")],
            phase="start_up",
        )
    assert error.value.message_dict == {
        "rationale": ["Give a written rationale for overriding the target band."]
    }
    assert not IndicatorBandOverride.objects.exists()
    assessment_a_v2.refresh_from_db()
    assert assessment_a_v2.phase == ""  # nothing half-saved


def test_bands_must_run_from_1_to_5_upwards(personas, assessment_a_v2):
    with pytest.raises(ValidationError) as error:
        band_override_set(
            assessment=assessment_a_v2,
            by=personas.focal_point_a,
            bands=[BandInput("HUM-01", 4, 2, "Why"), BandInput("LEAD-01", 0, 6, "Why")],
            phase="start_up",
        )
    assert error.value.message_dict == {
        "band_max": [
            "The band must end at or above the step it starts from.",
            "A target band runs from step 1 to step 5.",
        ],
        "band_min": ["A target band runs from step 1 to step 5."],
    }
    assert not IndicatorBandOverride.objects.exists()


def test_an_override_records_the_phase_and_needs_one(personas, assessment_a_v2):
    with pytest.raises(ValidationError) as error:
        band_override_set(
            assessment=assessment_a_v2,
            by=personas.focal_point_a,
            bands=[BandInput("HUM-01", 2, 3, "Why")],
        )
    assert error.value.message_dict == {"phase": ["Record the mission's phase with the override."]}
    (override,) = band_override_set(
        assessment=assessment_a_v2,
        by=personas.focal_point_a,
        bands=[BandInput("HUM-01", 2, 3, "Humanitarian coordination through OCHA.")],
        phase=MissionPhase.DRAWDOWN,
    )
    assessment_a_v2.refresh_from_db()
    assert assessment_a_v2.phase == "drawdown"
    assert (override.band_min, override.band_max, override.revision) == (2, 3, 1)
    assert override.updated_by == personas.focal_point_a
    bands = {
        b.indicator.code: b
        for d in assessment_bands(assessment=assessment_a_v2)
        for b in d.indicators
    }
    assert bands["HUM-01"].band == (2, 3) and bands["HUM-01"].default == (1, 2)
    assert bands["LEAD-01"].band == (3, 4) and bands["LEAD-01"].override is None


def test_a_whole_dimension_can_be_overridden_and_cleared(personas, assessment_a_v2):
    band_override_set(
        assessment=assessment_a_v2,
        by=personas.focal_point_a,
        bands=[
            BandInput("LEAD-01", 2, 2, "Start-up: leadership team not complete.", 0),
            BandInput("LEAD-02", 2, 2, "Start-up: leadership team not complete.", 0),
        ],
        phase="start_up",
    )
    lead = assessment_bands(assessment=assessment_a_v2)[0]
    assert (lead.dimension.code, lead.summary, lead.overridden) == ("LEAD", (2, 2), 2)
    cleared = band_override_clear(
        assessment=assessment_a_v2,
        by=personas.focal_point_a,
        indicator_codes=["LEAD-01", "LEAD-02"],
        base_revisions={"LEAD-01": 1, "LEAD-02": 1},
    )
    assert cleared == 2
    lead = assessment_bands(assessment=assessment_a_v2)[0]
    assert (lead.summary, lead.overridden) == ((2, 4), 0)


def test_a_stale_override_conflicts_and_saves_nothing(personas, assessment_a_v2):
    band_override_set(
        assessment=assessment_a_v2,
        by=personas.admin,
        bands=[BandInput("HUM-01", 2, 2, "Admin's reason", base_revision=0)],
        phase="consolidation",
    )
    with pytest.raises(BandOverrideConflict) as conflict:
        band_override_set(
            assessment=assessment_a_v2,
            by=personas.focal_point_a,
            bands=[
                BandInput("HUM-01", 3, 3, "Mine", base_revision=0),
                BandInput("LEAD-01", 1, 1, "Mine too", base_revision=0),  # not saved either
            ],
        )
    (only,) = conflict.value.conflicts
    assert only.indicator_code == "HUM-01"
    assert (only.yours.band_min, only.saved.band_min, only.saved.rationale) == (
        3,
        2,
        "Admin's reason",
    )
    assert list(IndicatorBandOverride.objects.values_list("indicator__code", "band_min")) == [
        ("HUM-01", 2)
    ]


def test_revisions_never_repeat_so_a_page_from_before_a_clear_still_conflicts(
    personas, assessment_a_v2
):
    def set_band(step, base, by=personas.focal_point_a):
        return band_override_set(
            assessment=assessment_a_v2,
            by=by,
            bands=[BandInput("HUM-01", step, step, f"Step {step}", base_revision=base)],
            phase="consolidation",
        )

    set_band(2, 0)  # revision 1; an old tab was built on it
    band_override_clear(assessment=assessment_a_v2, by=personas.admin, indicator_codes=["HUM-01"])
    (again,) = set_band(4, 0, by=personas.admin)
    assert again.revision == 2
    with pytest.raises(BandOverrideConflict):
        set_band(3, 1)
    with pytest.raises(BandOverrideConflict):
        band_override_clear(
            assessment=assessment_a_v2,
            by=personas.focal_point_a,
            indicator_codes=["HUM-01"],
            base_revisions={"HUM-01": 1},
        )
    assert IndicatorBandOverride.objects.get().band_min == 4


def test_v1_assessments_keep_dimension_targets_and_refuse_bands(personas, assessment_a):
    with pytest.raises(WorkflowError, match="one target step per dimension"):
        band_override_set(
            assessment=assessment_a,
            by=personas.focal_point_a,
            bands=[BandInput("HUM-01", 2, 3, "Why")],
            phase="consolidation",
        )


def test_only_managers_set_bands_and_phase(personas, assessment_a_v2):
    for user in (personas.respondent_a, personas.analyst, personas.focal_point_b):
        with pytest.raises(PermissionDenied):
            band_override_set(
                assessment=assessment_a_v2,
                by=user,
                bands=[BandInput("HUM-01", 2, 3, "Why")],
                phase="start_up",
            )
        with pytest.raises(PermissionDenied):
            assessment_phase_set(assessment=assessment_a_v2, by=user, phase="start_up")
    with pytest.raises(ValidationError) as error:
        assessment_phase_set(assessment=assessment_a_v2, by=personas.focal_point_a, phase="war")
    assert error.value.message_dict == {"phase": ["Choose the mission's phase this quarter."]}


def test_history_shows_band_changes_and_phase(personas, assessment_a_v2):
    band_override_set(
        assessment=assessment_a_v2,
        by=personas.focal_point_a,
        bands=[BandInput("HUM-01", 2, 3, "OCHA-led coordination")],
        phase="drawdown",
    )
    band_override_clear(
        assessment=assessment_a_v2, by=personas.focal_point_a, indicator_codes=["HUM-01"]
    )
    subjects = [
        (e.who, e.subject, e.changes) for e in assessment_activity(assessment=assessment_a_v2)
    ]
    assert (
        "focal_point_a",
        "Target band HUM-01",
        [
            ("target band from", "—", "2"),
            ("target band to", "—", "3"),
            ("rationale", "—", "OCHA-led coordination"),
        ],
    ) in subjects
    assert (
        "focal_point_a",
        "Target band HUM-01",
        [("target band", "override", "default band")],
    ) in subjects
    # Choices show their label (in the reader's language), not the stored value.
    phase = ("phase", "—", "Drawdown / transition")
    assert ("focal_point_a", "Assessment", [phase]) in subjects
