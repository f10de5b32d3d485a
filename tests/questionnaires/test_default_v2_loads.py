"""The shipped IMP-CORE v2 goes through the loader beside v1: stored losslessly, exported
back to the same spec, and every difference from v1 listed by questionnaire_diff."""

from pathlib import Path

import pytest
from django.core.management import call_command

from questionnaires.diff import ChangeKind, questionnaire_diff
from questionnaires.formats import spec_from_file
from questionnaires.models import Indicator, Questionnaire
from questionnaires.selectors import questionnaire_has_mission_level_indicators, questionnaire_spec

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "questionnaires/data"
V1_FILE, V2_FILE = DATA / "imp-core-v1.yaml", DATA / "imp-core-v2.yaml"


@pytest.fixture
def both_versions():
    call_command("questionnaire_load", str(V1_FILE), "--publish")
    call_command("questionnaire_load", str(V2_FILE), "--publish")
    return Questionnaire.objects.get(version=1), Questionnaire.objects.get(version=2)


def test_v2_round_trip_is_lossless_and_v1_is_unchanged(both_versions, tmp_path):
    v1, v2 = both_versions
    assert questionnaire_spec(questionnaire=v1) == spec_from_file(V1_FILE)
    assert questionnaire_spec(questionnaire=v2) == spec_from_file(V2_FILE)
    call_command("questionnaire_export", "IMP-CORE", "2", "--out", str(tmp_path))
    assert spec_from_file(tmp_path / "imp-core-v2.yaml") == spec_from_file(V2_FILE)
    assert not Indicator.objects.filter(questionnaire=v1, target_min__isnull=False).exists()
    assert not Indicator.objects.filter(questionnaire=v2, target_min__isnull=True).exists()
    assert questionnaire_has_mission_level_indicators(questionnaire=v2)
    assert v2.glossary.exists()


def test_every_difference_between_v1_and_v2_is_listed(both_versions):
    old, new = (spec_from_file(V1_FILE), spec_from_file(V2_FILE))
    changes = questionnaire_diff(old, new)
    listed = {(change.code, change.kind) for change in changes}
    old_inds = {ind.code: ind for _, ind in old.indicators()}
    for _, ind in new.indicators():
        before = old_inds.get(ind.code)
        if before is None:
            assert (ind.code, ChangeKind.ADDED) in listed
            continue
        if before.applies_to != ind.applies_to:
            assert (ind.code, ChangeKind.APPLICABILITY_CHANGED) in listed
        if before.target != ind.target:
            assert (ind.code, ChangeKind.BAND_CHANGED) in listed
        if (before.source, before.quote, before.basis) != (ind.source, ind.quote, ind.basis):
            assert (ind.code, ChangeKind.RESOURCED) in listed
    assert {entry.term for entry in new.glossary} <= {
        code for code, kind in listed if kind == ChangeKind.GLOSSARY_ADDED
    }


V3_FILE = DATA / "imp-core-v3.yaml"


def test_v3_loads_beside_v1_and_v2_losslessly(both_versions, tmp_path):
    call_command("questionnaire_load", str(V3_FILE), "--publish")
    v3 = Questionnaire.objects.get(version=3)
    assert questionnaire_spec(questionnaire=v3) == spec_from_file(V3_FILE)
    call_command("questionnaire_export", "IMP-CORE", "3", "--out", str(tmp_path))
    assert spec_from_file(tmp_path / "imp-core-v3.yaml") == spec_from_file(V3_FILE)
    assert Indicator.objects.get(questionnaire=v3, code="HUM-04").voice == ["human_rights"]
    assert Indicator.objects.get(questionnaire=v3, code="MS-01").is_external


def test_every_difference_between_v2_and_v3_is_listed():
    old, new = spec_from_file(V2_FILE), spec_from_file(V3_FILE)
    listed = {(change.code, change.kind) for change in questionnaire_diff(old, new)}
    old_inds = {ind.code: ind for _, ind in old.indicators()}
    new_inds = {ind.code: ind for _, ind in new.indicators()}
    for code in old_inds.keys() - new_inds.keys():
        assert (code, ChangeKind.REMOVED) in listed  # LEAD-05, RES-02, POL-06, PLAN-05
    for code, ind in new_inds.items():
        before = old_inds.get(code)
        if before is None:
            assert (code, ChangeKind.ADDED) in listed
            continue
        if before.rules_data() != ind.rules_data():
            assert (code, ChangeKind.CONTEXT_RULES_CHANGED) in listed
        if (before.safeguard, before.context) != (ind.safeguard, ind.context):
            assert (code, ChangeKind.MARKING_CHANGED) in listed
        if before.target != ind.target:
            assert (code, ChangeKind.BAND_CHANGED) in listed
        if set(before.applies_to) != set(ind.applies_to):
            assert (code, ChangeKind.APPLICABILITY_CHANGED) in listed
    tags = {code for code, kind in listed if kind == ChangeKind.TAG_RESOURCED}
    assert {"LEAD-E-TORS", "ACC-E-HQSUPPORT", "RES-E-POOLEDFUND"} <= tags


def test_questionnaire_diff_command_lists_v2_to_v3(both_versions, capsys):
    call_command("questionnaire_load", str(V3_FILE), "--publish")
    call_command("questionnaire_diff", "IMP-CORE", "2", "3")
    out = capsys.readouterr().out
    assert "LEAD-09" in out and "indicator context rules changed" in out
