"""Method v2 through the database: loading, storing beside v1, rescoring, the board selector."""

import pytest
from django.core.management import call_command

from assessments.models import (
    Assessment,
    IndicatorBandOverride,
    IndicatorNotApplicable,
    Response,
    ResponseStatus,
)
from assessments.services import AnswerInput, response_answers_save, response_mark_complete
from questionnaires.models import Indicator, Questionnaire, QuestionnaireStatus
from scoring.inputs import questionnaire_def_v2, scoring_input
from scoring.method import METHODS
from scoring.models import DimensionScore, IndicatorScore, ScoreSet
from scoring.selectors import assessment_scores, flag_summary
from scoring.services import assessment_scores_compute

pytestmark = pytest.mark.django_db

V1, V2 = METHODS[1].label, METHODS[2].label
RATIONALE = "Start-up: the leadership team is still being formed."


@pytest.fixture
def answered(personas, assessment_a, django_capture_on_commit_callbacks):
    """Mission A: political answers LEAD-01 2, LEAD-02 4, HUM-01 5; the humanitarian component
    has a response row but never completes it; LEAD-02's band is overridden to 3-4."""
    Response.objects.create(assessment=assessment_a, component="humanitarian")
    Assessment.objects.filter(pk=assessment_a.pk).update(
        phase="start_up",
        missing_component_justifications={"humanitarian": "Cluster lead on mission travel."},
    )
    IndicatorBandOverride.objects.create(
        assessment=assessment_a,
        indicator=Indicator.objects.get(questionnaire=assessment_a.questionnaire, code="LEAD-02"),
        band_min=3,
        band_max=4,
        rationale=RATIONALE,
    )
    response = assessment_a.responses.get(component="political")
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[
            AnswerInput("LEAD-01", "2"),
            AnswerInput("LEAD-02", "4"),
            AnswerInput("HUM-01", "5"),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response_mark_complete(response=response, by=personas.respondent_a)
    assessment_a.refresh_from_db()
    return assessment_a


def test_v2_is_stored_with_its_headline_flags_and_non_responding_components(answered):
    score_set = ScoreSet.objects.get(assessment=answered, method_version=V2)
    # TEST has no bands: each indicator's band is its dimension target (LEAD 4, HUM 2).
    assert score_set.shortfall_count == 1  # LEAD-01 at 2 below 4-4
    assert score_set.over_integration_count == 1  # HUM-01 at 5 above 2-2
    assert score_set.not_responded == ["humanitarian"]
    # LEAD (weight 1): (2 steps short + 0) / 2 = 1 step = 25 points lost;
    # HUM (weight 1.5): 3 steps over = 75 points lost.
    assert score_set.alignment == pytest.approx((1 * 75 + 1.5 * 25) / 2.5)  # 45
    assert score_set.shortfall == pytest.approx(25 / 2.5)
    assert score_set.over_integration == pytest.approx(1.5 * 75 / 2.5)
    assert score_set.completeness == pytest.approx(3 / 6)  # humanitarian counts as missing
    assert score_set.detail["phase"] == "start_up"
    assert score_set.detail["not_responded_justifications"] == {
        "humanitarian": "Cluster lead on mission travel."
    }
    lead_02 = IndicatorScore.objects.get(score_set=score_set, indicator_code="LEAD-02")
    assert (lead_02.band_min, lead_02.band_max, lead_02.band_overridden) == (3, 4, True)
    assert (lead_02.rationale, lead_02.distance, lead_02.flag) == (RATIONALE, 0.0, "")
    hum = DimensionScore.objects.get(score_set=score_set, dimension_code="HUM")
    assert (hum.over_integration_count, hum.gap_flag, hum.gap) == (1, "over_integration", -3.0)


def test_v2_is_stored_beside_v1_and_reruns_replace_only_their_own_method(answered):
    assessment_scores_compute(assessment_id=answered.pk, method=1)
    v1 = ScoreSet.objects.get(assessment=answered, method_version=V1)
    first_v2 = ScoreSet.objects.get(assessment=answered, method_version=V2).pk
    assessment_scores_compute(assessment_id=answered.pk)
    assessment_scores_compute(assessment_id=answered.pk)
    assert ScoreSet.objects.filter(assessment=answered).count() == 2
    assert ScoreSet.objects.get(assessment=answered, method_version=V1).pk == v1.pk
    assert ScoreSet.objects.get(assessment=answered, method_version=V2).pk != first_v2
    assert IndicatorScore.objects.count() == 3  # one v2 set of indicator rows, not three


def test_a_mission_level_na_removes_the_indicator_and_nothing_else(answered):
    IndicatorNotApplicable.objects.create(
        assessment=answered,
        indicator=Indicator.objects.get(questionnaire=answered.questionnaire, code="HUM-01"),
        reason="No humanitarian country team in this country.",
    )
    data, _tags = scoring_input(answered)
    assert data.not_applicable == {"HUM-01": "No humanitarian country team in this country."}
    score_set = assessment_scores_compute(assessment_id=answered.pk)
    assert score_set.over_integration_count == 0
    assert score_set.alignment == pytest.approx(75.0)  # LEAD alone
    lead_01 = IndicatorScore.objects.get(score_set=score_set, indicator_code="LEAD-01")
    assert (lead_01.distance, lead_01.flag) == (-2.0, "shortfall")


def test_board_selector_exposes_v2_figures(answered):
    scores = assessment_scores(assessment=answered)
    assert scores.method == 2
    assert scores.findings["alignment"] == pytest.approx(45.0)
    assert scores.flag_summary == "1 indicator over-integrated, 1 short"
    assert scores.not_responded == [("Humanitarian", "Cluster lead on mission travel.")]
    assert scores.phase == "Start-up"
    lead = next(d for d in scores.dimensions if d["code"] == "LEAD")
    assert (lead["gap_flag"], lead["flag_summary"]) == ("shortfall", "1 indicator short")
    lead_02 = next(i for i in lead["indicators"] if i["code"] == "LEAD-02")
    assert (lead_02["band_min"], lead_02["band_max"], lead_02["rationale"]) == (3, 4, RATIONALE)


def test_flag_summary_names_both_directions():
    assert flag_summary(shortfall=2, over_integration=1) == "1 indicator over-integrated, 2 short"
    assert flag_summary(shortfall=0, over_integration=0) == "every indicator in its band"


# --- rescore -----------------------------------------------------------------------------------


@pytest.fixture
def imp_core(personas, current_period, django_capture_on_commit_callbacks):
    """IMP-CORE v1 with one complete political response, and an IMP-CORE v2 that has bands
    for every v1 indicator except two (one code dropped, one without a band)."""
    call_command("questionnaire_load", "questionnaires/data/imp-core-v1.yaml", "--publish")
    v1 = Questionnaire.objects.get(code="IMP-CORE", version=1)
    from assessments.services import assessment_open

    assessment = assessment_open(
        mission=personas.mission_a, period=current_period, questionnaire=v1
    )
    response = assessment.responses.get(component="political")
    response_answers_save(
        response=response,
        by=personas.respondent_a,
        answers=[AnswerInput(code, "3") for code in v1.indicators.values_list("code", flat=True)],
    )
    Response.objects.filter(pk=response.pk).update(status=ResponseStatus.COMPLETE)
    v2 = Questionnaire.objects.create(
        code="IMP-CORE", version=2, title="IMP-CORE v2", status=QuestionnaireStatus.PUBLISHED
    )
    codes = list(v1.indicators.order_by("code").values_list("code", flat=True))
    dropped, unbanded = codes[0], codes[1]
    dimensions = {}
    for indicator in v1.indicators.select_related("dimension").order_by("code"):
        if indicator.code == dropped:
            continue
        dimension = dimensions.get(indicator.dimension.code)
        if dimension is None:
            dimension = indicator.dimension
            dimension.pk = None
            dimension.questionnaire = v2
            dimension.save()
            dimensions[dimension.code] = dimension
        indicator.pk = None
        indicator.questionnaire, indicator.dimension = v2, dimension
        indicator.target_min, indicator.target_max = (
            (None, None) if indicator.code == unbanded else (1, 2)
        )
        indicator.save()
    return assessment, dropped, unbanded


def test_rescore_method_2_maps_v2_bands_by_code_and_says_what_it_could_not_map(imp_core, capsys):
    assessment, dropped, unbanded = imp_core
    definition, mapping = questionnaire_def_v2(assessment.questionnaire_id)
    assert mapping.source == "IMP-CORE v2"
    assert set(mapping.unmapped) == {dropped, unbanded}
    call_command("rescore", "--method", "2", "--mission", "MSN-A")
    out = capsys.readouterr().out
    assert "IMP-CORE v1: default bands of IMP-CORE v2 mapped by code" in out
    assert "could not map 2 indicator(s)" in out and dropped in out and unbanded in out
    assert "Re-scored with imp-score-2.0: 1 scored" in out
    score_set = ScoreSet.objects.get(assessment=assessment, method_version=V2)
    bands = {
        code: (low, high)
        for code, low, high in score_set.indicators.values_list(
            "indicator_code", "band_min", "band_max"
        )
    }
    mapped = next(code for code in bands if code not in (dropped, unbanded))
    assert bands[mapped] == (1, 2)  # answered 3: over-integrated against the v2 band
    assert score_set.over_integration_count >= 1


def test_rescore_method_1_keeps_working_and_keeps_v2_rows(imp_core, capsys):
    assessment, _dropped, _unbanded = imp_core
    call_command("rescore", "--method", "2", "--mission", "MSN-A")
    call_command("rescore", "--method", "1", "--mission", "MSN-A")
    assert "Re-scored with imp-score-1.0: 1 scored" in capsys.readouterr().out
    assert set(
        ScoreSet.objects.filter(assessment=assessment).values_list("method_version", flat=True)
    ) == {V1, V2}
    call_command("rescore", "--scored-with", V1, "--method", "2")
    assert ScoreSet.objects.filter(assessment=assessment).count() == 2
