from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import Assessment
from assessments.services import WorkflowError, period_open_assessments
from missions.admin import period_admin_action_register


@period_admin_action_register
@admin.action(description=_("Open the quarter's assessment for every mission"))
def open_assessments(modeladmin, request, queryset):
    for period in queryset:
        try:
            created = period_open_assessments(period=period)
        except WorkflowError as error:
            modeladmin.message_user(request, f"{period}: {error}", messages.ERROR)
        else:
            modeladmin.message_user(
                request, f"{period}: {created} assessment(s) opened.", messages.SUCCESS
            )


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
