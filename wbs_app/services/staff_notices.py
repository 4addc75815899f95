"""Emails to staff about new work: a report arrived, or its reporter wrote. They go to the assigned verifier, or
to every active staff member while nobody is assigned, never to staff named among the report's accused, and hold
no content: the report's number, what happened, and the link to its case page.

News is queued in the sending transaction (staff_notice) and a lifespan task of every app worker sends it: the
news of one staff member within WBS_STAFF_NOTICE_SECONDS of the first becomes one email listing the numbers (a
report and two quick messages, or three reports in a row, are one email). Workers claim a member's queue with one
DELETE … RETURNING, so each notice goes out once; a failed send is logged, not retried (like every courtesy email).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging

from sqlalchemy import delete
from sqlmodel import Session, col, select

from wbs_app import language, routes
from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.models import CaseRead, Report, ReportConflict, StaffNotice, User, as_utc, utcnow
from wbs_app.services import mailer, policy
from wbs_app.settings import get_settings

logger = logging.getLogger("wbs.staff_notices")
NEW_REPORT = "baru"
REPORTER_MESSAGE = "pesan"
KIND_TEXT = {NEW_REPORT: N_("laporan baru"), REPORTER_MESSAGE: N_("pesan baru dari pelapor")}


def recipients(*, session: Session, report: Report) -> list[int]:
    """The assigned verifier when active staff, else every active staff member; never the report's accused."""
    accused = set(session.exec(select(ReportConflict.user_id).where(ReportConflict.report_id == report.id)))
    assignee = session.get(User, report.assigned_to_id) if report.assigned_to_id else None
    if policy.is_staff(assignee):
        targets = [assignee.id]
    else:
        targets = list(
            session.exec(select(User.id).where(col(User.role).in_(policy.STAFF_ROLES), col(User.is_active).is_(True)))
        )
    return [user_id for user_id in targets if user_id not in accused]


def queue(*, session: Session, report: Report, kind: str, now: dt.datetime | None = None) -> int:
    """Queue the news for its recipients in the caller's transaction (not committed). News already waiting for the
    same member, report and kind is not queued twice (a report being submitted has none). Returns how many were
    queued."""
    now = now or utcnow()
    waiting = set()
    if kind != NEW_REPORT:
        waiting = set(
            session.exec(
                select(StaffNotice.user_id).where(StaffNotice.report_id == report.id, StaffNotice.kind == kind)
            )
        )
    fresh = [user_id for user_id in recipients(session=session, report=report) if user_id not in waiting]
    session.add_all(StaffNotice(user_id=user_id, report_id=report.id, kind=kind, created_at=now) for user_id in fresh)
    return len(fresh)


@dataclasses.dataclass(frozen=True)
class Batch:
    to: str
    items: list[tuple[str, str]]  # (registration number, kind), in order of arrival
    language: str = language.DEFAULT  # the recipient's (their account's language)


def _claim(*, session: Session, user_id: int) -> list[tuple[int, str, dt.datetime]]:
    """Take every notice waiting for this member (of several workers exactly one gets each row)."""
    claimed = session.execute(
        delete(StaffNotice)
        .where(StaffNotice.user_id == user_id)
        .returning(StaffNotice.report_id, StaffNotice.kind, StaffNotice.created_at)
    ).all()
    session.commit()
    return [(report_id, kind, as_utc(created)) for report_id, kind, created in claimed]


def due_batches(*, session: Session, now: dt.datetime | None = None) -> list[Batch]:
    """Claim the queues whose oldest notice waited the window out, one batch (one email) per member. A report the
    member opened after its news was queued is left out: they have seen it."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(seconds=get_settings().staff_notice_seconds)
    members = session.exec(select(StaffNotice.user_id).where(StaffNotice.created_at <= cutoff).distinct()).all()
    batches = []
    for user_id in members:
        claimed = sorted(_claim(session=session, user_id=user_id), key=lambda row: row[2])
        user = session.get(User, user_id)
        if not claimed or not policy.is_staff(user):
            continue
        report_ids = {report_id for report_id, _, _ in claimed}
        numbers = dict(
            session.exec(select(Report.id, Report.registration_number).where(col(Report.id).in_(report_ids))).all()
        )
        opened = dict(
            session.exec(
                select(CaseRead.report_id, CaseRead.read_at).where(
                    CaseRead.user_id == user_id, col(CaseRead.report_id).in_(report_ids)
                )
            ).all()
        )
        items: dict[str, str] = {}  # number → what happened first, in order of arrival
        for report_id, kind, created in claimed:
            seen = opened.get(report_id)
            if report_id in numbers and (seen is None or as_utc(seen) < created):
                items.setdefault(numbers[report_id], kind)
        if items:
            batches.append(Batch(to=user.email, items=list(items.items()), language=user.language))
    return batches


def batch_email(batch: Batch) -> dict[str, str]:
    """Numbers, what happened and links only: nothing a report says. In the recipient's language."""
    with language.use(batch.language):
        return _batch_email(batch)


def _batch_email(batch: Batch) -> dict[str, str]:
    base = get_settings().base_url
    lines = [
        f"- {number} ({_(KIND_TEXT[kind]) if kind in KIND_TEXT else kind}): {base}{routes.staff_case(number)}"
        for number, kind in batch.items
    ]
    count = len(batch.items)
    text = (
        (
            _("Ada {count} laporan WBS yang perlu Anda lihat:")
            if count > 1
            else _("Ada 1 laporan WBS yang perlu Anda lihat:")
        ).format(count=count)
        + "\n\n"
        + "\n".join(lines)
        + "\n\n"
        + _("Masuk ke WBS untuk membacanya. Email ini sengaja tidak memuat isi laporan.")
        + "\n"
    )
    subject = (
        _("WBS: {count} laporan perlu dilihat").format(count=count)
        if count > 1
        else _("WBS: {number} perlu dilihat").format(number=batch.items[0][0])
    )
    return {"to": batch.to, "subject": subject, "text": text}


def send_due(*, session: Session, now: dt.datetime | None = None) -> int:
    """Blocking: claim and send what is due. Returns the emails sent."""
    batches = due_batches(session=session, now=now)
    sent = 0
    for batch in batches:
        try:
            mailer.send_email(**batch_email(batch))
            sent += 1
        except Exception:  # noqa: BLE001 - one failed address must not stop the others
            logger.exception("a staff notice failed")
    return sent


def _send_once() -> None:
    with open_session() as db:
        send_due(session=db)


async def run_sender():
    """A lifespan task of every app worker: looks for due notices a few times per window."""
    while True:
        window = get_settings().staff_notice_seconds
        await asyncio.sleep(max(0.5, min(5.0, window / 3)))
        try:
            await asyncio.to_thread(_send_once)
        except Exception:  # noqa: BLE001 - keep the sender alive; the next round tries again
            logger.exception("sending staff notices failed")
