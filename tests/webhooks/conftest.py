from tests.assessments.conftest import (  # noqa: F401 (fixtures)
    assessment_a,
    current_period,
    questionnaire,
)
