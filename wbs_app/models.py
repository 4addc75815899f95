"""Database tables. The schema is created and changed only by Alembic migrations (alembic/versions)."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


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
    UMUM = "Umum"
    PNS = "PNS"
    PRAMUBAKTI = "Pramubakti"


class ReportStatus(enum.StrEnum):
    VERIFICATION = "Proses Verifikasi"
    EXAMINATION = "Proses Pemeriksaan"
    PROVEN = "Selesai: Terbukti"
    NOT_PROVEN = "Selesai: Tidak Terbukti"
    NOT_FOLLOWED_UP = "Tidak Ditindaklanjuti"


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
    email: str = Field(max_length=254)
    email_key: str = Field(max_length=254, unique=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(default=Role.REPORTER.value, max_length=20, index=True)
    account_type: str = Field(default=AccountType.UMUM.value, max_length=20)
    identity_number: str = Field(default="", max_length=32)
    nip: str = Field(default="", max_length=18)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", ondelete="SET NULL")
    rank_id: int | None = Field(default=None, foreign_key="rank.id", ondelete="SET NULL")
    position: str = Field(default="", max_length=120)
    full_name: str = Field(max_length=120)
    phone: str = Field(default="", max_length=20)
    address: str = Field(default="", max_length=500)
    birth_place: str = Field(default="", max_length=80)
    birth_date: dt.date | None = Field(default=None)
    institution: str = Field(default="", max_length=120)
    city: str = Field(default="", max_length=80)
    other_phone: str = Field(default="", max_length=20)
    is_active: bool = Field(default=False)
    must_change_password: bool = Field(default=False)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    activated_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class ActivationToken(SQLModel, table=True):
    """Single-use email activation link; only the SHA-256 of the token is stored."""

    __tablename__ = "activation_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    expires_at: dt.datetime = Field(sa_type=sa.DateTime(timezone=True))
    used_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


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


class LoginThrottle(SQLModel, table=True):
    """Failed login attempts per identifier, to slow down password guessing."""

    __tablename__ = "login_throttle"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=254, unique=True)
    failures: int = Field(default=0)
    last_failure_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    locked_until: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


# Reports (the reporting issue adds the full wizard; tracking needs number, status and dates) -----------


class Report(SQLModel, table=True):
    __tablename__ = "report"

    id: int | None = Field(default=None, primary_key=True)
    registration_number: str = Field(max_length=16, unique=True)
    channel: str = Field(max_length=40, index=True)
    title: str = Field(max_length=200)
    description: str = Field(sa_type=sa.Text)
    violation_type_id: int | None = Field(
        default=None, foreign_key="violation_type.id", ondelete="RESTRICT", index=True
    )
    unit_id: int | None = Field(default=None, foreign_key="unit.id", ondelete="RESTRICT", index=True)
    reporter_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True)
    status: str = Field(default=ReportStatus.VERIFICATION.value, max_length=40, index=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), index=True)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
