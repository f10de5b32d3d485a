"""Deployment checks (`manage.py check --deploy`) for the account settings."""

from django.conf import settings
from django.core import checks


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
    return messages
