"""Each role's home page, on hand-built data: the values shown, what is hidden, and a query
count that does not grow with the portfolio."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.services import action_create
from assessments.models import Assessment, AssessmentStatus
from assessments.selectors import assessment_expected_components
from assessments.services import (
    AnswerInput,
    assessment_open,
    assessment_reopen,
    assessment_submit,
    response_answers_save,
    response_get_or_create,
    response_mark_complete,
)
from exports.models import ExportJob, ExportKind, ExportStatus
from home import selectors
from home.models import HomeVisit
from missions.models import Period
from notifications.models import EmailState, Notification, NotificationKind
from scoring.method import METHODS
from scoring.models import IndicatorScore, ScoreSet
from tests.factories import MissionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _answer(assessment, component, user, **choices):
    response = response_get_or_create(assessment=assessment, component=component)
    response_answers_save(
        response=response,
        by=user,
        answers=[AnswerInput(code, choice) for code, choice in choices.items()],
    )


def _score_set(assessment, *, alignment, flags=()):
    """A stored method-2 result with the given alignment and flagged indicators."""
    score_set = ScoreSet.objects.create(
        assessment=assessment,
        mission=assessment.mission,
        period=assessment.period,
        method_version=METHODS[2].label,  # a method-2-shaped result
        computed_at=timezone.now(),
        index=50,
        score=3,
        completeness=1,
        sufficient=True,
        alignment=alignment,
        shortfall=0,
        over_integration=0,
        shortfall_count=0,
        over_integration_count=0,
    )
    for code, flag, value in flags:
        IndicatorScore.objects.create(
            score_set=score_set,
            indicator_code=code,
            dimension_code=code.split("-")[0],
            applicable=True,
            value=value,
            band_min=2,
            band_max=3,
            distance=value - 3 if value > 3 else value - 2,
            flag=flag,
            counted=1,
            expected=1,
            sufficient=True,
        )
    return score_set


def _html(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


# --- respondent ---------------------------------------------------------------------------------


def test_respondent_sees_progress_due_date_and_the_next_dimension(
    client, personas, assessment_a_v2
):
    _answer(assessment_a_v2, "political", personas.respondent_a, **{"LEAD-01": "3", "LEAD-02": "2"})
    today = timezone.localdate()
    days = (assessment_a_v2.period.closes_on - today).days

    [task] = selectors.respondent_tasks(user=personas.respondent_a)
    assert (task.answered, task.total) == (2, 3)  # LEAD-01, LEAD-02, HUM-01 asked of political
    assert task.next_dimension.code == "HUM"
    assert task.days_left == days and not task.overdue

    html = _html(client, personas.respondent_a)
    assert "2 of 3 indicators answered" in html
    assert f"{days} days left" in html or f"{days} day left" in html
    next_url = reverse("assessments:answer", args=[assessment_a_v2.pk, "political", "HUM"])
    assert f'href="{next_url}"' in html
    assert "Needs an administrator" not in html and "New findings" not in html


def test_respondent_overdue_in_red_with_days_overdue(client, personas, assessment_a_v2):
    Period.objects.filter(pk=assessment_a_v2.period_id).update(
        opens_on=timezone.localdate() - datetime.timedelta(days=40),
        closes_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    [task] = selectors.respondent_tasks(user=personas.respondent_a)
    assert task.overdue and task.days_overdue == 3
    html = _html(client, personas.respondent_a)
    assert "overdue by 3 days" in html and "border-danger" in html


def test_respondent_sees_what_changed_since_the_last_visit(client, personas, assessment_a_v2):
    _html(client, personas.respondent_a)  # first visit: nothing "since"
    _answer(
        assessment_a_v2,
        "political",
        personas.respondent_a,
        **{"LEAD-01": "3", "LEAD-02": "2", "HUM-01": "1"},
    )
    response_mark_complete(
        response=response_get_or_create(assessment=assessment_a_v2, component="political"),
        by=personas.respondent_a,
    )
    HomeVisit.objects.update(seen_at=timezone.now() - datetime.timedelta(hours=1))
    assessment_submit(
        assessment=assessment_a_v2,
        by=personas.focal_point_a,
        justifications=dict.fromkeys(
            set(assessment_expected_components(assessment=assessment_a_v2)) - {"political"}, "away"
        ),
    )
    assessment_reopen(
        assessment=assessment_a_v2, by=personas.focal_point_a, reason="HUM answers to revise"
    )
    html = _html(client, personas.respondent_a)
    assert "Since your last visit" in html
    assert "reopened: “HUM answers to revise”" in html
    assert "now Submitted" in html
    # Seen: the next visit has nothing new.
    assert "Since your last visit" not in _html(client, personas.respondent_a)


def test_respondent_of_another_mission_sees_nothing_of_mission_a(client, personas, assessment_a_v2):
    html = _html(client, personas.respondent_b)
    assert "MSN-A" not in html and "Mission A" not in html
    assert "Nothing to answer now" in html


# --- focal point ----------------------------------------------------------------------------------


def test_focal_point_sees_components_bands_readiness_and_last_quarter_flags(
    client, personas, assessment_a_v2, previous_period, military_respondent_a
):
    _answer(assessment_a_v2, "political", personas.respondent_a, **{"LEAD-01": "3"})
    previous = assessment_open(
        mission=personas.mission_a,
        period=previous_period,
        questionnaire=assessment_a_v2.questionnaire,
    )
    _score_set(
        previous,
        alignment=70,
        flags=[("LEAD-02", "shortfall", 1.0), ("HUM-01", "over_integration", 4.0)],
    )
    [entry] = selectors.focal_point_missions(user=personas.focal_point_a)
    states = {
        c.component: (c.answered, c.total, c.complete, c.respondents) for c in entry.components
    }
    assert states == {
        "mission": (0, 2, False, ()),  # MS-01 and MS-04, answered by the focal point
        "military": (0, 2, False, ("military_a",)),
        "political": (1, 3, False, ("respondent_a",)),
    }
    assert (entry.bands_total, entry.bands_set) == (5, 0)
    assert not entry.ready_to_submit
    assert [f.code for f in entry.shortfalls] == ["LEAD-02"]
    assert [f.code for f in entry.over_integrations] == ["HUM-01"]

    html = _html(client, personas.focal_point_a)
    assert "5 of 5 indicators still on the questionnaire's default band" in html
    assert (
        "Not ready to submit: waiting for Whole mission (focal point), Military, Political" in html
    )
    assert f"Findings of {previous_period.label}" in html
    # Each finding says what the indicator is about, not only its code.
    assert "▼ shortfall</span> <strong>LEAD-02</strong> Statement of LEAD-02." in html
    assert "▲ over-integration</span> <strong>HUM-01</strong> Statement of HUM-01." in html
    assert reverse("assessments:board", args=[assessment_a_v2.pk]) in html
    assert reverse("dashboards:profile", args=[personas.mission_a.pk]) in html


# --- analyst and administrator ----------------------------------------------------------------


def test_analyst_sees_the_cycle_new_findings_and_their_exports(
    client, personas, current_period, previous_period, questionnaire_v2
):
    now_a = assessment_open(
        mission=personas.mission_a, period=current_period, questionnaire=questionnaire_v2
    )
    before_a = assessment_open(
        mission=personas.mission_a, period=previous_period, questionnaire=questionnaire_v2
    )
    before_b = assessment_open(
        mission=personas.mission_b, period=previous_period, questionnaire=questionnaire_v2
    )
    now_b = assessment_open(
        mission=personas.mission_b, period=current_period, questionnaire=questionnaire_v2
    )
    _score_set(before_a, alignment=60, flags=[("LEAD-02", "shortfall", 1.0)])
    _score_set(now_a, alignment=75.4, flags=[("HUM-01", "over_integration", 4.0)])
    _score_set(before_b, alignment=80)
    _score_set(now_b, alignment=78)
    mine = ExportJob.objects.create(
        kind=ExportKind.DATA_XLSX,
        status=ExportStatus.DONE,
        created_by=personas.analyst,
        finished_at=timezone.now(),
    )
    ExportJob.objects.create(
        kind=ExportKind.DATA_XLSX,
        status=ExportStatus.DONE,
        created_by=personas.admin,
        finished_at=timezone.now(),
    )

    findings = selectors.new_findings(user=personas.analyst)
    assert [
        (c.mission.code, round(c.delta, 1), c.new_over_integration) for c in findings.changes
    ] == [
        ("MSN-A", 15.4, ("HUM-01",)),
        ("MSN-B", -2.0, ()),
    ]
    html = _html(client, personas.analyst)
    assert f"The {current_period.label} cycle" in html
    assert "+15" in html and "▲ HUM-01" in html
    assert reverse("exports:job", args=[mine.pk]) in html
    assert html.count('href="/exports/jobs/') == 1  # not the administrator's export
    assert reverse("dashboards:profile", args=[personas.mission_b.pk]) in html
    assert "Needs an administrator" not in html


def test_administrator_sees_what_needs_them(client, personas, current_period, questionnaire_v2):
    assessment = assessment_open(
        mission=personas.mission_a, period=current_period, questionnaire=questionnaire_v2
    )
    Assessment.objects.filter(pk=assessment.pk).update(
        status=AssessmentStatus.SUBMITTED,
        submitted_at=timezone.now() - datetime.timedelta(hours=3),
    )
    UserFactory(username="newcomer")
    ExportJob.objects.create(
        kind=ExportKind.SCORECARD, status=ExportStatus.FAILED, created_by=personas.analyst
    )
    Notification.objects.create(
        kind=NotificationKind.REMINDER,
        user=personas.respondent_a,
        assessment=assessment,
        on_date=timezone.localdate(),
        email_state=EmailState.FAILED,
    )
    todo = selectors.administrator_todo(user=personas.admin)
    assert [a.pk for a in todo.awaiting_approval] == [assessment.pk]
    assert [(p.pk, n) for p, n in todo.periods_to_open] == [(current_period.pk, 1)]  # MSN-B
    assert [u.username for u in todo.users_without_mission] == ["newcomer"]
    assert len(todo.failed_exports) == 1
    assert [a.pk for a in todo.scoring_overdue] == [assessment.pk]  # submitted 3 h ago, no result

    html = _html(client, personas.admin)
    assert "Waiting for approval" in html and "newcomer" in html
    assert "1 mission without an assessment" in html
    assert "no result an hour after submission" in html
    assert [n.user.username for n in todo.failed_emails] == ["respondent_a"]
    assert "to respondent_a" in html
    assert "New findings" in html  # the analyst's view too


# --- query counts -----------------------------------------------------------------------------


def _queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("home"))  # the first request of a session may write to it
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["respondent_a", "focal_point_a", "analyst", "admin"])
def test_home_query_count_does_not_grow_with_the_portfolio(
    client, personas, assessment_a_v2, persona
):
    user = getattr(personas, persona)
    small = _queries(client, user)
    for n in range(18):
        mission = MissionFactory(code=f"MSN-X{n:02d}", name=f"Mission X{n}")
        assessment_open(
            mission=mission,
            period=assessment_a_v2.period,
            questionnaire=assessment_a_v2.questionnaire,
        )
    assert _queries(client, user) == small


# --- actions ------------------------------------------------------------------------------------


def _agreed_last_quarter(personas, assessment_a_v2, previous_period, *, due, **links):
    """An action agreed in mission A's previous quarter (submitted, with LEAD-02 short)."""
    previous = assessment_open(
        mission=personas.mission_a,
        period=previous_period,
        questionnaire=assessment_a_v2.questionnaire,
    )
    Assessment.objects.filter(pk=previous.pk).update(status=AssessmentStatus.SUBMITTED)
    previous.refresh_from_db()
    _score_set(previous, alignment=70, flags=[("LEAD-02", "shortfall", 1.0)])
    return action_create(
        assessment=previous,
        by=personas.focal_point_a,
        description="Joint planning retreat for the senior leadership",
        owner="Office of the DSRSG/RC/HC",
        due=due,
        **links,
    )


