"""Test helper: a small installation with every kind of row and file, made through the services as users would.

Used by the backup tests (everything must come back) and the retention tests (content must go, statistics stay).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlmodel import Session

from tests.unit import drafts
from tests.unit.builders import PNG, make_draft
from wbs_app.models import Channel, Report, ReportStatus, Role, User
from wbs_app.services import cases, downloads, reports, submission, users, vault

PASSWORD = "Rahasia-2026-aman"


def evidence_file(db: Session, name: str = "foto.png", content: bytes = PNG, kind: str = "png") -> submission.EvidenceInput:
    """A file received into a draft's temporary folder, as the upload handler leaves it (encrypted)."""
    return drafts.draft_file(db, content, name=name, kind=kind)


@dataclasses.dataclass
class Installation:
    verifier: User
    admin: User
    reports: list[Report]  # one per channel, each closed on `closed_at`, with evidence, messages and notes


def populate(
    db: Session,
    *,
    closed_at: dt.datetime,
    big_file: bytes = b"",
    channels: tuple[str, ...] = tuple(Channel),
) -> Installation:
    """For each channel a report sent by a visitor with a photo (and `big_file`, if given, as a PDF), a message
    each way with an attachment, and a status change with notes up to Selesai: Terbukti at `closed_at`. Keys of
    every kind exist: the master key, each report's and account's data key, a system key and the link-signing key.
    """
    verifier = users.create_staff_user(
        session=db, username="siti", email="siti@inspektorat.go.id", full_name="Siti", role=Role.VERIFIER,
        password=PASSWORD,
    )  # fmt: skip
    admin = users.create_staff_user(
        session=db, username="kepala", email="kepala@inspektorat.go.id", full_name="Kepala", role=Role.ADMIN,
        password=PASSWORD,
    )  # fmt: skip
    made = []
    for number, channel in enumerate(channels):
        files = [evidence_file(db)] + ([evidence_file(db, "rekaman.pdf", big_file, "pdf")] if big_file else [])
        draft = make_draft(db, evidence=files, channel=channel, title=f"Pungutan liar {number}")
        sent = submission.submit_report(session=db, draft=draft, user=None, now=closed_at - dt.timedelta(days=40))
        report = reports.find_report(session=db, registration_number=sent.registration_number)
        reports.post_reporter_message(
            session=db,
            report=report,
            user_id=None,
            granted={report.registration_number},
            body="Saya punya bukti transfer tambahan.",
            attachments=[evidence_file(db, "transfer.png")],
            now=closed_at - dt.timedelta(days=30),
        )
        cases.post_staff_message(
            session=db, report=report, actor=verifier, body="Terima kasih, kami periksa.", attachments=[],
            now=closed_at - dt.timedelta(days=29),
        )  # fmt: skip
        for status, when in ((ReportStatus.EXAMINATION, 20), (ReportStatus.PROVEN, 0)):
            cases.change_status(
                session=db, report=report, actor=verifier, new_status=status.value,
                public_note=f"Catatan publik {status.value}", internal_note="Saksi: Pak Budi di bagian keuangan",
                now=closed_at - dt.timedelta(days=when),
            )  # fmt: skip
        vault.report_key(session=db, report=report)
        made.append(report)
    vault.user_key(session=db, user=verifier)
    vault.system_key(session=db, name="search")
    db.commit()
    downloads.make_download_token(1, session_token="")  # makes data/secret.key
    for report in made:
        db.refresh(report)
    return Installation(verifier=verifier, admin=admin, reports=made)
