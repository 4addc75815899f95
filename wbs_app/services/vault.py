"""The data keys of reports, accounts and the system, read from (and made into) their database rows.

Every service that seals or opens a field asks here for the key: `report_key` and `user_key` make a record's
data key on first use (added to the caller's transaction, committed with what it seals); `system_key` reads
named keys that belong to no record (the search index, name and email lookups, audit details of no report,
draft files, exports, Kode Akses digests) from app_setting. `ensure_system_keys` makes them all once, at setup and in
the migration that introduced them, so that no request has to.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from wbs_app.models import AppSetting, Report, User
from wbs_app.services import keys

SYSTEM_KEY_PREFIX = "key:"
_SYSTEM_KEY_VALUE = select(AppSetting.value).where(AppSetting.key == sa.bindparam("key"))
SYSTEM_KEYS = ("search", "names", "emails", "audit", "draft-files", "exports", "access-codes")


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
    """A named key of the whole installation. Made in the caller's transaction if it does not exist yet (only a
    database that skipped `ensure_system_keys`): it is committed together with whatever it sealed."""
    # A plain read on the session's connection: no autoflush, no ORM object (every upload and submission asks).
    wrapped = session.connection().scalar(_SYSTEM_KEY_VALUE, {"key": SYSTEM_KEY_PREFIX + name})
    if wrapped is None:
        row = AppSetting(key=SYSTEM_KEY_PREFIX + name, value=keys.new_wrapped_key())
        session.add(row)
        session.flush()
        wrapped = row.value
    return keys.unwrap_key(wrapped)


def ensure_system_keys(*, session: Session) -> None:
    """Make every system key that is missing, and commit."""
    present = set(session.exec(select(AppSetting.key).where(AppSetting.key.startswith(SYSTEM_KEY_PREFIX))))
    for name in SYSTEM_KEYS:
        if SYSTEM_KEY_PREFIX + name not in present:
            session.add(AppSetting(key=SYSTEM_KEY_PREFIX + name, value=keys.new_wrapped_key()))
    session.commit()
