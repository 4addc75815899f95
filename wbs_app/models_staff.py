"""Tables of the verifiers' inbox (re-exported by models.py): which case each staff member has read since its last
news, and the email notices waiting to be sent together (services/staff_inbox, services/staff_notices)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from wbs_app.models import utcnow


class CaseRead(SQLModel, table=True):
    """When a staff member last opened a case page. The case is unread for them while the report's
    `staff_activity_at` (sent, or the reporter's latest message) is later than this."""

    __tablename__ = "case_read"
    # Their markers read since a time (the unread count): a range of this index.
    __table_args__ = (sa.Index("ix_case_read_user_id_read_at", "user_id", "read_at"),)

    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE", primary_key=True, index=True)
    read_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))


class CaseReadHorizon(SQLModel, table=True):
    """Everything whose news is older than `read_before` counts as read for this staff member ("Tandai semua sudah
    dibaca", and the upgrade to this version): the unread count only looks at news after it. Without a row, the
    account's creation time."""

    __tablename__ = "case_read_horizon"

    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    read_before: dt.datetime = Field(sa_type=sa.DateTime(timezone=True))


class StaffNotice(SQLModel, table=True):
    """One piece of news for one staff member, waiting to go out by email with the others that reach them within
    WBS_STAFF_NOTICE_SECONDS. Holds no content: which report, and whether it is new or has a reporter's message."""

    __tablename__ = "staff_notice"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=10)  # "baru" or "pesan"
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), index=True)
