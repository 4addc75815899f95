"""Tables of the institution's public profile and of the reporters' protection cases (re-exported by models.py)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from wbs_app.models import utcnow


class InstitutionProfile(SQLModel, table=True):
    """What the public pages, emails and receipts say about the institution: one row (id 1), written only when an
    administrator saves Administrasi → Instansi (services/institution). Until then the defaults come from the
    WBS_ORG_* settings. `version` goes up with every save: each worker reloads its cached copy when it changes."""

    __tablename__ = "institution_profile"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1)
    name: str = Field(max_length=150)
    short_name: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=300)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    website: str = Field(default="", max_length=200)
    # One account a line, "Instagram: https://…" (services/institution.parse_socials).
    socials: str = Field(default="", max_length=1500)
    office_hours: str = Field(default="", max_length=200)
    # Offline channels: where letters go, a phone line for reports, a desk to report in person.
    letter_address: str = Field(default="", max_length=300)
    phone_line: str = Field(default="", max_length=100)
    walk_in_desk: str = Field(default="", max_length=300)
    # The institution's SP4N-LAPOR! page, for complaints about public services (not WBS matters).
    lapor_url: str = Field(default="", max_length=200)
    # The current logo (institution_logo.sha256); None: none shown.
    logo_sha256: str | None = Field(default=None, max_length=64)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))


class InstitutionLogo(SQLModel, table=True):
    """An uploaded logo after its content check and re-encoding (public: it is shown on every page), named by the
    SHA-256 of its bytes and served at /_wbs/logo/<sha256>.png with a year's caching."""

    __tablename__ = "institution_logo"

    sha256: str = Field(primary_key=True, max_length=64)
    content_type: str = Field(max_length=20)
    data: bytes = Field(sa_type=sa.LargeBinary)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))


class RetaliationCheckIn(SQLModel, table=True):
    """A reporter's answer, after closure, to "Apakah Anda mengalami pembalasan?" (ISO 37002, services/retaliation).

    A "yes" is a protection case for staff: status "Terbuka" until a verifier closes it ("Selesai") with a note for
    the reporter, due on `due_on`. A "no" is kept as the answer, with no status. The description and the note are
    report content: sealed with the report's key (services/sealed), and purged with the report (retention)."""

    __tablename__ = "retaliation_checkin"
    # The protection list: open cases by due date.
    __table_args__ = (sa.Index("ix_retaliation_checkin_status_due_on", "status", "due_on"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE", index=True)
    retaliation: bool
    description: str = Field(default="", sa_type=sa.Text)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    status: str | None = Field(default=None, max_length=20)
    due_on: dt.date | None = Field(default=None)
    handled_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    closed_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    closing_note: str = Field(default="", sa_type=sa.Text)
