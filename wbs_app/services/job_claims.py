"""Scheduled jobs run once per period, however many app workers run them.

Every app worker runs the same lifespan tasks (wbs_app.py). Before a job's work, a worker claims the period (a day,
an hour) in the database: the period stored under the job's key moves forward in one conditional UPDATE, or the
first INSERT makes the row. Of several workers (or processes, or hosts) asking for one period exactly one gets
True. Works the same on SQLite and PostgreSQL; needs no Redis.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session, select, update

from wbs_app.models import AppSetting


def claim(*, session: Session, job: str, period: str) -> bool:
    """True for exactly one caller per (job, period). Periods must sort as text in time order (ISO dates,
    `hour_period`); an earlier period than the one stored is never claimed."""
    try:
        moved = session.exec(
            update(AppSetting).where(AppSetting.key == job, AppSetting.value < period).values(value=period)
        ).rowcount
        if moved:
            session.commit()
            return True
        if session.exec(select(AppSetting.key).where(AppSetting.key == job)).first() is not None:
            session.rollback()
            return False
        session.add(AppSetting(key=job, value=period))
        session.commit()
        return True
    except (sa.exc.IntegrityError, sa.exc.OperationalError):  # another worker inserted it, or holds it: theirs
        session.rollback()
        return False


def hour_period(now: dt.datetime) -> str:
    """The hour `now` falls in (UTC), as a period of `claim`."""
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H")
