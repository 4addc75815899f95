"""Reports once stored: access checks, reading, messages and the reporter's history.

Sending a report (the wizard's fields, their validation, the submission) is in services/submission.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, col, func, select

from wbs_app import messages
from wbs_app.models import (
    Evidence,
    Report,
    ReportAccused,
    ReportMessage,
    ReportStatus,
    ReportStatusChange,
    User,
    ViolationType,
    as_utc,
    utcnow,
)
from wbs_app.services import audit, codes, policy, sealed, staff_inbox, staff_notices
from wbs_app.services.errors import SubmissionFailed, ValidationFailed
from wbs_app.services.evidence_store import EvidenceInput, remove_written, store_files
from wbs_app.services.tracking import is_registration_number, normalize_registration_number

MESSAGE_MAX = 5_000

STATUS_ORDER = [s.value for s in ReportStatus]


# Access -----------------------------------------------------------------------------------------------


def find_report(*, session: Session, registration_number: str) -> Report | None:
    number = normalize_registration_number(registration_number)
    if not is_registration_number(number):
        return None
    return session.exec(select(Report).where(Report.registration_number == number)).first()


def report_for_reporter(
    *, session: Session, registration_number: str, user_id: int | None, granted: set[str]
) -> Report | None:
    """The report if this visitor may read it: its owner, or whoever opened it with its Kode Akses."""
    report = find_report(session=session, registration_number=registration_number)
    if report is None or not policy.may_read_as_reporter(report, user_id=user_id, granted=granted):
        return None
    return report


def check_access_code(*, session: Session, registration_number: str, access_code: str) -> str | None:
    """The registration number when the code opens that report; None otherwise, after the same keyed-hash work.
    An older report's argon2 hash is replaced by the keyed digest once its code was given right."""
    report = find_report(session=session, registration_number=registration_number)
    code = codes.normalize_access_code(access_code)
    stored = report.access_code_hash if report is not None else None
    if not codes.access_code_matches(session=session, code=code, stored=stored) or report is None:
        return None
    if codes.needs_new_digest(stored):
        report.access_code_hash = codes.access_code_digest(session=session, code=code)
        session.add(report)
        session.commit()
    return report.registration_number


# Reading ----------------------------------------------------------------------------------------------


def update_address(*, session: Session, report: Report) -> str:
    """Where update emails go: the address on the report, else its owner's current account address.

    None for a report sent "tanpa identitas": any address would link it to a person.
    """
    if report.hide_identity:
        return ""
    if report.reporter_email:
        return sealed.open_row(session=session, row=report).reporter_email
    owner = session.get(User, report.reporter_id) if report.reporter_id else None
    return sealed.open_row(session=session, row=owner).email if owner is not None and owner.is_active else ""


def accused_rows(*, session: Session, report_id: int) -> list[tuple[ReportAccused, ReportAccused]]:
    """The report's accused in the order of the form: each stored row with its opened copy."""
    rows = list(
        session.exec(
            select(ReportAccused).where(ReportAccused.report_id == report_id).order_by(ReportAccused.position_in_list)
        )
    )
    return list(zip(rows, sealed.open_rows(session=session, rows=rows), strict=True))


def accused_of(*, session: Session, report_id: int) -> list[ReportAccused]:
    """The report's accused, opened."""
    return [person for _, person in accused_rows(session=session, report_id=report_id)]


def accused_names_of(*, session: Session, report_ids: list[int]) -> dict[int, list[str]]:
    """The accused names of each of these reports, in the order of the form (one query for a page of a list)."""
    report_keys = sealed.wrapped_keys_of(session=session, report_ids=report_ids)
    names: dict[int, list[str]] = {}
    for report_id, name in session.exec(
        select(ReportAccused.report_id, ReportAccused.name)
        .where(col(ReportAccused.report_id).in_(report_ids))
        .order_by(ReportAccused.position_in_list)
    ):
        clear = sealed.open_value(name, key=report_keys.get(report_id), table="report_accused", column="name")
        names.setdefault(report_id, []).append(clear)
    return names


