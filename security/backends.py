"""Local password sign-in, which can be switched off for everyone but the break-glass
accounts once the organisation's sign-in (OpenID Connect) is the normal way in."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def local_password_login_allowed(username: str | None) -> bool:
    return settings.LOCAL_PASSWORD_LOGIN or (username or "") in settings.BREAK_GLASS_ACCOUNTS


class LocalPasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username")
        if not local_password_login_allowed(username):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
