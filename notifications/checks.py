from typing import Any

from django.conf import settings
from django.core import checks

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


@checks.register(checks.Tags.security, deploy=True)
def site_url_check(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """Links in notification e-mails are built from SITE_URL: a deployment must set it."""
    if settings.SITE_URL == DEFAULT_SITE_URL or not settings.SITE_URL.startswith("https://"):
        return [
            checks.Warning(
                f"SITE_URL is {settings.SITE_URL}: links in notification e-mails will not "
                "reach the site, or not over HTTPS.",
                hint="Set SITE_URL to the public address, e.g. https://imp.example.org.",
                id="notifications.W001",
            )
        ]
    return []
