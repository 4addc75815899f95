"""Sending a report: what the reporter types, each wizard step's validation, and the atomic submission."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import zoneinfo
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from wbs_app import language, messages, validators
from wbs_app.i18n import N_
from wbs_app.models import (
    Channel,
    Report,
    ReportAccused,
    ReportStatus,
    ReportStatusChange,
    Unit,
    User,
    ViolationType,
    utcnow,
)
from wbs_app.security import token_digest
from wbs_app.services import codes, evidence, reference, report_index, sealed, staff_inbox, staff_notices
from wbs_app.services.errors import SubmissionFailed, ValidationFailed
from wbs_app.services.evidence_store import EvidenceInput, remove_written, store_files
from wbs_app.services.receipts import SubmittedReport, sent_before
from wbs_app.settings import get_settings

# Stored as written here (Bahasa Indonesia); shown translated (N_: the catalogues hold their English).
CLASSIFICATIONS = [N_("ASN"), N_("Pejabat"), N_("Non-ASN/Honorer"), N_("Pihak Ketiga/Swasta"), N_("Lainnya")]
MAX_ACCUSED = 20
DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 10_000


class Step(enum.IntEnum):
    """The wizard's steps that ask for input, in their order; every field belongs to exactly one."""

    REPORTER = 1
    DETAILS = 2
    LOCATION = 3


# Only the steps that have errors, each with its messages by field name.
StepErrors = dict[Step, dict[str, str]]


@dataclasses.dataclass
class AccusedPerson:
    """What is asked and shown of each accused person, in the order of the form."""

    name: str = ""
    position: str = ""
    rank: str = ""
    institution: str = ""
    city: str = ""
    classification: str = ""


@dataclasses.dataclass
class AccusedInput(AccusedPerson):
    """A row of the wizard's accused list; `uid` tells the rows apart while the reporter edits them."""

    uid: str = ""


ACCUSED_FIELDS = [field.name for field in dataclasses.fields(AccusedPerson)]


@dataclasses.dataclass
class ReportFields:
    """Everything the reporter types into the wizard, as the browser may see it (no file paths)."""

    channel: str = Channel.VIOLATION.value
    # Step 1
    hide_identity: bool = False
    reporter_name: str = ""
    include_email: bool = False
    reporter_email: str = ""
    reporter_phone: str = ""
    reporter_address: str = ""
    # Step 2
    title: str = ""
    violation_type_id: str = ""
    unit_id: str = ""
    description: str = ""
    accused: list[AccusedInput] = dataclasses.field(default_factory=list)
    # Step 3
    incident_address: str = ""
    province_code: str = ""
    regency_code: str = ""
    incident_at: str = ""  # as the browser's datetime-local input gives it: 2026-11-11T12:00


@dataclasses.dataclass
class ReportDraft:
    """A report ready to send: the typed fields and the files received for it (server side only).

    `key` (random, made with the draft) and `access_code` are chosen once per draft and kept with it, so that
    sending the draft again after a lost answer returns the report it already made, with the code that opens it.
    """

    fields: ReportFields = dataclasses.field(default_factory=ReportFields)
    evidence: list[EvidenceInput] = dataclasses.field(default_factory=list)
    key: str = ""
    access_code: str = ""


class DraftInvalid(ValidationFailed):
    """A draft refused at submission: `errors` by field as usual, `by_step` grouped, `step` the first to fix."""

    def __init__(self, by_step: StepErrors):
        super().__init__({name: message for errors in by_step.values() for name, message in errors.items()})
        self.by_step = by_step
        self.step = min(by_step)


# Validation -------------------------------------------------------------------------------------------


def _limit(errors: dict[str, str], field: str, value: str, max_length: int) -> None:
    if field not in errors and len(value) > max_length:
        errors[field] = messages.TOO_LONG.format(max=max_length)


def validate_reporter(draft: ReportDraft, *, logged_in: bool) -> dict[str, str]:
    fields = draft.fields
    errors: dict[str, str] = {}
    if fields.channel not in {c.value for c in Channel}:
        errors["channel"] = messages.CHANNEL_INVALID
    if logged_in:
        return errors
    if not fields.reporter_name.strip():
        errors["reporter_name"] = messages.REQUIRED
    _limit(errors, "reporter_name", fields.reporter_name, 120)
    if fields.include_email:
        if message := validators.check_email(fields.reporter_email):
            errors["reporter_email"] = message
    if message := validators.check_phone(fields.reporter_phone, required=False):
        errors["reporter_phone"] = message
    _limit(errors, "reporter_address", fields.reporter_address, 500)
    return errors


