"""Case management for verifiers: the filtered case list, the status workflow, assignment, notes,
messages to the reporter and the identity reveal. Every function takes the acting user and applies the
rules of wbs_app.services.policy itself (role, workflow, conflict of interest).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

from sqlalchemy import and_, or_
from sqlmodel import Session, col, func, select

from wbs_app import localtime, messages
from wbs_app.models import (
    Report,
    ReportAccused,
    ReportMessage,
    ReportStatus,
    ReportStatusChange,
    Unit,
    User,
    ViolationType,
    as_utc,
    utcnow,
)
from wbs_app.services import audit, conflicts, deadlines, policy, reports
from wbs_app.services.deadlines import CLOSED_STATUSES, DeadlineConfig
from wbs_app.services.errors import Refused, ValidationFailed

NOTE_MAX = 5000
REVEAL_REASON_MIN = 10

ASSIGNEE = User.__table__.alias("assignee")
SORT_COLUMNS = {
    "nomor": col(Report.registration_number),
    "tanggal": col(Report.created_at),
    "kanal": col(Report.channel),
    "jenis": col(ViolationType.name),
    "unit": col(Unit.name),
    "status": col(Report.status),
    "petugas": ASSIGNEE.c.full_name,
}


# Case list --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class CaseFilters:
    status: str = ""
    channel: str = ""
    violation_type_id: int | None = None
    unit_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    assigned_to_me: bool = False
    overdue: bool = False
    search: str = ""
    sort: str = "tanggal"
    descending: bool = True


@dataclasses.dataclass(frozen=True)
class CaseRow:
    registration_number: str
    created_at: dt.datetime
    channel: str
    violation_type: str
    unit: str
    accused: str
    status: str
    assignee: str
    deadline: str
    deadline_kind: str
    overdue: bool


def _overdue_condition(config: DeadlineConfig, today: dt.date):
    acknowledge_cutoff, result_cutoff = deadlines.overdue_cutoffs(config, today)
    return or_(
        and_(
            Report.acknowledged_at.is_(None),
            col(Report.status).notin_(CLOSED_STATUSES),
            Report.created_at < localtime.start_of_day(acknowledge_cutoff),
        ),
        and_(col(Report.status).notin_(CLOSED_STATUSES), Report.created_at < localtime.start_of_day(result_cutoff)),
    )


def _conditions(*, session: Session, filters: CaseFilters, user: User, config: DeadlineConfig, today: dt.date) -> list:
    policy.require_staff(user)
    conditions = []
    if filters.status in reports.STATUS_ORDER:
        conditions.append(Report.status == filters.status)
    if filters.channel:
        conditions.append(Report.channel == filters.channel)
    if filters.violation_type_id:
        conditions.append(Report.violation_type_id == filters.violation_type_id)
    if filters.unit_id:
        conditions.append(Report.unit_id == filters.unit_id)
    if filters.date_from:
        conditions.append(Report.created_at >= localtime.start_of_day(filters.date_from))
    if filters.date_to:
        conditions.append(Report.created_at < localtime.start_of_day(filters.date_to + dt.timedelta(days=1)))
    conditions.append(conflicts.not_accused(session=session, user=user))
    if filters.assigned_to_me:
        conditions.append(Report.assigned_to_id == user.id)
    if filters.overdue:
        conditions.append(_overdue_condition(config, today))
    term = filters.search.strip()[:100]
    if term:
        # autoescape: a typed % or _ is searched for, not used as a wildcard.
        accused_match = select(ReportAccused.report_id).where(col(ReportAccused.name).icontains(term, autoescape=True))
        conditions.append(
            or_(
                col(Report.title).icontains(term, autoescape=True),
                col(Report.description).icontains(term, autoescape=True),
                col(Report.registration_number).icontains(term, autoescape=True),
                col(Report.id).in_(accused_match),
            )
        )
    return conditions


def _sorted_cases(conditions: list, filters: CaseFilters):
    """The matching cases in the order the list shows them."""
    return _case_select(*conditions).order_by(*reports.sort_order(SORT_COLUMNS, filters.sort, filters.descending))


def _case_select(*conditions):
    """The case list's columns, with the joins they need, for the reports matching `conditions`."""
    return (
        select(
            Report.id,
            Report.registration_number,
            Report.created_at,
            Report.channel,
            ViolationType.name,
            Unit.name,
            Report.status,
            ASSIGNEE.c.full_name,
            Report.acknowledged_at,
        )
        .join(ViolationType, ViolationType.id == Report.violation_type_id, isouter=True)
        .join(Unit, Unit.id == Report.unit_id, isouter=True)
        .join(ASSIGNEE, ASSIGNEE.c.id == Report.assigned_to_id, isouter=True)
        .where(*conditions)
    )


