"""seed_demo's options, its guard against production databases, and `make demo`."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from assessments.models import Assessment
from demo.scenario import CORE_COMPONENTS, DEMO_MISSIONS, login_name
from missions.models import Mission
from scoring.models import ScoreSet

pytestmark = pytest.mark.django_db


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
    synthetic = Mission.objects.get(code="DEMO-D008")
    assert synthetic.is_demo and synthetic.name.endswith("(fictional)")
    assert synthetic.memberships.filter(role="respondent").count() >= 3


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


def test_make_demo_publishes_v1_then_v2_then_v3_before_seeding():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    variables = dict(re.findall(r"^(QUESTIONNAIRE_V\d) := (\S+)$", makefile, re.MULTILINE))
    steps = [line.split("manage.py ")[1] for line in recipe.splitlines()]
    assert steps == [
        "migrate --noinput",
        "questionnaire_load $(QUESTIONNAIRE_V1) --publish",
        "questionnaire_load $(QUESTIONNAIRE_V2) --publish",
        # v3 published last: new quarters answer it, and scoring method 3 (current) reads the
        # demo's v1 and v2 answers on it.
        "questionnaire_load $(QUESTIONNAIRE_V3) --publish",
        "seed_demo",
    ]
    assert variables == {
        "QUESTIONNAIRE_V1": "questionnaires/data/imp-core-v1.yaml",
        "QUESTIONNAIRE_V2": "questionnaires/data/imp-core-v2.yaml",
        "QUESTIONNAIRE_V3": "questionnaires/data/imp-core-v3.yaml",
    }


def test_readme_lists_every_demo_login_beyond_political_and_humanitarian():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    logins = readme.split("### Demo logins", 1)[1].split("\n\n`python manage.py seed_demo", 1)[0]
    for scenario in DEMO_MISSIONS:
        assert f"`{scenario.slug}-focal`" in logins
        for component in scenario.components:
            if component not in CORE_COMPONENTS:
                assert f"`{login_name(scenario.slug, component)}`" in logins
    assert logins.count("-military`") == sum(
        "military" in scenario.components for scenario in DEMO_MISSIONS
    )
