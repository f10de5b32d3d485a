from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        # Scoring sits below dashboards: it announces stored scores, we drop stale pages.
        from dashboards.cache import dashboards_scores_changed
        from scoring.signals import scores_stored

        def _on_scores_stored(sender: object, **kwargs: object) -> None:
            dashboards_scores_changed()

        scores_stored.connect(_on_scores_stored, dispatch_uid="dashboards.cache", weak=False)
