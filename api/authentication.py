"""``Authorization: Bearer <token>``: a personal access token stands for its user."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from api.models import ApiToken
from api.permissions import token_sign_in_holds
from api.selectors import api_token_for_key
from api.services import api_token_used


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give one token after Bearer."))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = api_token_for_key(key=key, now=timezone.now())
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if not token_sign_in_holds(token):
            raise exceptions.AuthenticationFailed(
                _(
                    "This token was created without the second factor, which this account now "
                    "needs: sign in with it and create a new token."
                )
            )
        api_token_used(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'
