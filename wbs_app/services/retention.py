"""Retention: a closed report's content is deleted a number of days after closure, set per channel.

"Hapus N hari setelah selesai": N per channel in app_setting (default 365), changed by administrators. Once a
day a job (one worker claims the day in the database) purges every closed report past its term that is not
on legal hold: its data key is destroyed (whatever was sealed with it can never be read again), its evidence
files and every row that belongs to it alone are deleted (evidence, messages, accused and any other table whose
rows cascade with the report), its status changes lose their notes, and its content and identity columns are
blanked. What statistics need stays: number, channel, violation type, unit, status, dates, and each status
change's status and date. Administrators see what is due, put a case on legal hold or lift it (with a reason);
everything is audited, without content.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging

import sqlalchemy as sa
from sqlalchemy import and_, or_
from sqlmodel import Session, SQLModel, col, func, select, update

from wbs_app import localtime, messages
from wbs_app.db import open_session
from wbs_app.models import (
    CLOSED_STATUSES,
    AppSetting,
    Channel,
    Evidence,
    Report,
    ReportStatusChange,
    RetaliationCheckIn,
    User,
    as_utc,
    utcnow,
)
from wbs_app.services import audit, conflicts, evidence, job_claims, policy, reports
from wbs_app.services.errors import NotFound, ValidationFailed

logger = logging.getLogger("wbs.retention")

DEFAULT_DAYS = 365
MIN_DAYS, MAX_DAYS = 30, 36500
SETTING_KEYS = {
    Channel.VIOLATION.value: "retention_days_wbs",
    Channel.CONFLICT_OF_INTEREST.value: "retention_days_benturan",
    Channel.GRATIFICATION.value: "retention_days_gratifikasi",
}
LAST_RUN_KEY = "retention_last_run"
BATCH = 50
HOLD_REASON_MIN, HOLD_REASON_MAX = 10, 1000
# Blanked on purge; every other column of the report is kept (statistics, the number, the dates).
BLANKED = {
    "title": "",
    "description": "",
    "reporter_name": "",
    "reporter_email": "",
    "reporter_phone": "",
    "reporter_address": "",
    "incident_address": "",
    "province_code": "",
    "province_name": "",
    "regency_code": "",
    "regency_name": "",
    "incident_at": None,
    "reporter_id": None,
    "data_key": None,
    "draft_key_hash": None,
}


# Settings ---------------------------------------------------------------------------------------------


def load_days(*, session: Session) -> dict[str, int]:
    """Days after closure per channel."""
    query = select(AppSetting.key, AppSetting.value).where(col(AppSetting.key).in_(list(SETTING_KEYS.values())))
    stored = dict(session.exec(query).all())
    return {channel: int(stored.get(key, DEFAULT_DAYS)) for channel, key in SETTING_KEYS.items()}


def save_days(*, session: Session, actor: User | None, form_values: dict, client_ip: str = "") -> dict[str, int]:
    """An administrator's retention terms, from the form as typed (field name: the setting key); audited."""
    policy.require_admin(actor)
    days, errors = {}, {}
    for channel, key in SETTING_KEYS.items():
        raw = str(form_values.get(key, "")).strip()
        value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 5 else -1
        if not MIN_DAYS <= value <= MAX_DAYS:
            errors[key] = messages.RETENTION_DAYS_INVALID.format(min=MIN_DAYS, max=MAX_DAYS)
        days[channel] = value
    if errors:
        raise ValidationFailed(errors)
    for channel, key in SETTING_KEYS.items():
        row = session.get(AppSetting, key) or AppSetting(key=key, value="")
        row.value = str(days[channel])
        session.add(row)
    detail = "Retensi: " + ", ".join(f"{channel} {value} hari" for channel, value in days.items())
    audit.record(session=session, action="pengaturan", actor_id=actor.id, detail=detail, client_ip=client_ip)
    session.commit()
    return days


# What is due ------------------------------------------------------------------------------------------


