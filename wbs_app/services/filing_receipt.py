"""Bukti Pelaporan: a printable proof that a report was filed, and its check at /verifikasi-bukti.

The receipt (a PDF, fpdf2) holds the Nomor Registrasi, the date and time of receipt in WBS_TIMEZONE, the channel, a
QR code (segno, drawn here) to <WBS_BASE_URL>/lacak/<nomor>, and the Kode Bukti: HMAC-SHA256 under the server key
(wbs_app.security.server_key) over exactly those three printed fields, 100 bits written as 5 groups of 4. It holds
no identity and no Kode Akses: whoever sees it learns what tracking shows anyway, plus the channel and the minute.

A receipt is checked either from its PDF (the printed text is read back with pdfium and the code recomputed over
what is printed: any changed field fails) or from the number and code typed in (the fields come from the report).
Both give the same answer for an unknown number and a wrong code.

The PDF is printed in the current language (the HTTP route's: the browser's language cookie). The Kode Bukti is
the same in both: it covers the stored channel (Bahasa Indonesia); a check reads either language's labels and
takes an English channel name back to the stored one.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import io
import re
import unicodedata

import segno
from fpdf import FPDF
from sqlmodel import Session, select

from wbs_app import i18n, localtime, routes
from wbs_app.i18n import N_, _
from wbs_app.models import Channel, Report, as_utc
from wbs_app.security import server_key
from wbs_app.services import downloads, institution
from wbs_app.services.tracking import is_registration_number, normalize_registration_number
from wbs_app.settings import get_settings

# The receipt's printed fields (read back by check_pdf in either language).
LABELS = {
    "number": N_("Nomor Registrasi"),
    "received": N_("Diterima"),
    "channel": N_("Saluran"),
    "code": N_("Kode Bukti"),
}
ROUTE = "/_wbs/bukti-pelaporan/"  # followed by a signed token naming the report (downloads.make_token)
LINK_KIND = "tandaterima"
MAX_PDF_BYTES = 512 * 1024
_CONTEXT = b"wbs-bukti-pelaporan/v1"
_CODE = re.compile(r"^[A-Z2-7]{4}(?:-[A-Z2-7]{4}){4}$")


@dataclasses.dataclass(frozen=True)
class Receipt:
    registration_number: str
    received: str  # as printed: "05-12-2026 10:15 WIB"
    channel: str

    @property
    def code(self) -> str:
        message = "\n".join((self.registration_number, self.received, self.channel)).encode("utf-8")
        digest = hmac.new(server_key(), _CONTEXT + b"\n" + message, hashlib.sha256).digest()
        letters = base64.b32encode(digest).decode()[:20]
        return "-".join(letters[i : i + 4] for i in range(0, 20, 4))


def receipt_of(report: Report) -> Receipt:
    return Receipt(
        report.registration_number, localtime.format_local_with_zone(as_utc(report.created_at)), report.channel
    )


def find_receipt(*, session: Session, registration_number: str) -> Receipt | None:
    number = normalize_registration_number(registration_number)
    if not is_registration_number(number):
        return None
    row = session.exec(
        select(Report.registration_number, Report.created_at, Report.channel).where(
            Report.registration_number == number
        )
    ).first()
    if row is None:
        return None
    return Receipt(row[0], localtime.format_local_with_zone(as_utc(row[1])), row[2])


def download_token(registration_number: str) -> str:
    """The signed, expiring link part of a report's receipt (WBS_DOWNLOAD_LINK_MINUTES)."""
    return downloads.make_token(LINK_KIND, registration_number)


def number_of_token(token: str) -> str | None:
    number = downloads.read_token(LINK_KIND, token)
    return number if number and is_registration_number(number) else None


# The PDF --------------------------------------------------------------------------------------------------


