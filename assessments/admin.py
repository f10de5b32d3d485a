from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import Assessment


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    """Read-only here: assessments change through the workflow pages, which keep the rules."""

    list_display = ["mission", "period", "questionnaire", "status", "submitted_at"]
    list_filter = ["status", "period", "mission__is_demo"]
    search_fields = ["mission__code", "mission__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
