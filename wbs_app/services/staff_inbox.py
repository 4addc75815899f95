"""What is new for each staff member: a case is unread for them from the moment it is sent, or its reporter writes,
until they open its case page (services/cases.open_case callers mark it). Per (staff member, report) one row in
case_read, written on opening; the report carries the time of its latest news (report.staff_activity_at).

At a million reports every query is a range of an index: the unread count looks only at news after the member's
horizon (case_read_horizon: "Tandai semua sudah dibaca", or their account's creation), counting those reports
(ix_report_staff_activity_at) less the ones they read since (ix_case_read_user_id_read_at); a page's markers are
read for its few ids only (the primary key of case_read).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from wbs_app.models import CaseRead, CaseReadHorizon, Report, User, as_utc, utcnow
from wbs_app.services import conflicts, policy

# The markers of the case list: never opened by this member, or opened before the reporter's latest message.
NEW = "baru"
NEW_MESSAGE = "pesan"


def record_news(*, report: Report, now: dt.datetime) -> None:
    """The report was sent or its reporter wrote: unread again for every staff member (in the caller's
    transaction)."""
    report.staff_activity_at = now


def horizon(*, session: Session, user: User) -> dt.datetime:
    """News before this time counts as read for `user`."""
    row = session.get(CaseReadHorizon, user.id)
    return as_utc(row.read_before if row else user.created_at)


def mark_read(*, session: Session, user: User, report_id: int, now: dt.datetime | None = None) -> None:
    """`user` opened the case page (a staff member who may see it: the caller opened it through cases.open_case)."""
    policy.require_staff(user)
    now = now or utcnow()
    changed = session.exec(
        update(CaseRead).where(CaseRead.user_id == user.id, CaseRead.report_id == report_id).values(read_at=now)
    ).rowcount
    if not changed:
        try:
            with session.begin_nested():
                session.add(CaseRead(user_id=user.id, report_id=report_id, read_at=now))
        except IntegrityError:  # the same page opened in two tabs at once: the other one wrote it
            pass
    session.commit()


def mark_all_read(*, session: Session, user: User, now: dt.datetime | None = None) -> None:
    """Everything up to now counts as read ("Tandai semua sudah dibaca"); the markers before it are not needed."""
    policy.require_staff(user)
    now = now or utcnow()
    row = session.get(CaseReadHorizon, user.id) or CaseReadHorizon(user_id=user.id, read_before=now)
    row.read_before = now
    session.add(row)
    session.exec(CaseRead.__table__.delete().where(CaseRead.user_id == user.id, CaseRead.read_at < now))
    session.commit()


def markers(*, session: Session, user: User, report_ids: list[int]) -> dict[int, str]:
    """For the reports of one page: NEW or NEW_MESSAGE for those unread by `user`, by report id."""
    policy.require_staff(user)
    if not report_ids:
        return {}
    since = horizon(session=session, user=user)
    rows = session.exec(
        select(Report.id, Report.staff_activity_at, CaseRead.read_at)
        .join(CaseRead, and_(CaseRead.report_id == Report.id, CaseRead.user_id == user.id), isouter=True)
        .where(col(Report.id).in_(report_ids), Report.staff_activity_at > since)
    ).all()
    found = {}
    for report_id, activity, read_at in rows:
        if read_at is None:
            found[report_id] = NEW
        elif as_utc(read_at) < as_utc(activity):
            found[report_id] = NEW_MESSAGE
    return found


def unread_count(*, session: Session, user: User) -> int:
    """How many reports `user` may see have news they have not opened: the reports with news since their horizon,
    less those among them they opened after that news."""
    policy.require_staff(user)
    since = horizon(session=session, user=user)
    visible = conflicts.not_accused(session=session, user=user)
    with_news = session.exec(
        select(func.count()).select_from(Report).where(Report.staff_activity_at > since, visible)
    ).one()
    read_since = session.exec(
        select(func.count())
        .select_from(CaseRead)
        .join(Report, Report.id == CaseRead.report_id)
        .where(
            CaseRead.user_id == user.id,
            CaseRead.read_at > since,
            Report.staff_activity_at > since,
            CaseRead.read_at >= Report.staff_activity_at,
            visible,
        )
    ).one()
    return max(0, with_news - read_since)
