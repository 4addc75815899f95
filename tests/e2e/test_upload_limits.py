"""Upload limits in the browser and in front of the server (the suite runs with 2 MB per file, 10 MB per report)."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.wizard import PNG, files, fill_details, next_step, start_wizard, upload
from wbs_app import messages

MB = 1024 * 1024
pytestmark = pytest.mark.scaleout


def sparse_file(path, size: int) -> str:
    """A file of `size` bytes that takes no disk space: only its last byte is written."""
    with path.open("wb") as handle:
        handle.seek(size - 1)
        handle.write(b"\x00")
    return str(path)


def to_evidence_step(page) -> list[str]:
    """Open the wizard's evidence step; returns the list that collects every request to /_upload from now on."""
    start_wizard(page)
    page.get_by_role("textbox", name="Nama").fill("Samaran")
    next_step(page)
    fill_details(page)
    expect(page.get_by_role("heading", name="Lokasi & Waktu Kejadian")).to_be_visible()
    uploads: list[str] = []
    page.on("request", lambda request: uploads.append(request.url) if "/_upload" in request.url else None)
    return uploads


def upload_url() -> str:
    return os.environ["WBS_BASE_URL"] + "/_upload"  # the server under test (one port for pages and uploads)


def test_a_file_over_the_limit_is_refused_at_once_and_never_sent(page, tmp_path):
    uploads = to_evidence_step(page)
    big = sparse_file(tmp_path / "rekaman.mp4", 21 * MB)
    program = files(tmp_path, ("alat.exe", b"MZ" + b"\x00" * 64))
    upload(page, [big, *program])
    refused = page.locator(".upload-local-refusal [role=alert]")
    expect(refused.filter(has_text="rekaman.mp4")).to_contain_text("terlalu besar (maksimal 2 MB)", timeout=2000)
    expect(refused.filter(has_text="alat.exe")).to_contain_text("jenis berkas tidak diizinkan", timeout=2000)
    page.wait_for_timeout(1500)  # an upload, had one started, would show by now
    assert uploads == []
    expect(page.locator(".evidence-item")).to_have_count(0)


def test_files_that_do_not_fit_in_what_is_left_of_the_report_are_not_sent(page, tmp_path):
    uploads = to_evidence_step(page)
    upload(page, files(tmp_path, ("kuitansi.png", PNG)))
    expect(page.locator(".evidence-item")).to_have_count(1)
    area = page.locator(".upload-area").first
    expect(area).not_to_have_attribute("data-room-bytes", str(10 * MB))
    sent_before = len(uploads)
    # Five files of exactly 2 MB: each within the per-file limit, together the whole report's 10 MB, which
    # no longer fits beside the photo already received.
    upload(page, [sparse_file(tmp_path / f"dokumen{n}.pdf", 2 * MB) for n in range(5)])
    refusal = page.locator(".upload-local-refusal [role=alert]")
    expect(refusal).to_contain_text("melebihi sisa ruang bukti laporan ini", timeout=2000)
    expect(refusal).to_contain_text("dokumen0.pdf")
    page.wait_for_timeout(1500)
    assert len(uploads) == sent_before
    expect(page.locator(".evidence-item")).to_have_count(1)


def test_a_declared_oversized_upload_is_refused_before_its_body(app_harness):
    address = urlparse(upload_url())
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(
            f"POST {address.path} HTTP/1.1\r\nHost: {address.netloc}\r\n"
            "Content-Type: multipart/form-data; boundary=batas\r\n"
            f"Content-Length: {2 * 1024 * MB}\r\n\r\n".encode()
        )
        reply = b""
        while chunk := connection.recv(4096):  # the server answers and closes without waiting for the body
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 413")
    assert messages.UPLOAD_TOO_LARGE.format(max=10).encode() in reply


def test_an_upload_growing_past_the_limit_is_cut_and_the_reporter_is_told(page, tmp_path):
    from reflex.utils import format

    from wbs_app.pages.report_wizard.state import ReportWizardState

    to_evidence_step(page)
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    handler = format.format_event_handler(ReportWizardState.event_handlers["receive_uploads"])
    produced = 0

    def body():
        """A chunked (no Content-Length) multipart body far over the 10 MB report limit."""
        nonlocal produced
        yield (
            b'--batas\r\nContent-Disposition: form-data; name="files"; filename="besar.pdf"\r\n'
            b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        )
        while produced < 40 * MB:
            produced += 64 * 1024
            yield b"\x00" * (64 * 1024)
        yield b"\r\n--batas--\r\n"

    headers = {
        "Content-Type": "multipart/form-data; boundary=batas",
        "Reflex-Client-Token": token,
        "Reflex-Event-Handler": handler,
    }
    try:
        status = httpx.post(upload_url(), content=body(), headers=headers, timeout=30).status_code
    except httpx.TransportError:
        status = None  # the server closed the connection while the rest was still being sent
    assert status in (413, None)
    assert produced < 40 * MB  # the server stopped taking the body
    expect(page.get_by_role("alert").filter(has_text="Unggahan terhenti")).to_contain_text("10 MB per laporan")
    expect(page.locator(".evidence-item")).to_have_count(0)
