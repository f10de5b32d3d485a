from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _revoke_tokens(sender, *, user_id: int, reason: str, **kwargs) -> None:
    from api.services import api_tokens_revoke_for_user

    api_tokens_revoke_for_user(user_id=user_id, reason=reason)


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from missions.signals import user_access_changed

        # A change that must end the user's credentials revokes their API tokens (logged).
        user_access_changed.connect(_revoke_tokens, dispatch_uid="api-revoke-tokens")
