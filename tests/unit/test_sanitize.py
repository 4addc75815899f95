"""Metadata removal on upload: real files carrying GPS positions and author names come out without them.

The cleaners take the file's bytes and give back the cleaned bytes (sanitize.inspect_and_clean); the upload
path still keeps them in the draft folder (sanitize.clean_received), checked at the end.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import io
import zipfile

import pikepdf
import pytest
from mutagen import mp3, mp4
from PIL import Image

from tests.unit import sample_evidence as sample
from tests.unit.builders import Chunk, chunk_stream
from tests.unit.sample_evidence import receive
from wbs_app.services import evidence, sanitize
from wbs_app.state.uploads import receive_files

pytestmark = pytest.mark.usefixtures("data_dir")  # every file goes to this test's own data folder

AUTHOR_BYTES = (b"Budi Santoso", b"198001012005011001")


def clean(name: str, data: bytes) -> tuple[bytes, sanitize.CleanReport]:
    """What the upload path does with a received file: its kind from its first bytes, then the content check."""
    kept, report = sanitize.inspect_and_clean(data, evidence.check_head(name, data[:16]), name)
    assert not any(marker in unpacked(kept) for marker in AUTHOR_BYTES)
    return kept, report


def unpacked(data: bytes) -> bytes:
    """The bytes as stored, or every member of a zip package (Office files are compressed)."""
    if not data.startswith(b"PK"):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return b"".join(package.read(name) for name in package.namelist())


def test_a_phone_photo_loses_its_gps_position_and_phone_model_and_stays_upright():
    original = sample.jpeg_with_gps()
    assert b"SM-A525F" in original and b"Budi Santoso" in original
    kept, report = clean("foto-kuitansi.jpg", original)
    assert b"SM-A525F" not in kept and b"samsung" not in kept and b"Exif" not in kept
    assert {"lokasi GPS", "model perangkat", "data XMP"} <= set(report.removed)
    assert sanitize.removed_label(report.removed).startswith("lokasi GPS, model perangkat")
    assert sanitize.removed_label(report.removed).endswith(" dihapus")
    with Image.open(io.BytesIO(kept)) as image:
        assert len(image.getexif()) == 0 and "xmp" not in image.info and "comment" not in image.info
        # Orientation 6 was applied to the pixels: 40x20 became 20x40, the red left half is now on top.
        assert image.size == (20, 40)
        red, _, blue = image.convert("RGB").getpixel((10, 5))
        assert red > 200 and blue < 60
        red, _, blue = image.convert("RGB").getpixel((10, 35))
        assert blue > 200 and red < 60


def test_a_photo_without_orientation_keeps_its_size_and_quality_tables():
    buffer = io.BytesIO()
    Image.new("RGB", (30, 10), (10, 200, 30)).save(buffer, "JPEG", quality=80)
    kept, report = clean("foto.jpeg", buffer.getvalue())
    with Image.open(io.BytesIO(kept)) as image, Image.open(buffer) as before:
        assert image.size == (30, 10) and image.quantization == before.quantization
    assert report.removed == [] and sanitize.removed_label(report.removed) == ""


def test_a_screenshot_loses_its_text_chunks():
    kept, report = clean("layar.png", sample.png_with_text())
    with Image.open(io.BytesIO(kept)) as image:
        assert image.text == {} and image.size == (8, 8)
    assert b"ruang kepala dinas" not in kept
    assert "nama penulis" in report.removed and "teks keterangan" in report.removed


def test_a_pdf_loses_its_author_in_document_info_and_xmp():
    original = sample.pdf_document()
    with pikepdf.open(io.BytesIO(original)) as before:
        assert "198001012005011001" in str(before.docinfo["/Author"]) and "/Metadata" in before.Root
    kept, report = clean("kontrak.pdf", original)
    with pikepdf.open(io.BytesIO(kept)) as after:
        assert len(after.pages) == 1
        assert "/Metadata" not in after.Root and "/Author" not in after.docinfo
    assert "nama penulis" in report.removed and "data XMP" in report.removed


def test_a_word_document_loses_its_properties_and_the_names_of_comment_authors():
    original = sample.docx_document()
    assert sample.AUTHOR.encode() in unpacked(original)
    kept, report = clean("notulen.docx", original)
    with zipfile.ZipFile(io.BytesIO(kept)) as package:
        names = package.namelist()
        assert not [name for name in names if name.startswith("docProps/")]
        assert b"docProps" not in package.read("[Content_Types].xml")
        assert b"docProps" not in package.read("_rels/.rels")
        assert b'w:author=""' in package.read("word/comments.xml")
        assert b"Kuitansi fiktif pengadaan server." in package.read("word/document.xml")  # the content stays
        assert b"https://lpse.example.go.id/" in package.read("word/_rels/document.xml.rels")  # links stay
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in package.infolist())
    assert {"nama penulis", "nama penulis komentar"} <= set(report.removed)


def test_an_excel_workbook_loses_its_creator_and_comment_authors():
    from openpyxl import Workbook, load_workbook
    from openpyxl.comments import Comment

    workbook = Workbook()
    workbook.properties.creator = "Budi Santoso"
    workbook.active["A1"] = "Rp 5.000.000"
    workbook.active["A1"].comment = Comment("uang pelicin", "Budi Santoso")
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert b"Budi Santoso" in unpacked(buffer.getvalue())
    kept, report = clean("rekap.xlsx", buffer.getvalue())
    reopened = load_workbook(io.BytesIO(kept))
    assert reopened.active["A1"].value == "Rp 5.000.000"
    assert "nama penulis" in report.removed


def test_a_recording_loses_its_id3_tags():
    kept, report = clean("rekaman.mp3", sample.mp3_with_tags())
    audio = mp3.MP3(io.BytesIO(kept))
    assert audio.tags is None and audio.info.length > 1
    assert b"Rekaman rapat" not in kept and b"Samsung Voice" not in kept
    assert "nama penulis" in report.removed


def test_a_video_loses_its_gps_position_and_phone_model():
    original = sample.mp4_with_location()
    kept, report = clean("video.mp4", original)
    assert b"+106.8650" not in kept and b"SM-A525F" not in kept and len(kept) == len(original)
    assert mp4.MP4(io.BytesIO(kept)).info.length == 2.0  # still a valid movie
    assert {"lokasi GPS", "model perangkat"} <= set(report.removed)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("arsip.zip", sample.zip_archive({"kontrak.pdf": b"%PDF-1.4 ...", "foto/kuitansi.jpg": b"\xff\xd8\xff"})),
        ("arsip.rar", sample.rar_archive(["kontrak.pdf", "foto/kuitansi.jpg"])),
    ],
)
def test_archives_are_accepted_unchanged_with_a_warning(name, data):
    kept, report = clean(name, data)
    assert kept == data and report.removed == []
    assert report.warning == "isi arsip tidak dapat dibersihkan dari metadata; periksa sebelum mengirim"


def test_the_upload_handler_keeps_only_cleaned_files(tmp_path):
    photo = sample.jpeg_with_gps()
    stream = [Chunk("foto.jpg", 0, photo[:500]), Chunk("foto.jpg", 500, photo[500:]), Chunk("surat.pdf", 0, b"x")]
    folder = tmp_path / "draft"
    space = evidence.ClientDraftSpace("10.0.0.1", folder)
    coroutine = receive_files(
        chunk_stream(stream), folder=folder, already_bytes=0, already_files=0, space=space, drafts_key=sample.DRAFTS_KEY
    )
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        accepted, refused = pool.submit(asyncio.run, coroutine).result()
    assert [item.name for item in accepted] == ["foto.jpg"] and "lokasi GPS" in accepted[0].removed
    assert [path.name for path in folder.iterdir()] == [accepted[0].file_id]  # no original, no half-written copy
    assert b"SM-A525F" not in sample.kept(accepted[0])
    assert refused and refused[0].startswith("surat.pdf:")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("foto.jpg", sample.jpeg_with_gps()),
        ("kontrak.pdf", sample.pdf_document()),
        ("notulen.docx", sample.docx_document()),
        ("rekaman.mp3", sample.mp3_with_tags()),
        ("video.mp4", sample.mp4_with_location()),
        ("arsip.rar", sample.rar_archive(["kontrak.pdf"])),
    ],
)
def test_the_draft_keeps_the_cleaned_bytes_with_their_size_and_sha256(tmp_path, name, data):
    """Until evidence is encrypted as it arrives, the received file is swapped for its cleaned bytes, whole."""
    cleaned, report = clean(name, data)
    received = receive(tmp_path / "draft", name, data)
    kept = sample.kept(received)
    assert kept == cleaned and received.size == len(kept) and received.sha256 == hashlib.sha256(kept).hexdigest()
    assert received.removed == report.removed and received.warning == report.warning
    assert [path.name for path in (tmp_path / "draft").iterdir()] == [received.file_id]
