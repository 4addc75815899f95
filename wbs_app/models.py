"""Database tables. The schema is created and changed only by Alembic migrations (alembic/versions)."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from wbs_app.i18n import N_


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands timestamps back without a zone; every stored timestamp is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


class Role(enum.StrEnum):
    REPORTER = "reporter"
    VERIFIER = "verifier"
    ADMIN = "admin"


class AccountType(enum.StrEnum):
    UMUM = N_("Umum")
    PNS = N_("PNS")
    PRAMUBAKTI = N_("Pramubakti")


class ReportStatus(enum.StrEnum):
    VERIFICATION = N_("Proses Verifikasi")
    EXAMINATION = N_("Proses Pemeriksaan")
    PROVEN = N_("Selesai: Terbukti")
    NOT_PROVEN = N_("Selesai: Tidak Terbukti")
    NOT_FOLLOWED_UP = N_("Tidak Ditindaklanjuti")


# A report in one of these is closed: no deadline runs, and only an administrator may reopen it.
CLOSED_STATUSES = (ReportStatus.PROVEN.value, ReportStatus.NOT_PROVEN.value, ReportStatus.NOT_FOLLOWED_UP.value)


# Reference data ---------------------------------------------------------------------------------------


class ViolationType(SQLModel, table=True):
    __tablename__ = "violation_type"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    sort_order: int = Field(default=0)
    is_active: bool = Field(default=True, index=True)


class Unit(SQLModel, table=True):
    __tablename__ = "unit"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    is_active: bool = Field(default=True, index=True)


class Rank(SQLModel, table=True):
    """Civil-service rank: golongan code (e.g. III/a) and pangkat name (e.g. Penata Muda)."""

    __tablename__ = "rank"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=10, unique=True)
    name: str = Field(max_length=80)
    sort_order: int = Field(default=0)


# Accounts ---------------------------------------------------------------------------------------------


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=50)
    # Lower-cased copies carry the unique indexes, so "Budi" and "budi" are one account.
    username_key: str = Field(max_length=50, unique=True)
    # A reporter's email is sealed (services/sealed); email_key, its keyed digest (services/users.email_key),
    # carries the unique index and the lookup at login.
    email: str = Field(max_length=400)
    email_key: str = Field(max_length=254, unique=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(default=Role.REPORTER.value, max_length=20, index=True)
    account_type: str = Field(default=AccountType.UMUM.value, max_length=20)
    # Personal columns below are sealed with the account's data key (services/sealed): text of any length.
    identity_number: str = Field(default="", max_length=200)
    nip: str = Field(default="", max_length=200)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", ondelete="SET NULL")
    rank_id: int | None = Field(default=None, foreign_key="rank.id", ondelete="SET NULL")
    position: str = Field(default="", max_length=400)
    full_name: str = Field(max_length=400)
    # Staff only: the keyed digest of the name, matched against the accused of every report (services/conflicts).
    name_key: str | None = Field(default=None, max_length=64, index=True)
    phone: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=1000)
    birth_place: str = Field(default="", max_length=400)
    birth_date: str = Field(default="", max_length=200)  # ISO date, sealed
    institution: str = Field(default="", max_length=400)
    city: str = Field(default="", max_length=400)
    other_phone: str = Field(default="", max_length=200)
    is_active: bool = Field(default=False)
    must_change_password: bool = Field(default=False)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    activated_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # This account's data key, wrapped by the master key (services/keys): its personal fields are sealed with it.
    data_key: str | None = Field(default=None, max_length=120)
    # The language of this account's emails (wbs_app/language.py): the one its browser last used to log in or
    # register with.
    language: str = Field(default="id", max_length=5, sa_column_kwargs={"server_default": "id"})


class EmailLinkToken(SQLModel):
    """The columns of a single-use link sent by email; only the SHA-256 of the token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    expires_at: dt.datetime = Field(sa_type=sa.DateTime(timezone=True))
    used_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class ActivationToken(EmailLinkToken, table=True):
    """Single-use email activation link."""

    __tablename__ = "activation_token"


