"""Content checks read the whole file: each hostile file is refused, by name, and nothing of it is kept."""

from __future__ import annotations

import re

import pytest

from tests.unit import sample_evidence as sample
from tests.unit.sample_evidence import data_dir, receive  # noqa: F401 - data_dir: a fixture, used below
from wbs_app.services import evidence, sanitize

pytestmark = pytest.mark.usefixtures("data_dir")  # every file goes to this test's own data folder

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

HOSTILE = [
    # The eight files that used to be accepted.
    ("undangan.pdf", sample.pdf_html_polyglot(), "kode HTML tersembunyi"),
    ("laporan.pdf", sample.pdf_document(javascript="app.launchURL('http://x.example/')"), "JavaScript"),
    ("dokumen.pdf", b"%PDF-1.7\n" + sample.EXE + b"\n%%EOF\n", "memuat program"),
    ("foto.png", b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>", "bukan gambar PNG"),
    ("rekaman.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00<html>" + b"A" * 3000, "bukan audio MP3"),
    ("notulen.docx", sample.docx_document(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" * 64}), "makro"),
    ("bukti.zip", sample.zip_archive({"kontrak.pdf": b"%PDF-1.4", "setup.exe": sample.EXE}), "setup.exe"),
    ("arsip.zip", b"PK\x03\x04" + b"\x00" * 200, "bukan arsip ZIP"),
    # More of the same families.
    ("program.zip", sample.zip_archive({"foto.jpg": sample.EXE}), "program"),
    ("berlapis.zip", sample.zip_archive({"dalam.zip": sample.zip_archive({"run.bat": b"@echo"})}), "run.bat"),
    ("arsip.rar", sample.rar_archive(["kontrak.pdf", "alat/setup.exe"]), "setup.exe"),
    ("arsip2.rar", b"Rar!\x1a\x07\x00" + b"\x00" * 200, "bukan arsip RAR"),
    ("video.mp4", b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isom" + sample.EXE, "bukan video MP4"),
    ("suara.mp3", b"\xff\xfb\x90\x00" + sample.EXE * 40, "bukan audio MP3"),
    ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64 + sample.EXE, "bukan gambar JPEG"),
    ("kontrak.pdf", sample.pdf_document() + b"<html><script>alert(1)</script></html>", "data asing setelah"),
    (
        "templat.docx",
        sample.docx_document(
            document_rels=f'<Relationship Id="rId9" Type="{REL}/attachedTemplate" '
            'Target="http://x.example/t.dotm" TargetMode="External"/>'
        ),
        "mengambil isi dari luar",
    ),
]


def check(name: str, data: bytes) -> tuple[bytes, sanitize.CleanReport]:
    """The content check of the upload path: the kind from the first bytes, then the whole content."""
    return sanitize.inspect_and_clean(data, evidence.check_head(name, data[:16]), name)


@pytest.mark.parametrize(("name", "data", "reason"), HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_files_are_refused_by_name_and_leave_nothing(tmp_path, name, data, reason):
    with pytest.raises(evidence.EvidenceRejected) as refused:
        check(name, data)
    message = str(refused.value)
    assert message.startswith(f"{name}: ") and reason in message
    # Received in a draft folder, the refused file is deleted there.
    folder = tmp_path / "draft"
    with pytest.raises(evidence.EvidenceRejected, match=f"^{re.escape(name)}: "):
        receive(folder, name, data)
    assert list(folder.iterdir()) == []


def test_a_pdf_with_an_embedded_file_is_refused():
    import io

    import pikepdf

    document = pikepdf.new()
    document.add_blank_page()
    document.attachments["setup.exe"] = pikepdf.AttachedFileSpec(document, sample.EXE)
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(evidence.EvidenceRejected, match="lampiran.pdf: PDF memuat berkas tersemat"):
        check("lampiran.pdf", buffer.getvalue())


def test_a_file_whose_check_breaks_unexpectedly_is_refused_not_kept(tmp_path, monkeypatch):
    """A parser bug (any exception, not only a refusal) must not let an unchecked file through."""

    def broken(data, kind, name):
        raise RuntimeError("parser bug")

    monkeypatch.setitem(sanitize._CLEANERS, "png", broken)
    with pytest.raises(evidence.EvidenceRejected, match=r"^foto.png: isi berkas tidak dapat diperiksa"):
        check("foto.png", sample.png_with_text())
    folder = tmp_path / "draft"
    with pytest.raises(evidence.EvidenceRejected, match=r"^foto.png: isi berkas tidak dapat diperiksa"):
        receive(folder, "foto.png", sample.png_with_text())
    assert list(folder.iterdir()) == []