def _past_term(days: dict[str, int], now: dt.datetime):
    """SQL condition on Report: closed, not purged, and closed longer ago than its channel's term."""
    return and_(
        col(Report.status).in_(CLOSED_STATUSES),
        Report.purged_at.is_(None),
        or_(
            *[
                and_(Report.channel == channel, Report.closed_at <= now - dt.timedelta(days=term))
                for channel, term in days.items()
            ]
        ),
    )


def _due(days: dict[str, int], now: dt.datetime):
    """Past its term, not on legal hold, and no open protection case (services/retaliation) needs its content."""
    protected = sa.exists().where(RetaliationCheckIn.report_id == Report.id, RetaliationCheckIn.status == "Terbuka")
    return and_(_past_term(days, now), Report.legal_hold.is_(False), ~protected)


@dataclasses.dataclass(frozen=True)
class DueRow:
    registration_number: str
    channel: str
    closed_on: dt.date | None
    purge_on: dt.date | None  # closure plus the channel's term
    legal_hold: bool


def list_due(
    *, session: Session, viewer: User | None, page: int = 1, page_size: int = 20, now: dt.datetime | None = None
) -> tuple[list[DueRow], int]:
    """One page of the reports past their term and of those on legal hold (administrators only), oldest closure
    first. A report naming the viewer among its accused is left out, as everywhere else."""
    policy.require_admin(viewer)
    days = load_days(session=session)
    conditions = [
        or_(_past_term(days, now or utcnow()), and_(Report.legal_hold.is_(True), Report.purged_at.is_(None))),
        conflicts.not_accused(session=session, user=viewer),
    ]
    total = session.exec(select(func.count()).select_from(Report).where(*conditions)).one()
    found = session.exec(
        select(Report.registration_number, Report.channel, Report.closed_at, Report.legal_hold)
        .where(*conditions)
        .order_by(col(Report.closed_at).asc(), col(Report.id).asc())
        .offset((max(1, page) - 1) * page_size)
        .limit(page_size)
    ).all()
    rows = []
    for number, channel, closed_at, held in found:
        term = days.get(channel)
        purge_at = closed_at + dt.timedelta(days=term) if closed_at and term else None
        rows.append(
            DueRow(
                registration_number=number,
                channel=channel,
                closed_on=localtime.local_date(closed_at) if closed_at else None,
                purge_on=localtime.local_date(purge_at) if purge_at else None,
                legal_hold=held,
            )
        )
    return rows, total


def set_legal_hold(
    *, session: Session, actor: User | None, registration_number: str, hold: bool, reason: str, client_ip: str = ""
) -> Report:
    """Put a report on legal hold (kept past its term) or lift the hold; with a reason, audited."""
    policy.require_admin(actor)
    report = reports.find_report(session=session, registration_number=registration_number)
    if report is None:
        raise NotFound(messages.REPORT_NOT_FOUND)
    policy.require_legal_hold(session=session, user=actor, report=report)
    reason = reason.strip()
    if not HOLD_REASON_MIN <= len(reason) <= HOLD_REASON_MAX:
        raise ValidationFailed({"reason": messages.HOLD_REASON_REQUIRED.format(min=HOLD_REASON_MIN)})
    report.legal_hold = hold
    session.add(report)
    audit.record(
        session=session,
        action="tahan_hukum",
        actor_id=actor.id,
        report_id=report.id,
        detail=("Ditahan: " if hold else "Penahanan dicabut: ") + reason,
        client_ip=client_ip,
    )
    session.commit()
    return report


# Purging ----------------------------------------------------------------------------------------------


def _owned_tables() -> list[sa.Table]:
    """Tables whose rows belong to one report alone (they cascade when it is deleted), children first; the status
    changes stay (statistics read them)."""
    return [
        table
        for table in reversed(SQLModel.metadata.sorted_tables)
        if table.name != ReportStatusChange.__tablename__
        and any(fk.column.table.name == Report.__tablename__ and fk.ondelete == "CASCADE" for fk in table.foreign_keys)
    ]


