"""The data keys of reports, accounts and the system, read from (and made into) their database rows.

Every service that seals or opens a field asks here for the key: `report_key` and `user_key` make a record's
data key on first use (added to the caller's transaction, committed with what it seals); `system_key` keeps
named keys that belong to no record (the search index, the audit details of no report) in app_setting.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError as RowClash
from sqlmodel import Session

from wbs_app.models import AppSetting, Report, User
from wbs_app.services import keys

SYSTEM_KEY_PREFIX = "key:"


def report_key(*, session: Session, report: Report) -> bytes:
    if report.purged_at is not None:  # retention destroyed its key: never make a new one for it
        raise keys.ContentPurged(report.registration_number)
    if report.data_key is None:
        report.data_key = keys.new_wrapped_key()
        session.add(report)
    return keys.unwrap_key(report.data_key)


def user_key(*, session: Session, user: User) -> bytes:
    if user.data_key is None:
        user.data_key = keys.new_wrapped_key()
        session.add(user)
    return keys.unwrap_key(user.data_key)


def system_key(*, session: Session, name: str) -> bytes:
    """A named key of the whole installation, made (and committed) on first use."""
    row = session.get(AppSetting, SYSTEM_KEY_PREFIX + name)
    if row is None:
        row = AppSetting(key=SYSTEM_KEY_PREFIX + name, value=keys.new_wrapped_key())
        session.add(row)
        try:
            session.commit()
        except RowClash:  # another process made it first: use theirs
            session.rollback()
            row = session.get(AppSetting, SYSTEM_KEY_PREFIX + name)
    return keys.unwrap_key(row.value)
