"""make run's demo data: fictional, marked demo, eight scored quarters and a current one."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from assessments.models import Answer, Assessment
from missions.models import Mission, Period
from scoring.models import ScoreSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True  # as under make run
    call_command("seed_demo", "--quiet-logins")


def test_demo_missions_are_fictional_and_marked_demo(seeded):
    missions = Mission.objects.all()
    assert missions.count() == 6
    assert all(m.is_demo and m.name.endswith("(fictional)") for m in missions)
    assert {m.kind for m in missions} == {"pko", "spm"}
    assert len({m.region for m in missions}) >= 4


def test_eight_past_quarters_are_submitted_or_approved_and_scored(seeded):
    assert Period.objects.count() == 9
    past = Assessment.objects.exclude(status="open")
    assert past.count() == 6 * 8
    assert ScoreSet.objects.count() == 6 * 8
    assert set(past.values_list("status", flat=True)) == {"submitted", "approved"}


def test_current_quarter_is_open_and_partly_filled(seeded):
    current = Assessment.objects.filter(status="open")
    assert current.count() == 6
    for assessment in current:
        answered = Answer.objects.filter(response__assessment=assessment).count()
        assert 0 < answered < 2 * 55


def test_answers_include_not_applicable_and_components_that_disagree(seeded):
    assert Answer.objects.filter(choice="na").exists()
    assert Answer.objects.filter(choice="dk").exists()
    flagged = ScoreSet.objects.filter(dimensions__divergence_flag=True).distinct()
    assert flagged.exists()


def test_seeding_twice_changes_nothing(seeded):
    counts = (Assessment.objects.count(), Answer.objects.count(), ScoreSet.objects.count())
    call_command("seed_demo", "--quiet-logins")
    assert (Assessment.objects.count(), Answer.objects.count(), ScoreSet.objects.count()) == counts


def test_demo_logins_work_with_the_documented_password(seeded):
    for username in ("admin", "analyst", "arv-focal", "arv-respondent", "fen-humanitarian"):
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request, username=username, password="demo")
        assert user is not None, username


def test_larger_data_sets_for_benchmarks(db):
    call_command(
        "seed_demo",
        "--missions",
        "8",
        "--quarters",
        "2",
        "--quiet-logins",
        "--no-score",
        "--i-know-this-is-not-production",
    )
    assert Mission.objects.count() == 8
    assert Assessment.objects.count() == 8 * 3
    assert not ScoreSet.objects.exists()


def test_seed_demo_refuses_to_run_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        call_command("seed_demo", "--quiet-logins", "--missions", "1", "--quarters", "0")
    assert not Mission.objects.exists()
    assert not get_user_model().objects.filter(username="admin").exists()


def test_seed_demo_runs_with_debug_off_when_told_it_is_not_production(db, settings):
    settings.DEBUG = False
    call_command(
        "seed_demo",
        "--quiet-logins",
        "--missions",
        "1",
        "--quarters",
        "0",
        "--no-score",
        "--i-know-this-is-not-production",
    )
    assert Mission.objects.count() == 1
