"""make run's demo data: fictional, marked demo, eight scored quarters and a current one;
the older quarters on IMP-CORE v1, the latest on v2 with its applicability, declarations,
band overrides and phase."""

from django.contrib.auth import authenticate
from django.test import RequestFactory

from assessments.models import (
    Answer,
    Assessment,
    IndicatorBandOverride,
    IndicatorNotApplicable,
    Response,
)
from demo.scenario import DEMO_MISSIONS, V2_QUARTERS, login_name
from missions.models import MISSION_WIDE, Membership, Mission, Period
from questionnaires.applicability import applies_to_component, is_mission_level
from questionnaires.models import Indicator, Questionnaire
from questionnaires.selectors import questionnaire_current_published
from scoring.models import ScoreSet
from tests.demo.conftest import make_demo

MISSIONS, PAST_QUARTERS = 6, 8


def _periods() -> list[Period]:
    return list(Period.objects.order_by("year", "quarter"))


def _v2_answers():
    return Answer.objects.filter(response__assessment__questionnaire__version=2)


def test_demo_missions_are_fictional_and_marked_demo(seeded):
    missions = Mission.objects.all()
    assert missions.count() == MISSIONS
    assert all(m.is_demo and m.name.endswith("(fictional)") for m in missions)
    assert {m.kind for m in missions} == {"pko", "spm"}
    assert len({m.region for m in missions}) >= 4


def test_eight_past_quarters_are_submitted_or_approved_and_scored(seeded):
    assert Period.objects.count() == PAST_QUARTERS + 1
    past = Assessment.objects.exclude(status="open")
    assert past.count() == MISSIONS * PAST_QUARTERS
    assert set(past.values_list("status", flat=True)) == {"submitted", "approved"}
    assert set(ScoreSet.objects.values_list("assessment", flat=True)) == set(
        past.values_list("pk", flat=True)
    )


def test_current_quarter_is_open_and_partly_filled(seeded):
    current = Assessment.objects.filter(status="open")
    assert current.count() == MISSIONS
    assert {a.period for a in current} == {_periods()[-1]}
    for assessment in current:
        answered = Answer.objects.filter(response__assessment=assessment).count()
        assert 0 < answered < 2 * 56
        assert not assessment.responses.filter(status="complete").exists()


def test_both_versions_are_published_and_v2_is_the_one_new_quarters_use(seeded):
    versions = Questionnaire.objects.filter(code="IMP-CORE", status="published")
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]
    assert questionnaire_current_published().version == 2


def test_older_quarters_are_on_v1_and_the_latest_on_v2(seeded):
    periods = _periods()
    for position, period in enumerate(periods):
        expected = 2 if position >= len(periods) - V2_QUARTERS else 1
        assessments = Assessment.objects.filter(period=period)
        versions = set(assessments.values_list("questionnaire__version", flat=True))
        assert versions == {expected}, period.label
    assert Assessment.objects.filter(questionnaire__version=2, status="open").count() == MISSIONS


def test_no_v2_answer_for_an_indicator_not_asked_of_its_component(seeded):
    answers = _v2_answers().values_list("indicator__applies_to", "response__component")
    assert answers
    assert all(applies_to_component(applies_to, component) for applies_to, component in answers)


def test_every_component_answers_its_own_v2_indicators_in_past_quarters(seeded):
    declared = {
        (row.assessment_id, row.indicator_id) for row in IndicatorNotApplicable.objects.all()
    }
    indicators = list(Indicator.objects.filter(questionnaire__version=2))
    for response in Response.objects.filter(
        assessment__questionnaire__version=2, status="complete"
    ):
        expected = {
            i.pk
            for i in indicators
            if applies_to_component(i.applies_to, response.component)
            and (response.assessment_id, i.pk) not in declared
        }
        assert set(response.answers.values_list("indicator_id", flat=True)) == expected


def test_mission_level_indicators_are_answered_only_in_the_whole_mission_response(seeded):
    mission_level = [
        i.pk
        for i in Indicator.objects.filter(questionnaire__version=2)
        if is_mission_level(i.applies_to)
    ]
    assert mission_level
    answers = _v2_answers().filter(indicator__in=mission_level)
    assert answers.exists()
    assert set(answers.values_list("response__component", flat=True)) == {MISSION_WIDE}
    whole_mission = Response.objects.filter(component=MISSION_WIDE)
    assert set(whole_mission.values_list("assessment__questionnaire__version", flat=True)) == {2}
    assert whole_mission.count() == MISSIONS * V2_QUARTERS
    assert whole_mission.filter(status="complete").count() == MISSIONS * (V2_QUARTERS - 1)


