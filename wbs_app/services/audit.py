"""The audit log: every verifier action, every identity reveal and every refused attempt."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from wbs_app.models import AuditLog, Report, User, as_utc
from wbs_app.services import conflicts, policy

# Actions, with the label the audit viewer shows.
ACTIONS = {
    "akses_ditolak": "Akses ditolak",
    "ubah_status": "Ubah status",
    "buka_kembali": "Buka kembali laporan",
    "tugaskan": "Penugasan",
    "catatan_internal": "Catatan internal",
    "pesan": "Pesan ke pelapor",
    "pesan_pelapor": "Pesan dari pelapor",
    "buka_identitas": "Buka identitas pelapor",
    "ekspor": "Ekspor data",
    "pengguna": "Kelola pengguna",
    "dua_langkah": "Verifikasi dua langkah",
    "referensi": "Kelola data referensi",
    "pengaturan": "Ubah pengaturan",
    "integritas": "Bukti berubah (SHA-256 tidak cocok)",
}


def record(
    *,
    session: Session,
    action: str,
    actor_id: int | None = None,
    report_id: int | None = None,
    detail: str = "",
    client_ip: str = "",
) -> AuditLog:
    """Add an entry to the caller's transaction: it is committed together with what it describes."""
    entry = AuditLog(
        action=action, actor_id=actor_id, report_id=report_id, detail=detail[:4000], client_ip=client_ip[:64]
    )
    session.add(entry)
    return entry


def record_refusal(*, session: Session, handler: str, actor_id: int | None, client_ip: str = "") -> None:
    record(session=session, action="akses_ditolak", actor_id=actor_id, detail=handler, client_ip=client_ip)
    session.commit()


@dataclasses.dataclass(frozen=True)
class AuditRow:
    when: dt.datetime
    actor: str
    action: str
    report: str
    detail: str


def list_entries(
    *,
    session: Session,
    viewer: User,
    action: str = "",
    report_number: str = "",
    actor_username: str = "",
    page: int = 1,
    page_size: int = 25,
) -> tuple[list[AuditRow], int]:
    """One page of the audit log viewer (administrators only)."""
    policy.require_admin(viewer)
    query = (
        select(AuditLog.created_at, User.username, AuditLog.action, Report.registration_number, AuditLog.detail)
        .join(User, User.id == AuditLog.actor_id, isouter=True)
        .join(Report, Report.id == AuditLog.report_id, isouter=True)
    )
    count = select(func.count()).select_from(AuditLog)
    # Entries about a report the viewer is accused in stay hidden (notes, messages, reasons).
    conditions = [
        or_(
            AuditLog.report_id.is_(None),
            ~conflicts.named_among_accused(session=session, user=viewer, report_id=AuditLog.report_id),
        )
    ]
    if action in ACTIONS:
        conditions.append(AuditLog.action == action)
    if report_number.strip():
        report_id = session.exec(
            select(Report.id).where(Report.registration_number == report_number.strip().upper())
        ).first()
        conditions.append(AuditLog.report_id == (report_id or -1))
    if actor_username.strip():
        actor_id = session.exec(select(User.id).where(User.username_key == actor_username.strip().lower())).first()
        conditions.append(AuditLog.actor_id == (actor_id or -1))
    total = session.exec(count.where(*conditions)).one()
    rows = session.exec(
        query.where(*conditions)
        .order_by(col(AuditLog.created_at).desc(), col(AuditLog.id).desc())
        .offset((max(1, page) - 1) * page_size)
        .limit(page_size)
    ).all()
    return [
        AuditRow(as_utc(when), username or "-", ACTIONS.get(act, act), number or "-", detail)
        for when, username, act, number, detail in rows
    ], total


def report_history(*, session: Session, report_id: int) -> list[AuditRow]:
    rows = session.exec(
        select(AuditLog.created_at, User.full_name, AuditLog.action, AuditLog.detail)
        .join(User, User.id == AuditLog.actor_id, isouter=True)
        .where(AuditLog.report_id == report_id)
        .order_by(AuditLog.created_at, AuditLog.id)
    ).all()
    return [
        AuditRow(
            as_utc(when), name or ("Pelapor" if act == "pesan_pelapor" else "Sistem"), ACTIONS.get(act, act), "", detail
        )
        for when, name, act, detail in rows
    ]
