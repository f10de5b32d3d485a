"""The export log for administrators: read-only (exports are made by the product, not here);
and the briefing deck's corporate templates, which administrators upload."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from exports.deck_template import EXTENSIONS as TEMPLATE_EXTENSIONS
from exports.deck_template import DeckTemplateInvalid, deck_template_checked
from exports.models import DeckTemplate, ExportJob
from exports.services import deck_template_delete, deck_template_save


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


class DeckTemplateForm(forms.ModelForm):
    class Meta:
        model = DeckTemplate
        fields = ["name", "file", "is_active"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if isinstance(upload, UploadedFile):
            if not upload.name.lower().endswith(TEMPLATE_EXTENSIONS):
                raise forms.ValidationError(_("Upload a .potx or .pptx file."))
            try:
                return deck_template_checked(upload, name=upload.name)
            except DeckTemplateInvalid as error:
                raise forms.ValidationError(str(error)) from None
        return upload


@admin.register(DeckTemplate)
class DeckTemplateAdmin(admin.ModelAdmin):
    """Upload the corporate template of the briefing deck (its layouts and theme are used);
    without an active one, the default template that ships with the product is used."""

    form = DeckTemplateForm
    list_display = ["name", "is_active", "is_checked", "uploaded_by", "uploaded_at"]
    readonly_fields = ["is_checked", "uploaded_by", "uploaded_at"]

    def save_model(self, request, obj, form, change) -> None:
        deck_template_save(template=obj, by=request.user)

    def delete_model(self, request, obj) -> None:
        deck_template_delete(template=obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for template in queryset:
            deck_template_delete(template=template, by=request.user)