def evidence_of(*, session: Session, report_id: int, message_id: int | None = None) -> list[Evidence]:
    """The report's evidence (or one message's attachments), opened."""
    query = select(Evidence).where(Evidence.report_id == report_id)
    query = (
        query.where(Evidence.message_id.is_(None))
        if message_id is None
        else query.where(Evidence.message_id == message_id)
    )
    return sealed.open_rows(session=session, rows=list(session.exec(query.order_by(Evidence.id))))


def public_timeline(*, session: Session, report_id: int) -> list[tuple[str, dt.datetime, str]]:
    """(status, when, public note): what the reporter may see; internal notes never leave the service."""
    key = sealed.report_key_by_id(session=session, report_id=report_id)
    rows = session.exec(
        select(ReportStatusChange.status, ReportStatusChange.created_at, ReportStatusChange.public_note)
        .where(ReportStatusChange.report_id == report_id)
        .order_by(ReportStatusChange.created_at, ReportStatusChange.id)
    )
    return [
        (status, as_utc(when), sealed.open_value(note, key=key, table="report_status_change", column="public_note"))
        for status, when, note in rows
    ]


def messages_of(*, session: Session, report_id: int) -> list[ReportMessage]:
    """The conversation, opened."""
    rows = session.exec(
        select(ReportMessage)
        .where(ReportMessage.report_id == report_id)
        .order_by(ReportMessage.created_at, ReportMessage.id)
    )
    return sealed.open_rows(session=session, rows=list(rows))


