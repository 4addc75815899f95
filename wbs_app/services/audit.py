"""The audit log: every verifier action, every identity reveal and every refused attempt.

Rows are only added (record), each chained to the one before (services/audit_chain.py); none is changed
afterwards. Refused staff calls are counted in memory and written as one row per client, account and handler
when their minute ends (RefusalTally). Once a day the chain is verified and its head logged (run_daily).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import re
import threading

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from wbs_app import localtime
from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.logs import show_info
from wbs_app.models import AppSetting, AuditLog, Report, User, as_utc, utcnow
from wbs_app.services import audit_chain, conflicts, keys, policy, sealed, vault

logger = logging.getLogger("wbs.audit")

# Actions, with the label the audit viewer shows (the key is what the chain stores; the label is translated where
# it is shown: `label`).
ACTIONS = {
    "akses_ditolak": N_("Akses ditolak"),
    "ubah_status": N_("Ubah status"),
    "buka_kembali": N_("Buka kembali laporan"),
    "tugaskan": N_("Penugasan"),
    "catatan_internal": N_("Catatan internal"),
    "pesan": N_("Pesan ke pelapor"),
    "pesan_pelapor": N_("Pesan dari pelapor"),
    "buka_identitas": N_("Buka identitas pelapor"),
    "ekspor": N_("Ekspor data"),
    "pengguna": N_("Kelola pengguna"),
    "dua_langkah": N_("Verifikasi dua langkah"),
    "referensi": N_("Kelola data referensi"),
    "pengaturan": N_("Ubah pengaturan"),
    "integritas": N_("Bukti berubah (SHA-256 tidak cocok)"),
    "periksa_audit": N_("Pemeriksaan rantai log audit"),
    "retensi": N_("Isi dihapus (masa retensi)"),
    "tahan_hukum": N_("Penahanan hukum (legal hold)"),
    "perlindungan": N_("Perlindungan pelapor (pembalasan)"),
    # Operator commands (record_operation).
    "kunci": N_("Rotasi kunci"),
    "cadangan": N_("Pencadangan"),
    "pemulihan": N_("Pemulihan dari cadangan"),
}
OPERATIONS = ("kunci", "cadangan", "pemulihan")


def label(action: str) -> str:
    """An action's label in the current language (an unknown stored action as stored)."""
    return _(ACTIONS[action]) if action in ACTIONS else action


def record(
    *,
    session: Session,
    action: str,
    actor_id: int | None = None,
    report_id: int | None = None,
    detail: str = "",
    client_ip: str = "",
    created_at: dt.datetime | None = None,
) -> AuditLog:
    """Chain an entry onto the log in the caller's transaction: it is committed together with what it describes.

    It takes the chain's head, which stays locked until that transaction ends: call it just before the commit.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to ACTIONS")
    return audit_chain.append(
        session=session,
        created_at=created_at or utcnow(),
        action=action,
        actor_id=actor_id,
        report_id=report_id,
        detail=detail,
        client_ip=client_ip,
    )


def record_operation(*, session: Session, action: str, detail: str) -> AuditLog:
    """An operator command (key rotation "kunci", backup "cadangan", restore "pemulihan"), committed at once and
    logged on `wbs.audit` with the new head. A restore calls it on the restored database, naming the backup: the
    heads published since that backup was taken no longer appear in the chain, and this row says why."""
    if action not in OPERATIONS:
        raise ValueError(f"{action!r} is not an operator command")
    entry = record(session=session, action=action, detail=detail)
    session.commit()
    show_info(logger)
    logger.info("audit %s: %s (head seq=%s hash=%s)", action, detail, entry.seq, entry.row_hash)
    return entry


def _opened_details(*, session: Session, rows: list[tuple[int | None, str]]) -> list[str]:
    """The details of (report id, sealed detail) rows in clear; a detail that does not open says why.

    Sealed with the report's key while it has content; with the system key "audit" when about no report, or
    once retention destroyed the report's key (whose earlier details then stay closed for good)."""
    report_keys = sealed.wrapped_keys_of(session=session, report_ids=sorted({rid for rid, _detail in rows if rid}))
    audit_key = vault.system_key(session=session, name=sealed.AUDIT_KEY)
    opened = []
    for report_id, detail in rows:
        key = report_keys.get(report_id, audit_key) if report_id else audit_key
        try:
            opened.append(sealed.open_value(detail, key=key, table="audit_log", column="detail"))
        except keys.IntegrityError:
            opened.append(_(INTEGRITY_FAILED if key is not audit_key or not report_id else CONTENT_PURGED))
    return opened