def list_cases(
    *,
    session: Session,
    filters: CaseFilters,
    user: User,
    config: DeadlineConfig,
    today: dt.date | None = None,
    page: int = 1,
    page_size: int = 20,
) -> tuple[list[CaseRow], int]:
    """One page of the case list, filtered, searched, sorted and paged in the database."""
    today = today or localtime.local_today()
    conditions = _conditions(session=session, filters=filters, user=user, config=config, today=today)
    total = session.exec(select(func.count()).select_from(Report).where(*conditions)).one()
    rows = session.exec(
        _sorted_cases(conditions, filters).offset((max(1, page) - 1) * page_size).limit(page_size)
    ).all()
    return _case_rows(session=session, rows=rows, config=config, today=today), total


def iter_cases(
    *,
    session: Session,
    filters: CaseFilters,
    user: User,
    config: DeadlineConfig,
    today: dt.date | None = None,
    batch: int = 500,
) -> Iterator[list[CaseRow]]:
    """Every matching case in list order, in batches (for exports).

    The matching ids are read once, in order, so the work stays linear and a report sent meanwhile neither
    shifts nor repeats rows; each batch is then read by id.
    """
    today = today or localtime.local_today()
    conditions = _conditions(session=session, filters=filters, user=user, config=config, today=today)
    ids = [row[0] for row in session.exec(_sorted_cases(conditions, filters).with_only_columns(Report.id))]
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        position = {report_id: index for index, report_id in enumerate(chunk)}
        rows = session.exec(_case_select(col(Report.id).in_(chunk))).all()
        yield _case_rows(
            session=session, rows=sorted(rows, key=lambda row: position[row[0]]), config=config, today=today
        )


def _case_rows(*, session: Session, rows, config: DeadlineConfig, today: dt.date) -> list[CaseRow]:
    """Case list rows with their accused names, next deadline and overdue mark."""
    ids = [row[0] for row in rows]
    names: dict[int, list[str]] = {}
    for report_id, name in session.exec(
        select(ReportAccused.report_id, ReportAccused.name)
        .where(col(ReportAccused.report_id).in_(ids))
        .order_by(ReportAccused.position_in_list)
    ):
        names.setdefault(report_id, []).append(name)
    acknowledge_cutoff, result_cutoff = deadlines.overdue_cutoffs(config, today)
    result = []
    for report_id, number, created, channel, type_name, unit_name, status, assignee_name, acknowledged in rows:
        created = as_utc(created)
        deadline = deadlines.next_deadline(
            status=status, created_at=created, acknowledged_at=acknowledged, config=config
        )
        overdue = status not in CLOSED_STATUSES and (
            (acknowledged is None and localtime.local_date(created) < acknowledge_cutoff)
            or localtime.local_date(created) < result_cutoff
        )
        result.append(
            CaseRow(
                registration_number=number,
                created_at=created,
                channel=channel,
                violation_type=type_name or "-",
                unit=unit_name or "-",
                accused=", ".join(names.get(report_id, [])) or "-",
                status=status,
                assignee=assignee_name or "-",
                deadline=f"{deadline.due:%d-%m-%Y}" if deadline else "-",
                deadline_kind=deadline.kind if deadline else "",
                overdue=overdue,
            )
        )
    return result


def counters(*, session: Session, user: User, config: DeadlineConfig, today: dt.date | None = None) -> dict[str, int]:
    """The numbers above the case list, over the reports this user may see."""
    policy.require_staff(user)
    today = today or localtime.local_today()
    visible = conflicts.not_accused(session=session, user=user)
    by_status = dict(session.exec(select(Report.status, func.count()).where(visible).group_by(Report.status)).all())
    new = session.exec(
        select(func.count())
        .select_from(Report)
        .where(visible, Report.status == ReportStatus.VERIFICATION.value, Report.assigned_to_id.is_(None))
    ).one()
    overdue = session.exec(
        select(func.count()).select_from(Report).where(visible, _overdue_condition(config, today))
    ).one()
    return {
        "baru": new,
        "verifikasi": by_status.get(ReportStatus.VERIFICATION.value, 0),
        "pemeriksaan": by_status.get(ReportStatus.EXAMINATION.value, 0),
        "selesai": sum(by_status.get(status, 0) for status in CLOSED_STATUSES),
        "terlambat": overdue,
    }


