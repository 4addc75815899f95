"""Conflict of interest: staff named among a report's accused must neither handle nor see that report.

The rule — the same name (spaces collapsed, ignoring case) and, when both name one, the same unit — is decided
when it can change: when a report is stored (`link_report`) and when a staff account is made (`link_staff`).
Its outcome is a row in report_conflict; every reader (case list, counters, case page, downloads, reminders,
audit log) asks that indexed table. The accused names are encrypted, so the rule compares keyed digests of the
names (report_accused.name_key, user_account.name_key) and opens only the few rows whose digests match.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from sqlalchemy import delete, exists, or_, true
from sqlmodel import Session, col, select

from wbs_app.models import Report, ReportAccused, ReportConflict, Role, Unit, User
from wbs_app.services import keys, vault

KEY_NAME = "names"
STAFF_ROLES = (Role.VERIFIER.value, Role.ADMIN.value)


def normalized_name(name: str) -> str:
    return " ".join(name.split()).lower()


def name_key(*, session: Session, name: str) -> str:
    """The keyed digest of a person's name, as report_accused and user_account store it."""
    key = vault.system_key(session=session, name=KEY_NAME)
    return hmac.new(key, normalized_name(name).encode(), hashlib.sha256).hexdigest()


def _same_unit(*, session: Session, user: User, institution: str) -> bool:
    unit = session.get(Unit, user.unit_id) if user.unit_id else None
    return unit is None or not institution.strip() or institution.strip().lower() == unit.name.lower()


def link_report(*, session: Session, report_id: int, accused: Iterable[tuple[str, str]], replace: bool = True) -> None:
    """Record which staff accounts the report's accused (name, institution in clear) name, replacing what was
    recorded before (`replace=False`: a new report, nothing was). In the caller's transaction."""
    if replace:
        session.exec(delete(ReportConflict).where(ReportConflict.report_id == report_id))
    linked: set[int] = set()
    for name, institution in accused:
        digest = name_key(session=session, name=name)
        for user in session.exec(select(User).where(User.name_key == digest, col(User.role).in_(STAFF_ROLES))):
            if user.id not in linked and _same_unit(session=session, user=user, institution=institution):
                session.add(ReportConflict(report_id=report_id, user_id=user.id))
                linked.add(user.id)


def link_staff(*, session: Session, user: User) -> int:
    """Record every report whose accused name this staff account (in the caller's transaction, when the account
    is made). Only the accused rows whose name digest matches are opened. Returns how many reports."""
    if user.role not in STAFF_ROLES:
        return 0
    user.name_key = name_key(session=session, name=user.full_name)
    session.add(user)
    found = set()
    rows = session.exec(
        select(ReportAccused.report_id, ReportAccused.institution, Report.data_key)
        .join(Report, Report.id == ReportAccused.report_id)
        .where(ReportAccused.name_key == user.name_key)
    )
    for report_id, institution, wrapped in rows:
        if report_id in found or wrapped is None:
            continue
        clear = (
            keys.unseal(keys.unwrap_key(wrapped), institution, aad="report_accused.institution") if institution else ""
        )
        if _same_unit(session=session, user=user, institution=clear):
            found.add(report_id)
    existing = set(session.exec(select(ReportConflict.report_id).where(ReportConflict.user_id == user.id)))
    session.add_all(ReportConflict(report_id=report_id, user_id=user.id) for report_id in found - existing)
    return len(found)


def named_among_accused(*, session: Session, user: User, report_id):
    """SQL condition: `user` is among the accused of the report `report_id` (a column or a value)."""
    return exists().where(ReportConflict.report_id == report_id, ReportConflict.user_id == user.id)


def not_accused(*, session: Session, user: User, report_id=None):
    """SQL condition: `user` is not among the accused of the report `report_id` (a column; Report.id by default).
    For the many staff named in no report, no condition at all; otherwise "not one of these few ids" (the index
    of report_conflict by user). A NULL report_id (an audit entry about no report) passes."""
    report_id = col(Report.id) if report_id is None else report_id
    named = select(ReportConflict.report_id).where(ReportConflict.user_id == user.id)
    if session.exec(named.limit(1)).first() is None:
        return true()
    return or_(report_id.is_(None), report_id.notin_(named))


def conflict_of_interest(*, session: Session, report: Report, verifier: User) -> bool:
    return session.exec(select(named_among_accused(session=session, user=verifier, report_id=report.id))).one()