INTEGRITY_FAILED = N_("[isi entri ini tidak dapat dibuka: data terenkripsi berubah]")
CONTENT_PURGED = N_("[isi entri ini dihapus bersama isi laporannya sesuai masa retensi]")


# Refused staff calls ---------------------------------------------------------------------------------

_COUNTED_REFUSAL = re.compile(r"^(?P<handler>.*) \(×(?P<count>\d+)\)$")


def refused_calls(detail: str) -> tuple[str, int]:
    """The handler and the number of calls a refusal row stands for: "CaseState.load (×3)" is three."""
    counted = _COUNTED_REFUSAL.match(detail)
    if counted is None:
        return detail, 1
    return counted["handler"], int(counted["count"])


@dataclasses.dataclass
class RefusedCalls:
    """The refused calls of one handler by one actor from one client, from `first_at` until `ends_at`."""

    handler: str
    actor_id: int | None
    client_ip: str
    first_at: dt.datetime
    ends_at: dt.datetime
    calls: int = 0

    @property
    def detail(self) -> str:
        return self.handler if self.calls == 1 else f"{self.handler} (×{self.calls})"


class RefusalTally:
    """Refused calls counted in memory (not thread-safe: the caller locks).

    The first refused call of a client, actor and handler opens a window of `window`; the calls until it ends
    are counted in it, and it becomes one audit row when it ends. A chained row is never updated, so a flood is
    counted before it is written: one row a window, whatever the number of calls.
    """

    def __init__(self):
        self._open: dict[tuple[str, int | None, str], RefusedCalls] = {}
        self._ended: list[RefusedCalls] = []

    def add(
        self,
        *,
        handler: str,
        actor_id: int | None,
        client_ip: str,
        now: dt.datetime,
        window: dt.timedelta,
        calls: int = 1,
    ) -> bool:
        """Count `calls` refused calls; True when this opened a window (the earliest end may have changed)."""
        key = (client_ip[:64], actor_id, handler)
        current = self._open.get(key)
        if current is not None and now >= current.ends_at:
            self._ended.append(self._open.pop(key))
            current = None
        opened = current is None
        if opened:
            current = self._open[key] = RefusedCalls(handler, actor_id, client_ip[:64], now, now + window)
        current.calls += calls
        return opened

    def take(self, now: dt.datetime, *, everything: bool = False) -> list[RefusedCalls]:
        """The windows that ended by `now` (all of them with `everything`), oldest first, removed from the tally."""
        ended = [key for key, counted in self._open.items() if everything or now >= counted.ends_at]
        taken, self._ended = self._ended + [self._open.pop(key) for key in ended], []
        return sorted(taken, key=lambda counted: counted.first_at)

    def next_end(self) -> dt.datetime | None:
        if self._ended:
            return utcnow()
        return min((counted.ends_at for counted in self._open.values()), default=None)


def record_refusals(*, session: Session, counted: list[RefusedCalls]) -> None:
    """Write ended windows of refused calls, one row each, dated at their first call."""
    for window in counted:
        record(
            session=session,
            action="akses_ditolak",
            actor_id=window.actor_id,
            detail=window.detail,
            client_ip=window.client_ip,
            created_at=window.first_at,
        )
    session.commit()


# Verification and the daily head ---------------------------------------------------------------------

CHECK_ACTION = "periksa_audit"
HEAD_LOGGED_KEY = "audit_head_logged_on"
# Per process: it keeps one worker's clicks from stacking checks; two workers may each run one, which is harmless
# (each records its result as its own row).
_one_check_at_a_time = threading.Lock()


def check_chain(
    *, session: Session, actor_id: int | None = None, client_ip: str = ""
) -> audit_chain.ChainReport | None:
    """Verify the whole chain and record the result as a chained row; None when a check is already running in
    this process (a verification of millions of rows takes seconds: clicks do not stack up)."""
    if not _one_check_at_a_time.acquire(blocking=False):
        return None
    try:
        report = audit_chain.verify(session=session)
    finally:
        _one_check_at_a_time.release()
    if not report.intact:
        show_info(logger)
        logger.error("audit chain broken: %s", report.summary())
    record(session=session, action=CHECK_ACTION, actor_id=actor_id, detail=report.summary(), client_ip=client_ip)
    session.commit()
    return report


