"""Encryption at rest of database rows: which columns hold ciphertext, and how a row is sealed and opened.

A report's columns and everything that belongs to it (accused, messages, evidence names and file keys,
status notes, audit details) are sealed with the report's data key; an account's personal columns and its
TOTP secret with the account's key; audit details of no report with the system key "audit" (services/vault).

- Every flush seals what it is about to write (`_seal_before_flush`, on every session): a service sets plain
  values on a row and commits, and no sealed column can reach the database in clear, whatever the service forgot.
  `seal_row` does the same at once, for a row whose sealed form is needed before the flush.
- `opened` returns a detached COPY with those columns in clear, for reading: the row in the session keeps its
  ciphertext, so changing another column and committing never writes plaintext back.

Staff names and addresses (full_name, email of verifiers and administrators) stay readable: they appear in the
case list, the audit log and assignment lists, and are not secret. A reporter's are sealed.
"""

from __future__ import annotations

import base64

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from wbs_app.models import (
    AuditLog,
    Evidence,
    Report,
    ReportAccused,
    ReportMessage,
    ReportStatusChange,
    RetaliationCheckIn,
    Role,
    SecondFactor,
    User,
)
from wbs_app.services import keys, vault

REPORT_COLUMNS = (
    "reporter_name",
    "reporter_email",
    "reporter_phone",
    "reporter_address",
    "title",
    "description",
    "incident_address",
)
ACCUSED_COLUMNS = ("name", "position", "rank", "institution", "city")
USER_COLUMNS = (
    "identity_number",
    "nip",
    "phone",
    "other_phone",
    "address",
    "city",
    "birth_place",
    "birth_date",
    "institution",
    "position",
)
REPORTER_IDENTITY_COLUMNS = ("full_name", "email")

SEALED_COLUMNS: dict[type, tuple[str, ...]] = {
    Report: REPORT_COLUMNS,
    ReportAccused: ACCUSED_COLUMNS,
    ReportMessage: ("body",),
    Evidence: ("original_name", "description", "file_key"),
    ReportStatusChange: ("public_note", "internal_note"),
    AuditLog: ("detail",),
    SecondFactor: ("secret",),
    User: USER_COLUMNS,
    # A reporter's account of retaliation and staff's answer to it (services/retaliation).
    RetaliationCheckIn: ("description", "closing_note"),
}

AUDIT_KEY = "audit"


def columns_of(row) -> tuple[str, ...]:
    found = SEALED_COLUMNS.get(type(row), ())
    if isinstance(row, User) and row.role == Role.REPORTER.value:
        found = found + REPORTER_IDENTITY_COLUMNS
    return found


def _aad(row, column: str) -> str:
    return f"{type(row).__tablename__}.{column}"


def key_for(*, session: Session, row) -> bytes | None:
    """The data key that seals this row's columns; None for a report whose content was destroyed (retention)."""
    if isinstance(row, Report):
        return vault.report_key(session=session, report=row)
    if isinstance(row, User):
        return vault.user_key(session=session, user=row)
    if isinstance(row, SecondFactor):
        return vault.user_key(session=session, user=session.get(User, row.user_id))
    if isinstance(row, AuditLog):
        # About a report: its key, so that retention destroys the details with it. About none, or about a report
        # whose content retention destroyed (the purge's own entry, later actions): the system key "audit".
        report = session.get(Report, row.report_id) if row.report_id is not None else None
        if report is None or report.purged_at is not None:
            return vault.system_key(session=session, name=AUDIT_KEY)
        return vault.report_key(session=session, report=report)
    return report_key_by_id(session=session, report_id=row.report_id)


def report_key_by_id(*, session: Session, report_id: int) -> bytes:
    report = session.get(Report, report_id)
    if report is None:
        raise keys.IntegrityError(f"report {report_id} is missing")
    return vault.report_key(session=session, report=report)


def seal_row(*, session: Session, row):
    """Encrypt the row's sealed columns that are still in clear; returns the row."""
    columns = columns_of(row)
    if not any(_needs_sealing(getattr(row, column)) for column in columns):
        return row
    key = key_for(session=session, row=row)
    for column in columns:
        value = getattr(row, column)
        if _needs_sealing(value):
            setattr(row, column, keys.seal(key, str(value), aad=_aad(row, column)))
    return row


def _needs_sealing(value) -> bool:
    return value not in (None, "") and not keys.is_sealed(str(value))


def opened(row, *, key: bytes | None):
    """A detached copy of `row` with its sealed columns in clear. Raises keys.IntegrityError for altered data."""
    values = {name: getattr(row, name) for name in type(row).model_fields}
    for column in columns_of(row):
        value = values[column]
        if value in (None, ""):
            continue
        if key is None:
            raise keys.IntegrityError(f"{_aad(row, column)} has no key")
        values[column] = keys.unseal(key, value, aad=_aad(row, column))
    return type(row)(**values)


def _has_sealed_values(row) -> bool:
    return any(getattr(row, column) not in (None, "") for column in columns_of(row))


def open_row(*, session: Session, row):
    """`opened` with the row's key; a row with nothing sealed (blank, or purged by retention) needs none."""
    return opened(row, key=key_for(session=session, row=row) if _has_sealed_values(row) else None)


def open_rows(*, session: Session, rows: list) -> list:
    """Open rows of one or more reports, unwrapping each report's key once."""
    cache: dict[int, bytes] = {}
    result = []
    for row in rows:
        report_id = getattr(row, "report_id", None)
        if not _has_sealed_values(row) or isinstance(row, Report | User | SecondFactor | AuditLog):
            result.append(open_row(session=session, row=row))
            continue
        if report_id not in cache:
            cache[report_id] = report_key_by_id(session=session, report_id=report_id)
        result.append(opened(row, key=cache[report_id]))
    return result


def open_value(value: str, *, key: bytes, table: str, column: str) -> str:
    """One sealed value read on its own (a column query): "" stays "", anything else must open."""
    return keys.unseal(key, value, aad=f"{table}.{column}") if value else ""


def wrapped_keys_of(*, session: Session, report_ids: list[int]) -> dict[int, bytes]:
    """The data keys of these reports (for a page of a list), by report id."""
    if not report_ids:
        return {}
    rows = session.exec(select(Report.id, Report.data_key).where(Report.id.in_(report_ids)))
    return {report_id: keys.unwrap_key(wrapped) for report_id, wrapped in rows if wrapped}


def seal_bytes(key: bytes, data: bytes, *, aad: str) -> str:
    """A binary secret (an evidence file's key) sealed as text."""
    return keys.seal(key, base64.b64encode(data).decode(), aad=aad)


def open_bytes(key: bytes, sealed: str, *, aad: str) -> bytes:
    return base64.b64decode(keys.unseal(key, sealed, aad=aad))


@event.listens_for(OrmSession, "before_flush")
def _seal_before_flush(flushing, _context, _instances) -> None:
    """Reports first: their new data keys are then in place for the rows that belong to them."""
    rows = sorted((*flushing.new, *flushing.dirty), key=lambda row: not isinstance(row, Report | User))
    for row in rows:
        loaded = sa.inspect(row).dict  # only what is loaded or set: an unloaded column was not changed
        if any(_needs_sealing(loaded.get(column)) for column in columns_of(row)):
            seal_row(session=flushing, row=row)
