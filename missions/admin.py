from django.contrib import admin

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


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "mission", "role", "component"]
    list_filter = ["role", "component", "mission"]
    search_fields = ["user__username", "mission__code"]
    autocomplete_fields = ["user", "mission"]