def mark_read_by_reporter(*, session: Session, report_id: int, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    unread = session.exec(
        select(ReportMessage).where(
            ReportMessage.report_id == report_id,
            ReportMessage.from_reporter.is_(False),
            ReportMessage.read_by_reporter_at.is_(None),
        )
    )
    for message in unread:
        message.read_by_reporter_at = now
        session.add(message)
    session.commit()


def add_message(
    *,
    session: Session,
    report: Report,
    body: str,
    attachments: list[EvidenceInput],
    author: User | None = None,
    before_commit: Callable[[ReportMessage, str], None] | None = None,
    now: dt.datetime | None = None,
) -> ReportMessage:
    """A message from the reporter (no author) or a verifier, stored with its files in one commit.

    `before_commit(message, text)` adds the caller's own changes (acknowledgement, audit entry) to the same
    transaction; `text` is the message in clear (the stored message is sealed). Returns the stored (sealed) row.
    """
    now = now or utcnow()
    text = body.strip()
    if not text:
        raise ValidationFailed({"message": messages.REQUIRED})
    if len(text) > MESSAGE_MAX:
        raise ValidationFailed({"message": messages.TOO_LONG.format(max=MESSAGE_MAX)})
    from_reporter = author is None
    written: list[Path] = []
    try:
        message = ReportMessage(
            report_id=report.id,
            from_reporter=from_reporter,
            author_id=author.id if author else None,
            body=text,
            created_at=now,
            read_by_staff_at=None if from_reporter else now,
        )
        session.add(message)
        session.flush()
        store_files(session=session, report=report, items=attachments, now=now, written=written, message_id=message.id)
        if before_commit is not None:
            before_commit(message, text)
        session.commit()
    except Exception as failure:
        session.rollback()
        remove_written(written)
        raise SubmissionFailed(messages.SUBMISSION_FAILED) from failure
    session.refresh(message)
    return message


def post_reporter_message(
    *,
    session: Session,
    report: Report,
    user_id: int | None,
    granted: set[str],
    body: str,
    attachments: list[EvidenceInput],
    now: dt.datetime | None = None,
) -> ReportMessage:
    """A message from the reporter: its owner, or this tab's Kode Akses holder (`granted`)."""
    policy.require_reporter_access(report, user_id=user_id, granted=granted)

    def audit_entry(message: ReportMessage, text: str) -> None:
        # No actor: the case history must not name the reporter's account.
        files = f" ({len(attachments)} lampiran)" if attachments else ""
        audit.record(session=session, action="pesan_pelapor", report_id=report.id, detail=text[:500] + files)
        # News for the verifiers: the case is unread again, and an email (batched, no content) is on its way.
        staff_inbox.record_news(report=report, now=message.created_at)
        session.add(report)
        staff_notices.queue(session=session, report=report, kind=staff_notices.REPORTER_MESSAGE, now=message.created_at)

    return add_message(
        session=session, report=report, body=body, attachments=attachments, before_commit=audit_entry, now=now
    )


# History ----------------------------------------------------------------------------------------------

HISTORY_SORT_COLUMNS = {
    "nomor": col(Report.registration_number),
    "tanggal": col(Report.created_at),
    "jenis": col(ViolationType.name),
    "status": col(Report.status),
    "diperbarui": col(Report.updated_at),
}


def sort_order(columns: dict, key: str, descending: bool) -> tuple:
    """ORDER BY for a clickable table header; the report id breaks ties so pages never overlap."""
    column = columns.get(key, col(Report.created_at))
    return (
        column.desc() if descending else column.asc(),
        col(Report.id).desc() if descending else col(Report.id).asc(),
    )


@dataclasses.dataclass(frozen=True)
class HistoryRow:
    registration_number: str
    created_at: dt.datetime
    violation_type: str
    accused: str
    status: str
    verifier_note: str
    updated_at: dt.datetime
    unread_messages: int = 0


def reporter_history(
    *,
    session: Session,
    user_id: int,
    status: str = "",
    sort: str = "tanggal",
    descending: bool = True,
    page: int = 1,
    page_size: int = 10,
) -> tuple[list[HistoryRow], int]:
    """One page of a reporter's own reports, filtered and sorted in the database; and the total count."""
    conditions = [Report.reporter_id == user_id]
    if status in STATUS_ORDER:
        conditions.append(Report.status == status)
    total = session.exec(select(func.count()).select_from(Report).where(*conditions)).one()
    page = max(1, page)
    reports = session.exec(
        select(
            Report.id,
            Report.registration_number,
            Report.created_at,
            Report.status,
            Report.updated_at,
            ViolationType.name,
        )
        .join(ViolationType, ViolationType.id == Report.violation_type_id, isouter=True)
        .where(*conditions)
        .order_by(*sort_order(HISTORY_SORT_COLUMNS, sort, descending))
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    ids = [row[0] for row in reports]
    names = accused_names_of(session=session, report_ids=ids)
    notes: dict[int, str] = {}
    for report_id, note in session.exec(
        select(ReportStatusChange.report_id, ReportStatusChange.public_note)
        .where(col(ReportStatusChange.report_id).in_(ids), ReportStatusChange.public_note != "")
        .order_by(ReportStatusChange.created_at)
    ):
        notes[report_id] = note  # the newest note wins
    report_keys = sealed.wrapped_keys_of(session=session, report_ids=list(notes))
    notes = {
        report_id: sealed.open_value(
            note, key=report_keys[report_id], table="report_status_change", column="public_note"
        )
        for report_id, note in notes.items()
    }
    unread = dict(
        session.exec(
            select(ReportMessage.report_id, func.count())
            .where(
                col(ReportMessage.report_id).in_(ids),
                ReportMessage.from_reporter.is_(False),
                ReportMessage.read_by_reporter_at.is_(None),
            )
            .group_by(ReportMessage.report_id)
        ).all()
    )
    rows = [
        HistoryRow(
            registration_number=number,
            created_at=as_utc(created),
            violation_type=type_name or "-",
            accused=", ".join(names.get(report_id, [])) or "-",
            status=status_value,
            verifier_note=notes.get(report_id, ""),
            updated_at=as_utc(updated),
            unread_messages=unread.get(report_id, 0),
        )
        for report_id, number, created, status_value, updated, type_name in reports
    ]
    return rows, total
