"""The hardened reader of uploaded Office Open XML files (.pptx/.potx, .xlsx).

An uploaded Office file is a zip archive written by someone we do not trust. ``ooxml_check``
reads it once, in memory, and refuses it (``OoxmlRefused``, with a message for the uploader)
unless all of this holds:

- it is a zip whose parts have plain names (no absolute paths, ``..`` or duplicates) and whose
  number stays under a limit;
- the bytes really decompressed stay under ``max_bytes``, and those of its XML parts under
  ``max_xml_bytes``. The sizes the archive declares are never trusted: bytes are counted while
  reading, and reading stops at the limit (a 1 MB file that unpacks to 1 GiB costs at most the
  limit);
- no XML part has a document type declaration (OOXML never needs one; it is what entity
  expansion attacks use);
- its main part is of the expected kind, and no part or content type is a macro (VBA project,
  macro-enabled main part), an ActiveX control or an embedded OLE object;
- no relationship points outside the package (``TargetMode="External"``, or a target with a
  scheme such as ``file:``, ``http:``, ``https:``, or a network path).

It returns the parts it read (name → bytes, in archive order), so that the caller builds what
it keeps from checked bytes only and never opens the original again. This module is a project
helper: it imports no domain app (``.importlinter``).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _
from lxml import etree

CHUNK = 64 * 1024
MAX_PARTS = 2000

# Any of these in a content type, a part name or a relationship type refuses the file.
_REFUSED_CONTENT_TYPES = ("macroenabled", "vbaproject", "vbadata", "activex", "oleobject")
_REFUSED_PART_NAMES = re.compile(r"(^|/)(vba[^/]*\.bin|vbadata\.xml)$|/activex/")
_REFUSED_RELATIONSHIPS = re.compile(
    r"/(vbaProject|vbaData|wordVbaData|control|activeXControlBinary|oleObject)$",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_CT_NAMESPACE = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_NAMESPACE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# No network, no DTD, no entities: a part that needs any of them is refused anyway.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass(frozen=True)
class OoxmlKind:
    label: str  # the format as the uploader knows it, in messages
    main_content_types: tuple[str, ...]


_OPENXML = "application/vnd.openxmlformats-officedocument."
KINDS = {
    "pptx": OoxmlKind(
        label="PowerPoint (.pptx, .potx)",
        main_content_types=(
            _OPENXML + "presentationml.presentation.main+xml",
            _OPENXML + "presentationml.template.main+xml",
        ),
    ),
    "xlsx": OoxmlKind(
        label="Excel (.xlsx)",
        main_content_types=(_OPENXML + "spreadsheetml.sheet.main+xml",),
    ),
}


class OoxmlRefused(ValueError):
    """The upload is not a safe Office file of the expected kind; the message says why."""


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels")) or name == "[Content_Types].xml"


def _read_parts(
    archive: zipfile.ZipFile, *, kind: OoxmlKind, max_bytes: int, max_xml_bytes: int
) -> dict[str, bytes]:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise OoxmlRefused(_("This file has too many parts to be a %(format)s file.") % _fmt(kind))
    parts: dict[str, bytes] = {}
    total = xml_total = 0
    for info in infos:
        name = info.filename
        if info.is_dir():
            continue
        if name.startswith(("/", "\\")) or ".." in name.split("/") or "\\" in name:
            raise OoxmlRefused(_("This file has a part with an unsafe name."))
        if name in parts:
            raise OoxmlRefused(_("This file has two parts with the same name."))
        is_xml = _is_xml(name)
        chunks = []
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                total += len(chunk)
                if is_xml:
                    xml_total += len(chunk)
                if total > max_bytes:
                    raise OoxmlRefused(_("This file is too large once unpacked."))
                if xml_total > max_xml_bytes:
                    raise OoxmlRefused(_("This file holds too much XML once unpacked."))
                chunks.append(chunk)
        parts[name] = b"".join(chunks)
    return parts


def _fmt(kind: OoxmlKind) -> dict[str, str]:
    return {"format": kind.label}


def _parse(content: bytes) -> etree._Element:
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise OoxmlRefused(_("This file has an XML part with a document type declaration."))
    try:
        return etree.fromstring(content, parser=_PARSER)  # noqa: S320 (safe parser above)
    except etree.XMLSyntaxError:
        raise OoxmlRefused(_("This file has an XML part that cannot be read.")) from None


def _check_content_types(parts: dict[str, bytes], kind: OoxmlKind) -> None:
    if "[Content_Types].xml" not in parts:
        raise OoxmlRefused(_("This is not a valid %(format)s file.") % _fmt(kind))
    root = _parse(parts["[Content_Types].xml"])
    types = [
        (element.get("PartName") or "", element.get("ContentType") or "")
        for element in root
        if element.tag in (_CT_NAMESPACE + "Override", _CT_NAMESPACE + "Default")
    ]
    for _name, content_type in types:
        if any(word in content_type.lower() for word in _REFUSED_CONTENT_TYPES):
            raise OoxmlRefused(_("This file holds macros, ActiveX controls or embedded objects."))
    if not any(content_type in kind.main_content_types for _name, content_type in types):
        raise OoxmlRefused(_("This is not a valid %(format)s file.") % _fmt(kind))


def _check_relationships(name: str, content: bytes) -> None:
    for relation in _parse(content).iter(_REL_NAMESPACE + "Relationship"):
        target = (relation.get("Target") or "").strip()
        if (
            (relation.get("TargetMode") or "").lower() == "external"
            or _SCHEME.match(target)
            or target.startswith(("//", "\\\\"))
        ):
            raise OoxmlRefused(_("This file links to content outside it (external links)."))
        if _REFUSED_RELATIONSHIPS.search(relation.get("Type") or ""):
            raise OoxmlRefused(_("This file holds macros, ActiveX controls or embedded objects."))


def ooxml_check(
    file: IO[bytes] | bytes, *, max_bytes: int, max_xml_bytes: int, kind: str
) -> dict[str, bytes]:
    """The checked parts of an uploaded Office file of ``kind`` (a key of ``KINDS``).

    Raises ``OoxmlRefused`` with a message for the uploader when the file is not a zip, is
    damaged, exceeds a limit, or holds macros, ActiveX controls, embedded objects or external
    links (module docstring). A file object is read from its start and left at its start.
    """
    office_kind = KINDS[kind]
    if isinstance(file, bytes):
        source: IO[bytes] = io.BytesIO(file)
    else:
        source = file
        source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            parts = _read_parts(
                archive, kind=office_kind, max_bytes=max_bytes, max_xml_bytes=max_xml_bytes
            )
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ):
        # not a zip, a damaged one (bad CRC, truncated), an unsupported method, or encrypted
        raise OoxmlRefused(_("This is not a valid %(format)s file.") % _fmt(office_kind)) from None
    finally:
        if not isinstance(file, bytes):
            file.seek(0)
    for name in parts:
        if _REFUSED_PART_NAMES.search(name.lower()):
            raise OoxmlRefused(_("This file holds macros, ActiveX controls or embedded objects."))
    _check_content_types(parts, office_kind)
    for name, content in parts.items():
        if name.endswith(".rels"):
            _check_relationships(name, content)
        elif _is_xml(name) and (b"<!DOCTYPE" in content or b"<!ENTITY" in content):
            raise OoxmlRefused(_("This file has an XML part with a document type declaration."))
    return parts


def ooxml_write(parts: dict[str, bytes]) -> bytes:
    """A new zip package of ``parts`` (name → bytes), deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()
