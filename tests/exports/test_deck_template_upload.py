"""Attacks on the deck template upload, replayed through the administration's upload form:
archive bombs whose declared sizes lie, XML bombs, macro-enabled files renamed .pptx, ActiveX
parts and external links are refused; what is stored is the checked rebuild, and a deck never
opens anything else."""

import io
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pptx import Presentation

from exports.deck import briefing_deck_write
from exports.models import DeckTemplate

pytestmark = pytest.mark.django_db

MACRO_MAIN = b"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"
PRESENTATION_MAIN = (
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)
MASTER_RELS = "ppt/slideMasters/_rels/slideMaster1.xml.rels"


def _template(*, add=None, change=None, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """python-pptx's default template with a slide, plus ``add`` parts and ``change``d ones."""
    presentation = Presentation()
    presentation.slides.add_slide(presentation.slide_layouts[0])
    buffer = io.BytesIO()
    presentation.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if change and item.filename in change:
                content = change[item.filename](content)
            target.writestr(item.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def _upload(client, data: bytes, name: str = "house.pptx"):
    return client.post(
        reverse("admin:exports_decktemplate_add"),
        {"name": "House style", "file": SimpleUploadedFile(name, data), "is_active": "on"},
    )


def _refused(response) -> str:
    assert response.status_code == 200
    assert not DeckTemplate.objects.exists()
    errors = re.findall(r'class="errorlist[^"]*"[^>]*>\s*<li>([^<]+)', response.content.decode())
    assert errors, response.content.decode()[:3000]
    return errors[0]


def _add_relationship(xml: str):
    return lambda content: content.replace(b"</Relationships>", xml.encode() + b"</Relationships>")


@pytest.fixture
def admin_client(client, known_data):
    client.force_login(known_data.personas.admin)
    return client


def test_an_archive_bomb_is_refused_by_the_bytes_really_unpacked(admin_client):
    bomb = _template(add={"ppt/media/padding.bin": b"\0" * (80 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    assert "too large once unpacked" in _refused(_upload(admin_client, bomb))


def test_an_archive_whose_declared_sizes_lie_is_refused(admin_client):
    """The central directory says 10 bytes for a part that unpacks to 80 MB: reading stops at
    the declared size and the checksum then fails, so the file is refused as damaged."""
    bomb = bytearray(_template(add={"ppt/media/padding.bin": b"\0" * (80 * 1024 * 1024)}))
    with zipfile.ZipFile(io.BytesIO(bytes(bomb))) as archive:
        local = archive.getinfo("ppt/media/padding.bin").header_offset
    central = bomb.rfind(b"PK\x01\x02", 0, bomb.rfind(b"ppt/media/padding.bin"))
    bomb[central + 24 : central + 28] = (10).to_bytes(4, "little")  # uncompressed size
    bomb[local + 22 : local + 26] = (10).to_bytes(4, "little")
    message = _refused(_upload(admin_client, bytes(bomb)))
    assert "is not a valid PowerPoint" in message


def test_too_much_xml_in_a_small_file_is_refused(admin_client):
    padding = b"<a>" + b" " * (20 * 1024 * 1024) + b"</a>"
    bomb = _template(add={"ppt/padding.xml": padding})
    assert len(bomb) < 1024 * 1024
    assert "too much XML" in _refused(_upload(admin_client, bomb))


def test_an_xml_entity_bomb_is_refused(admin_client):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>'
    )
    data = _template(change={"ppt/presProps.xml": lambda _content: laughs.encode()})
    assert "document type declaration" in _refused(_upload(admin_client, data))


def test_a_macro_enabled_file_renamed_pptx_is_refused(admin_client):
    macro = _template(
        add={"ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0VBA"},
        change={
            "[Content_Types].xml": lambda content: content.replace(
                PRESENTATION_MAIN, MACRO_MAIN
            ).replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                b"</Types>",
            ),
            "ppt/_rels/presentation.xml.rels": _add_relationship(
                '<Relationship Id="rId99" Target="vbaProject.bin" Type="http://schemas.'
                'microsoft.com/office/2006/relationships/vbaProject"/>'
            ),
        },
    )
    assert "macros" in _refused(_upload(admin_client, macro))


def test_a_vba_project_part_alone_is_refused(admin_client):
    """Even with the ordinary content types, the part itself is refused."""
    macro = _template(add={"ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0VBA"})
    assert "macros" in _refused(_upload(admin_client, macro))


def test_activex_parts_are_refused(admin_client):
    activex = _template(add={"ppt/activeX/activeX1.xml": b"<ax/>"})
    assert "ActiveX" in _refused(_upload(admin_client, activex))


@pytest.mark.parametrize(
    "relationship",
    [
        '<Relationship Id="rId99" TargetMode="External" Target="file:///etc/passwd" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>',
        '<Relationship Id="rId99" Target="https://example.org/beacon.png" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>',
        '<Relationship Id="rId99" Target="\\\\server\\share\\x.png" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>',
    ],
    ids=["file-external", "https", "unc-path"],
)
def test_external_relationships_are_refused(admin_client, relationship):
    data = _template(change={MASTER_RELS: _add_relationship(relationship)})
    assert "external links" in _refused(_upload(admin_client, data))


def test_a_file_that_is_not_a_presentation_is_refused(admin_client):
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
    assert "is not a valid PowerPoint" in _refused(_upload(admin_client, workbook.getvalue()))


def test_the_stored_template_is_the_checked_rebuild_without_slides(admin_client):
    upload = _template(add={"docProps/custom-unreferenced.xml": b"<x/>"})
    response = _upload(admin_client, upload, name="house.potx")
    assert response.status_code == 302
    template = DeckTemplate.objects.get()
    assert template.is_checked and template.file.name.endswith(".pptx")
    with template.file.open("rb") as handle:
        stored = handle.read()
    assert stored != upload
    names = zipfile.ZipFile(io.BytesIO(stored)).namelist()
    assert "docProps/custom-unreferenced.xml" not in names  # only what the deck reaches
    assert not [name for name in names if name.startswith("ppt/slides/")]


def test_a_deck_never_opens_a_template_stored_unchecked(known_data, tmp_path):
    """A template stored before uploads were checked (``is_checked`` false) is ignored: the
    deck uses the default template."""
    presentation = Presentation()
    for layout in presentation.slide_layouts:
        layout.name = f"Unchecked {layout.name}"
    buffer = io.BytesIO()
    presentation.save(buffer)
    DeckTemplate.objects.create(
        name="Old", file=ContentFile(buffer.getvalue(), name="old.pptx"), is_active=True
    )
    personas = known_data.personas
    path = tmp_path / "deck.pptx"
    briefing_deck_write(
        path=path,
        user=personas.analyst,
        mission_ids=[personas.mission_a.pk],
        period_id=known_data.current_period.pk,
    )
    layouts = {slide.slide_layout.name for slide in Presentation(str(path)).slides}
    assert layouts == {"Title Slide", "Title Only"}
