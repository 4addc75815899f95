"""Test builders shared by the unit tests: accounts, staff, reports (as drafts and as stored rows), upload streams."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

from sqlmodel import select

from tests.unit import drafts
from wbs_app.models import (
    AuditLog,
    Evidence,
    Rank,
    Report,
    ReportAccused,
    ReportStatus,
    Role,
    Unit,
    User,
    ViolationType,
)
from wbs_app.services import downloads, filecrypt, reference, report_index, sealed, submission, users

PASSWORD = "Rahasia-2026-aman"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64

_numbers = itertools.count(1)


# Accounts --------------------------------------------------------------------------------------------


def registration(db, **overrides) -> users.Registration:
    """A complete, valid registration form of a civil servant (PNS); `overrides` change single fields."""
    unit = db.exec(select(Unit)).first()
    rank = db.exec(select(Rank)).first()
    data = {
        "username": "Budi",
        "email": "budi@mail.co.id",
        "password": PASSWORD,
        "password_confirmation": PASSWORD,
        "account_type": "PNS",
        "identity_number": "3201011501900001",
        "nip": "198501152010011001",
        "unit_id": str(unit.id),
        "rank_id": str(rank.id),
        "position": "Analis",
        "full_name": "Budi Santoso",
        "phone": "081234567890",
        "address": "Jl. Merdeka 1",
        "accept_terms": "on",
    }
    return users.Registration.from_form({**data, **overrides})


def active_user(db) -> User:
    """The registration above, registered and activated."""
    user, token = users.register_user(session=db, data=registration(db))
    users.activate_account(session=db, token=token)
    return user


def reporter_account(db, username: str = "akun5", email: str = "a5@mail.co.id", full_name: str = "Akun Lima", **fields):
    """A reporter account made straight in the database (no password hashing: these tests never log in)."""
    user = User(
        username=username,
        username_key=username,
        email=email,
        email_key=email,
        password_hash="x",
        full_name=full_name,
        is_active=True,
        **fields,
    )
    db.add(user)
    db.commit()
    return user


def staff(db, role=Role.VERIFIER, name="Siti Aminah", username="siti"):
    return users.create_staff_user(
        session=db,
        username=username,
        email=f"{username}@inspektorat.go.id",
        full_name=name,
        role=role,
        password=PASSWORD,
    )


def detail(db, entry: AuditLog) -> str:
    """An audit row's detail, opened."""
    return sealed.open_row(session=db, row=entry).detail


# Reports ---------------------------------------------------------------------------------------------


def make_draft(db, evidence: tuple = (), **overrides) -> submission.ReportDraft:
    """A complete wizard draft; `overrides` change single fields."""
    values = {
        "reporter_name": "Robert",
        "include_email": True,
        "reporter_email": "robert@mail.co.id",
        "title": "Pungutan pengadaan",
        "violation_type_id": str(db.exec(select(ViolationType.id)).first()),
        "unit_id": str(reference.active_units(session=db)[0].id),
        "description": "Kepala bidang meminta uang pelicin kepada rekanan pengadaan server di kantor dinas.",
        "accused": [submission.AccusedInput(uid="a1", name="Tensu")],
        "incident_address": "Kantor",
        "province_code": "51",
        "regency_code": reference.regencies("51")[0][0],
        "incident_at": "2024-11-11T12:00",
    }
    return submission.ReportDraft(fields=submission.ReportFields(**{**values, **overrides}), evidence=list(evidence))


def draft_file(db, name: str = "foto.png") -> submission.EvidenceInput:
    return drafts.draft_file(db, PNG, name=name)


def stored_content(db, file_id: str) -> bytes:
    """A stored evidence file's content, decrypted with the key its row holds."""
    record = db.exec(select(Evidence).where(Evidence.stored_name == file_id)).one()
    found = downloads.stored_file(session=db, record=record)
    return filecrypt.read_file(found.path, key=found.key, file_id=found.file_id)


def make_report(
    db,
    *,
    created: dt.datetime,
    status: str = ReportStatus.VERIFICATION.value,
    type_name: str = "Korupsi",
    unit_index: int = 0,
    acknowledged: dt.datetime | None = None,
    closed: dt.datetime | None = None,
    accused: str = "Tensu",
    title: str = "Judul",
    assigned_to: int | None = None,
) -> Report:
    """A stored report row with its dates set directly (for deadlines, lists and statistics)."""
    n = next(_numbers)
    report = Report(
        registration_number=f"WBS-{n:010d}",
        channel="Pelanggaran (WBS)",
        title=title,
        description="Uraian",
        violation_type_id=db.exec(select(ViolationType.id).where(ViolationType.name == type_name)).one(),
        unit_id=db.exec(select(Unit.id).order_by(Unit.name)).all()[unit_index],
        status=status,
        created_at=created,
        updated_at=created,
        acknowledged_at=acknowledged,
        closed_at=closed,
        assigned_to_id=assigned_to,
        reporter_name="Robert",
        reporter_email="robert@mail.co.id",
    )
    db.add(report)
    db.flush()
    db.add(ReportAccused(report_id=report.id, name=accused, institution="Dinas Kesehatan"))
    db.flush()
    report_index.reindex(session=db, report=report)  # as a submission does: search tokens, conflicts
    db.commit()
    db.refresh(report)
    return report


# Uploads ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Chunk:
    """One piece of an upload as Reflex streams it to the upload handler."""

    filename: str
    offset: int
    data: bytes
    content_type: str = "application/octet-stream"


async def chunk_stream(chunks):
    for chunk in chunks:
        yield chunk
