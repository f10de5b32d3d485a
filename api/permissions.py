"""Who may do what with API tokens. What a token reads is what its user may read: every
endpoint asks the same selectors as the pages (``missions.selectors``) about ``request.user``,
the token's owner, at each request."""

import datetime

from api.models import ApiToken
from missions.roles import User
from security.permissions import second_factor_required

# A token lives at most a year; the user picks a shorter life.
TOKEN_MAX_DAYS = 365
# Live (neither revoked nor expired) tokens a user may hold at once.
TOKEN_MAX_ACTIVE = 10


def can_use_api(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_revoke_token(user: User, token: ApiToken) -> bool:
    return bool(user.is_authenticated and token.user_id == user.pk)


def token_expiry_allowed(expires_on: datetime.date, *, today: datetime.date) -> bool:
    return today < expires_on <= today + datetime.timedelta(days=TOKEN_MAX_DAYS)


def token_sign_in_holds(token: ApiToken) -> bool:
    """A token opens the API only while its user's current role would be let in with the
    sign-in the token was created under: one made without the second factor stops working
    when the user now needs one (a new role, an enrolled authenticator)."""
    return token.second_factor_verified or not second_factor_required(token.user)


def can_create_token(user: User, *, second_factor_verified: bool) -> bool:
    """Whoever needs a second factor creates tokens only in a session that passed it."""
    return can_use_api(user) and (second_factor_verified or not second_factor_required(user))
