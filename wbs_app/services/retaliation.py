"""Retaliation check-in (ISO 37002): after a report is closed its reporter is asked "Apakah Anda mengalami
pembalasan?". A "yes" opens a protection case for staff, due within WBS_PROTECTION_CASE_DAYS; staff close it with a
note the reporter reads. A "no" is kept as the answer; the reporter may answer again later.

The reporter is the report's owner (logged in) or this tab's Kode Akses holder (policy.require_check_in). Staff see a
case only if they may handle its report (policy.require_protection_case: not named among its accused). The reporter's
description and staff's note are sealed with the report's key, and go with the report's content at retention; a
report with an open case is not purged (services/retention). Every answer and closure is audited ("perlindungan");
the reporter's own entries name no account, as their messages do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlmodel import Session, col, func, select

from wbs_app import localtime, messages
from wbs_app.models import Report, RetaliationCheckIn, User, as_utc, utcnow
from wbs_app.services import audit, conflicts, policy, sealed
from wbs_app.services.errors import NotFound, Refused, ValidationFailed
from wbs_app.settings import get_settings

OPEN, CLOSED = "Terbuka", "Selesai"
DESCRIPTION_MAX = 5000
NOTE_MIN, NOTE_MAX = 10, 5000
PAGE_SIZE = 50


def _day(when: dt.date | None) -> str:
    return "-" if when is None else f"{when:%d-%m-%Y}"


def open_case_of(*, session: Session, report_id: int) -> RetaliationCheckIn | None:
    return session.exec(
        select(RetaliationCheckIn).where(RetaliationCheckIn.report_id == report_id, RetaliationCheckIn.status == OPEN)
    ).first()


# The reporter's side --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CheckInView:
    """What the report page shows under "Apakah Anda mengalami pembalasan?"."""

    asked: bool = False  # the report is closed: the question is shown
    answer: str = ""  # the last answer: "Ya" or "Tidak" ("" before any)
    answered_at: str = ""
    case_status: str = ""  # of the last "yes": "Terbuka" or "Selesai"
    due_on: str = ""
    closing_note: str = ""  # staff's answer, once the case is closed
    may_answer: bool = False  # no case is open


def view_for_reporter(*, session: Session, report: Report) -> CheckInView:
    """For a reader whose right to the report is already checked."""
    if not policy.may_check_in(report):
        return CheckInView()
    last = session.exec(
        select(RetaliationCheckIn)
        .where(RetaliationCheckIn.report_id == report.id)
        .order_by(col(RetaliationCheckIn.created_at).desc(), col(RetaliationCheckIn.id).desc())
    ).first()
    if last is None:
        return CheckInView(asked=True, may_answer=True)
    opened = sealed.open_row(session=session, row=last)
    return CheckInView(
        asked=True,
        answer="Ya" if last.retaliation else "Tidak",
        answered_at=localtime.format_local_with_zone(last.created_at),
        case_status=last.status or "",
        due_on=_day(last.due_on),
        closing_note=opened.closing_note,
        may_answer=last.status != OPEN,
    )


def check_in(
    *,
    session: Session,
    report: Report,
    user_id: int | None,
    granted: set[str],
    retaliation: bool,
    description: str = "",
    now: dt.datetime | None = None,
) -> RetaliationCheckIn:
    """Store the reporter's answer; a "yes" opens a protection case due in WBS_PROTECTION_CASE_DAYS days."""
    policy.require_check_in(report, user_id=user_id, granted=granted)
    if open_case_of(session=session, report_id=report.id) is not None:
        raise Refused(messages.RETALIATION_CASE_OPEN)
    text = description.strip() if retaliation else ""
    if len(text) > DESCRIPTION_MAX:
        raise ValidationFailed({"retaliation_description": messages.TOO_LONG.format(max=DESCRIPTION_MAX)})
    now = now or utcnow()
    due = localtime.local_date(now) + dt.timedelta(days=get_settings().protection_case_days) if retaliation else None
    row = RetaliationCheckIn(
        report_id=report.id,
        retaliation=retaliation,
        description=text,
        created_at=now,
        status=OPEN if retaliation else None,
        due_on=due,
    )
    session.add(row)
    session.flush()
    detail = (
        f"Pelapor melaporkan pembalasan: kasus perlindungan #{row.id} dibuka, tenggat {_day(due)}."
        if retaliation
        else "Pelapor menjawab tidak mengalami pembalasan."
    )
    audit.record(session=session, action="perlindungan", report_id=report.id, detail=detail)
    session.commit()
    return row


