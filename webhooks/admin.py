"""Administrators configure webhooks and read their delivery log (status codes per attempt)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from webhooks.models import Webhook, WebhookAttempt, WebhookDelivery


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "is_active", "consecutive_failures", "disabled_at")
    list_filter = ("is_active",)
    readonly_fields = ("consecutive_failures", "disabled_at", "created_at")
    fields = ("name", "url", "secret", "events", "is_active", *readonly_fields)

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if obj.is_active:  # switched back on by hand: count failures afresh
            obj.consecutive_failures = 0
            obj.disabled_at = None
        super().save_model(request, obj, form, change)


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
