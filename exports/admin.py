"""The export log for administrators: read-only (exports are made by the product, not here)."""

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from exports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "created_at",
        "created_by",
        "kind",
        "description",
        "status",
        "size_display",
        "download_count",
        "source",
    ]
    list_filter = ["kind", "status", "source", "created_at"]
    search_fields = ["description", "created_by__username"]
    date_hierarchy = "created_at"
    list_select_related = ["created_by"]

    @admin.display(description=_("size"), ordering="size")
    def size_display(self, job: ExportJob) -> str:
        return filesizeformat(job.size) if job.size is not None else "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
