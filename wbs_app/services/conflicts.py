"""Conflict of interest: staff named among a report's accused must neither handle nor see that report.

One rule, written once in SQL, for the case list, the case page, downloads, reminders and the audit log:
the same name (trimmed, ignoring case) and, when both name one, the same unit.
"""

from __future__ import annotations

from sqlalchemy import exists, or_
from sqlmodel import Session, func, select

from wbs_app.models import Report, ReportAccused, Unit, User


def named_among_accused(*, session: Session, user: User, report_id):
    """SQL condition: `user` is among the accused of the report `report_id` (a column or a value)."""
    unit = session.get(Unit, user.unit_id) if user.unit_id else None
    same_person = [func.lower(func.trim(ReportAccused.name)) == func.lower(user.full_name.strip())]
    if unit is not None:
        institution = func.lower(func.trim(ReportAccused.institution))
        same_person.append(or_(institution == "", institution == func.lower(unit.name)))
    return exists().where(ReportAccused.report_id == report_id, *same_person)


def not_accused(*, session: Session, user: User):
    """SQL condition on Report: `user` is not among its accused."""
    return ~named_among_accused(session=session, user=user, report_id=Report.id)


def conflict_of_interest(*, session: Session, report: Report, verifier: User) -> bool:
    return session.exec(select(named_among_accused(session=session, user=verifier, report_id=report.id))).one()
