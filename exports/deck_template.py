"""The PowerPoint template of the briefing deck: the administrator's active one, else the
default that ships with the product (python-pptx's own default template, 4:3, Office theme).

A corporate template may be a ``.potx`` (a template) or a ``.pptx`` (a presentation, whose
slides are dropped: only its masters, layouts and theme are kept). python-pptx opens only
presentations, so a ``.potx`` is read with its main part's content type changed to that of a
presentation; nothing else in the file changes.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO

from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import SlideLayout

from exports.models import DeckTemplate

TEMPLATE_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_MAIN = (
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)
EXTENSIONS = (".potx", ".pptx")
# An uploaded template is unzipped in memory: refuse archives that would grow too large.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024


class DeckTemplateInvalid(ValueError):
    """The file is not a PowerPoint template python-pptx can use; the message says why."""


def _as_presentation(data: bytes) -> io.BytesIO:
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DeckTemplateInvalid(_("This is not a PowerPoint file (.potx or .pptx).")) from None
    if sum(item.file_size for item in source.infolist()) > MAX_UNZIPPED_BYTES:
        raise DeckTemplateInvalid(_("This template is too large once unpacked."))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(TEMPLATE_MAIN, PRESENTATION_MAIN)
            target.writestr(item, content)
    out.seek(0)
    return out


def presentation_from_template(data: bytes | None) -> PresentationObject:
    """A presentation with the template's masters, layouts and theme and no slides."""
    if data is None:
        return Presentation()
    try:
        presentation = Presentation(_as_presentation(data))
    except DeckTemplateInvalid:
        raise
    except Exception:  # python-pptx raises many kinds on a broken package
        raise DeckTemplateInvalid(_("This PowerPoint file cannot be read as a template.")) from None
    slide_ids = presentation.slides._sldIdLst
    for slide_id in list(slide_ids):
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    return presentation


def deck_template_check(upload: IO[bytes]) -> None:
    """Raise ``DeckTemplateInvalid`` unless the upload is a usable template."""
    data = upload.read()
    upload.seek(0)
    presentation = presentation_from_template(data)
    if not len(presentation.slide_layouts):
        raise DeckTemplateInvalid(_("This template has no slide layouts."))


def active_template_bytes() -> bytes | None:
    """The active template's file, read through the storage; None: the default template."""
    template = DeckTemplate.objects.filter(is_active=True).only("file").first()
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
