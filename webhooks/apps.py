from django.apps import AppConfig
from django.db import transaction
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        # Webhooks sit above assessments and scoring: they listen to the signals those
        # layers own (docs/architecture.md) and send their events after the commit.
        from assessments.signals import status_changed
        from scoring.signals import scores_stored
        from webhooks.services import webhook_assessment_status_changed, webhook_scores_stored_batch

        def _on_status_changed(
            sender: object, *, assessment_id: int, status: str, previous: str, **kwargs: object
        ) -> None:
            webhook_assessment_status_changed(
                assessment_id=assessment_id, status=status, previous=previous
            )

        def _on_scores_stored(
            sender: object, *, assessment_ids: list[int], **kwargs: object
        ) -> None:
            # Scoring announces a batch at once; each assessment keeps its own event, built
            # after the commit so the scoring transaction pays nothing for webhooks.
            ids = list(assessment_ids)
            transaction.on_commit(lambda: webhook_scores_stored_batch(assessment_ids=ids))

        status_changed.connect(_on_status_changed, dispatch_uid="webhooks.status", weak=False)
        scores_stored.connect(_on_scores_stored, dispatch_uid="webhooks.scores", weak=False)
