"""Method 3 is registered but not stored yet: asking to store it fails loudly."""

import pytest
from django.core.management import CommandError, call_command

from scoring.services import assessment_scores_compute, assessment_scores_compute_many


def test_storing_method_3_is_refused_rather_than_stored_as_another_method():
    with pytest.raises(ValueError, match="method 3 cannot be stored yet"):
        assessment_scores_compute_many(assessment_ids=[1], method=3)
    with pytest.raises(ValueError, match="method 3 cannot be stored yet"):
        assessment_scores_compute(assessment_id=1, method=3)


def test_rescore_does_not_offer_method_3_yet():
    with pytest.raises(CommandError, match="invalid choice: 3"):
        call_command("rescore", "--method", "3")