def test_not_applicable_declarations_have_a_reason_and_carry_forward(seeded):
    v2_periods = _periods()[-V2_QUARTERS:]
    for scenario in DEMO_MISSIONS:
        for declaration in scenario.declarations:
            rows = list(
                IndicatorNotApplicable.objects.filter(
                    assessment__mission__code=scenario.code,
                    indicator__code=declaration.indicator_code,
                ).order_by("assessment__period__year", "assessment__period__quarter")
            )
            assert [row.assessment.period for row in rows] == v2_periods
            assert [row.carried_forward for row in rows] == [False] + [True] * (V2_QUARTERS - 1)
            assert {row.reason for row in rows} == {declaration.reason}
            assert all(row.declared_by.username == f"{scenario.slug}-focal" for row in rows)
            assert not Answer.objects.filter(
                response__assessment__mission__code=scenario.code,
                indicator__code=declaration.indicator_code,
                response__assessment__questionnaire__version=2,
            ).exists()
    reasons = dict(IndicatorNotApplicable.objects.values_list("indicator__code", "reason"))
    assert "No Peacebuilding Commission engagement" in reasons["POL-05"]
    assert reasons["RES-04"] == "No quick impact projects budgeted this year."
    assert IndicatorNotApplicable.history.filter(history_type="+").exists()


def test_a_mission_in_drawdown_overrides_bands_with_a_rationale(seeded):
    overrides = IndicatorBandOverride.objects.select_related("assessment", "indicator")
    assert {o.assessment.mission.code for o in overrides} == {"DEMO-ESK"}
    assert overrides.count() == 2 * V2_QUARTERS
    for override in overrides:
        assert override.rationale.startswith("Drawdown / transition")
        assert override.assessment.phase == "drawdown"
        assert (override.band_min, override.band_max) != override.indicator.default_band
    phases = Assessment.objects.filter(questionnaire__version=2).values_list("phase", flat=True)
    assert "" not in set(phases)
    assert not Assessment.objects.filter(questionnaire__version=1).exclude(phase="").exists()


def test_answers_include_not_applicable_dont_know_and_components_that_disagree(seeded):
    assert _v2_answers().filter(choice="na").exists()
    assert _v2_answers().filter(choice="dk").exists()
    assert Answer.objects.filter(response__assessment__questionnaire__version=1, choice="na")
    flagged = ScoreSet.objects.filter(dimensions__divergence_flag=True).distinct()
    assert flagged.exists()


def test_one_mission_over_integrates_humanitarian_coordination_and_one_falls_short(seeded):
    over = _v2_answers().filter(
        response__assessment__mission__code="DEMO-BOR", indicator__code="HUM-02"
    )
    short = _v2_answers().filter(
        response__assessment__mission__code="DEMO-COR", indicator__code="HUM-04"
    )
    assert over.exists() and set(over.values_list("choice", flat=True)) == {"5"}
    assert short.exists() and set(short.values_list("choice", flat=True)) == {"2"}


def test_a_component_that_did_not_respond_is_justified(seeded):
    last_submitted = Assessment.objects.get(mission__code="DEMO-FEN", status="submitted")
    missing = last_submitted.responses.get(component="mission_support")
    assert missing.status == "draft" and not missing.answers.exists()
    assert "on leave" in last_submitted.missing_component_justifications["mission_support"]


def test_demo_logins_work_with_the_documented_password(seeded):
    usernames = ["admin", "analyst"] + [
        login_name(scenario.slug, component)
        for scenario in DEMO_MISSIONS
        for component in scenario.components
    ]
    usernames += [f"{scenario.slug}-focal" for scenario in DEMO_MISSIONS]
    assert "arv-respondent" in usernames and "cor-human-rights" in usernames
    for username in usernames:
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request, username=username, password="demo")
        assert user is not None, username


def test_every_component_that_answers_has_a_respondent(seeded):
    for assessment in Assessment.objects.select_related("mission"):
        answering = set(assessment.responses.values_list("component", flat=True))
        respondents = set(
            Membership.objects.filter(mission=assessment.mission, role="respondent").values_list(
                "component", flat=True
            )
        )
        assert answering - {MISSION_WIDE} == respondents


def test_make_demo_twice_changes_nothing(seeded):
    models = (
        Assessment,
        Response,
        Answer,
        IndicatorNotApplicable,
        IndicatorBandOverride,
        ScoreSet,
        Questionnaire,
        Membership,
    )

    def counts():
        return [model.objects.count() for model in models] + [
            IndicatorNotApplicable.history.count(),
            Assessment.history.count(),
        ]

    before = counts()
    make_demo()
    assert counts() == before