# Workflow ---------------------------------------------------------------------------------------------


def change_status(
    *,
    session: Session,
    report: Report,
    actor: User,
    new_status: str,
    public_note: str,
    internal_note: str = "",
    now: dt.datetime | None = None,
    client_ip: str = "",
) -> None:
    """Move a report along the workflow. The public note is the Catatan Verifikator the reporter sees."""
    now = now or utcnow()
    policy.require_transition(session=session, user=actor, report=report, new_status=new_status)
    public_note, internal_note = public_note.strip(), internal_note.strip()
    if not public_note:
        raise ValidationFailed({"public_note": messages.NOTE_REQUIRED})
    if len(public_note) > NOTE_MAX or len(internal_note) > NOTE_MAX:
        raise ValidationFailed({"public_note": messages.TOO_LONG.format(max=NOTE_MAX)})
    reopening = report.status in CLOSED_STATUSES
    previous = report.status
    report.status = new_status
    report.updated_at = now
    if previous == ReportStatus.VERIFICATION.value and report.acknowledged_at is None:
        report.acknowledged_at = now
    report.closed_at = now if new_status in CLOSED_STATUSES else None
    session.add(report)
    session.add(
        ReportStatusChange(
            report_id=report.id,
            status=new_status,
            public_note=public_note,
            internal_note=internal_note,
            changed_by_id=actor.id,
            created_at=now,
        )
    )
    audit.record(
        session=session,
        action="buka_kembali" if reopening else "ubah_status",
        actor_id=actor.id,
        report_id=report.id,
        detail=f"{previous} → {new_status}. Catatan publik: {public_note}"
        + (f" Catatan internal: {internal_note}" if internal_note else ""),
        client_ip=client_ip,
    )
    session.commit()


def add_internal_note(*, session: Session, report: Report, actor: User, note: str, client_ip: str = "") -> None:
    policy.require_case(session=session, user=actor, report=report)
    text = note.strip()
    if not text:
        raise ValidationFailed({"internal_note": messages.REQUIRED})
    if len(text) > NOTE_MAX:
        raise ValidationFailed({"internal_note": messages.TOO_LONG.format(max=NOTE_MAX)})
    audit.record(
        session=session,
        action="catatan_internal",
        actor_id=actor.id,
        report_id=report.id,
        detail=text,
        client_ip=client_ip,
    )
    session.commit()


def staff_members(*, session: Session) -> list[User]:
    return list(
        session.exec(
            select(User)
            .where(col(User.role).in_(policy.STAFF_ROLES), User.is_active)
            .order_by(User.full_name)
        )
    )


def open_case(*, session: Session, number: str, user: User, client_ip: str = "") -> Report | None:
    """The report behind a case page, or None when there is none.

    Staff named among the accused may not see their own case: the attempt is audited, and the answer is the
    same "not found" as for any unknown number, so it does not tell them they are accused.
    """
    policy.require_staff(user)
    report = reports.find_report(session=session, registration_number=number)
    if report is None:
        return None
    if policy.is_accused(session=session, user=user, report=report):
        audit.record(
            session=session,
            action="akses_ditolak",
            actor_id=user.id,
            report_id=report.id,
            detail="Petugas tercantum sebagai terlapor (benturan kepentingan)",
            client_ip=client_ip,
        )
        session.commit()
        return None
    return report


def assign(*, session: Session, report: Report, actor: User, verifier_id: int, client_ip: str = "") -> User:
    policy.require_case(session=session, user=actor, report=report)
    verifier = policy.require_assignable(session=session, verifier=session.get(User, verifier_id), report=report)
    report.assigned_to_id = verifier.id
    report.updated_at = utcnow()
    session.add(report)
    audit.record(
        session=session,
        action="tugaskan",
        actor_id=actor.id,
        report_id=report.id,
        detail=f"Ditugaskan kepada {verifier.full_name}",
        client_ip=client_ip,
    )
    session.commit()
    return verifier


