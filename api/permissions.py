"""Who may do what with API tokens. What a token reads is what its user may read: every
endpoint asks the same selectors as the pages (``missions.selectors``) about ``request.user``,
the token's owner, at each request."""

import datetime

from api.models import ApiToken
from missions.roles import User

# A token lives at most a year; the user picks a shorter life.
TOKEN_MAX_DAYS = 365


def can_use_api(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_revoke_token(user: User, token: ApiToken) -> bool:
    return bool(user.is_authenticated and token.user_id == user.pk)


def token_expiry_allowed(expires_on: datetime.date, *, today: datetime.date) -> bool:
    return today < expires_on <= today + datetime.timedelta(days=TOKEN_MAX_DAYS)