def _latin(text: str) -> str:
    """The PDF's built-in font covers Latin-1: dashes and quotes become their plain forms, other letters lose
    their accents where they can."""
    text = text.translate(str.maketrans({"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."}))
    text = unicodedata.normalize("NFKC", text)
    return (
        "".join(ch if ord(ch) < 256 else unicodedata.normalize("NFKD", ch)[0] for ch in text)
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def tracking_url(registration_number: str) -> str:
    return get_settings().base_url + routes.track_number(registration_number)


def render_pdf(receipt: Receipt, *, profile: institution.Profile, logo: bytes | None = None, code: str = "") -> bytes:
    """The receipt as a one-page A5 PDF. `code` is for tests that forge a receipt; it is the receipt's own code."""
    code = code or receipt.code
    pdf = FPDF(format=(148, 210))  # A5
    pdf.set_title(_latin(_("Bukti Pelaporan WBS")))
    pdf.set_creator("WBS")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    left = 12
    if logo:
        pdf.image(io.BytesIO(logo), x=left, y=10, h=16)
        left = 32
    pdf.set_xy(left, 11)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 6, _latin(profile.name))
    pdf.set_x(left)
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 5, "Whistleblowing System")
    pdf.set_xy(12, 34)
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin(_("BUKTI PELAPORAN")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for label, value in (
        (LABELS["number"], receipt.registration_number),
        (LABELS["received"], receipt.received),
        (LABELS["channel"], i18n.term(receipt.channel)),
    ):
        pdf.cell(0, 8, _latin(f"{_(label)}: {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Courier", "B", 12)
    pdf.cell(0, 9, _latin(f"{_(LABELS['code'])}: {code}"), new_x="LMARGIN", new_y="NEXT")
    qr = io.BytesIO()
    url = tracking_url(receipt.registration_number)
    segno.make(url, error="m").save(qr, kind="png", scale=6, border=2)
    pdf.image(qr, x=12, y=pdf.get_y() + 3, w=38)
    pdf.set_xy(54, pdf.get_y() + 6)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 4.5, _latin(_("Pindai kode QR untuk melihat status laporan:\n{url}").format(url=url)))
    pdf.set_xy(12, 126)
    pdf.set_font("Helvetica", "", 8.5)
    pdf.multi_cell(
        0,
        4.2,
        _latin(
            _(
                "Bukti ini menyatakan bahwa laporan dengan nomor di atas telah diterima. Bukti ini tidak memuat "
                "identitas pelapor maupun Kode Akses. Keasliannya dapat diperiksa di {url} dengan mengunggah berkas "
                "ini atau mengetik Nomor Registrasi dan Kode Bukti."
            ).format(url=get_settings().base_url + routes.VERIFY_RECEIPT)
        ),
        align="L",
    )
    contact = " · ".join(value for value in (profile.address, profile.phone, profile.email) if value)
    if contact:
        pdf.set_xy(12, 190)
        pdf.set_font("Helvetica", "", 7.5)
        pdf.multi_cell(0, 3.8, _latin(contact.replace(" · ", " - ")), align="L")
    return bytes(pdf.output())


def receipt_pdf(*, session: Session, registration_number: str) -> bytes | None:
    """The receipt of a stored report, with the institution's name, logo and contact; None if there is none.
    CPU work (drawing, compressing): call it off the event loop."""
    receipt = find_receipt(session=session, registration_number=registration_number)
    if receipt is None:
        return None
    profile = institution.current()
    logo = None
    if profile.logo_url:
        found = institution.stored_logo(session=session, name=profile.logo_url.removeprefix(institution.LOGO_ROUTE))
        logo = found[0] if found else None
    return render_pdf(receipt, profile=profile, logo=logo)


# Checking ------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Verdict:
    valid: bool
    receipt: Receipt | None = None  # what the valid receipt says


def _codes_match(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def normalize_code(code: str) -> str:
    letters = re.sub(r"[^A-Z2-7]", "", code.upper().replace("0", "O").replace("1", "I").replace("8", "B"))
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def check_typed(*, session: Session, registration_number: str, code: str) -> Verdict:
    """A number and Kode Bukti as typed: valid only when the code is the one of that report's receipt. An unknown
    number costs the same HMAC and gives the same answer as a wrong code."""
    receipt = find_receipt(session=session, registration_number=registration_number)
    expected = (receipt or Receipt("WBS-0000000000", "", "")).code
    given = normalize_code(code)
    if receipt is None or not _CODE.match(given) or not _codes_match(given, expected):
        return Verdict(valid=False)
    return Verdict(valid=True, receipt=receipt)


def _printed(field: str, value: str) -> re.Pattern:
    """A printed line, `label: value`, with the label of either language."""
    labels = "|".join(re.escape(text) for text in sorted(set(i18n.both(LABELS[field]).values())))
    return re.compile(rf"(?:{labels}):\s*{value}\s*$", re.MULTILINE)


_PRINTED = {
    "number": _printed("number", r"(WBS-[0-9A-Z]{10})"),
    "received": _printed("received", r"(\d\d-\d\d-\d{4} \d\d:\d\d [A-Z]{3,4})"),
    "channel": _printed("channel", r"(\S.*?)"),
    "code": _printed("code", r"([A-Z2-7]{4}(?:-[A-Z2-7]{4}){4})"),
}


def _stored_channel(printed: str) -> str:
    """The stored channel a printed one names (an English receipt prints its English name)."""
    for channel in Channel:
        if printed in {_latin(text) for text in i18n.both(channel.value).values()}:
            return channel.value
    return printed


class Unreadable(Exception):
    """The upload is not a receipt this server can read (not a PDF, too large, or its text is missing)."""


def printed_text(data: bytes) -> str:
    """The text of a PDF's first page, read by pdfium in memory. CPU work: call it off the event loop."""
    import pypdfium2

    if len(data) > MAX_PDF_BYTES or not data.startswith(b"%PDF-"):
        raise Unreadable
    try:
        document = pypdfium2.PdfDocument(data)
        try:
            if len(document) < 1:
                raise Unreadable
            page = document[0]
            text_page = page.get_textpage()
            text = text_page.get_text_range()
            text_page.close()
            page.close()
        finally:
            document.close()
    except pypdfium2.PdfiumError as failure:
        raise Unreadable from failure
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_pdf(data: bytes) -> Verdict:
    """An uploaded receipt: the code recomputed over the fields as printed on it. Raises Unreadable."""
    text = printed_text(data)
    found = {name: pattern.search(text) for name, pattern in _PRINTED.items()}
    if not all(found.values()):
        raise Unreadable
    receipt = Receipt(found["number"].group(1), found["received"].group(1), _stored_channel(found["channel"].group(1)))
    if not _codes_match(found["code"].group(1), receipt.code):
        return Verdict(valid=False)
    return Verdict(valid=True, receipt=receipt)
