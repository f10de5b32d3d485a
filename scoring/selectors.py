"""Reads of stored scores for one assessment (the board's score panel and drill-down)."""

from dataclasses import dataclass

from assessments.models import Assessment
from missions.models import Component
from questionnaires.models import CoherenceLevel
from scoring.method import METHOD_VERSION
from scoring.models import ScoreSet


@dataclass(frozen=True)
class AssessmentScores:
    score_set: ScoreSet | None
    pending: bool  # scoring was asked for and no result computed since
    dimensions: list[dict]
    coherence_levels: list[dict]

    @property
    def nothing_to_score(self) -> bool:
        """No result and none asked for: no component has completed its response yet."""
        return self.score_set is None and not self.pending


def assessment_scores(*, assessment: Assessment) -> AssessmentScores:
    """The stored result of the current method, shaped for display with its drill-down."""
    score_set = (
        ScoreSet.objects.filter(assessment=assessment, method_version=METHOD_VERSION)
        .only("computed_at", "index", "score", "stage", "completeness", "sufficient", "detail")
        .first()
    )
    requested = assessment.scoring_requested_at
    # An open assessment that nobody completed a response of is not being scored: no
    # result is then "nothing to score yet", not "scoring…".
    pending = requested is not None and (score_set is None or score_set.computed_at < requested)
    if score_set is None:
        return AssessmentScores(None, pending, [], [])
    titles = dict(assessment.questionnaire.dimensions.values_list("code", "title"))
    statements = dict(assessment.questionnaire.indicators.values_list("code", "statement"))
    component_labels = dict(Component.choices)
    dimensions = []
    for dim in score_set.detail.get("dimensions", []):
        indicators = [
            {
                **ind,
                "statement": statements.get(ind["code"], ""),
                "answers": [
                    (component_labels.get(c, c), value)
                    for c, value in sorted(ind.get("per_component", {}).items())
                ],
            }
            for ind in dim.get("indicators", [])
        ]
        dimensions.append({**dim, "title": titles.get(dim["code"], ""), "indicators": indicators})
    level_labels = dict(CoherenceLevel.choices)
    levels = [
        {**level, "label": level_labels.get(level["level"], level["level"])}
        for level in score_set.detail.get("coherence_levels", [])
    ]
    return AssessmentScores(score_set, pending, dimensions, levels)
