from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        # Actions sit above assessments and scoring: they fill the board's actions panel and
        # the answering page's notes through assessments' own registry (docs/architecture.md).
        from actions.selectors import actions_beside_indicators, board_actions_panel
        from assessments.panels import (
            board_actions_provider_register,
            indicator_actions_provider_register,
        )

        board_actions_provider_register(board_actions_panel)
        indicator_actions_provider_register(actions_beside_indicators)
