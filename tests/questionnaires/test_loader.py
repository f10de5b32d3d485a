"""questionnaire_load: validate the whole file first, report every problem with its
location, and save nothing when any problem exists."""

import pytest
from django.core.management import CommandError, call_command

from questionnaires.models import Dimension, DimensionTag, Indicator, Questionnaire

pytestmark = pytest.mark.django_db


def _load_errors(write_yaml, data) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("questionnaire_load", str(write_yaml(data)))
    return str(excinfo.value)


def _nothing_saved():
    assert not Questionnaire.objects.exists()
    assert not Dimension.objects.exists()
    assert not Indicator.objects.exists()


def test_a_valid_file_is_stored_with_its_dimensions_indicators_rubric_and_tags(
    write_yaml, small_data
):
    call_command("questionnaire_load", str(write_yaml(small_data)))
    questionnaire = Questionnaire.objects.get(code="TEST", version=1)
    assert questionnaire.status == "draft"
    assert list(questionnaire.dimensions.values_list("code", flat=True)) == ["LEAD", "HUM"]
    hum01 = Indicator.objects.get(questionnaire=questionnaire, code="HUM-01")
    assert hum01.dimension.code == "HUM"
    assert str(hum01.weight) == "0.500"
    assert hum01.rubric_3 == "Coordination: regular meetings align the work."
    assert [step for step, _name, _text in hum01.rubric] == [1, 2, 3, 4, 5]
    assert DimensionTag.objects.filter(dimension__questionnaire=questionnaire).count() == 2


def test_missing_rubric_step_is_reported_with_its_location(write_yaml, small_data):
    del small_data["dimensions"][1]["indicators"][0]["rubric"][4]
    errors = _load_errors(write_yaml, small_data)
    assert "dimensions[2] HUM › indicators[1] HUM-01 › rubric: missing rubric step 4" in errors
    _nothing_saved()


def test_duplicate_indicator_code_is_reported(write_yaml, small_data):
    small_data["dimensions"][0]["indicators"][1]["code"] = "LEAD-01"
    assert "duplicate indicator code 'LEAD-01' (2 times)" in _load_errors(write_yaml, small_data)
    _nothing_saved()


def test_duplicate_dimension_code_is_reported(write_yaml, small_data):
    small_data["dimensions"][1]["code"] = "LEAD"
    assert "duplicate dimension code 'LEAD'" in _load_errors(write_yaml, small_data)
    _nothing_saved()


def test_unknown_dimension_is_reported(write_yaml, small_data):
    small_data["dimensions"][1]["code"] = "FUN"
    errors = _load_errors(write_yaml, small_data)
    assert "dimensions[2] FUN › code: unknown dimension 'FUN'" in errors
    _nothing_saved()


def test_step_outside_1_to_5_is_reported_for_targets_and_rubrics(write_yaml, small_data):
    small_data["dimensions"][0]["default_target_step"] = 6
    small_data["dimensions"][0]["indicators"][0]["rubric"][0] = "Step zero"
    errors = _load_errors(write_yaml, small_data)
    assert "dimensions[1] LEAD › default_target_step: step 6 outside 1–5" in errors
    assert "indicators[1] LEAD-01 › rubric: step 0 outside 1–5" in errors
    _nothing_saved()


def test_negative_weight_is_reported(write_yaml, small_data):
    small_data["dimensions"][1]["weight"] = -1
    small_data["dimensions"][0]["indicators"][1]["weight"] = -0.25
    errors = _load_errors(write_yaml, small_data)
    assert "dimensions[2] HUM › weight: negative weight -1" in errors
    assert "indicators[2] LEAD-02 › weight: negative weight -0.25" in errors
    _nothing_saved()


def test_unknown_coherence_level_is_reported(write_yaml, small_data):
    small_data["dimensions"][0]["indicators"][0]["coherence_level"] = "tactical"
    errors = _load_errors(write_yaml, small_data)
    assert "indicators[1] LEAD-01 › coherence_level: unknown coherence level 'tactical'" in errors
    _nothing_saved()


def test_every_problem_of_a_file_is_reported_at_once(write_yaml, small_data):
    small_data["dimensions"][0]["indicators"][0]["coherence_level"] = "tactical"
    small_data["dimensions"][0]["indicators"][1]["code"] = "LEAD-01"
    del small_data["dimensions"][1]["indicators"][0]["guidance"]
    small_data["dimensions"][1]["weight"] = -2
    errors = _load_errors(write_yaml, small_data)
    assert "4 problem(s), nothing was saved" in errors
    assert "unknown coherence level" in errors
    assert "duplicate indicator code" in errors
    assert "HUM-01 › guidance: Field required" in errors
    assert "negative weight -2" in errors
    _nothing_saved()


def test_a_file_that_is_not_yaml_is_refused_with_the_line(write_yaml, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("code: TEST\ndimensions: [\n  - code: LEAD\n")
    with pytest.raises(CommandError, match=r"line \d+, column \d+: not valid YAML"):
        call_command("questionnaire_load", str(path))
    _nothing_saved()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("questionnaire_load", str(tmp_path / "absent.yaml"))


def test_reloading_identical_content_is_a_no_op(write_yaml, small_data, capsys):
    path = write_yaml(small_data)
    call_command("questionnaire_load", str(path))
    first_ids = sorted(Indicator.objects.values_list("pk", flat=True))
    call_command("questionnaire_load", str(path))
    assert "unchanged" in capsys.readouterr().out
    assert sorted(Indicator.objects.values_list("pk", flat=True)) == first_ids
    assert Questionnaire.objects.count() == 1


def test_a_draft_is_replaced_by_changed_content(write_yaml, small_data):
    call_command("questionnaire_load", str(write_yaml(small_data)))
    small_data["dimensions"][0]["indicators"][0]["statement"] = "Reworded statement."
    call_command("questionnaire_load", str(write_yaml(small_data)))
    assert Indicator.objects.get(code="LEAD-01").statement == "Reworded statement."
    assert Indicator.objects.count() == 3


def test_a_published_version_refuses_changed_content_and_keeps_its_own(write_yaml, small_data):
    call_command("questionnaire_load", str(write_yaml(small_data)), "--publish")
    small_data["dimensions"][0]["indicators"][0]["statement"] = "Sneaky rewording."
    with pytest.raises(
        CommandError, match="is published and cannot change; load the change as a new version"
    ):
        call_command("questionnaire_load", str(write_yaml(small_data)))
    assert Indicator.objects.get(code="LEAD-01").statement == "Statement of LEAD-01."


def test_a_published_version_accepts_reloading_identical_content(write_yaml, small_data, capsys):
    call_command("questionnaire_load", str(write_yaml(small_data)), "--publish")
    call_command("questionnaire_load", str(write_yaml(small_data)), "--publish")
    assert "unchanged" in capsys.readouterr().out
    assert Questionnaire.objects.get().status == "published"


def test_changed_content_as_a_new_version_is_accepted_beside_the_published_one(
    write_yaml, small_data
):
    call_command("questionnaire_load", str(write_yaml(small_data)), "--publish")
    small_data["version"] = 2
    small_data["dimensions"][0]["indicators"][0]["statement"] = "Reworded in version 2."
    call_command("questionnaire_load", str(write_yaml(small_data)))
    assert Questionnaire.objects.filter(code="TEST").count() == 2


def test_zero_weight_is_refused_because_scores_divide_by_weights(write_yaml, small_data):
    small_data["dimensions"][0]["indicators"][0]["weight"] = 0
    assert "weight 0: weights must be more than 0" in _load_errors(write_yaml, small_data)
    _nothing_saved()
