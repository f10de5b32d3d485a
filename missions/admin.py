from collections.abc import Callable

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


# Period actions that belong to higher layers (opening the quarter's assessments is the
# assessments app's): they register here instead of this module importing them.
_period_actions: list[Callable[..., object]] = []


def period_admin_action_register(action: Callable[..., object]) -> Callable[..., object]:
    """Add an admin action ``action(modeladmin, request, queryset)`` to the period list."""
    if action not in _period_actions:
        _period_actions.append(action)
    return action


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "opens_on", "closes_on"]
    ordering = ["-year", "-quarter"]

    @property
    def actions(self) -> list[Callable[..., object]]:  # type: ignore[override]
        return list(_period_actions)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "mission", "role", "component"]
    list_filter = ["role", "component", "mission"]
    search_fields = ["user__username", "mission__code"]
    autocomplete_fields = ["user", "mission"]
