from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from missions.models import Membership, Mission, Period
from missions.periods import quarter_default_dates


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "region", "is_active", "is_demo"]
    list_filter = ["is_active", "kind", "region", "is_demo"]
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


class PeriodForm(forms.ModelForm):
    """Open and due dates may be left blank: the quarter's defaults fill them."""

    class Meta:
        model = Period
        fields = ["year", "quarter", "opens_on", "closes_on"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("opens_on", "closes_on"):
            self.fields[name].required = False
        self.fields["opens_on"].help_text = _("Blank: the first day of the quarter's last month.")
        self.fields["closes_on"].help_text = _("Blank: 30 days after the open date.")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        year, quarter = data.get("year"), data.get("quarter")
        if year and quarter:
            default_open, default_due = quarter_default_dates(int(year), int(quarter))
            if not data.get("opens_on"):
                data["opens_on"] = default_open
            if not data.get("closes_on"):
                data["closes_on"] = data["opens_on"] + (default_due - default_open)
            if data["closes_on"] < data["opens_on"]:
                self.add_error("closes_on", _("The due date must not be before the open date."))
        return data


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    form = PeriodForm
    list_display = ["label", "opens_on", "closes_on", "assessments_opened_at"]
    readonly_fields = ["assessments_opened_at"]
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
