"""Requests per user (or, without one, per address) and period, counted in the default cache
(Redis in production, local memory in the embedded default); over the rate: 429 with
Retry-After. All of a user's tokens and their signed-in browser share one allowance: a second
token does not start a fresh count."""

from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"user-{request.auth.user_id}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
