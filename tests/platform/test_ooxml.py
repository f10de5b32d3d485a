"""The hardened reader of uploaded Office files (``imp_assess.ooxml``), shared by the deck
template upload and uploaded workbooks: limits on real bytes, memory, kinds."""

import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.utils import translation

from imp_assess.ooxml import OoxmlRefused, ooxml_check, ooxml_write

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _english():
    """The messages are compared in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield


def _workbook(*, add=None) -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "step"
    workbook.save(buffer)
    if not add:
        return buffer.getvalue()
    parts = ooxml_check(buffer.getvalue(), max_bytes=MB, max_xml_bytes=MB, kind="xlsx")
    return ooxml_write({**parts, **add})


def test_a_workbook_is_read_into_its_checked_parts_and_the_file_is_rewound():
    upload = io.BytesIO(_workbook())
    parts = ooxml_check(upload, max_bytes=MB, max_xml_bytes=MB, kind="xlsx")
    assert "xl/workbook.xml" in parts and upload.tell() == 0
    assert openpyxl.load_workbook(io.BytesIO(ooxml_write(parts))).active["A1"].value == "step"


def test_a_workbook_is_not_a_presentation():
    with pytest.raises(OoxmlRefused, match=r"not a valid PowerPoint \(\.pptx, \.potx\) file"):
        ooxml_check(_workbook(), max_bytes=MB, max_xml_bytes=MB, kind="pptx")


def test_the_memory_used_by_a_bomb_stays_near_the_limit():
    """200 MB of zeros in a file under 1 MB: the reader stops at the 8 MB limit and never
    holds much more than that in memory, whatever the archive holds."""
    bomb = _workbook(add={"xl/media/zeros.bin": b"\0" * (200 * MB)})
    assert len(bomb) < MB
    tracemalloc.start()
    try:
        with pytest.raises(OoxmlRefused, match="too large once unpacked"):
            ooxml_check(bomb, max_bytes=8 * MB, max_xml_bytes=MB, kind="xlsx")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 24 * MB


@pytest.mark.parametrize(
    "name", ["xl/vbaProject.bin", "xl/activeX/activeX1.bin", "xl/embeddings/oleObject1.bin"]
)
def test_macro_activex_and_embedded_object_parts_are_refused_in_workbooks(name):
    data = _workbook(add={name: b"\xd0\xcf\x11\xe0"})
    if "oleObject" in name:  # an OLE object is known by its relationship
        rels = "xl/worksheets/_rels/sheet1.xml.rels"
        data = _workbook(
            add={
                name: b"\xd0\xcf\x11\xe0",
                rels: b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                b'relationships"><Relationship Id="rId1" Target="../embeddings/oleObject1.bin" '
                b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                b'oleObject"/></Relationships>',
            }
        )
    with pytest.raises(OoxmlRefused, match="macros, ActiveX controls or embedded objects"):
        ooxml_check(data, max_bytes=MB, max_xml_bytes=MB, kind="xlsx")


@pytest.mark.parametrize("name", ["../evil.xml", "/abs.xml", "xl\\back.xml"])
def test_unsafe_part_names_are_refused(name):
    buffer = io.BytesIO(_workbook())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(name, b"<x/>")
    with pytest.raises(OoxmlRefused, match="unsafe name"):
        ooxml_check(buffer.getvalue(), max_bytes=MB, max_xml_bytes=MB, kind="xlsx")


def test_a_damaged_archive_is_refused_not_raised():
    data = bytearray(_workbook())
    data[60:200] = b"\xff" * 140  # inside the first part's compressed data
    with pytest.raises(OoxmlRefused):
        ooxml_check(bytes(data), max_bytes=MB, max_xml_bytes=MB, kind="xlsx")