@dataclasses.dataclass(frozen=True)
class Choices:
    """The violation types and units a report may name: the active ones. From the database when a report is
    submitted; from the options the wizard's page loaded while its steps are left (no read at every step)."""

    type_ids: frozenset[int]
    unit_ids: frozenset[int]


def active_choices(*, session: Session) -> Choices:
    return Choices(
        type_ids=frozenset(session.exec(select(ViolationType.id).where(col(ViolationType.is_active)))),
        unit_ids=frozenset(session.exec(select(Unit.id).where(col(Unit.is_active)))),
    )


def validate_details(draft: ReportDraft, *, choices: Choices) -> dict[str, str]:
    fields = draft.fields
    errors: dict[str, str] = {}
    if not fields.title.strip():
        errors["title"] = messages.REQUIRED
    _limit(errors, "title", fields.title, 200)
    if not fields.violation_type_id.isdigit() or int(fields.violation_type_id) not in choices.type_ids:
        errors["violation_type_id"] = messages.VIOLATION_TYPE_REQUIRED
    if not fields.unit_id.isdigit() or int(fields.unit_id) not in choices.unit_ids:
        errors["unit_id"] = messages.INCIDENT_UNIT_REQUIRED
    description = fields.description.strip()
    if not description:
        errors["description"] = messages.REQUIRED
    elif len(description) < DESCRIPTION_MIN:
        errors["description"] = messages.DESCRIPTION_TOO_SHORT.format(min=DESCRIPTION_MIN)
    _limit(errors, "description", fields.description, DESCRIPTION_MAX)
    if not fields.accused:
        errors["accused"] = messages.ACCUSED_REQUIRED
    elif len(fields.accused) > MAX_ACCUSED:
        errors["accused"] = messages.ACCUSED_TOO_MANY.format(max=MAX_ACCUSED)
    for row in fields.accused:
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
    fields = draft.fields
    errors: dict[str, str] = {}
    now = now or utcnow()
    if not fields.incident_address.strip():
        errors["incident_address"] = messages.REQUIRED
    _limit(errors, "incident_address", fields.incident_address, 500)
    if fields.province_code not in dict(reference.provinces()):
        errors["province_code"] = messages.PROVINCE_REQUIRED
    elif fields.regency_code not in dict(reference.regencies(fields.province_code)):
        errors["regency_code"] = messages.REGENCY_REQUIRED
    if not fields.incident_at.strip():
        errors["incident_at"] = messages.REQUIRED
    else:
        when = parse_incident_time(fields.incident_at)
        if when is None:
            errors["incident_at"] = messages.DATETIME_INVALID
        elif when > now:
            errors["incident_at"] = messages.DATETIME_IN_FUTURE
        elif when.year < 1945:
            errors["incident_at"] = messages.DATETIME_INVALID
    for item in draft.evidence:
        _limit(errors, f"evidence_{item.file_id}", item.description, 300)
    return errors


def validate_step(
    step: Step, *, choices: Choices, draft: ReportDraft, logged_in: bool, now: dt.datetime | None = None
) -> dict[str, str]:
    """The messages for one step's fields, by field name; empty when the step may be left."""
    if step is Step.REPORTER:
        return validate_reporter(draft, logged_in=logged_in)
    if step is Step.DETAILS:
        return validate_details(draft, choices=choices)
    return validate_location(draft, now=now)


