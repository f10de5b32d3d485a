from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: what was sent to whom, and whether the e-mail went out."""

    list_display = ["kind", "user", "assessment", "on_date", "email_state", "created_at"]
    list_filter = ["kind", "email_state", "on_date"]
    search_fields = ["user__username", "user__email"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