def post_staff_message(
    *,
    session: Session,
    report: Report,
    actor: User,
    body: str,
    attachments: list[reports.EvidenceInput],
    now: dt.datetime | None = None,
    client_ip: str = "",
) -> ReportMessage:
    """A message to the reporter; the first one counts as the acknowledgement."""
    policy.require_case(session=session, user=actor, report=report)
    now = now or utcnow()

    def acknowledge_and_audit(message: ReportMessage) -> None:
        if report.acknowledged_at is None:
            report.acknowledged_at = now
        report.updated_at = now
        session.add(report)
        audit.record(
            session=session,
            action="pesan",
            actor_id=actor.id,
            report_id=report.id,
            detail=message.body[:500],
            client_ip=client_ip,
        )

    return reports.add_message(
        session=session,
        report=report,
        body=body,
        attachments=attachments,
        author=actor,
        before_commit=acknowledge_and_audit,
        now=now,
    )


def mark_read_by_staff(*, session: Session, report_id: int, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    for message in session.exec(
        select(ReportMessage).where(
            ReportMessage.report_id == report_id,
            ReportMessage.from_reporter.is_(True),
            ReportMessage.read_by_staff_at.is_(None),
        )
    ):
        message.read_by_staff_at = now
        session.add(message)
    session.commit()


def status_changes_of(*, session: Session, report_id: int) -> list[ReportStatusChange]:
    """The whole timeline with internal notes: for staff only (reporters get reports.public_timeline)."""
    return list(
        session.exec(
            select(ReportStatusChange)
            .where(ReportStatusChange.report_id == report_id)
            .order_by(ReportStatusChange.created_at, ReportStatusChange.id)
        )
    )


@dataclasses.dataclass(frozen=True)
class Identity:
    name: str
    email: str
    phone: str
    address: str
    account: str


def has_identity(report: Report) -> bool:
    return not report.hide_identity and bool(report.reporter_name or report.reporter_email or report.reporter_phone)


def reveal_identity(*, session: Session, report: Report, actor: User, reason: str, client_ip: str = "") -> Identity:
    """Show who reported, once a reason is given; who, when and why go to the audit log first."""
    policy.require_identity_reveal(session=session, user=actor, report=report)
    if not has_identity(report):
        raise Refused(messages.NO_IDENTITY)
    reason = reason.strip()
    if len(reason) < REVEAL_REASON_MIN:
        raise ValidationFailed({"reason": messages.REVEAL_REASON_REQUIRED.format(min=REVEAL_REASON_MIN)})
    audit.record(
        session=session,
        action="buka_identitas",
        actor_id=actor.id,
        report_id=report.id,
        detail=f"Alasan: {reason[:1000]}",
        client_ip=client_ip,
    )
    session.commit()
    account = ""
    if report.reporter_id:
        user = session.get(User, report.reporter_id)
        account = f"{user.username} ({user.account_type})" if user else ""
    return Identity(
        report.reporter_name, report.reporter_email, report.reporter_phone, report.reporter_address, account
    )


def notification_email(*, to: str, registration_number: str) -> dict[str, str]:
    """No content of the report: only that there is news, and where to read it."""
    text = (
        f"Ada pembaruan pada laporan {registration_number}.\n\n"
        "Buka laporan Anda di aplikasi WBS (Riwayat Laporan, atau halaman Buka Laporan dengan Kode Akses) "
        "untuk melihatnya.\n"
    )
    return {"to": to, "subject": f"Pembaruan laporan WBS {registration_number}", "text": text}


def reminder_candidates(
    *, session: Session, config: DeadlineConfig, today: dt.date
) -> list[tuple[Report, deadlines.Deadline]]:
    """Open reports whose next deadline falls within the reminder window (and is not yet past)."""
    window_end = today + dt.timedelta(days=config.remind_days_before)
    result = []
    for report in session.exec(select(Report).where(col(Report.status).notin_(CLOSED_STATUSES))):
        deadline = deadlines.next_deadline(
            status=report.status,
            created_at=as_utc(report.created_at),
            acknowledged_at=report.acknowledged_at,
            config=config,
        )
        if deadline and today <= deadline.due <= window_end:
            result.append((report, deadline))
    return result
