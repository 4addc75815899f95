"""Evidence integrity: a stored file whose bytes changed is never served, and the attempt is audited.

Stored files are encrypted (services/filecrypt): one flipped byte anywhere fails its chunk's tag, and a file that
decrypts must still have the SHA-256 recorded when it was received."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.unit import drafts, sample_evidence
from wbs_app import api
from wbs_app.models import AuditLog, Channel, Evidence, Report, utcnow
from wbs_app.services import audit, downloads, evidence_store, filecrypt, keys, sealed

CONTENT = sample_evidence.pdf_document()  # a real one-page PDF, as stored after cleaning


@pytest.fixture
def stored(db, data_dir, monkeypatch):
    """A report with one stored evidence file, and a client for the download route on the test database."""
    report = Report(
        registration_number="WBS-0000000001", channel=Channel.VIOLATION.value, title="Pengadaan", description="x"
    )
    db.add(report)
    db.flush()
    item = drafts.draft_file(db, CONTENT, name="kontrak.pdf", kind="pdf")
    evidence_store.store_files(session=db, report=report, items=[item], now=utcnow(), written=[])
    db.commit()
    record = db.exec(select(Evidence)).one()
    path = data_dir.evidence_dir / record.stored_name
    engine = db.get_bind()
    monkeypatch.setattr(api, "open_session", lambda: Session(engine))
    link = downloads.EVIDENCE_FILE + downloads.make_download_token(record.id)  # a Kode Akses holder's link
    # A fresh app with the same routes: starting wbs_app.api.api itself would freeze its middleware stack
    # before the browser tests' app server adds its own.
    return record, path, TestClient(Starlette(routes=api.api.routes)), link


def integrity_entries(db) -> list[AuditLog]:
    db.expire_all()
    return list(db.exec(select(AuditLog).where(AuditLog.action == "integritas")).all())


def test_an_intact_file_is_served(db, stored):
    _, _, client, link = stored
    response = client.get(link)
    assert response.status_code == 200 and response.content == CONTENT
    assert integrity_entries(db) == []


def flip(path, position: int) -> None:
    """One bit of the encrypted file on disk changed."""
    altered = bytearray(path.read_bytes())
    altered[position] ^= 0x01
    path.write_bytes(bytes(altered))


@pytest.mark.parametrize("position", [3, 20, 100, -1])  # the header, a nonce, the ciphertext, the last tag
def test_a_flipped_byte_is_never_served_and_each_attempt_is_audited(db, stored, position):
    record, path, client, link = stored
    assert CONTENT[20:60] not in path.read_bytes()  # the store holds ciphertext only
    flip(path, position)
    for attempt in range(1, 4):
        response = client.get(link)
        assert response.status_code == 409
        assert response.text == api.ALTERED and "SHA-256" in response.text
        assert b"%PDF" not in response.content and b"kontrak" not in response.content
        entries = integrity_entries(db)
        assert len(entries) == attempt
    entry = entries[-1]
    detail = sealed.open_row(session=db, row=entry).detail
    assert entry.report_id == record.report_id
    assert f"Bukti #{record.id} (kontrak.pdf)" in detail and record.sha256 in detail
    assert audit.ACTIONS["integritas"]


def test_a_file_cut_short_or_with_chunks_swapped_is_never_served(db, stored, monkeypatch):
    """Chunks carry their index and the last-chunk flag: a cut at a chunk boundary or reordered chunks fail."""
    record, path, client, link = stored
    found = downloads.stored_file(session=db, record=record)
    big = CONTENT + b"%" * (3 * filecrypt.CHUNK_BYTES)  # four chunks
    filecrypt.write_file(path, big, key=found.key, file_id=found.file_id)
    data = path.read_bytes()
    header, record_size = len(filecrypt.MAGIC) + 4, filecrypt.CHUNK_BYTES + 28
    chunks = [data[header + i * record_size : header + (i + 1) * record_size] for i in range(4)]
    for broken in (data[: header + 3 * record_size], data[:header] + chunks[1] + chunks[0] + chunks[2] + chunks[3]):
        path.write_bytes(broken)
        with pytest.raises(keys.IntegrityError):
            filecrypt.read_file(path, key=found.key, file_id=found.file_id)
        assert client.get(link).status_code == 409


def test_the_check_reports_the_downloader_when_logged_in(db, stored):
    from wbs_app.models import Role
    from wbs_app.services import sessions, users

    record, path, _, _ = stored
    verifier = users.create_staff_user(
        session=db,
        username="verif",
        email="v@inspektorat.go.id",
        full_name="Verifikator",
        role=Role.VERIFIER,
        password="Rahasia-2026-aman",
    )
    login = sessions.create_session(session=db, user=verifier)
    found = downloads.stored_file(session=db, record=record)
    assert downloads.stored_evidence_intact(session=db, record=record, stored=found, session_token=login)
    # Re-encrypted with the right key but other content (only someone holding the keys could): the SHA-256 differs.
    filecrypt.write_file(path, CONTENT[:-1] + b"X", key=found.key, file_id=found.file_id)
    assert not downloads.stored_evidence_intact(
        session=db, record=record, stored=found, session_token=login, client_ip="10.0.0.9"
    )
    entry = integrity_entries(db)[-1]
    assert entry.actor_id == verifier.id and entry.client_ip == "10.0.0.9"


# PDFs are never opened by the browser on the app's origin (Whistleblower safety, point 10) ----------------


def pages_link(record) -> str:
    return downloads.PDF_PAGES + downloads.make_download_token(record.id)


def test_a_pdf_is_downloaded_as_an_attachment_never_shown_inline(stored):
    _, _, client, link = stored
    response = client.get(link)  # no ?unduh=1: what "lihat bukti" used to open in the browser's PDF viewer
    assert response.status_code == 200 and response.content == CONTENT
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_staff_see_a_pdfs_pages_as_an_image_drawn_on_the_server(stored):
    from io import BytesIO

    from PIL import Image

    record, _, client, _ = stored
    response = client.get(pages_link(record))
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.headers["content-security-policy"].startswith("sandbox")
    image = Image.open(BytesIO(response.content))
    assert image.format == "PNG" and image.width == 900 and image.height > 900  # one A4-ish page
    assert b"%PDF" not in response.content


def test_an_altered_pdf_is_neither_drawn_nor_served(db, stored):
    record, path, client, _ = stored
    flip(path, -20)
    response = client.get(pages_link(record))
    assert response.status_code == 409 and response.text == api.ALTERED
    assert len(integrity_entries(db)) == 1


def test_only_pdfs_have_pages_to_draw(db, stored):
    record, _, client, _ = stored
    record.kind = "png"
    db.add(record)
    db.commit()
    assert client.get(pages_link(record)).status_code == 404
