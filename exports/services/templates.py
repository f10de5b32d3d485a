"""The briefing deck's corporate template: check an upload, save it, make it the active one."""

from __future__ import annotations

from django.db import transaction

from exports.deck_template import CheckedDeckTemplate, deck_template_checked
from exports.models import DeckTemplate
from exports.services.common import logger
from missions.roles import User


@transaction.atomic
def deck_template_save(*, template: DeckTemplate, by: User | None) -> DeckTemplate:
    """Save an uploaded (or edited) template; an active one replaces the active one.

    The file goes through the exports storage (``DeckTemplate.file``); raises
    ``exports.deck_template.DeckTemplateInvalid`` when it is refused. A new upload is stored
    as the template rebuilt from its checked parts, never as uploaded.
    """
    if template.file and not getattr(template.file, "_committed", True):
        if not isinstance(template.file.file, CheckedDeckTemplate):
            template.file = deck_template_checked(template.file, name=template.file.name or "")
        template.is_checked = True
    if template.is_active:
        DeckTemplate.objects.filter(is_active=True).exclude(pk=template.pk).update(is_active=False)
    if template.pk is None and by is not None and by.is_authenticated:
        template.uploaded_by = by
    template.save()
    logger.info("deck template #%s saved by %s (active: %s)", template.pk, by, template.is_active)
    return template


def deck_template_delete(*, template: DeckTemplate, by: User | None) -> None:
    """Delete the template and its file in the storage (the default then applies if it was
    the active one)."""
    name = template.file.name
    storage = template.file.storage
    template.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    logger.info("deck template %r deleted by %s", name, by)
