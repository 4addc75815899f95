"""Reports: validation of the wizard's steps, the atomic submission, access checks, history and messages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import zoneinfo
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from wbs_app import messages, validators
from wbs_app.models import (
    Channel,
    Evidence,
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
from wbs_app.security import hash_password, verify_password
from wbs_app.services import audit, codes, evidence, policy, reference
from wbs_app.services.errors import ValidationFailed
from wbs_app.services.tracking import is_registration_number, normalize_registration_number
from wbs_app.settings import get_settings

CLASSIFICATIONS = ["ASN", "Pejabat", "Non-ASN/Honorer", "Pihak Ketiga/Swasta", "Lainnya"]
MAX_ACCUSED = 20
DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 10_000
MESSAGE_MAX = 5_000

STATUS_ORDER = [s.value for s in ReportStatus]


@dataclasses.dataclass
class AccusedInput:
    uid: str
    name: str = ""
    position: str = ""
    rank: str = ""
    institution: str = ""
    city: str = ""
    classification: str = ""


# What is asked and shown of each accused person, in the order of the form.
ACCUSED_FIELDS = [field.name for field in dataclasses.fields(AccusedInput) if field.name != "uid"]


@dataclasses.dataclass
class EvidenceInput:
    """A file already received into the draft's temporary folder."""

    file_id: str
    name: str
    kind: str
    size: int
    sha256: str
    temp_path: str
    description: str = ""


@dataclasses.dataclass
class ReportDraft:
    channel: str = Channel.VIOLATION.value
    hide_identity: bool = False
    reporter_name: str = ""
    include_email: bool = False
    reporter_email: str = ""
    reporter_phone: str = ""
    reporter_address: str = ""
    title: str = ""
    violation_type_id: str = ""
    unit_id: str = ""
    description: str = ""
    accused: list[AccusedInput] = dataclasses.field(default_factory=list)
    incident_address: str = ""
    province_code: str = ""
    regency_code: str = ""
    incident_at: str = ""  # as the browser's datetime-local input gives it: 2026-11-11T12:00
    evidence: list[EvidenceInput] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class SubmittedReport:
    registration_number: str
    access_code: str | None  # only for reports without an account; shown once, stored only as a hash
    notify_email: str


class SubmissionFailed(Exception):
    """The report could not be stored; nothing of it was kept."""


# Validation -------------------------------------------------------------------------------------------


def _limit(errors: dict[str, str], field: str, value: str, max_length: int) -> None:
    if field not in errors and len(value) > max_length:
        errors[field] = messages.TOO_LONG.format(max=max_length)


