"""Public tracking: a registration number reveals only the status and the date of the last update."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from sqlmodel import Session, select

from wbs_app.models import Report, as_utc

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


def track_report(*, session: Session, registration_number: str) -> TrackingResult | None:
    number = normalize_registration_number(registration_number)
    if not is_registration_number(number):
        return None
    row = session.exec(
        select(Report.registration_number, Report.status, Report.updated_at).where(Report.registration_number == number)
    ).first()
    if row is None:
        return None
    return TrackingResult(registration_number=row[0], status=row[1], updated_at=as_utc(row[2]))
