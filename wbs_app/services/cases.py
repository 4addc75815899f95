"""Case management for verifiers: the status workflow, assignment, notes, messages to the reporter and the
identity reveal (the list of cases is services/case_list.py). Every function takes the acting user and applies the
rules of wbs_app.services.policy itself (role, workflow, conflict of interest).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from wbs_app import i18n, localtime, messages
from wbs_app.i18n import _
from wbs_app.models import (
    CLOSED_STATUSES,
    Report,
    ReportMessage,
    ReportStatus,
    ReportStatusChange,
    User,
    utcnow,
)
from wbs_app.services import audit, deadlines, policy, reports, sealed, submission, two_factor
from wbs_app.services.deadlines import DeadlineConfig
from wbs_app.services.errors import Refused, ValidationFailed

NOTE_MAX = 5000
REVEAL_REASON_MIN = 10

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
    change = ReportStatusChange(
        report_id=report.id,
        status=new_status,
        public_note=public_note,
        internal_note=internal_note,
        changed_by_id=actor.id,
        created_at=now,
    )
    session.add(change)
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


def deadline_text(*, session: Session, report: Report, today: dt.date | None = None) -> tuple[str, bool]:
    """The case page's line about the report's next deadline, by its channel's rule, and whether it is past."""
    config = deadlines.load_config(session=session)
    deadline = deadlines.report_deadline(report, config)
    if deadline is None:
        return "", False
    rule = config.rule_for(report.channel)
    acknowledgement = deadline.kind == deadlines.ACKNOWLEDGEMENT
    days = rule.acknowledge_days if acknowledgement else rule.result_days
    own_rule = report.channel in dict(config.channel_rules)
    # Whole sentences: the deadline's kind, the kind of days and whose rule, each a text of its own.
    texts = {
        (True, True, True): _("Tenggat tanggapan awal: {due} ({days} hari kerja, aturan kanal {channel})"),
        (True, True, False): _("Tenggat tanggapan awal: {due} ({days} hari kerja, aturan umum)"),
        (True, False, True): _("Tenggat tanggapan awal: {due} ({days} hari kalender, aturan kanal {channel})"),
        (True, False, False): _("Tenggat tanggapan awal: {due} ({days} hari kalender, aturan umum)"),
        (False, True, True): _("Tenggat hasil: {due} ({days} hari kerja, aturan kanal {channel})"),
        (False, True, False): _("Tenggat hasil: {due} ({days} hari kerja, aturan umum)"),
        (False, False, True): _("Tenggat hasil: {due} ({days} hari kalender, aturan kanal {channel})"),
        (False, False, False): _("Tenggat hasil: {due} ({days} hari kalender, aturan umum)"),
    }
    text = texts[(acknowledgement, rule.working_days, own_rule)].format(
        due=f"{deadline.due:%d-%m-%Y}", days=days, channel=i18n.term(report.channel)
    )
    return text, deadline.overdue(today or localtime.local_today())