# The staff's side -----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ProtectionRow:
    case_id: int
    registration_number: str
    received: str
    due_on: str
    overdue: bool
    status: str
    description: str = ""
    closing_note: str = ""


def _visible(*, session: Session, user: User) -> list:
    policy.require_staff(user)
    return [
        RetaliationCheckIn.retaliation.is_(True),
        conflicts.not_accused(session=session, user=user, report_id=col(RetaliationCheckIn.report_id)),
    ]


def count_open(*, session: Session, user: User) -> int:
    conditions = _visible(session=session, user=user)
    return session.exec(
        select(func.count()).select_from(RetaliationCheckIn).where(*conditions, RetaliationCheckIn.status == OPEN)
    ).one()


def list_cases(
    *, session: Session, user: User, closed: bool = False, today: dt.date | None = None
) -> list[ProtectionRow]:
    """Open cases by due date (the (status, due_on) index), or the most recently closed; never one about a report
    naming the viewer among its accused. The description is opened only for the case page (case_detail)."""
    today = today or localtime.local_today()
    conditions = [*_visible(session=session, user=user), RetaliationCheckIn.status == (CLOSED if closed else OPEN)]
    order = (col(RetaliationCheckIn.closed_at).desc(),) if closed else (col(RetaliationCheckIn.due_on).asc(),)
    rows = session.exec(
        select(RetaliationCheckIn, Report.registration_number)
        .join(Report, Report.id == RetaliationCheckIn.report_id)
        .where(*conditions)
        .order_by(*order, col(RetaliationCheckIn.id).asc())
        .limit(PAGE_SIZE)
    ).all()
    return [
        ProtectionRow(
            case_id=case.id,
            registration_number=number,
            received=localtime.format_local(as_utc(case.created_at)),
            due_on=_day(case.due_on),
            overdue=case.status == OPEN and case.due_on is not None and case.due_on < today,
            status=case.status or "",
        )
        for case, number in rows
    ]


def _case_and_report(*, session: Session, user: User | None, case_id: int) -> tuple[RetaliationCheckIn, Report]:
    case = session.get(RetaliationCheckIn, case_id) if isinstance(case_id, int) else None
    report = session.get(Report, case.report_id) if case is not None and case.retaliation else None
    if report is None:
        policy.require_staff(user)
        raise NotFound(messages.REPORT_NOT_FOUND)
    policy.require_protection_case(session=session, user=user, report=report)
    return case, report


def case_detail(*, session: Session, user: User | None, case_id: int, today: dt.date | None = None) -> ProtectionRow:
    """One case with the reporter's description and staff's note, opened."""
    case, report = _case_and_report(session=session, user=user, case_id=case_id)
    opened = sealed.open_row(session=session, row=case)
    today = today or localtime.local_today()
    return ProtectionRow(
        case_id=case.id,
        registration_number=report.registration_number,
        received=localtime.format_local(as_utc(case.created_at)),
        due_on=_day(case.due_on),
        overdue=case.status == OPEN and case.due_on is not None and case.due_on < today,
        status=case.status or "",
        description=opened.description,
        closing_note=opened.closing_note,
    )


def close_case(
    *, session: Session, user: User | None, case_id: int, note: str, client_ip: str = "", now: dt.datetime | None = None
) -> None:
    """Staff close a case with the follow-up the reporter reads on the report page; audited."""
    case, report = _case_and_report(session=session, user=user, case_id=case_id)
    if case.status != OPEN:
        raise Refused(messages.PROTECTION_CASE_CLOSED)
    text = note.strip()
    if not NOTE_MIN <= len(text) <= NOTE_MAX:
        raise ValidationFailed({"note": messages.PROTECTION_NOTE_REQUIRED.format(min=NOTE_MIN)})
    case.status = CLOSED
    case.closed_at = now or utcnow()
    case.handled_by_id = user.id
    case.closing_note = text
    session.add(case)
    audit.record(
        session=session,
        action="perlindungan",
        actor_id=user.id,
        report_id=report.id,
        detail=f"Kasus perlindungan #{case.id} diselesaikan. Tindak lanjut untuk pelapor: {text}",
        client_ip=client_ip,
    )
    session.commit()
