"""The audit log: every verifier action, every identity reveal and every refused attempt."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from wbs_app.models import AuditLog, Report, User, as_utc, utcnow
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
    "retensi": "Isi dihapus (masa retensi)",
    "tahan_hukum": "Penahanan hukum (legal hold)",
    "cadangan": "Pencadangan",
    "pemulihan": "Pemulihan dari cadangan",
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


# Refused calls of one handler by one actor from one client within this long share one row.
REFUSALS_MERGED_FOR = dt.timedelta(minutes=1)
_COUNTED_REFUSAL = re.compile(r"^(?P<handler>.*) \(×(?P<count>\d+)\)$")


def refused_calls(detail: str) -> tuple[str, int]:
    """The handler and the number of calls a refusal row stands for: "CaseState.load (×3)" is three."""
    counted = _COUNTED_REFUSAL.match(detail)
    if counted is None:
        return detail, 1
    return counted["handler"], int(counted["count"])


def record_refusal(
    *,
    session: Session,
    handler: str,
    actor_id: int | None,
    client_ip: str = "",
    calls: int = 1,
    now: dt.datetime | None = None,
) -> None:
    """Audit `calls` refused calls of a staff handler. A flood makes one row per client, actor and handler
    a minute, whose detail counts the calls ("CaseState.load (×2000)"), not a row each."""
    now = now or utcnow()
    client_ip = client_ip[:64]
    recent = session.exec(
        select(AuditLog)
        .where(
            AuditLog.action == "akses_ditolak",
            AuditLog.client_ip == client_ip,
            AuditLog.actor_id == actor_id,  # IS NULL for anonymous calls
            AuditLog.report_id.is_(None),
            AuditLog.created_at >= now - REFUSALS_MERGED_FOR,
            or_(AuditLog.detail == handler, col(AuditLog.detail).startswith(f"{handler} (×", autoescape=True)),
        )
        .order_by(col(AuditLog.created_at).desc(), col(AuditLog.id).desc())
        .limit(1)
    ).first()
    total = calls + (refused_calls(recent.detail)[1] if recent is not None else 0)
    detail = handler if total == 1 else f"{handler} (×{total})"
    if recent is None:
        entry = record(session=session, action="akses_ditolak", actor_id=actor_id, detail=detail, client_ip=client_ip)
        entry.created_at = now
    else:
        recent.detail = detail
        session.add(recent)
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
