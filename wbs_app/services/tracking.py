"""Public tracking: a registration number reveals only the status and the date of the last update.

The /lacak page (components/tracking_widget.py) and the HTTP route GET /api/lacak/<nomor> (api.py) both go
through look_up(): the same format check, the same per-client limit, the same answer."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import re
import sqlite3

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlmodel import Session

from wbs_app import localtime, messages
from wbs_app.db import loop_reader, open_connection
from wbs_app.models import Report, as_utc
from wbs_app.services.ratelimit import tracking_limiter

# WBS- and 10 characters of Crockford base32 (no I, L, O, U).
REGISTRATION_NUMBER_RE = re.compile(r"^WBS-[0-9A-HJKMNP-TV-Z]{10}$")


@dataclasses.dataclass(frozen=True)
class TrackingResult:
    registration_number: str
    status: str
    updated_at: dt.datetime


def normalize_registration_number(value: str) -> str:
    """Upper-case, without spaces; Crockford look-alikes (O→0, I/L→1) are read as the digits they mean."""
    cleaned = re.sub(r"\s", "", value).upper()[:32]
    if cleaned.startswith("WBS-"):
        cleaned = "WBS-" + cleaned[4:].translate(str.maketrans("OIL", "011"))
    return cleaned


def is_registration_number(value: str) -> bool:
    return bool(REGISTRATION_NUMBER_RE.match(value))


# Three plain columns (none of them sealed) by the unique index: a Core statement, compiled once; for the loop's
# plain SQLite reader, its SQL and the date conversion SQLAlchemy applies on SQLite.
_LOOKUP = sa.select(Report.registration_number, Report.status, Report.updated_at).where(
    Report.registration_number == sa.bindparam("number")
)
_LOOKUP_SQLITE = str(_LOOKUP.compile(dialect=sqlite.dialect()))
_SQLITE_DATETIME = sqlite.DATETIME().result_processor(sqlite.dialect(), None)


def track_report(*, session: Session | sa.Connection, registration_number: str) -> TrackingResult | None:
    number = normalize_registration_number(registration_number)
    if not is_registration_number(number):
        return None
    row = session.execute(_LOOKUP, {"number": number}).first()
    return None if row is None else _result(*row)


def _result(number: str, status: str, updated_at: dt.datetime) -> TrackingResult:
    return TrackingResult(registration_number=number, status=status, updated_at=as_utc(updated_at))


@dataclasses.dataclass(frozen=True)
class PublicStatus:
    """All that a lookup shows: the number, its status and the day of the last update in the configured zone."""

    registration_number: str
    status: str
    updated_on: dt.date
    zone: str  # the zone's abbreviation on that day, e.g. "WIB"

    @classmethod
    def of(cls, result: TrackingResult) -> PublicStatus:
        local = result.updated_at.astimezone(localtime.zone())
        return cls(result.registration_number, result.status, local.date(), local.strftime("%Z"))

    def as_json(self) -> dict[str, str]:
        return {
            "nomor_registrasi": self.registration_number,
            "status": self.status,
            "terakhir_diperbarui": self.updated_on.isoformat(),
            "zona": self.zone,
        }


@dataclasses.dataclass(frozen=True)
class Lookup:
    """The status found, or why not: `problem` is MALFORMED, REFUSED or UNKNOWN, `message` says it to the visitor;
    a refused client may try again after `retry_after` seconds (the whole window: by then every lookup it made
    has left it)."""

    found: PublicStatus | None = None
    problem: str = ""
    message: str = ""
    retry_after: int = 0


MALFORMED, REFUSED, UNKNOWN = "format", "dibatasi", "tidak-ditemukan"


async def look_up(raw_number: str, *, client: str) -> Lookup:
    """One tracking lookup by `client` (services.ratelimit.client_key of the visitor's address). A malformed
    number is answered without counting; beyond the client's limit it is refused; when everybody together is
    busy it waits (asyncio.sleep: this request only)."""
    number = normalize_registration_number(raw_number)
    if not is_registration_number(number):
        return Lookup(problem=MALFORMED, message=messages.TRACK_FORMAT)
    verdict = tracking_limiter.check(client)
    if not verdict.allowed:
        return Lookup(
            problem=REFUSED, message=messages.TRACK_RATE_LIMITED, retry_after=tracking_limiter.limit.window_seconds
        )
    if verdict.delay:
        await asyncio.sleep(verdict.delay)
    result = await _find(number)
    if result is None:
        return Lookup(problem=UNKNOWN, message=messages.TRACK_NOT_FOUND)
    return Lookup(found=PublicStatus.of(result))


async def _find(number: str) -> TrackingResult | None:
    """One row by the unique index. On SQLite it is read on the event loop (db.loop_reader: tens of µs, less than
    the hop to a worker thread costs the loop); when the database is locked, or on another database, the query
    runs in a worker thread, where it may wait."""
    if (reader := loop_reader()) is not None:
        try:
            rows = reader.execute(_LOOKUP_SQLITE, (number,)).fetchall()  # all: the statement ends, no snapshot kept
        except sqlite3.Error:  # locked (a checkpoint, a recovery): wait in a thread instead
            pass
        else:
            if not rows:
                return None
            found, status, updated_at = rows[0]
            return _result(found, status, _SQLITE_DATETIME(updated_at))
    return await asyncio.to_thread(_track, number)


def _track(number: str) -> TrackingResult | None:
    with open_connection() as connection:
        return track_report(session=connection, registration_number=number)