class PasswordResetToken(EmailLinkToken, table=True):
    """Single-use "Lupa password" link.

    A table of its own, not a purpose column on activation_token: an activation link can never set a
    password and a reset link can never be taken by the activation page, whatever either page's query says.
    """

    __tablename__ = "password_reset_token"


class LoginSession(SQLModel, table=True):
    """Server-side login. The browser holds only the random id; the table holds its SHA-256."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    last_seen_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    expires_at: dt.datetime = Field(sa_type=sa.DateTime(timezone=True))
    revoked_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # The browser and system in words ("Chrome di Windows", services/devices), for the list on Akun Saya; never
    # the raw User-Agent. Empty for logins opened before migration 0011.
    device: str | None = Field(default=None, max_length=60)


class LoginTicket(SQLModel, table=True):
    """A login finished over the websocket, waiting (seconds) for its browser to fetch the session cookie.

    Single use; only the SHA-256 of the ticket and of the browser's User-Agent are stored (services/login_tickets).
    """

    __tablename__ = "login_ticket"

    id: int | None = Field(default=None, primary_key=True)
    ticket_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    agent_hash: str = Field(max_length=64)
    device: str = Field(default="", max_length=60)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    expires_at: dt.datetime = Field(sa_type=sa.DateTime(timezone=True))


class SecondFactor(SQLModel, table=True):
    """A user's TOTP authenticator (two-factor login). Enrolment is confirmed when enabled_at is set."""

    __tablename__ = "second_factor"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", unique=True)
    # The base32 TOTP secret, sealed with the account's data key.
    secret: str = Field(max_length=255)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    enabled_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # The TOTP time step of the last accepted code: a code of that step or an earlier one is refused.
    last_used_step: int | None = Field(default=None, sa_type=sa.BigInteger)


