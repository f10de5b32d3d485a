"""The PowerPoint template of the briefing deck: the administrator's active one, else the
default that ships with the product (python-pptx's own default template, 4:3, Office theme).

A corporate template may be a ``.potx`` (a template) or a ``.pptx`` (a presentation, whose
slides are dropped: only its masters, layouts and theme are kept). python-pptx opens only
presentations, so a ``.potx`` is read with its main part's content type changed to that of a
presentation. An upload is checked once, by the hardened reader (``imp_assess.ooxml``), and
rebuilt from its checked parts; decks open only that rebuilt file, never the upload.
"""

from __future__ import annotations

import io
from typing import IO

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import SlideLayout

from exports.models import DeckTemplate
from imp_assess.ooxml import OoxmlRefused, ooxml_check, ooxml_write

TEMPLATE_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_MAIN = (
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)
EXTENSIONS = (".potx", ".pptx")
# Limits on what an uploaded template really unpacks to (counted while reading).
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024
MAX_XML_BYTES = 16 * 1024 * 1024


class DeckTemplateInvalid(ValueError):
    """The file is not a PowerPoint template python-pptx can use; the message says why."""


class CheckedDeckTemplate(ContentFile):
    """A template rebuilt from a checked upload: what is stored, and all a deck ever opens."""


def deck_template_checked(upload: IO[bytes], *, name: str) -> CheckedDeckTemplate:
    """The upload, checked by the hardened reader and rebuilt as a presentation with the
    template's masters, layouts and theme and no slides; raises ``DeckTemplateInvalid``.

    Only the checked parts are opened (a ``.potx`` main part is relabelled as a presentation),
    and python-pptx writes back only the parts the presentation reaches, so the stored file
    holds nothing of the upload that was not checked.
    """
    try:
        parts = ooxml_check(
            upload, max_bytes=MAX_UNZIPPED_BYTES, max_xml_bytes=MAX_XML_BYTES, kind="pptx"
        )
    except OoxmlRefused as refused:
        raise DeckTemplateInvalid(str(refused)) from None
    content_types = parts["[Content_Types].xml"]
    parts["[Content_Types].xml"] = content_types.replace(TEMPLATE_MAIN, PRESENTATION_MAIN)
    try:
        presentation = Presentation(io.BytesIO(ooxml_write(parts)))
    except Exception:  # python-pptx raises many kinds on a broken package
        raise DeckTemplateInvalid(_("This PowerPoint file cannot be read as a template.")) from None
    slide_ids = presentation.slides._sldIdLst
    for slide_id in list(slide_ids):
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    if not len(presentation.slide_layouts):
        raise DeckTemplateInvalid(_("This template has no slide layouts."))
    out = io.BytesIO()
    presentation.save(out)
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "template"
    return CheckedDeckTemplate(out.getvalue(), name=f"{stem}.pptx")


def presentation_from_template(data: bytes | None) -> PresentationObject:
    """A presentation of the checked template (``deck_template_checked``), else the default."""
    return Presentation(io.BytesIO(data) if data is not None else None)


def active_template_bytes() -> bytes | None:
    """The active checked template's file, read through the storage; None: the default
    template. A template stored before uploads were checked is never opened."""
    template = DeckTemplate.objects.filter(is_active=True, is_checked=True).only("file").first()
    if template is None:
        return None
    with template.file.open("rb") as handle:
        return handle.read()


def _types(layout: SlideLayout) -> set:
    return {shape.placeholder_format.type for shape in layout.shapes if shape.is_placeholder}


def title_layout(presentation: PresentationObject) -> SlideLayout:
    """The template's title-slide layout (a centred title), else its first layout."""
    for layout in presentation.slide_layouts:
        if PP_PLACEHOLDER.CENTER_TITLE in _types(layout):
            return layout
    return presentation.slide_layouts[0]


def content_layout(presentation: PresentationObject) -> SlideLayout:
    """A layout with a title and no body ("Title Only"): the deck places its own charts.
    Else any layout with a title, else the last layout."""
    bodies = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.PICTURE}
    titled = [
        layout for layout in presentation.slide_layouts if PP_PLACEHOLDER.TITLE in _types(layout)
    ]
    for layout in titled:
        if not _types(layout) & bodies:
            return layout
    return titled[0] if titled else presentation.slide_layouts[len(presentation.slide_layouts) - 1]