def validate_reporter(draft: ReportDraft, *, logged_in: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    if draft.channel not in {c.value for c in Channel}:
        errors["channel"] = messages.CHANNEL_INVALID
    if logged_in:
        return errors
    if not draft.reporter_name.strip():
        errors["reporter_name"] = messages.REQUIRED
    _limit(errors, "reporter_name", draft.reporter_name, 120)
    if draft.include_email:
        if message := validators.check_email(draft.reporter_email):
            errors["reporter_email"] = message
    if message := validators.check_phone(draft.reporter_phone, required=False):
        errors["reporter_phone"] = message
    _limit(errors, "reporter_address", draft.reporter_address, 500)
    return errors


def validate_details(*, session: Session, draft: ReportDraft) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not draft.title.strip():
        errors["title"] = messages.REQUIRED
    _limit(errors, "title", draft.title, 200)
    type_id = int(draft.violation_type_id) if draft.violation_type_id.isdigit() else None
    violation_type = session.get(ViolationType, type_id) if type_id else None
    if violation_type is None or not violation_type.is_active:
        errors["violation_type_id"] = messages.VIOLATION_TYPE_REQUIRED
    unit_id = int(draft.unit_id) if draft.unit_id.isdigit() else None
    unit = session.get(Unit, unit_id) if unit_id else None
    if unit is None or not unit.is_active:
        errors["unit_id"] = messages.INCIDENT_UNIT_REQUIRED
    description = draft.description.strip()
    if not description:
        errors["description"] = messages.REQUIRED
    elif len(description) < DESCRIPTION_MIN:
        errors["description"] = messages.DESCRIPTION_TOO_SHORT.format(min=DESCRIPTION_MIN)
    _limit(errors, "description", draft.description, DESCRIPTION_MAX)
    if not draft.accused:
        errors["accused"] = messages.ACCUSED_REQUIRED
    elif len(draft.accused) > MAX_ACCUSED:
        errors["accused"] = messages.ACCUSED_TOO_MANY.format(max=MAX_ACCUSED)
    for row in draft.accused:
        if not row.name.strip():
            errors[f"accused_name_{row.uid}"] = messages.REQUIRED
        if row.classification and row.classification not in CLASSIFICATIONS:
            errors[f"accused_classification_{row.uid}"] = messages.CLASSIFICATION_INVALID
        for field, max_length in (("name", 120), ("position", 120), ("rank", 80), ("institution", 200), ("city", 80)):
            _limit(errors, f"accused_{field}_{row.uid}", getattr(row, field), max_length)
    return errors


def parse_incident_time(value: str) -> dt.datetime | None:
    """The browser's local date-time, read in the configured time zone (WIB by default), as UTC."""
    try:
        local = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if local.tzinfo is None:
        local = local.replace(tzinfo=zoneinfo.ZoneInfo(get_settings().timezone))
    return local.astimezone(dt.UTC)


def validate_location(draft: ReportDraft, *, now: dt.datetime | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    now = now or utcnow()
    if not draft.incident_address.strip():
        errors["incident_address"] = messages.REQUIRED
    _limit(errors, "incident_address", draft.incident_address, 500)
    provinces = dict(reference.provinces())
    if draft.province_code not in provinces:
        errors["province_code"] = messages.PROVINCE_REQUIRED
    elif draft.regency_code not in dict(reference.regencies(draft.province_code)):
        errors["regency_code"] = messages.REGENCY_REQUIRED
    if not draft.incident_at.strip():
        errors["incident_at"] = messages.REQUIRED
    else:
        when = parse_incident_time(draft.incident_at)
        if when is None:
            errors["incident_at"] = messages.DATETIME_INVALID
        elif when > now:
            errors["incident_at"] = messages.DATETIME_IN_FUTURE
        elif when.year < 1945:
            errors["incident_at"] = messages.DATETIME_INVALID
    for item in draft.evidence:
        _limit(errors, f"evidence_{item.file_id}", item.description, 300)
    return errors


def validate_all(*, session: Session, draft: ReportDraft, logged_in: bool, now: dt.datetime | None = None) -> dict:
    return {
        **validate_reporter(draft, logged_in=logged_in),
        **validate_details(session=session, draft=draft),
        **validate_location(draft, now=now),
    }


def evidence_total_ok(existing: list[EvidenceInput], incoming_size: int = 0) -> bool:
    limit = get_settings().max_report_mb * evidence.MB
    return sum(item.size for item in existing) + incoming_size <= limit


# Submission -------------------------------------------------------------------------------------------


def _commit(*, session: Session) -> None:
    """The single commit of a submission (a seam for tests that simulate a failure here)."""
    session.commit()


def submit_report(
    *, session: Session, draft: ReportDraft, user: User | None, now: dt.datetime | None = None
) -> SubmittedReport:
    """Store the report, its accused, its evidence and its first status together, or nothing at all.

    Evidence files move from the draft's temporary folder into the permanent store just before the commit
    and move back if the commit fails, so a failed submission leaves no file in the store.
    """
    now = now or utcnow()
    errors = validate_all(session=session, draft=draft, logged_in=user is not None, now=now)
    if errors:
        raise ValidationFailed(errors)
    if not evidence_total_ok(draft.evidence):
        raise SubmissionFailed(messages.EVIDENCE_TOTAL_TOO_LARGE.format(max=get_settings().max_report_mb))

    access_code = None if user is not None else codes.new_access_code()
    access_hash = hash_password(access_code) if access_code else None
    if user is not None:
        notify_email = user.email
    else:
        notify_email = validators.normalize_email(draft.reporter_email) if draft.include_email else ""
        notify_email = notify_email or ""

    for attempt in range(5):
        moved: list[tuple[Path, Path]] = []
        try:
            report = _new_report(draft, user, now, access_hash, notify_email)
            session.add(report)
            session.flush()
            for order, row in enumerate(draft.accused):
                session.add(_new_accused(report.id, order, row))
            session.add(ReportStatusChange(report_id=report.id, status=report.status, created_at=now))
            _store_files(session=session, report_id=report.id, items=draft.evidence, now=now, moved=moved)
            _commit(session=session)
            return SubmittedReport(report.registration_number, access_code, notify_email)
        except IntegrityError as clash:
            session.rollback()
            _move_back(moved)
            if "registration_number" not in str(clash) or attempt == 4:
                raise SubmissionFailed(messages.SUBMISSION_FAILED) from clash
        except Exception as failure:
            session.rollback()
            _move_back(moved)
            raise SubmissionFailed(messages.SUBMISSION_FAILED) from failure
    raise SubmissionFailed(messages.SUBMISSION_FAILED)


def _store_files(
    *,
    session: Session,
    report_id: int,
    items: list[EvidenceInput],
    now: dt.datetime,
    moved: list[tuple[Path, Path]],
    message_id: int | None = None,
) -> None:
    """Add an Evidence row per file and move the file into the store, recording each move in `moved`
    so that a failed commit can put it back."""
    store = get_settings().evidence_dir
    store.mkdir(parents=True, exist_ok=True)
    for item in items:
        session.add(
            Evidence(
                report_id=report_id,
                message_id=message_id,
                stored_name=item.file_id,
                original_name=item.name,
                description=item.description.strip()[:300],
                kind=item.kind,
                size=item.size,
                sha256=item.sha256,
                created_at=now,
            )
        )
        final = store / item.file_id
        os.replace(item.temp_path, final)
        os.utime(final)  # the orphan sweep spares young files: "young" means moved into the store just now
        moved.append((Path(item.temp_path), final))


def sweep_orphan_evidence(*, session: Session, min_age_hours: float = 1) -> int:
    """Remove evidence files that no committed row names.

    Files move into the store just before the commit; if the process dies in between, the report was never
    stored and its files are orphans. Young files are left alone: their commit may still be running.
    """
    folder = get_settings().evidence_dir
    if not folder.exists():
        return 0
    cutoff = dt.datetime.now().timestamp() - min_age_hours * 3600
    candidates = [path for path in folder.iterdir() if path.is_file() and path.stat().st_mtime < cutoff]
    removed = 0
    for start in range(0, len(candidates), 500):
        batch = candidates[start : start + 500]
        known = set(
            session.exec(select(Evidence.stored_name).where(col(Evidence.stored_name).in_([p.name for p in batch])))
        )
        for path in batch:
            if path.name not in known:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def update_address(*, session: Session, report: Report) -> str:
    """Where update emails go: the address on the report, or its owner's account address when the report
    was sent from an account without identity."""
    if report.reporter_email:
        return report.reporter_email
    owner = session.get(User, report.reporter_id) if report.reporter_id else None
    return owner.email if owner is not None and owner.is_active else ""


def _move_back(moved: list[tuple[Path, Path]]) -> None:
    for temp, final in moved:
        if final.exists():
            os.replace(final, temp)


def _new_report(draft, user, now, access_hash, notify_email) -> Report:
    province = dict(reference.provinces())[draft.province_code]
    regency = dict(reference.regencies(draft.province_code))[draft.regency_code]
    if user is not None and draft.hide_identity:
        # Sent without identity: the report keeps no identity at all, only the link that lets its owner
        # read it (and get update emails at the account's address); verifiers have nothing to reveal.
        name = email = phone = address = ""
    elif user is not None:
        name, email, phone, address = user.full_name, user.email, user.phone, user.address
    else:
        name = draft.reporter_name.strip()
        email = notify_email
        phone = validators.normalize_phone(draft.reporter_phone) or "" if draft.reporter_phone.strip() else ""
        address = draft.reporter_address.strip()
    return Report(
        registration_number=codes.new_registration_number(),
        access_code_hash=access_hash,
        channel=draft.channel,
        reporter_id=user.id if user else None,
        hide_identity=draft.hide_identity if user else False,
        reporter_name=name,
        reporter_email=email,
        reporter_phone=phone,
        reporter_address=address,
        title=draft.title.strip(),
        description=draft.description.strip(),
        violation_type_id=int(draft.violation_type_id),
        unit_id=int(draft.unit_id),
        incident_address=draft.incident_address.strip(),
        province_code=draft.province_code,
        province_name=province,
        regency_code=draft.regency_code,
        regency_name=regency,
        incident_at=parse_incident_time(draft.incident_at),
        status=ReportStatus.VERIFICATION.value,
        created_at=now,
        updated_at=now,
    )


def _new_accused(report_id: int, order: int, row: AccusedInput) -> ReportAccused:
    return ReportAccused(
        report_id=report_id,
        position_in_list=order,
        name=row.name.strip(),
        position=row.position.strip(),
        rank=row.rank.strip(),
        institution=row.institution.strip(),
        city=row.city.strip(),
        classification=row.classification,
    )


def confirmation_email(*, to: str, registration_number: str) -> dict[str, str]:
    """Only the number: an email may be read by others, so no content of the report goes into it."""
    text = (
        "Laporan Anda telah kami terima.\n\n"
        f"Nomor Registrasi: {registration_number}\n\n"
        "Simpan nomor ini untuk memantau status laporan di halaman Lacak Laporan.\n"
    )
    return {"to": to, "subject": f"Laporan WBS diterima: {registration_number}", "text": text}


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
    """The registration number when the code opens that report; None otherwise, after the same argon2 work."""
    report = find_report(session=session, registration_number=registration_number)
    code = codes.normalize_access_code(access_code)
    stored = report.access_code_hash if report is not None else None
    if verify_password(code or "-", stored) and report is not None and code:
        return report.registration_number
    return None


# Reading ----------------------------------------------------------------------------------------------


def accused_of(*, session: Session, report_id: int) -> list[ReportAccused]:
    return list(
        session.exec(
            select(ReportAccused).where(ReportAccused.report_id == report_id).order_by(ReportAccused.position_in_list)
        )
    )


def evidence_of(*, session: Session, report_id: int, message_id: int | None = None) -> list[Evidence]:
    query = select(Evidence).where(Evidence.report_id == report_id)
    query = (
        query.where(Evidence.message_id.is_(None))
        if message_id is None
        else query.where(Evidence.message_id == message_id)
    )
    return list(session.exec(query.order_by(Evidence.id)))


def public_timeline(*, session: Session, report_id: int) -> list[tuple[str, dt.datetime, str]]:
    """(status, when, public note): what the reporter may see; internal notes never leave the service."""
    rows = session.exec(
        select(ReportStatusChange.status, ReportStatusChange.created_at, ReportStatusChange.public_note)
        .where(ReportStatusChange.report_id == report_id)
        .order_by(ReportStatusChange.created_at, ReportStatusChange.id)
    )
    return [(status, as_utc(when), note) for status, when, note in rows]


def messages_of(*, session: Session, report_id: int) -> list[ReportMessage]:
    return list(
        session.exec(
            select(ReportMessage)
            .where(ReportMessage.report_id == report_id)
            .order_by(ReportMessage.created_at, ReportMessage.id)
        )
    )


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
    before_commit: Callable[[ReportMessage], None] | None = None,
    now: dt.datetime | None = None,
) -> ReportMessage:
    """A message from the reporter (no author) or a verifier, stored with its files in one commit.

    `before_commit` adds the caller's own changes (acknowledgement, audit entry) to the same transaction.
    """
    now = now or utcnow()
    text = body.strip()
    if not text:
        raise ValidationFailed({"message": messages.REQUIRED})
    if len(text) > MESSAGE_MAX:
        raise ValidationFailed({"message": messages.TOO_LONG.format(max=MESSAGE_MAX)})
    from_reporter = author is None
    moved: list[tuple[Path, Path]] = []
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
        _store_files(
            session=session, report_id=report.id, items=attachments, now=now, moved=moved, message_id=message.id
        )
        if before_commit is not None:
            before_commit(message)
        _commit(session=session)
    except Exception as failure:
        session.rollback()
        _move_back(moved)
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

    def audit_entry(message: ReportMessage) -> None:
        # No actor: the case history must not name the reporter's account.
        files = f" ({len(attachments)} lampiran)" if attachments else ""
        audit.record(session=session, action="pesan_pelapor", report_id=report.id, detail=message.body[:500] + files)

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
    names: dict[int, list[str]] = {}
    for report_id, name in session.exec(
        select(ReportAccused.report_id, ReportAccused.name)
        .where(col(ReportAccused.report_id).in_(ids))
        .order_by(ReportAccused.position_in_list)
    ):
        names.setdefault(report_id, []).append(name)
    notes: dict[int, str] = {}
    for report_id, note in session.exec(
        select(ReportStatusChange.report_id, ReportStatusChange.public_note)
        .where(col(ReportStatusChange.report_id).in_(ids), ReportStatusChange.public_note != "")
        .order_by(ReportStatusChange.created_at)
    ):
        notes[report_id] = note  # the newest note wins
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
