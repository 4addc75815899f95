"""Dates as the people using WBS see them: in WBS_TIMEZONE (Asia/Jakarta by default), while the database
keeps UTC. A report sent at 01:00 WIB on the 1st belongs to the 1st, in filters, deadlines and statistics."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from wbs_app.models import as_utc
from wbs_app.settings import get_settings


def zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(get_settings().timezone)


def local_date(when: dt.datetime) -> dt.date:
    return as_utc(when).astimezone(zone()).date()


def local_today() -> dt.date:
    return dt.datetime.now(zone()).date()


def start_of_day(day: dt.date) -> dt.datetime:
    """The UTC instant at which `day` begins in local time."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone()).astimezone(dt.UTC)


def format_local(when: dt.datetime | None) -> str:
    """E.g. "05-12-2026 10:15 WIB": every time shown says its zone (WIB, WITA or WIT, from WBS_TIMEZONE)."""
    return "-" if when is None else as_utc(when).astimezone(zone()).strftime("%d-%m-%Y %H:%M %Z")


format_local_with_zone = format_local