def test_focal_point_sees_open_actions_due_this_quarter(
    client, personas, assessment_a_v2, previous_period
):
    today = timezone.localdate()
    this_quarter = (assessment_a_v2.period.year, assessment_a_v2.period.quarter)
    action = _agreed_last_quarter(
        personas, assessment_a_v2, previous_period, due=this_quarter, indicator_codes=["LEAD-02"]
    )
    [entry] = selectors.focal_point_missions(user=personas.focal_point_a, today=today)
    assert [(d.action.pk, d.overdue) for d in entry.actions_due] == [(action.pk, False)]
    html = _html(client, personas.focal_point_a)
    assert "Joint planning retreat for the senior leadership" in html
    assert reverse("actions:detail", args=[action.pk]) in html
    assert f"due {assessment_a_v2.period.label}" in html
    # Overdue once its quarter has passed, until closed.
    later = datetime.date(this_quarter[0] + 1, 1, 15)
    [entry] = selectors.focal_point_missions(user=personas.focal_point_a, today=later)
    assert [d.overdue for d in entry.actions_due] == [True]


def test_respondent_sees_actions_agreed_on_indicators_they_answer(
    client, personas, assessment_a_v2, previous_period, military_respondent_a
):
    _html(client, personas.respondent_a)
    _html(client, military_respondent_a)
    HomeVisit.objects.update(seen_at=timezone.now() - datetime.timedelta(hours=1))
    this_quarter = (assessment_a_v2.period.year, assessment_a_v2.period.quarter)
    _agreed_last_quarter(
        personas, assessment_a_v2, previous_period, due=this_quarter, dimension_code="LEAD"
    )
    [agreed] = selectors.actions_agreed_since(
        user=personas.respondent_a, since=timezone.now() - datetime.timedelta(hours=1)
    )
    assert agreed.indicator_codes == ("LEAD-01", "LEAD-02")  # both asked of political
    html = _html(client, personas.respondent_a)
    assert "MSN-A: action agreed on LEAD-01, LEAD-02, which you answer:" in html
    # LEAD-02 is not asked of the military: only LEAD-01 is theirs.
    assert "action agreed on LEAD-01, which you answer:" in _html(client, military_respondent_a)
    # Another mission's respondent hears nothing of it.
    assert "Joint planning retreat" not in _html(client, personas.respondent_b)


def test_greeting_shows_the_persons_name_and_roles_in_words(client, personas, assessment_a_v2):
    personas.focal_point_a.first_name, personas.focal_point_a.last_name = "Amina", "Diallo"
    personas.focal_point_a.save()
    html = _html(client, personas.focal_point_a)
    assert "Welcome, Amina Diallo" in html
    assert "Focal point, Mission A" in html
    html = _html(client, personas.respondent_a)
    assert "Respondent for the political component, Mission A" in html
    assert "focal_point" not in _html(client, personas.focal_point_a).split("</h1>")[0]
