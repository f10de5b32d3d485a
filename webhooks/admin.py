"""Administrators configure webhooks and read their delivery log (status codes per attempt)."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from webhooks.models import Webhook, WebhookAttempt, WebhookDelivery
from webhooks.services import webhook_secret_rotate


def _show_secret_once(request, webhook: Webhook, secret: str) -> None:  # type: ignore[no-untyped-def]
    messages.warning(
        request,
        gettext(
            "Signing secret of “%(name)s”: %(secret)s — give it to the receiver now: it is "
            "stored encrypted and never shown again."
        )
        % {"name": webhook.name, "secret": secret},
    )


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """The signing secret is made by the server: shown once when the webhook is added or when
    a new one is asked for (action), stored encrypted, never shown again."""

    list_display = ("name", "url", "is_active", "consecutive_failures", "disabled_at")
    list_filter = ("is_active",)
    readonly_fields = ("consecutive_failures", "disabled_at", "created_at")
    fields = ("name", "url", "events", "is_active", *readonly_fields)
    actions = ["new_signing_secret"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if obj.is_active:  # switched back on by hand: count failures afresh
            obj.consecutive_failures = 0
            obj.disabled_at = None
        super().save_model(request, obj, form, change)
        if not change:
            _show_secret_once(request, obj, webhook_secret_rotate(webhook=obj))

    @admin.action(description=_("Make a new signing secret (shown once)"))
    def new_signing_secret(self, request, queryset):  # type: ignore[no-untyped-def]
        for webhook in queryset:
            _show_secret_once(request, webhook, webhook_secret_rotate(webhook=webhook))


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("at", "status_code", "error", "duration_ms")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "webhook", "event", "status", "attempts", "last_status_code")
    list_filter = ("status", "event", "webhook")
    readonly_fields = (
        "webhook",
        "event_id",
        "event",
        "payload",
        "status",
        "attempts",
        "last_status_code",
        "created_at",
        "last_attempt_at",
    )
    inlines = [WebhookAttemptInline]
    verbose_name = _("delivery")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
