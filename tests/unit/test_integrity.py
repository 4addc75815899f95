"""Evidence integrity: a stored file whose bytes changed is never served, and the attempt is audited."""

from __future__ import annotations

import hashlib
import secrets

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.unit import sample_evidence
from tests.unit.sample_evidence import data_dir  # noqa: F401 - a fixture
from wbs_app import api
from wbs_app.models import AuditLog, Channel, Evidence, Report
from wbs_app.services import audit, downloads

CONTENT = sample_evidence.pdf_document()  # a real one-page PDF, as stored after cleaning


@pytest.fixture
def stored(db, data_dir, monkeypatch):  # noqa: F811
    """A report with one stored evidence file, and a client for the download route on the test database."""
    report = Report(
        registration_number="WBS-0000000001", channel=Channel.VIOLATION.value, title="Pengadaan", description="x"
    )
    db.add(report)
    db.commit()
    stored_name = secrets.token_hex(16)
    record = Evidence(
        report_id=report.id,
        stored_name=stored_name,
        original_name="kontrak.pdf",
        kind="pdf",
        size=len(CONTENT),
        sha256=hashlib.sha256(CONTENT).hexdigest(),
    )
    db.add(record)
    db.commit()
    path = data_dir.evidence_dir / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(CONTENT)
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


def test_a_flipped_byte_is_never_served_and_each_attempt_is_audited(db, stored):
    record, path, client, link = stored
    altered = bytearray(CONTENT)
    altered[10] ^= 0x01
    path.write_bytes(bytes(altered))
    for attempt in range(1, 5):
        response = client.get(link)
        assert response.status_code == 409
        assert response.text == api.ALTERED and "SHA-256" in response.text
        assert bytes(altered) not in response.content and b"kontrak" not in response.content
        entries = integrity_entries(db)
        assert len(entries) == attempt
    entry = entries[-1]
    assert entry.report_id == record.report_id
    assert f"Bukti #{record.id} (kontrak.pdf)" in entry.detail and record.sha256 in entry.detail
    assert audit.ACTIONS["integritas"]


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
    assert downloads.stored_evidence_intact(session=db, record=record, session_token=login)
    path.write_bytes(CONTENT[:-1] + b"X")
    assert not downloads.stored_evidence_intact(session=db, record=record, session_token=login, client_ip="10.0.0.9")
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
    altered = bytearray(CONTENT)
    altered[-20] ^= 0x01
    path.write_bytes(bytes(altered))
    response = client.get(pages_link(record))
    assert response.status_code == 409 and response.text == api.ALTERED
    assert len(integrity_entries(db)) == 1


def test_only_pdfs_have_pages_to_draw(db, stored):
    record, _, client, _ = stored
    record.kind = "png"
    db.add(record)
    db.commit()
    assert client.get(pages_link(record)).status_code == 404