@dataclasses.dataclass(frozen=True)
class LastCheck:
    when: dt.datetime
    by: str
    summary: str

    @property
    def intact(self) -> bool:
        return self.summary.startswith("utuh")


def last_check(*, session: Session) -> LastCheck | None:
    found = session.exec(
        select(AuditLog.created_at, User.username, AuditLog.detail)
        .join(User, User.id == AuditLog.actor_id, isouter=True)
        .where(AuditLog.action == CHECK_ACTION)
        .order_by(col(AuditLog.seq).desc())
        .limit(1)
    ).first()
    if found is None:
        return None
    [summary] = _opened_details(session=session, rows=[(None, found[2])])
    return LastCheck(as_utc(found[0]), found[1] or _("Sistem (harian)"), summary)


def _claim_day(*, session: Session, today: dt.date) -> bool:
    """True for the one process (of all app workers) that is first to claim `today`."""
    if session.get(AppSetting, HEAD_LOGGED_KEY) is None:
        session.add(AppSetting(key=HEAD_LOGGED_KEY, value=""))
        try:
            session.commit()
        except IntegrityError:  # another worker made it first
            session.rollback()
    table = AppSetting.__table__
    claimed = session.exec(
        sa.update(table)
        .where(table.c.key == HEAD_LOGGED_KEY, table.c.value != today.isoformat())
        .values(value=today.isoformat())
    ).rowcount
    session.commit()
    return claimed == 1


def publish_daily_head(*, session: Session, today: dt.date) -> audit_chain.ChainReport | None:
    """Once a day, whatever the number of workers: log the chain's head ("audit head seq=N hash=…", INFO on
    `wbs.audit`) for an outside copy, then verify the chain and record the result. None when already done today."""
    if not _claim_day(session=session, today=today):
        return None
    current = audit_chain.head(session=session)
    show_info(logger)
    if current is not None:
        logger.info("audit head seq=%s hash=%s", *current)
    return check_chain(session=session)


def _publish_today() -> None:
    with open_session() as session:
        publish_daily_head(session=session, today=localtime.local_today())


async def run_daily():
    """The app's scheduled job: each hour, claim today's head line (done once a day across workers)."""
    while True:
        try:
            await asyncio.to_thread(_publish_today)
        except Exception:  # noqa: BLE001 - keep the scheduler alive; the next hour tries again
            logger.exception("daily audit head failed")
        await asyncio.sleep(3600)


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
        select(
            AuditLog.created_at,
            User.username,
            AuditLog.action,
            Report.registration_number,
            AuditLog.report_id,
            AuditLog.detail,
        )
        .join(User, User.id == AuditLog.actor_id, isouter=True)
        .join(Report, Report.id == AuditLog.report_id, isouter=True)
    )
    count = select(func.count()).select_from(AuditLog)
    # Entries about a report the viewer is accused in stay hidden (notes, messages, reasons).
    conditions = [conflicts.not_accused(session=session, user=viewer, report_id=col(AuditLog.report_id))]
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
    details = _opened_details(session=session, rows=[(row[4], row[5]) for row in rows])
    # A check's result is the chain's own text (a summary): read back in the viewer's language. Every other detail
    # is shown as recorded.
    return [
        AuditRow(
            as_utc(when),
            username or "-",
            label(act),
            number or "-",
            audit_chain.shown_summary(detail) if act == CHECK_ACTION else detail,
        )
        for (when, username, act, number, _id, _sealed), detail in zip(rows, details, strict=True)
    ], total


def report_history(*, session: Session, report_id: int) -> list[AuditRow]:
    rows = session.exec(
        select(AuditLog.created_at, User.full_name, AuditLog.action, AuditLog.detail)
        .join(User, User.id == AuditLog.actor_id, isouter=True)
        .where(AuditLog.report_id == report_id)
        .order_by(AuditLog.created_at, AuditLog.id)
    ).all()
    details = _opened_details(session=session, rows=[(report_id, row[3]) for row in rows])
    return [
        AuditRow(
            as_utc(when), name or (_("Pelapor") if act == "pesan_pelapor" else _("Sistem")), label(act), "", detail
        )
        for (when, name, act, _sealed), detail in zip(rows, details, strict=True)
    ]
