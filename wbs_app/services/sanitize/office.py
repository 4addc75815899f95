"""Word (.docx) and Excel (.xlsx): read as OOXML packages part by part, rewritten without who made them.

Refused: a package that is not a valid zip or not the document its extension says, macros
(vbaProject.bin, macro-enabled content types), ActiveX and OLE objects (which can carry programs),
relationships that make Office fetch something from outside (a remote template, an external picture,
a linked object; plain hyperlinks stay), executables inside, malformed XML, and zip bombs.
Removed: docProps/core.xml, app.xml and custom.xml (author, last editor, company, dates, template path),
the names and initials of comment authors and tracked-change authors, the people list of modern comments,
and the folder path Excel records of where the workbook was saved. Entry timestamps are reset.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree
from openpyxl.xml.constants import REL_NS, SHEET_MAIN_NS

from wbs_app.i18n import _
from wbs_app.services import evidence
from wbs_app.services.sanitize import common
from wbs_app.services.sanitize.common import CleanReport, refuse

MAX_UNPACKED = 200 * 1024 * 1024  # more than this inside a 20 MB upload is a zip bomb
MAX_ENTRIES = 10_000
_PROPERTY_PARTS = ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml")
_PEOPLE_PARTS = re.compile(r"^(word/people\.xml|xl/persons/[^/]+\.xml)$")
_ACTIVE_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX/|embeddings/oleObject[^/]*\.bin$)", re.I)
# XML namespace names (identifiers in the files, never fetched), from openpyxl rather than written out here.
_HYPERLINK = f"{REL_NS}/hyperlink"
_SHEET = SHEET_MAIN_NS
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_PEOPLE_ATTRIBUTES = {"author", "displayName", "userId", "providerId"}
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def clean_office(data: bytes, kind: str, name: str) -> tuple[bytes, CleanReport]:
    label = kind.upper()
    not_valid = _("isi berkas bukan {label} yang sah (berkas rusak atau diganti namanya).").format(label=label)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = _checked_entries(package, kind, name, not_valid)
            parts = {info.filename: package.read(info) for info in entries}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError) as failure:
        raise refuse(name, not_valid) from failure
    report = CleanReport()
    for part_name, content in parts.items():
        if part_name.endswith((".xml", ".rels", ".vml")):
            _parse(content, name, not_valid)  # every XML part must be well-formed
        elif common.looks_executable(content[:4]):
            raise refuse(name, _("dokumen memuat program tersembunyi (berbahaya)."))
    _refuse_active(parts, name)
    _strip_properties(parts, report)
    _strip_people(parts, name, not_valid, report)
    return _repack(entries, parts), report


def _checked_entries(package: zipfile.ZipFile, kind: str, name: str, not_valid: str) -> list[zipfile.ZipInfo]:
    entries = package.infolist()
    names = [info.filename for info in entries]
    marker = evidence.OFFICE_MARKERS[kind]
    if marker not in names or "[Content_Types].xml" not in names or len(set(names)) != len(names):
        raise refuse(name, not_valid)
    if len(entries) > MAX_ENTRIES or sum(info.file_size for info in entries) > MAX_UNPACKED:
        raise refuse(name, _("isi dokumen terlalu besar setelah dibuka (kemungkinan bom zip)."))
    for info in entries:
        if info.flag_bits & 0x1:
            raise refuse(name, _("dokumen dilindungi kata sandi; kirim tanpa kata sandi."))
        if info.filename.startswith(("/", "\\")) or ".." in info.filename.split("/"):
            raise refuse(name, not_valid)
        extension = info.filename.rsplit(".", 1)[-1].lower() if "." in info.filename else ""
        if extension in common.EXECUTABLE_EXTENSIONS and extension != "bin":
            raise refuse(name, _("dokumen memuat program tersembunyi (berbahaya)."))
    return entries


def _parse(data: bytes, name: str, not_valid: str) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as failure:
        raise refuse(name, not_valid) from failure


def _refuse_active(parts: dict[str, bytes], name: str) -> None:
    for part_name in parts:
        if _ACTIVE_PARTS.search(part_name):
            raise refuse(
                name,
                _(
                    "dokumen memuat makro atau objek aktif (berbahaya); simpan ulang sebagai .docx/.xlsx biasa atau PDF."
                ),
            )
    types = parts["[Content_Types].xml"].decode("utf-8", "replace").lower()
    if "macroenabled" in types or "vbaproject" in types or "activex" in types:
        raise refuse(name, _("dokumen memuat makro (berbahaya); simpan ulang sebagai .docx/.xlsx biasa atau PDF."))
    for part_name, data in parts.items():
        if not part_name.endswith(".rels"):
            continue
        for relation in etree.fromstring(data, _PARSER):
            if relation.get("TargetMode") == "External" and relation.get("Type") != _HYPERLINK:
                raise refuse(
                    name,
                    _(
                        "dokumen mengambil isi dari luar (templat, gambar atau objek tertaut); "
                        "simpan ulang tanpa tautan tersebut atau sebagai PDF."
                    ),
                )


def _strip_properties(parts: dict[str, bytes], report: CleanReport) -> None:
    present = [part for part in _PROPERTY_PARTS if part in parts]
    if not present:
        return
    for part in present:
        text = parts.pop(part)
        if b"creator" in text or b"lastModifiedBy" in text or b"Manager" in text:
            report.add(common.AUTHOR)
        if b"Application" in text or b"Company" in text or b"Template" in text:
            report.add(common.SOFTWARE)
        if b"created" in text or b"modified" in text:
            report.add(common.DATES)
    report.add(common.DOCUMENT_INFO)
    _drop_references(parts, set(present))


def _drop_references(parts: dict[str, bytes], removed: set[str]) -> None:
    """Forget removed parts in the content types and relationships, or Office reports a damaged file."""
    types = etree.fromstring(parts["[Content_Types].xml"], _PARSER)
    for override in list(types):
        if override.get("PartName", "").lstrip("/") in removed:
            types.remove(override)
    parts["[Content_Types].xml"] = _serialize(types)
    for rels_name in [part for part in parts if part.endswith(".rels")]:
        folder = rels_name.rsplit("_rels/", 1)[0]
        relations = etree.fromstring(parts[rels_name], _PARSER)
        changed = False
        for relation in list(relations):
            target = relation.get("Target", "")
            resolved = target.lstrip("/") if target.startswith("/") else _join(folder, target)
            if resolved in removed:
                relations.remove(relation)
                changed = True
        if changed:
            parts[rels_name] = _serialize(relations)


def _join(folder: str, target: str) -> str:
    pieces: list[str] = []
    for piece in (folder + target).split("/"):
        if piece == "..":
            if pieces:
                pieces.pop()
        elif piece and piece != ".":
            pieces.append(piece)
    return "/".join(pieces)


def _strip_people(parts: dict[str, bytes], name: str, not_valid: str, report: CleanReport) -> None:
    """Comment and tracked-change authors (Word), comment authors (Excel), the people parts of modern
    comments, and Excel's record of the folder the file was saved in."""
    for part_name, data in list(parts.items()):
        if not part_name.endswith(".xml") or not part_name.startswith(("word/", "xl/")):
            continue
        if b"author" not in data and b"absPath" not in data and b"displayName" not in data:
            continue
        root = _parse(data, name, not_valid)
        people = bool(_PEOPLE_PARTS.match(part_name))
        authors_removed = path_removed = False
        for element in list(root.iter()):
            if not isinstance(element.tag, str):
                continue
            for attribute, value in element.attrib.items():
                local = etree.QName(attribute).localname
                if value and (local in ("author", "initials") or people and local in _PEOPLE_ATTRIBUTES):
                    element.set(attribute, "")
                    authors_removed = True
            if element.tag == f"{{{_SHEET}}}author" and element.text:
                element.text = ""
                authors_removed = True
            # x15ac:absPath (the folder the workbook was saved in), matched by its local name like presenceInfo.
            elif element.tag.endswith("}absPath") or people and element.tag.endswith("}presenceInfo"):
                element.getparent().remove(element)
                path_removed |= element.tag.endswith("}absPath")
                authors_removed |= element.tag.endswith("}presenceInfo")
        if authors_removed:
            report.add(common.COMMENT_AUTHORS)
        if path_removed:
            report.add(common.FILE_PATH)
        if authors_removed or path_removed:
            parts[part_name] = _serialize(root)


def _serialize(root: etree._Element) -> bytes:
    """The part written back with the same declaration Office itself writes."""
    return _DECLARATION + etree.tostring(root, encoding="utf-8", xml_declaration=False)


def _repack(entries: list[zipfile.ZipInfo], parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for info in entries:
            if info.filename in parts:
                fresh = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
                fresh.compress_type = zipfile.ZIP_DEFLATED
                package.writestr(fresh, parts[info.filename])
    return buffer.getvalue()
