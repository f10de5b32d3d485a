"""Creating, using and revoking personal access tokens; each is written to the security log."""

import datetime
import hashlib
import secrets

from django.contrib.auth.models import User as AccountUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from api.models import ApiToken
from api.permissions import (
    TOKEN_MAX_ACTIVE,
    TOKEN_MAX_DAYS,
    can_create_token,
    can_revoke_token,
    token_expiry_allowed,
)
from missions.roles import User
from security.models import EventKind
from security.services import security_event_record

TOKEN_PREFIX = "imp_"  # noqa: S105 (the visible start of every token, not a secret)
PREFIX_SHOWN = 12  # characters of the token kept in clear to tell tokens apart


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: AccountUser, name: str, expires_on: datetime.date, second_factor_verified: bool
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its key, which is never shown again.

    ``second_factor_verified``: whether the creating session passed the second factor. A user
    who needs one creates tokens only in such a session; at most ``TOKEN_MAX_ACTIVE`` live
    tokens per user.
    """
    if not can_create_token(user, second_factor_verified=second_factor_verified):
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Sign in with your second factor before creating a token.")}
        )
    # Lock the user's row so that two requests at once cannot both pass the cap.
    AccountUser.objects.select_for_update().filter(pk=user.pk).first()
    live = ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()
    if live >= TOKEN_MAX_ACTIVE:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: ngettext(
                    "API tokens: you already have %(n)d active token, the most allowed; "
                    "revoke it before creating another.",
                    "API tokens: you already have %(n)d active tokens, the most allowed; "
                    "revoke one before creating another.",
                    TOKEN_MAX_ACTIVE,
                )
                % {"n": TOKEN_MAX_ACTIVE}
            }
        )
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    today = timezone.localdate()
    if not token_expiry_allowed(expires_on, today=today):
        raise ValidationError(
            {
                "expires_on": _("The expiry must be after today and at most %(n)d days away.")
                % {"n": TOKEN_MAX_DAYS}
            }
        )
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.make_aware(
        datetime.datetime.combine(expires_on, datetime.time.max.replace(microsecond=0))
    )
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=key[:PREFIX_SHOWN],
        key_hash=token_digest(key),
        expires_at=expires_at,
        second_factor_verified=second_factor_verified,
    )
    security_event_record(
        kind=EventKind.API_TOKEN,
        user=user,
        detail=(
            f"API token created: {token.prefix}… ({token.name}), expires {expires_on}, "
            f"{'with' if second_factor_verified else 'without'} the second factor"
        ),
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    if not can_revoke_token(by, token):
        raise PermissionError("not the token's owner")
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db()
    if updated:
        security_event_record(
            kind=EventKind.API_TOKEN,
            user=by,
            detail=f"API token revoked: {token.prefix}… ({token.name})",
        )
    return token


@transaction.atomic
def api_tokens_revoke_for_user(*, user_id: int, reason: str) -> int:
    """Revoke every live token of the user (their access or sign-in changed: ``reason``),
    one security-log line per token; returns how many were revoked."""
    now = timezone.now()
    live = list(
        ApiToken.objects.select_for_update()
        .select_related("user")
        .filter(user_id=user_id, revoked_at__isnull=True, expires_at__gt=now)
    )
    ApiToken.objects.filter(pk__in=[token.pk for token in live]).update(revoked_at=now)
    for token in live:
        # Not attached to the owner's row: the change may be the owner's deletion. The event's
        # user is whoever made the change (an administrator), else the owner's name is kept.
        owner = token.user.get_username()
        security_event_record(
            kind=EventKind.API_TOKEN,
            username=owner,
            detail=f"API token of {owner} revoked ({reason}): {token.prefix}… ({token.name})",
        )
    return len(live)


def api_token_used(*, token: ApiToken) -> None:
    """Remember the day a token was last used; the security log gets one line per token and
    day (the first use), not one per request."""
    now = timezone.now()
    start_of_day = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(now), datetime.time.min)
    )
    if token.last_used_at is not None and token.last_used_at >= start_of_day:
        return  # already recorded today (read with the token: no query)
    first_today = ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gte=start_of_day)
    if first_today.update(last_used_at=now):
        token.last_used_at = now
        security_event_record(
            kind=EventKind.API_TOKEN,
            user=token.user,
            detail=f"API token used: {token.prefix}… ({token.name})",
        )