def purge_report(
    *, session: Session, report_id: int, now: dt.datetime | None = None, days: dict[str, int] | None = None
) -> bool:
    """Purge one report if it is (still) due; True when purged. The files go after the commit: a file left by a
    crash in between is named by no row, and the hourly orphan sweep removes it."""
    now = now or utcnow()
    days = days or load_days(session=session)
    report = session.exec(select(Report).where(Report.id == report_id, _due(days, now)).with_for_update()).first()
    if report is None:
        session.rollback()
        return False
    stored = list(session.exec(select(Evidence.stored_name).where(Evidence.report_id == report.id)))
    removed = {}
    for table in _owned_tables():
        removed[table.name] = session.exec(sa.delete(table).where(table.c.report_id == report.id)).rowcount
    session.exec(
        update(ReportStatusChange)
        .where(ReportStatusChange.report_id == report.id)
        .values(public_note="", internal_note="")
    )
    for column, blank in BLANKED.items():
        setattr(report, column, blank)
    report.purged_at = now
    session.add(report)
    counts = ", ".join(f"{table} {count}" for table, count in sorted(removed.items()))
    audit.record(
        session=session,
        action="retensi",
        report_id=report.id,
        detail=f"Isi dihapus: {days[report.channel]} hari setelah selesai (baris dihapus: {counts})",
    )
    session.commit()
    for name in stored:
        evidence.stored_path(name).unlink(missing_ok=True)
    return True


def purge_due(*, session: Session, now: dt.datetime | None = None, batch: int = BATCH) -> int:
    """Purge every report due now, `batch` at a time; the number purged."""
    now = now or utcnow()
    days = load_days(session=session)
    purged = 0
    while True:
        ids = list(session.exec(select(Report.id).where(_due(days, now)).order_by(col(Report.closed_at)).limit(batch)))
        if not ids:
            return purged
        done = sum(purge_report(session=session, report_id=report_id, now=now, days=days) for report_id in ids)
        if not done:
            return purged  # every one changed meanwhile: nothing left to do now
        purged += done


def claim_day(*, session: Session, today: dt.date) -> bool:
    """True for exactly one caller per day, whichever worker or process asks (services/job_claims)."""
    return job_claims.claim(session=session, job=LAST_RUN_KEY, period=today.isoformat())


def run_for_day(*, session: Session, today: dt.date, now: dt.datetime | None = None) -> int | None:
    """The daily purge, if this caller wins the day; the number purged, or None when another caller has it."""
    if not claim_day(session=session, today=today):
        return None
    purged = purge_due(session=session, now=now)
    if purged:
        logger.info("retention: %d reports purged", purged)
    return purged


def _run_once() -> None:
    with open_session() as session:
        run_for_day(session=session, today=localtime.local_today())


async def run_daily():
    """A lifespan task of every app worker; the day's claim makes one of them do the work."""
    while True:
        try:
            await asyncio.to_thread(_run_once)
        except Exception:  # noqa: BLE001 - keep the scheduler alive; tomorrow's run picks up what is left
            logger.exception("retention run failed")
        await asyncio.sleep(3600)


def kept_timeline(*, session: Session, report_id: int) -> list[tuple[str, dt.datetime]]:
    """A purged report's status changes: each status and its date (their notes are gone)."""
    rows = session.exec(
        select(ReportStatusChange.status, ReportStatusChange.created_at)
        .where(ReportStatusChange.report_id == report_id)
        .order_by(ReportStatusChange.created_at, ReportStatusChange.id)
    )
    return [(status, as_utc(when)) for status, when in rows]


def purged_notice(report: Report) -> str:
    """What a report page shows instead of the content of a purged report; "" for any other."""
    if report.purged_at is None:
        return ""
    return messages.REPORT_PURGED_NOTICE.format(date=localtime.local_date(report.purged_at).strftime("%d-%m-%Y"))
