from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Notifications sit above assessments: they answer the workflow's signals
        # (docs/architecture.md). The receivers never raise into the workflow.
        from assessments.signals import assessment_reopened, components_completed
        from notifications import checks  # noqa: F401 (registers the deploy check)
        from notifications.services.rules import (
            on_assessment_reopened,
            on_components_completed,
        )

        components_completed.connect(
            on_components_completed, dispatch_uid="notifications.complete", weak=False
        )
        assessment_reopened.connect(
            on_assessment_reopened, dispatch_uid="notifications.reopened", weak=False
        )
