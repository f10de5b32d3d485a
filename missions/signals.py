"""Signals the missions layer owns (docs/architecture.md: a lower layer tells a higher one).

``user_access_changed``: what a user may see or how they signed in changed in a way that must
end their outstanding credentials (a role or mission membership that raises what they may see, a
role mapping changed at organisation sign-in, a password change or reset, a second-factor reset,
deactivation). Sent with ``user_id`` (int) and ``reason`` (a short English phrase for the
security log). Any layer may send it; ``api`` connects it to revoke the user's API tokens.
"""

from django.dispatch import Signal

user_access_changed = Signal()
