"""Administrators author questionnaire drafts here. Published versions are read-only."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from questionnaires.forms import DimensionTagAdminForm, GlossaryTermAdminForm, IndicatorAdminForm
from questionnaires.models import (
    Dimension,
    DimensionTag,
    GlossaryTerm,
    Indicator,
    Questionnaire,
)
from questionnaires.services import (
    QuestionnaireLocked,
    questionnaire_clone,
    questionnaire_publish,
    questionnaire_retire,
)
from questionnaires.spec import SpecInvalid


def _editable(questionnaire: Questionnaire | None) -> bool:
    return questionnaire is None or questionnaire.is_editable


class _VersionInline:
    """An inline of a questionnaire version: editable only while the version is a draft."""

    def has_add_permission(self, request, obj=None):
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)


class DimensionInline(_VersionInline, admin.TabularInline):
    model = Dimension
    fields = ["order", "code", "title", "default_target_step", "weight"]
    extra = 0
    show_change_link = True


class GlossaryTermInline(_VersionInline, admin.StackedInline):
    model = GlossaryTerm
    form = GlossaryTermAdminForm
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "title", "status", "published_at"]
    list_filter = ["code", "status"]
    readonly_fields = ["status", "published_at", "compare_with_previous"]
    inlines = [DimensionInline, GlossaryTermInline]
    actions = ["publish", "clone_as_new_draft", "retire"]

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)

    @admin.display(description=_("Changes"))
    def compare_with_previous(self, obj: Questionnaire) -> str:
        previous = (
            Questionnaire.objects.filter(code=obj.code, version__lt=obj.version)
            .order_by("-version")
            .first()
        )
        if previous is None:
            return "—"
        url = reverse("questionnaire_compare") + f"?old={previous.pk}&new={obj.pk}"
        return format_html('<a href="{}">{} v{}</a>', url, _("Compare with"), previous.version)

    def _run(self, request, queryset, service, done: str) -> None:
        for questionnaire in queryset:
            try:
                result = service(questionnaire=questionnaire)
            except QuestionnaireLocked as exc:
                self.message_user(request, str(exc), messages.ERROR)
            except SpecInvalid as exc:
                self.message_user(
                    request,
                    f"{questionnaire}: " + "; ".join(exc.problems),
                    messages.ERROR,
                )
            else:
                self.message_user(request, f"{result}: {done}", messages.SUCCESS)

    @admin.action(description=_("Publish selected drafts"))
    def publish(self, request, queryset):
        self._run(request, queryset, questionnaire_publish, "published")

    @admin.action(description=_("Clone into a new draft version"))
    def clone_as_new_draft(self, request, queryset):
        self._run(request, queryset, questionnaire_clone, "new draft created")

    @admin.action(description=_("Retire selected published versions"))
    def retire(self, request, queryset):
        self._run(request, queryset, questionnaire_retire, "retired")


class _DraftContentAdmin:
    """Permissions for content that belongs to a questionnaire version."""

    @staticmethod
    def _questionnaire(obj) -> Questionnaire | None:
        return None if obj is None else obj.questionnaire

    def has_change_permission(self, request, obj=None):
        return _editable(self._questionnaire(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(self._questionnaire(obj)) and super().has_delete_permission(request, obj)


class IndicatorInline(admin.StackedInline):
    model: type[models.Model] = Indicator
    form: type[forms.ModelForm] = IndicatorAdminForm
    extra = 0

    def has_add_permission(self, request, obj=None):
        return _editable(obj and obj.questionnaire) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _editable(obj and obj.questionnaire) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj and obj.questionnaire) and super().has_delete_permission(request, obj)


class DimensionTagInline(IndicatorInline):
    model = DimensionTag
    form = DimensionTagAdminForm


@admin.register(Dimension)
class DimensionAdmin(_DraftContentAdmin, admin.ModelAdmin):
    list_display = ["code", "title", "questionnaire", "default_target_step", "weight"]
    list_filter = ["questionnaire"]
    inlines = [IndicatorInline, DimensionTagInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "questionnaire":
            kwargs["queryset"] = Questionnaire.objects.filter(status="draft")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        # An indicator belongs to its dimension's questionnaire version.
        for instance in formset.save(commit=False):
            if isinstance(instance, Indicator):
                instance.questionnaire = form.instance.questionnaire
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(Indicator)
class IndicatorAdmin(_DraftContentAdmin, admin.ModelAdmin):
    list_display = ["code", "dimension", "coherence_level", "weight", "questionnaire"]
    list_filter = ["questionnaire", "coherence_level", "dimension__code"]
    search_fields = ["code", "statement"]
    form = IndicatorAdminForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "dimension":
            kwargs["queryset"] = Dimension.objects.filter(questionnaire__status="draft")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.questionnaire = obj.dimension.questionnaire
        super().save_model(request, obj, form, change)
