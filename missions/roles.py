"""Roles that are not bound to a mission: HQ analysts and administrators.

Mission-bound roles (respondent, focal point) are ``Membership`` rows.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account

# Who a permission, selector or service is asked about: a signed-in user or an anonymous one.
# The one user type of the project (type hints only; the project uses Django's user model).
# ``Account`` is a signed-in user: what a write records as its author.
User = Account | AnonymousUser

__all__ = ["ANALYST_GROUP", "Account", "User", "account_of"]

ANALYST_GROUP = "HQ analysts"


def user_is_administrator(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def user_is_analyst(user: User) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    # Cached on the user object: the navigation asks on every page.
    if not hasattr(user, "_imp_is_analyst"):
        user._imp_is_analyst = user.groups.filter(name=ANALYST_GROUP).exists()  # type: ignore[attr-defined]
    return bool(user._imp_is_analyst)  # type: ignore[attr-defined]


def user_sees_all_missions(user: User | None) -> bool:
    """Analysts (read-only) and administrators see every mission; so does the system
    (``None``: a management command)."""
    return user is None or user_is_administrator(user) or user_is_analyst(user)


def account_of(user: User | None) -> Account | None:
    """The signed-in account behind ``user``, as a write records its author: None for the
    system (a management command) or an anonymous user."""
    return user if isinstance(user, Account) else None