def staff_members(*, session: Session) -> list[User]:
    return list(
        session.exec(
            select(User).where(col(User.role).in_(policy.STAFF_ROLES), User.is_active).order_by(User.full_name)
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
    attachments: list[submission.EvidenceInput],
    now: dt.datetime | None = None,
    client_ip: str = "",
) -> ReportMessage:
    """A message to the reporter; the first one counts as the acknowledgement."""
    policy.require_case(session=session, user=actor, report=report)
    now = now or utcnow()

    def acknowledge_and_audit(_message: ReportMessage, text: str) -> None:
        if report.acknowledged_at is None:
            report.acknowledged_at = now
        report.updated_at = now
        session.add(report)
        audit.record(
            session=session,
            action="pesan",
            actor_id=actor.id,
            report_id=report.id,
            detail=text[:500],
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
    """The whole timeline with internal notes, opened: for staff only (reporters get reports.public_timeline)."""
    rows = session.exec(
        select(ReportStatusChange)
        .where(ReportStatusChange.report_id == report_id)
        .order_by(ReportStatusChange.created_at, ReportStatusChange.id)
    )
    return sealed.open_rows(session=session, rows=list(rows))


@dataclasses.dataclass(frozen=True)
class Identity:
    name: str
    email: str
    phone: str
    address: str
    account: str


def has_identity(report: Report) -> bool:
    return not report.hide_identity and bool(report.reporter_name or report.reporter_email or report.reporter_phone)


def reveal_identity(
    *,
    session: Session,
    report: Report,
    actor: User,
    reason: str,
    second_factor_code: str,
    client_ip: str = "",
) -> Identity:
    """Show who reported, once a reason and a fresh second-factor code are given; who, when and why go to the
    audit log first."""
    policy.require_identity_reveal(session=session, user=actor, report=report)
    if not has_identity(report):
        raise Refused(messages.NO_IDENTITY)
    reason = reason.strip()
    if len(reason) < REVEAL_REASON_MIN:
        raise ValidationFailed({"reason": messages.REVEAL_REASON_REQUIRED.format(min=REVEAL_REASON_MIN)})
    # Last: the code is used up even if something above were refused after it.
    two_factor.require_fresh_code(session=session, user=actor, code=second_factor_code)
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
        account = f"{user.username} ({i18n.term(user.account_type)})" if user else ""
    opened = sealed.open_row(session=session, row=report)
    return Identity(
        opened.reporter_name, opened.reporter_email, opened.reporter_phone, opened.reporter_address, account
    )


def notification_email(*, to: str, registration_number: str) -> dict[str, str]:
    """No content of the report: only that there is news, and where to read it. In the current language (the
    caller chooses the reporter's: language.use)."""
    text = _(
        "Ada pembaruan pada laporan {number}.\n\n"
        "Buka laporan Anda di aplikasi WBS (Riwayat Laporan, atau halaman Buka Laporan dengan Kode Akses) "
        "untuk melihatnya.\n"
    ).format(number=registration_number)
    subject = _("Pembaruan laporan WBS {number}").format(number=registration_number)
    return {"to": to, "subject": subject, "text": text}


def reminder_query(*, config: DeadlineConfig, today: dt.date):
    """The reports that can be due in the reminder window, or None when none can: for each channel's rule, the
    submission dates whose acknowledgement (not yet given) or result deadline falls in the window, as ranges of the
    (status, channel, acknowledged_at, created_at) and (status, channel, created_at) indexes."""
    window_end = today + dt.timedelta(days=config.remind_days_before)
    ranges = []
    for channel, rule in config.rules_by_channel().items():
        starts = deadlines.due_window_starts(rule, today, window_end)
        for kind, acknowledged in (
            (deadlines.ACKNOWLEDGEMENT, Report.acknowledged_at.is_(None)),
            (deadlines.RESULT, Report.acknowledged_at.is_not(None)),
        ):
            first, last = starts[kind]
            if first > last:
                continue
            ranges.append(
                and_(
                    col(Report.status).in_(deadlines.OPEN_STATUSES),
                    Report.channel == channel,
                    acknowledged,
                    Report.created_at >= localtime.start_of_day(first),
                    Report.created_at < localtime.start_of_day(last + dt.timedelta(days=1)),
                )
            )
    return select(Report).where(or_(*ranges)).order_by(Report.id) if ranges else None


def reminder_candidates(
    *, session: Session, config: DeadlineConfig, today: dt.date
) -> list[tuple[Report, deadlines.Deadline]]:
    """Open reports whose next deadline falls within the reminder window (and is not yet past). Only the reports
    of reminder_query are read, each then checked exactly."""
    window_end = today + dt.timedelta(days=config.remind_days_before)
    query = reminder_query(config=config, today=today)
    result = []
    for report in session.exec(query) if query is not None else []:
        deadline = deadlines.report_deadline(report, config)
        if deadline and today <= deadline.due <= window_end:
            result.append((report, deadline))
    return result