class RecoveryCode(SQLModel, table=True):
    """A single-use recovery code of a second factor; only its SHA-256 is stored."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    code_hash: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    used_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class LoginThrottle(SQLModel, table=True):
    """Failed login attempts per identifier, to slow down password guessing."""

    __tablename__ = "login_throttle"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=254, unique=True)
    failures: int = Field(default=0)
    last_failure_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    locked_until: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


# Reports ---------------------------------------------------------------------------------------------


class Channel(enum.StrEnum):
    VIOLATION = N_("Pelanggaran (WBS)")
    CONFLICT_OF_INTEREST = N_("Benturan Kepentingan")
    GRATIFICATION = N_("Gratifikasi")


# The report columns the case list sorts or groups by, each indexed together with the id (migration 0022).
ID_SORTED = ("created_at", "channel", "status", "violation_type_id", "unit_id", "assigned_to_id")


class Report(SQLModel, table=True):
    __tablename__ = "report"
    # The case list's counters and status filter, at a million reports: range counts and ordered scans on these.
    __table_args__ = (
        sa.Index("ix_report_status_created_at", "status", "created_at"),
        sa.Index("ix_report_status_acknowledged_at_created_at", "status", "acknowledged_at", "created_at"),
        sa.Index("ix_report_status_assigned_to_id", "status", "assigned_to_id"),
        # Public statistics (services/public_statistics): index-only grouped counts over a year of a million.
        sa.Index("ix_report_created_at_channel_violation_type_id", "created_at", "channel", "violation_type_id"),
        sa.Index("ix_report_closed_at_status_created_at", "closed_at", "status", "created_at"),
        # Deadlines per channel (services/deadlines): overdue counts and reminder candidates, channel by channel.
        sa.Index("ix_report_status_channel_created_at", "status", "channel", "created_at"),
        sa.Index(
            "ix_report_status_channel_acknowledged_at_created_at", "status", "channel", "acknowledged_at", "created_at"
        ),
        # The case list's sorts and groups: a column, then the id. SQLite's indexes end with the row id anyway;
        # PostgreSQL's do not, and without it sorted every report for a page, or read 500,000 rows for a deep one.
        *(sa.Index(f"ix_report_{column}_id", column, "id") for column in ID_SORTED),
    )

    id: int | None = Field(default=None, primary_key=True)
    registration_number: str = Field(max_length=16, unique=True)
    # Keyed digest ("h1$…", services/access_codes) of the Kode Akses of a report sent without an account (older
    # reports: an argon2 hash, rewritten at its next use); None for account holders.
    access_code_hash: str | None = Field(default=None, max_length=255)
    channel: str = Field(max_length=40)
    # SHA-256 of the wizard draft's random key: the same draft sent again finds this report, not a second one.
    draft_key_hash: str | None = Field(default=None, max_length=64, unique=True, index=True)
    # Reporter. reporter_id: the account that sent it with its identity (kept from the verifiers until an
    # audited reveal). hide_identity: sent "tanpa identitas", linked to no account and holding no identity.
    reporter_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True)
    hide_identity: bool = Field(default=False)
    # This report's data key, wrapped by the master key (services/keys): its content and files are sealed with
    # it. Destroying it (retention) makes the report's content unreadable for good.
    data_key: str | None = Field(default=None, max_length=120)
    # Identity and content below are sealed with the report's data key (services/sealed).
    reporter_name: str = Field(default="", max_length=400)
    reporter_email: str = Field(default="", max_length=600)
    # The language the report was sent in (wbs_app/language.py): that of the emails to its reporter.
    language: str = Field(default="id", max_length=5, sa_column_kwargs={"server_default": "id"})
    reporter_phone: str = Field(default="", max_length=200)
    reporter_address: str = Field(default="", max_length=1000)
    # Incident.
    title: str = Field(max_length=600)
    description: str = Field(sa_type=sa.Text)
    violation_type_id: int | None = Field(default=None, foreign_key="violation_type.id", ondelete="RESTRICT")
    unit_id: int | None = Field(default=None, foreign_key="unit.id", ondelete="RESTRICT")
    incident_address: str = Field(default="", max_length=1000)
    province_code: str = Field(default="", max_length=8)
    province_name: str = Field(default="", max_length=80)
    regency_code: str = Field(default="", max_length=8)
    regency_name: str = Field(default="", max_length=120)
    incident_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # Progress.
    status: str = Field(default=ReportStatus.VERIFICATION.value, max_length=40)
    assigned_to_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    # First sign of life to the reporter: leaving Proses Verifikasi, or a first verifier message.
    acknowledged_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True), index=True)
    closed_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True), index=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), index=True)
    # Retention (services/retention): an administrator's legal hold keeps a closed report past its term; once
    # purged, only what statistics need is left (channel, type, unit, status, dates, number).
    legal_hold: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    purged_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True), index=True)
    # News for the verifiers (services/staff_inbox): when it was sent or the reporter last wrote; None before 0019.
    staff_activity_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True), index=True)


class ReportAccused(SQLModel, table=True):
    """One reported person (Terlapor). Sealed with the report's key, but for the classification."""

    __tablename__ = "report_accused"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE", index=True)
    position_in_list: int = Field(default=0)
    name: str = Field(max_length=400)
    # Keyed digest of the name (services/conflicts): finds the staff accounts it names without opening it.
    name_key: str = Field(default="", max_length=64, index=True)
    position: str = Field(default="", max_length=400)
    rank: str = Field(default="", max_length=400)
    institution: str = Field(default="", max_length=600)
    city: str = Field(default="", max_length=400)
    classification: str = Field(default="", max_length=40)


class ReportConflict(SQLModel, table=True):
    """A staff account named among a report's accused (services/conflicts): it may neither see nor handle it."""

    __tablename__ = "report_conflict"

    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE", primary_key=True, index=True)


