"""Scoring job tests reuse the assessment fixtures (small questionnaire, missions A and B)."""

from tests.assessments.conftest import *  # noqa: F403
