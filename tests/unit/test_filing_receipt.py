"""Bukti Pelaporan: the PDF holds the number, time, channel, a QR code to /lacak/<nomor> and a signed code, and no
identity or Kode Akses; a changed field or a wrong code is refused, whether the PDF is uploaded or the code typed."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
from sqlmodel import Session

from tests.unit.builders import make_draft
from wbs_app.services import filing_receipt, institution, reports, submission
from wbs_app.services.filing_receipt import Receipt


@pytest.fixture
def sent(db, data_dir, monkeypatch):
    """A report sent by a visitor with name, email and phone; returns (number, access code)."""
    monkeypatch.setattr(institution, "open_session", lambda: Session(db.get_bind()))
    institution.forget_cached()
    result = submission.submit_report(session=db, draft=make_draft(db, reporter_phone="081234567890"), user=None)
    yield result.registration_number, result.access_code
    institution.forget_cached()


def pdf_of(db, number: str) -> bytes:
    return filing_receipt.receipt_pdf(session=db, registration_number=number)


def test_the_receipt_shows_number_time_channel_qr_and_code_and_nothing_of_the_reporter(db, sent):
    number, code = sent
    report = reports.find_report(session=db, registration_number=number)
    pdf = pdf_of(db, number)
    text = filing_receipt.printed_text(pdf)
    receipt = filing_receipt.receipt_of(report)
    assert f"Nomor Registrasi: {number}" in text
    assert re.search(r"Diterima: \d\d-\d\d-\d{4} \d\d:\d\d WIB", text) and receipt.received in text
    assert f"Saluran: {report.channel}" in text and f"Kode Bukti: {receipt.code}" in text
    assert f"/lacak/{number}" in text
    for secret in (code, "Robert", "robert@mail.co.id", "081234567890", "Tensu", "Pungutan pengadaan"):
        assert secret not in text and secret.encode() not in pdf
    # The QR code is an image drawn into the PDF (nothing fetched): one image on the page.
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages[0].get_images()) == 1


def test_a_genuine_receipt_passes_both_ways(db, sent):
    number, _ = sent
    receipt = filing_receipt.find_receipt(session=db, registration_number=number)
    assert filing_receipt.check_pdf(pdf_of(db, number)) == filing_receipt.Verdict(valid=True, receipt=receipt)
    typed = filing_receipt.check_typed(
        session=db, registration_number=number.lower(), code=receipt.code.lower().replace("-", " ")
    )
    assert typed.valid and typed.receipt == receipt


def _edited(pdf: bytes, old: str, new: str) -> bytes:
    """The PDF with one printed text changed in its page content, as someone with a PDF editor would."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        content = page.Contents.read_bytes()
        assert old.encode() in content
        page.Contents.write(content.replace(old.encode(), new.encode()))
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


@pytest.mark.parametrize("field", ["number", "time", "channel", "code"])
def test_a_receipt_with_any_field_changed_is_refused(db, sent, field):
    number, _ = sent
    pdf = pdf_of(db, number)
    receipt = filing_receipt.find_receipt(session=db, registration_number=number)
    day = receipt.received[:2]
    other_day = "01" if day != "01" else "02"
    changes = {
        "number": (number, number[:-1] + ("A" if number[-1] != "A" else "B")),
        "time": (f"Diterima: {day}", f"Diterima: {other_day}"),
        "channel": ("Saluran: Pelanggaran", "Saluran: Gratifikasi"),
        "code": (receipt.code, receipt.code[:-1] + ("A" if receipt.code[-1] != "A" else "B")),
    }
    assert filing_receipt.check_pdf(_edited(pdf, *changes[field])).valid is False


def test_a_receipt_forged_with_another_report_s_code_is_refused(db, sent):
    number, _ = sent
    genuine = filing_receipt.find_receipt(session=db, registration_number=number)
    forged = Receipt(genuine.registration_number, "01-01-2025 08:00 WIB", genuine.channel)
    pdf = filing_receipt.render_pdf(forged, profile=institution.defaults(), code=genuine.code)
    assert filing_receipt.check_pdf(pdf).valid is False


def test_typed_codes_for_wrong_or_unknown_numbers_get_the_same_refusal(db, sent):
    number, _ = sent
    code = filing_receipt.find_receipt(session=db, registration_number=number).code
    refused = filing_receipt.Verdict(valid=False)
    assert filing_receipt.check_typed(session=db, registration_number="WBS-7K3M9Q2X4D", code=code) == refused
    assert filing_receipt.check_typed(session=db, registration_number=number, code="AAAA-AAAA-AAAA-AAAA-AAAA") == refused
    assert filing_receipt.check_typed(session=db, registration_number=number, code="") == refused


@pytest.mark.parametrize(
    "data",
    [b"bukan pdf", b"%PDF-1.7\n" + b"\x00" * 100, b"%PDF-" + b"x" * (filing_receipt.MAX_PDF_BYTES + 1)],
    ids=["not-a-pdf", "broken", "too-large"],
)
def test_an_upload_that_is_not_a_receipt_is_unreadable(data):
    with pytest.raises(filing_receipt.Unreadable):
        filing_receipt.check_pdf(data)


def test_the_download_link_is_signed_and_expires(sent):
    number, _ = sent
    token = filing_receipt.download_token(number)
    assert filing_receipt.number_of_token(token) == number
    kind, value, expires, signature = token.split(".")
    assert filing_receipt.number_of_token(".".join([kind, "WBS-7K3M9Q2X4D", expires, signature])) is None
    from wbs_app.services import downloads

    stale = downloads.make_token(filing_receipt.LINK_KIND, number, now=1_000_000.0)
    assert filing_receipt.number_of_token(stale) is None