def validate_draft(
    *, session: Session, draft: ReportDraft, logged_in: bool, now: dt.datetime | None = None
) -> StepErrors:
    choices = active_choices(session=session)
    grouped = {step: validate_step(step, choices=choices, draft=draft, logged_in=logged_in, now=now) for step in Step}
    return {step: errors for step, errors in grouped.items() if errors}


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
    A draft whose key already made a report gets that report back (its first answer was lost), never a second.
    Raises DraftInvalid (with the first step to fix) or SubmissionFailed.
    """
    now = now or utcnow()
    if (earlier := _made_before(session=session, draft=draft)) is not None:
        return earlier
    by_step = validate_draft(session=session, draft=draft, logged_in=user is not None, now=now)
    if by_step:
        raise DraftInvalid(by_step)
    if not evidence_total_ok(draft.evidence):
        raise SubmissionFailed(messages.EVIDENCE_TOTAL_TOO_LARGE.format(max=get_settings().max_report_mb))

    # Only an account chooses "tanpa identitas"; a visitor's report holds what the visitor typed.
    fields = dataclasses.replace(draft.fields, hide_identity=user is not None and draft.fields.hide_identity)
    # Sent without identity, a report is linked to no account and opened like a visitor's: by its Kode Akses.
    linked = user is not None and not fields.hide_identity
    access_code = None if linked else (draft.access_code or codes.new_access_code())
    access_hash = codes.access_code_digest(session=session, code=access_code) if access_code else None
    # The account as stored (a page hands over a detached copy): its identity opened for the report's copy of it.
    reporter = sealed.open_row(session=session, row=session.get(User, user.id)) if user is not None else None
    if reporter is not None:
        # No email for a report sent without identity: the account's address would link it back.
        notify_email = "" if fields.hide_identity else reporter.email
    else:
        notify_email = validators.normalize_email(fields.reporter_email) if fields.include_email else ""
        notify_email = notify_email or ""

    for attempt in range(5):
        written: list[Path] = []
        try:
            report = _new_report(fields, reporter if linked else None, now, access_hash, notify_email)
            report.draft_key_hash = token_digest(draft.key) if draft.key else None
            session.add(report)
            session.flush()
            accused = [
                _new_accused(report_id=report.id, order=order, row=row) for order, row in enumerate(fields.accused)
            ]
            session.add_all(accused)
            # Which words find it, and which staff accounts it names (they may not see it).
            report_index.index_new(
                session=session,
                report_id=report.id,
                title=fields.title.strip(),
                description=fields.description.strip(),
                accused=accused,
            )
            session.add(ReportStatusChange(report_id=report.id, status=report.status, created_at=now))
            store_files(session=session, report=report, items=draft.evidence, now=now, written=written)
            # New work for the verifiers: unread for each of them, and an email (batched, no content) on its way.
            staff_inbox.record_news(report=report, now=now)
            staff_notices.queue(session=session, report=report, kind=staff_notices.NEW_REPORT, now=now)
            _commit(session=session)
            return SubmittedReport(report.registration_number, access_code, notify_email)
        except IntegrityError as clash:
            session.rollback()
            remove_written(written)
            if (earlier := _made_before(session=session, draft=draft)) is not None:
                return earlier  # the same draft, sent twice at once: the other attempt stored it
            if "registration_number" not in str(clash) or attempt == 4:
                raise SubmissionFailed(messages.SUBMISSION_FAILED) from clash
        except Exception as failure:
            session.rollback()
            remove_written(written)
            raise SubmissionFailed(messages.SUBMISSION_FAILED) from failure
    raise SubmissionFailed(messages.SUBMISSION_FAILED)


def _made_before(*, session: Session, draft: ReportDraft) -> SubmittedReport | None:
    return sent_before(session=session, draft_key=draft.key, access_code=draft.access_code)


def _new_report(
    fields: ReportFields, user: User | None, now: dt.datetime, access_hash: str | None, notify_email: str
) -> Report:
    """The report in clear, to be sealed before it is stored. `user`: the account the report is linked to (opened),
    None also for an account's report "tanpa identitas"."""
    province = dict(reference.provinces())[fields.province_code]
    regency = dict(reference.regencies(fields.province_code))[fields.regency_code]
    if fields.hide_identity:
        # Sent without identity from an account: no identity and no link to the account are kept, so
        # verifiers have nothing to reveal and nothing joins it to the account's name, NIK or address.
        name = email = phone = address = ""
    elif user is not None:
        name, email, phone, address = user.full_name, user.email, user.phone, user.address
    else:
        name = fields.reporter_name.strip()
        email = notify_email
        phone = validators.normalize_phone(fields.reporter_phone) or "" if fields.reporter_phone.strip() else ""
        address = fields.reporter_address.strip()
    return Report(
        registration_number=codes.new_registration_number(),
        access_code_hash=access_hash,
        channel=fields.channel,
        language=language.current(),  # that of the emails to its reporter
        reporter_id=user.id if user else None,
        hide_identity=fields.hide_identity,
        reporter_name=name,
        reporter_email=email,
        reporter_phone=phone,
        reporter_address=address,
        title=fields.title.strip(),
        description=fields.description.strip(),
        violation_type_id=int(fields.violation_type_id),
        unit_id=int(fields.unit_id),
        incident_address=fields.incident_address.strip(),
        province_code=fields.province_code,
        province_name=province,
        regency_code=fields.regency_code,
        regency_name=regency,
        incident_at=parse_incident_time(fields.incident_at),
        status=ReportStatus.VERIFICATION.value,
        created_at=now,
        updated_at=now,
    )


def _new_accused(*, report_id: int, order: int, row: AccusedInput) -> ReportAccused:
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
