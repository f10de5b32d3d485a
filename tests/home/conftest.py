from tests.assessments.conftest import (  # noqa: F401 (fixtures shared with the boards' tests)
    assessment_a_v2,
    current_period,
    military_respondent_a,
    previous_period,
    questionnaire_v2,
)