class SearchToken(SQLModel, table=True):
    """One word of a report's title, description or accused names, as a keyed token (services/search_index)."""

    __tablename__ = "search_token"

    token: int = Field(sa_column_kwargs={"autoincrement": False}, sa_type=sa.BigInteger, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE", primary_key=True, index=True)


class ReportMessage(SQLModel, table=True):
    """The private conversation between the reporter and the verifiers."""

    __tablename__ = "report_message"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE", index=True)
    from_reporter: bool = Field(default=True)
    author_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    body: str = Field(sa_type=sa.Text)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    read_by_reporter_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    read_by_staff_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class Evidence(SQLModel, table=True):
    """A file attached to a report (or to one of its messages), stored under a random name."""

    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE", index=True)
    message_id: int | None = Field(default=None, foreign_key="report_message.id", ondelete="CASCADE", index=True)
    stored_name: str = Field(max_length=32, unique=True)
    # Sealed with the report's key: the name as sent, the reporter's note, and the file's own key (the file is
    # encrypted on disk with it, services/filecrypt).
    original_name: str = Field(max_length=400)
    description: str = Field(default="", max_length=600)
    file_key: str = Field(default="", max_length=200)
    kind: str = Field(max_length=10)
    size: int
    sha256: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))


class ReportStatusChange(SQLModel, table=True):
    """The timeline: every status a report had, with the note the reporter sees and one they never see."""

    __tablename__ = "report_status_change"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE", index=True)
    status: str = Field(max_length=40)
    public_note: str = Field(default="", sa_type=sa.Text)
    internal_note: str = Field(default="", sa_type=sa.Text)
    changed_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))


# Administration ---------------------------------------------------------------------------------------


class AuditLog(SQLModel, table=True):
    """Who did what, when, to which report: every verifier action and every refused attempt.

    Rows are only ever added, through services/audit.record, which chains each one (services/audit_chain):
    `seq` is its place, `prev_hash` the row_hash of the row before, `row_hash` the SHA-256 of its stored
    values. No row is changed after it is written; `python -m wbs_app.cli verify-audit` finds one that was.
    """

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), index=True)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True)
    action: str = Field(max_length=50, index=True)
    # Reports are never deleted (retention destroys a report's data key, not its row), so this SET NULL never
    # fires: it would change a chained row, and verify-audit would report the row as edited. The same holds for
    # actor_id: WBS deactivates accounts, it never deletes them.
    report_id: int | None = Field(default=None, foreign_key="report.id", ondelete="SET NULL", index=True)
    detail: str = Field(default="", sa_type=sa.Text)
    client_ip: str = Field(default="", max_length=64)
    # Nullable only because the columns were added to a table with rows (migration 0012 chained those).
    seq: int | None = Field(default=None, unique=True, index=True)
    prev_hash: str | None = Field(default=None, max_length=64)
    row_hash: str | None = Field(default=None, max_length=64)


class AuditHead(SQLModel, table=True):
    """The chain's head, one row (id 1): the last row's seq and row_hash. Every append updates it first, in the
    same transaction, so concurrent writers queue on its lock; verify-audit compares the last row with it."""

    __tablename__ = "audit_head"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(default=0)
    row_hash: str = Field(max_length=64)


class AppSetting(SQLModel, table=True):
    """Settings an administrator changes in the app (deadlines), as key and value."""

    __tablename__ = "app_setting"

    key: str = Field(primary_key=True, max_length=50)
    value: str = Field(max_length=200)


# The institution's profile and the reporters' protection cases live in models_public.py (imported here, so that
# every table is registered wherever the models are).
from wbs_app.models_public import InstitutionLogo, InstitutionProfile, RetaliationCheckIn  # noqa: E402, F401

# The verifiers' read markers and waiting email notices (models_staff.py).
from wbs_app.models_staff import CaseRead, CaseReadHorizon, StaffNotice  # noqa: E402, F401
