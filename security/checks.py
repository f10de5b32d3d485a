"""Deployment checks (`manage.py check --deploy`) for the account settings."""

from django.conf import settings
from django.core import checks

from security.oidc_mapping import RoleMappingError, role_mapping_load


@checks.register(checks.Tags.security, deploy=True)
def account_settings_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    if not settings.EMAIL_CONFIGURED:
        messages.append(
            checks.Warning(
                "EMAIL_URL is not set: password-reset e-mails are only written to the log.",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587.",
                id="security.W001",
            )
        )
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.TRUSTED_PROXY_HEADER:
        messages.append(
            checks.Warning(
                "Behind a TLS proxy (SECURE_PROXY_SSL_HEADER) but TRUSTED_PROXY_HEADER is "
                "not set: login throttling and the security log see the proxy's address.",
                hint="Set TRUSTED_PROXY_HEADER=X-Forwarded-For and TRUSTED_PROXY_COUNT.",
                id="security.W002",
            )
        )
    if not settings.OTP_REQUIRED_FOR_HQ:
        messages.append(
            checks.Warning(
                "OTP_REQUIRED_FOR_HQ is off: HQ analysts and administrators sign in with a "
                "password only.",
                hint="Leave it on except for a pilot.",
                id="security.W003",
            )
        )
    if settings.OIDC_ENABLED and settings.LOCAL_PASSWORD_LOGIN:
        messages.append(
            checks.Info(
                "Organisation sign-in is on and local password sign-in is open to everyone.",
                hint="Set LOCAL_PASSWORD_LOGIN=0 and BREAK_GLASS_ACCOUNTS to keep local "
                "passwords for the break-glass administrators only.",
                id="security.I004",
            )
        )
    return messages


@checks.register(checks.Tags.security)
def role_mapping_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The organisation sign-in's role mapping file must be readable and understood."""
    if not settings.OIDC_ENABLED:
        return []
    try:
        role_mapping_load(settings.OIDC_ROLE_MAPPING_FILE)
    except RoleMappingError as exc:
        return [
            checks.Error(str(exc), hint="docs/deployment.md: the role mapping", id="security.E005")
        ]
    return []
