"""make run's demo data: fictional, marked demo, eight scored quarters and a current one;
the older quarters on IMP-CORE v1, the latest on v2 with its applicability, declarations,
band overrides and phase; every past quarter scored by the scoring service with the current
method (v1 quarters through the v2 bands mapped by code), showing the findings the demo is
there to show.

One data set is made per module (``demo_data``) and every test reads it in a savepoint."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.test import Client, RequestFactory

from actions.models import Action
from actions.selectors import open_actions_for_mission, overdue_actions
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
from scoring.method import METHOD_VERSION_LABEL
from scoring.models import IndicatorScore, ScoreSet
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
    # Through the scoring service, with the method the pages show.
    current_method = ScoreSet.objects.filter(method_version=METHOD_VERSION_LABEL)
    assert sorted(current_method.values_list("assessment", flat=True)) == sorted(
        past.values_list("pk", flat=True)
    )
    assert not ScoreSet.objects.filter(assessment__status="open").exists()


def test_current_quarter_is_open_and_partly_filled(seeded):
    current = Assessment.objects.filter(status="open")
    assert current.count() == MISSIONS
    assert {a.period for a in current} == {_periods()[-1]}
    for assessment in current:
        answered = Answer.objects.filter(response__assessment=assessment).count()
        assert 0 < answered < 2 * 56
        assert not assessment.responses.filter(status="complete").exists()


def test_three_versions_are_published_and_v3_is_the_one_new_quarters_use(seeded):
    versions = Questionnaire.objects.filter(code="IMP-CORE", status="published")
    assert sorted(versions.values_list("version", flat=True)) == [1, 2, 3]
    # v3 (with safeguards) published last: new quarters answer it, and method 3 reads the
    # demo's v1 and v2 answers on it.
    assert questionnaire_current_published().version == 3


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


# --- Stored results -----------------------------------------------------------------------


def _indicator_scores(mission_code: str, indicator_code: str, version: int):
    return IndicatorScore.objects.filter(
        score_set__mission__code=mission_code,
        score_set__assessment__questionnaire__version=version,
        indicator_code=indicator_code,
    )


def test_v1_quarters_are_read_against_the_v2_bands_mapped_by_code(seeded):
    rows = _indicator_scores("DEMO-ARV", "HUM-02", version=1)
    assert rows.exists()
    assert {(row.band_min, row.band_max) for row in rows} == {(2, 3)}


def test_humanitarian_coordination_over_integrated_and_human_rights_short(seeded):
    over = _indicator_scores("DEMO-BOR", "HUM-02", version=2)
    short = _indicator_scores("DEMO-COR", "HUM-04", version=2)
    assert over.count() == short.count() == 2
    assert set(over.values_list("flag", flat=True)) == {"over_integration"}
    assert set(short.values_list("flag", flat=True)) == {"shortfall"}
    bor = ScoreSet.objects.filter(mission__code="DEMO-BOR", assessment__questionnaire__version=2)
    assert all(score_set.over_integration_count >= 1 for score_set in bor)


def test_declared_indicators_are_not_applicable_in_the_results(seeded):
    rows = _indicator_scores("DEMO-COR", "POL-05", version=2)
    assert rows.count() == 2
    assert all(not row.applicable and row.value is None and not row.flag for row in rows)


def test_the_drawdown_overrides_show_with_their_rationale(seeded):
    rows = IndicatorScore.objects.filter(score_set__mission__code="DEMO-ESK", band_overridden=True)
    assert {(row.indicator_code, row.band_min, row.band_max) for row in rows} == {
        ("OWN-02", 4, 5),
        ("PART-04", 2, 3),
    }
    assert all(row.rationale.startswith("Drawdown / transition") for row in rows)


def test_the_component_that_did_not_respond_is_named_with_its_justification(seeded):
    score_set = ScoreSet.objects.get(mission__code="DEMO-FEN", assessment__status="submitted")
    assert score_set.not_responded == ["mission_support"]
    assert "on leave" in score_set.detail["not_responded_justifications"]["mission_support"]


def test_the_analyst_dashboards_show_the_demo_missions(seeded):
    client = Client()
    client.force_login(get_user_model().objects.get(username="analyst"))
    assert client.get("/dashboards/portfolio/").status_code == 200
    for mission in Mission.objects.all():
        response = client.get(f"/dashboards/missions/{mission.pk}/")
        assert response.status_code == 200, mission.code


def test_make_demo_twice_changes_nothing(seeded):
    models = (
        Assessment,
        Response,
        Answer,
        IndicatorNotApplicable,
        IndicatorBandOverride,
        ScoreSet,
        IndicatorScore,
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


def test_demo_missions_have_actions_on_their_findings_carried_forward(seeded):
    periods = _periods()
    bor = Action.objects.get(mission__code="DEMO-BOR")
    assert bor.indicator_codes == ["HUM-02"] and bor.status == "in_progress"
    assert bor.assessment.period == periods[-3] and bor.notes.count() == 1
    assert bor in overdue_actions()  # due last quarter, still in progress
    cor = Action.objects.get(mission__code="DEMO-COR")
    assert cor.indicator_codes == ["HUM-04"] and cor in open_actions_for_mission(
        mission=cor.mission
    )
    esk = {a.status: a for a in Action.objects.filter(mission__code="DEMO-ESK")}
    assert set(esk) == {"done", "dropped"} and esk["dropped"].dropped_reason
    # Each change went to the history (created, then moved to its status).
    assert esk["done"].history.count() == 2
    # The board's drill-down shows the action beside its indicator.
    client = Client()
    client.force_login(get_user_model().objects.get(username="bor-focal"))
    board = client.get(f"/assessments/{bor.assessment_id}/").content.decode()
    row = board[board.index('<tr data-indicator="HUM-02">') :].split("</tr>")[0]
    assert "Move humanitarian coordination out of the joint operations centre" in row


def test_the_closed_past_quarters_peer_figures_are_frozen(seeded):
    """``seed_demo`` freezes the peer values of every quarter closed before today (the
    backfill ``make demo`` runs), approved assessments only; the open quarter has none."""
    from django.utils import timezone

    from dashboards.models import PeerSnapshot, PeerSnapshotValue

    today = timezone.localdate()
    closed = set(Period.objects.filter(closes_on__lt=today).values_list("pk", flat=True))
    assert closed
    assert set(PeerSnapshot.objects.values_list("period_id", flat=True)) == closed
    frozen = PeerSnapshotValue.objects.filter(measure="index")
    assert frozen.exists() and all(v.is_demo for v in frozen)
    approved = set(
        Assessment.objects.filter(status="approved", period_id__in=closed).values_list(
            "mission_id", "period_id"
        )
    )
    assert set(frozen.values_list("mission_id", "period_id")) <= approved


def _latest_results() -> dict[str, ScoreSet]:
    latest: dict[str, ScoreSet] = {}
    for result in ScoreSet.objects.filter(method_version="imp-score-3.0").select_related(
        "mission", "period"
    ):
        held = latest.get(result.mission.code)
        if held is None or (result.period.year, result.period.quarter) > (
            held.period.year,
            held.period.quarter,
        ):
            latest[result.mission.code] = result
    return latest


def test_the_designed_breaches_are_the_demos_critical_findings(seeded):
    """DEMO-BOR's humanitarian coordination subsumed under the mission (HUM-02 at 5) and
    DEMO-COR's softened human rights reporting (HUM-04 at 2) are critical findings of their
    latest scored quarter; the other missions' voice components answer the safeguards inside
    the band their context profile gives, so at least half the missions have none."""
    latest = _latest_results()
    assert len(latest) == MISSIONS

    def critical(code: str) -> set[str]:
        return set(
            IndicatorScore.objects.filter(score_set=latest[code], status="critical").values_list(
                "indicator_code", flat=True
            )
        )

    assert "HUM-02" in critical("DEMO-BOR")
    assert "HUM-04" in critical("DEMO-COR")
    clean = [code for code, result in latest.items() if result.critical_count == 0]
    assert len(clean) >= MISSIONS / 2, clean
    for code in clean:
        assert latest[code].alignment == pytest.approx(latest[code].uncapped_alignment)


def test_the_demos_not_applicable_answers_carry_a_written_reason(seeded):
    na = Answer.objects.filter(choice="na")
    assert na.exists()
    assert not na.filter(na_reason="").exists()
