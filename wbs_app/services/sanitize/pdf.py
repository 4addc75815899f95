"""PDF: opened in full by pikepdf (qpdf), refused if it carries active content, rewritten without metadata.

Refused: anything that does not parse, a file with no page, a password-locked file, JavaScript, Launch
and other actions that run or fetch something, embedded files (they may be programs and cannot be
checked here), and HTML or data hidden outside the PDF objects (a PDF+HTML or PDF+program polyglot).
Removed: the document info (author, creator, producer, dates), XMP metadata, per-page private data,
the authors of comments, and earlier revisions of the document (the file is written anew).
"""

from __future__ import annotations

import io
import re

import pikepdf
from pikepdf import Name

from wbs_app.i18n import _
from wbs_app.services.sanitize import common
from wbs_app.services.sanitize.common import CleanReport, refuse

# Actions that run code, open programs or files, or send data away.
_HOSTILE_ACTIONS = {"/JavaScript", "/Launch", "/GoToE", "/ImportData", "/SubmitForm", "/Rendition", "/RichMediaExecute"}
_ACTIVE_KEYS = ("/JS", "/JavaScript", "/XFA", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia")
# HTML a browser would act on; never part of PDF syntax outside a stream.
_HTML_MARKERS = re.compile(rb"<\s*(?:html|script|body|iframe|svg|img|object|embed|meta|!doctype)\b", re.IGNORECASE)
_STREAM = re.compile(rb"(?<!end)stream\r?\n.*?endstream", re.DOTALL)
_AUTHOR_INFO = ("/Author",)
_SOFTWARE_INFO = ("/Creator", "/Producer")
_DATE_INFO = ("/CreationDate", "/ModDate")


def clean_pdf(raw: bytes, kind: str, name: str) -> tuple[bytes, CleanReport]:
    _check_raw(raw, name)
    try:
        document = pikepdf.open(io.BytesIO(raw))
    except pikepdf.PasswordError as failure:
        raise refuse(name, _("PDF dikunci dengan kata sandi; kirim PDF tanpa kata sandi.")) from failure
    except (pikepdf.PdfError, ValueError, RuntimeError) as failure:
        raise refuse(name, _("bukan PDF yang sah (berkas rusak atau bukan PDF).")) from failure
    with document:
        try:
            if len(document.pages) == 0:
                raise refuse(name, _("PDF tidak memuat halaman apa pun (berkas rusak atau bukan dokumen)."))
            _refuse_active_content(document, name)
            report = CleanReport()
            _remove_metadata(document, report)
            output = io.BytesIO()
            document.save(output, encryption=False, deterministic_id=True)
        except pikepdf.PdfError as failure:
            raise refuse(name, _("bukan PDF yang sah (berkas rusak).")) from failure
    return output.getvalue(), report


def _check_raw(raw: bytes, name: str) -> None:
    """What a PDF reader ignores but a browser or a shell would not: HTML outside streams, data after the end."""
    end = raw.rfind(b"%%EOF")
    if end < 0:
        raise refuse(name, _("bukan PDF yang sah (akhir dokumen tidak ditemukan)."))
    if raw[end + 5 :].strip(b"\r\n\t \x00"):
        raise refuse(name, _("ada data asing setelah akhir dokumen PDF (kemungkinan berkas gabungan berbahaya)."))
    outside_streams = _STREAM.sub(b"stream endstream", raw)
    if _HTML_MARKERS.search(outside_streams) or _HTML_MARKERS.search(raw[:1024]):
        raise refuse(name, _("PDF memuat kode HTML tersembunyi (berkas gabungan berbahaya)."))
    after_header = raw[raw.find(b"\n") + 1 :][:4]
    if common.looks_executable(after_header) or b"This program cannot be run in DOS mode" in outside_streams:
        raise refuse(name, _("PDF memuat program (berkas gabungan berbahaya)."))


def _dictionaries(document: pikepdf.Pdf):
    """Every dictionary of the document, the direct ones nested in other objects too (an /OpenAction
    written inline in the catalog is not an object of its own)."""
    for obj in document.objects:
        pending = [obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj]
        while pending:
            item = pending.pop()
            if isinstance(item, pikepdf.Dictionary):
                yield item
                children = item.values()
            elif isinstance(item, pikepdf.Array):
                children = list(item)
            else:
                continue
            pending.extend(
                child
                for child in children
                if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect
            )


def _refuse_active_content(document: pikepdf.Pdf, name: str) -> None:
    for obj in _dictionaries(document):
        hostile_action = str(obj.get("/S", "")) in _HOSTILE_ACTIONS
        embedded = obj.get("/Type") in (Name.EmbeddedFile, Name.Filespec) and "/EF" in obj
        if hostile_action or embedded or any(key in obj for key in _ACTIVE_KEYS):
            raise refuse(name, _active_reason(obj))
        if obj.get("/Subtype") in (Name.FileAttachment, Name.RichMedia, Name.Movie, Name.Sound, Name("/3D")):
            raise refuse(name, _("PDF memuat berkas atau media tersemat; kirim berkas tersebut secara terpisah."))


def _active_reason(obj: pikepdf.Dictionary) -> str:
    if "/EF" in obj or "/EmbeddedFile" in obj or "/EmbeddedFiles" in obj or obj.get("/S") == Name.GoToE:
        return _("PDF memuat berkas tersemat; kirim berkas tersebut secara terpisah.")
    if obj.get("/S") == Name.Launch:
        return _("PDF memuat perintah untuk menjalankan program (berbahaya).")
    if obj.get("/S") in (Name.SubmitForm, Name.ImportData):
        return _("PDF memuat formulir yang mengirim data ke luar (berbahaya).")
    return _("PDF memuat JavaScript atau konten aktif (berbahaya).")


def _remove_metadata(document: pikepdf.Pdf, report: CleanReport) -> None:
    info = document.trailer.get("/Info")
    if isinstance(info, pikepdf.Dictionary) and len(info.keys()):
        keys = set(info.keys())
        if keys & set(_AUTHOR_INFO):
            report.add(common.AUTHOR)
        if keys & set(_SOFTWARE_INFO):
            report.add(common.SOFTWARE)
        if keys & set(_DATE_INFO):
            report.add(common.DATES)
        if keys - set(_AUTHOR_INFO) - set(_SOFTWARE_INFO) - set(_DATE_INFO):
            report.add(common.DOCUMENT_INFO)
    if "/Info" in document.trailer:
        del document.trailer["/Info"]
    root = document.Root
    if "/Metadata" in root:
        del root["/Metadata"]
        report.add(common.XMP)
    for key in ("/PieceInfo", "/SpiderInfo"):
        if key in root:
            del root[key]
            report.add(common.DOCUMENT_INFO)
    for page in document.pages:
        for key in ("/Metadata", "/PieceInfo"):
            if key in page.obj:
                del page.obj[key]
                report.add(common.XMP if key == "/Metadata" else common.DOCUMENT_INFO)
        for annotation in page.obj.get("/Annots", []):
            if isinstance(annotation, pikepdf.Dictionary) and "/T" in annotation and "/Subtype" in annotation:
                if annotation.Subtype != Name.Widget:  # a form field's /T is its name, not a person
                    del annotation["/T"]
                    report.add(common.COMMENT_AUTHORS)
    # Other metadata streams (of images, fonts) would still be written if referenced: drop them too.
    for obj in list(_dictionaries(document)):
        if "/Metadata" in obj:
            del obj["/Metadata"]
            report.add(common.XMP)
