"""Export jobs: every export made (scorecard, briefing pack, data workbook or CSV archive).

An ``ExportJob`` row is both the unit of background work (status, progress, the file it
produced) and the export log that administrators read: who asked for what, when, and how
big the file was. The row stays after its file has been cleaned away (status ``expired``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    SCORECARD = "scorecard", _("Scorecard (PDF)")
    BRIEFING_PACK = "briefing_pack", _("Briefing pack (PDF)")
    DATA_XLSX = "data_xlsx", _("Data workbook (XLSX)")
    DATA_CSV = "data_csv", _("Data tables (CSV, zipped)")
    BRIEFING_DECK = "briefing_deck", _("Briefing deck (PowerPoint)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired (file deleted)")


class ExportSource(models.TextChoices):
    WEB = "web", _("Web")
    COMMAND = "command", _("Management command")


class ExportJob(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ExportKind.choices)
    # Ids only (mission_ids, period_id, …): the job re-reads everything when it runs.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    description = models.CharField(_("what"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("reason of failure"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    source = models.CharField(
        _("source"), max_length=10, choices=ExportSource.choices, default=ExportSource.WEB
    )
    # Name in the exports storage (exports.storage); the file is never given a URL.
    file_path = models.CharField(_("file"), max_length=300, blank=True)
    filename = models.CharField(_("download name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="export_jobs",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("file kept until"), null=True, blank=True, db_index=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports (log)")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="export_progress_0_to_100"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} — {self.description}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED)

    # For templates, which do not compare statuses written as strings.
    @property
    def is_running(self) -> bool:
        return self.status == ExportStatus.RUNNING

    @property
    def is_done(self) -> bool:
        return self.status == ExportStatus.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == ExportStatus.FAILED

    @property
    def is_expired(self) -> bool:
        return self.status == ExportStatus.EXPIRED


def _deck_template_storage():
    from exports.storage import exports_storage

    return exports_storage()


class DeckTemplate(models.Model):
    """A corporate PowerPoint template (.potx or .pptx) for the briefing deck.

    The file goes through Django's storage API (the exports storage, under
    ``deck-templates/``, which the clean-up of expired exports never touches). Saving an active
    template deactivates the others (``exports.services.deck_template_save``; the newest active
    one wins should two ever be); without one, the deck uses python-pptx's default template
    (``exports.deck_template``).
    """

    name = models.CharField(_("name"), max_length=100)
    file = models.FileField(
        _("template file (.potx or .pptx)"),
        upload_to="deck-templates/",
        storage=_deck_template_storage,
        max_length=300,
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("The briefing deck uses the active template.")
    )
    # Set when the stored file is the one rebuilt from a checked upload (``imp_assess.ooxml``);
    # a deck never opens a template without it (those stored before uploads were checked).
    is_checked = models.BooleanField(_("checked"), default=False, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("briefing deck template")
        verbose_name_plural = _("briefing deck templates")

    def __str__(self) -> str:
        return self.name
