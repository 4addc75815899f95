"""What a reporter gets once a report is stored: its number, the Kode Akses, the confirmation email; and the
report a draft already made, so that sending the same draft again never makes a second one."""

from __future__ import annotations

import dataclasses

from sqlmodel import Session, col, select

from wbs_app.i18n import _
from wbs_app.models import Report
from wbs_app.security import token_digests
from wbs_app.services import codes


@dataclasses.dataclass(frozen=True)
class SubmittedReport:
    registration_number: str
    access_code: str | None  # for reports linked to no account; stored only as a hash
    notify_email: str


def sent_before(*, session: Session, draft_key: str, access_code: str) -> SubmittedReport | None:
    """The report the draft with this key already made, if any, with the draft's Kode Akses only when that
    code opens it. No email address: the first submission sent the confirmation."""
    if not draft_key:
        return None
    report = session.exec(select(Report).where(col(Report.draft_key_hash).in_(token_digests(draft_key)))).first()
    if report is None:
        return None
    opens = bool(report.access_code_hash and access_code) and codes.access_code_matches(
        session=session, code=access_code, stored=report.access_code_hash
    )
    return SubmittedReport(report.registration_number, access_code if opens else None, "")


def confirmation_email(*, to: str, registration_number: str) -> dict[str, str]:
    """Only the number: an email may be read by others, so no content of the report goes into it. In the current
    language (the one the report was sent in)."""
    text = _(
        "Laporan Anda telah kami terima.\n\n"
        "Nomor Registrasi: {number}\n\n"
        "Simpan nomor ini untuk memantau status laporan di halaman Lacak Laporan.\n"
    ).format(number=registration_number)
    subject = _("Laporan WBS diterima: {number}").format(number=registration_number)
    return {"to": to, "subject": subject, "text": text}
