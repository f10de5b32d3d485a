from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from missions.models import Membership, Mission, Period


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "region", "is_demo"]
    list_filter = ["kind", "region", "is_demo"]
    search_fields = ["code", "name"]
    inlines = [MembershipInline]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "opens_on", "closes_on"]
    ordering = ["-year", "-quarter"]
    actions = ["open_assessments"]

    @admin.action(description=_("Open the quarter's assessment for every mission"))
    def open_assessments(self, request, queryset):
        from assessments.services import WorkflowError, period_open_assessments

        for period in queryset:
            try:
                created = period_open_assessments(period=period)
            except WorkflowError as error:
                self.message_user(request, f"{period}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request, f"{period}: {created} assessment(s) opened.", messages.SUCCESS
                )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "mission", "role", "component"]
    list_filter = ["role", "component", "mission"]
    search_fields = ["user__username", "mission__code"]
    autocomplete_fields = ["user", "mission"]
