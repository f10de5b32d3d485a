from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring")

    def ready(self) -> None:
        # Scoring sits above assessments: it answers the workflow's signal and fills the
        # board's score panel through assessments' own registry (docs/architecture.md).
        from assessments.panels import board_scores_provider_register
        from assessments.signals import scoring_wanted
        from scoring.selectors import assessment_scores_with_headline
        from scoring.services import scoring_request

        def _on_scoring_wanted(sender: object, *, assessment_id: int, **kwargs: object) -> None:
            scoring_request(assessment_id=assessment_id)

        scoring_wanted.connect(_on_scoring_wanted, dispatch_uid="scoring.request", weak=False)
        board_scores_provider_register(assessment_scores_with_headline)
