"""Evidence as it arrives: the file type read from the content, the size limit counted while streaming, the
name never used on disk, and the upload handler naming each refused file."""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib

import pytest

from tests.unit import sample_evidence
from tests.unit.builders import EXE, PNG, Chunk, chunk_stream
from wbs_app.services import evidence
from wbs_app.settings import get_settings
from wbs_app.state.uploads import receive_files

KEY = sample_evidence.DRAFTS_KEY  # the draft area's key where no database is involved


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (PNG, "png"),
        (b"%PDF-1.7", "pdf"),
        (b"PK\x03\x04", "zip"),
        (b"Rar!\x1a\x07\x01\x00", "rar"),
        (b"ID3\x04", "mp3"),
        (b"\x00\x00\x00\x18ftypmp42", "mp4"),
        (EXE, None),
    ],
)
def test_content_sniffing(head, kind):
    assert evidence.sniff_kind(head) == kind


def test_a_renamed_executable_and_a_foreign_extension_are_refused_by_name(data_dir):
    with pytest.raises(evidence.EvidenceRejected, match="program.pdf: isi berkas bukan PDF"):
        evidence.check_head("program.pdf", EXE[:16])
    with pytest.raises(evidence.EvidenceRejected, match="halaman.html: jenis berkas tidak diizinkan"):
        evidence.check_head("halaman.html", b"<html>" + b" " * 10)


def test_incoming_file_counts_bytes_and_stops_at_the_limit(data_dir, tmp_path):
    incoming = evidence.IncomingFile(folder=tmp_path / "draft", filename="besar.png", max_bytes=100, drafts_key=KEY)
    incoming.write(PNG[:50])
    with pytest.raises(evidence.EvidenceRejected, match="terlalu besar"):
        incoming.write(b"\x00" * 60)
    assert not incoming.path.exists()


def test_incoming_file_keeps_the_exact_bytes_under_a_random_name(data_dir, tmp_path):
    incoming = evidence.IncomingFile(
        folder=tmp_path / "draft", filename="../../etc/foto.png", max_bytes=1000, drafts_key=KEY
    )
    incoming.write(PNG[:10])
    incoming.write(PNG[10:])
    received = incoming.finish()
    assert received.name == "foto.png" and received.kind == "png" and received.size == len(PNG)
    assert received.sha256 == hashlib.sha256(PNG).hexdigest()
    assert received.temp_path.name == received.file_id
    assert evidence.read_draft_file(received.temp_path, drafts_key=KEY) == PNG
    assert PNG[8:] not in received.temp_path.read_bytes()  # encrypted as it streamed in


def test_a_zip_renamed_docx_is_refused(data_dir, tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("isi.txt", "bukan dokumen word")
    incoming = evidence.IncomingFile(folder=tmp_path / "draft", filename="surat.docx", max_bytes=10_000, drafts_key=KEY)
    incoming.write(buffer.getvalue())
    with pytest.raises(evidence.EvidenceRejected, match="bukan DOCX"):
        incoming.finish()
    assert not incoming.path.exists()


def test_receive_files_accepts_good_files_and_names_each_refused_one(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("WBS_MAX_FILE_MB", "1")
    get_settings.cache_clear()
    big = PNG + b"\x00" * (1024 * 1024)
    stream = [
        Chunk("a.png", 0, sample_evidence.png_with_text()),  # whole files are parsed: real ones
        Chunk("program.pdf", 0, EXE),
        Chunk("besar.png", 0, big[:600_000]),
        Chunk("besar.png", 600_000, big[600_000:]),
        Chunk("b.pdf", 0, sample_evidence.pdf_document()),
    ]
    folder = tmp_path / "draft"
    space = evidence.ClientDraftSpace("10.0.0.1", folder)
    coroutine = receive_files(
        chunk_stream(stream), folder=folder, already_bytes=0, already_files=0, space=space, drafts_key=KEY
    )
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # its own event loop, whatever runs in this thread
        accepted, refused = pool.submit(asyncio.run, coroutine).result()
    assert [f.name for f in accepted] == ["a.png", "b.pdf"]
    assert any("program.pdf" in r for r in refused) and any("besar.png" in r and "terlalu besar" in r for r in refused)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f.file_id for f in accepted)
