"""Statistics for the verifier dashboard, over a date range of submission dates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics as pystats

from sqlmodel import Session, func, select

from wbs_app import localtime
from wbs_app.models import Report, Unit, ViolationType
from wbs_app.services import reports

MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


@dataclasses.dataclass(frozen=True)
class Statistics:
    total: int
    per_month: list[dict]
    by_type: list[dict]
    by_unit: list[dict]
    by_status: list[dict]
    median_days_to_acknowledge: float | None
    median_days_to_close: float | None


def _range(date_from: dt.date | None, date_to: dt.date | None) -> list:
    conditions = []
    if date_from:
        conditions.append(Report.created_at >= localtime.start_of_day(date_from))
    if date_to:
        conditions.append(Report.created_at < localtime.start_of_day(date_to + dt.timedelta(days=1)))
    return conditions


def _local_month(*, session: Session):
    """SQL: the report's month ("2026-03") in the configured zone (Indonesia's zones have no daylight saving)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone(localtime.zone().key, Report.created_at), "YYYY-MM")
    offset = localtime.zone().utcoffset(dt.datetime.now()).total_seconds() / 3600
    return func.strftime("%Y-%m", Report.created_at, f"{offset:+.0f} hours")


def _days_between(*, session: Session, start, end):
    """SQL: days from `start` to `end` (a float)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start) / 86400
    return func.julianday(end) - func.julianday(start)


def _median_days(*, session: Session, conditions: list, start, end) -> float | None:
    """The median of the days from `start` to `end`, over reports with both: the days come from SQL as numbers
    (no timestamp is parsed in Python), one column."""
    days = [
        value
        for value in session.exec(
            select(_days_between(session=session, start=start, end=end)).where(*conditions, start.is_not(None), end.is_not(None))
        )
        if value is not None
    ]
    return round(pystats.median(days), 1) if days else None


def compute(*, session: Session, date_from: dt.date | None = None, date_to: dt.date | None = None) -> Statistics:
    """Every figure is counted in SQL (grouped, through the indexes on type, unit, status and date); only the
    medians read one number per report."""
    conditions = _range(date_from, date_to)
    total = session.exec(select(func.count()).select_from(Report).where(*conditions)).one()
    month = _local_month(session=session)
    months = session.exec(select(month, func.count()).where(*conditions).group_by(month).order_by(month)).all()
    per_month = [{"bulan": f"{MONTHS[int(key[5:]) - 1]} {key[:4]}", "jumlah": count} for key, count in months if key]

    def grouped(column, model) -> list[dict]:
        names = dict(session.exec(select(model.id, model.name)).all())
        counts = session.exec(select(column, func.count()).where(*conditions).group_by(column)).all()
        rows = [{"nama": names.get(key) or "-", "jumlah": count} for key, count in counts]
        return sorted(rows, key=lambda row: (-row["jumlah"], row["nama"]))

    status_counts = dict(
        session.exec(select(Report.status, func.count()).where(*conditions).group_by(Report.status)).all()
    )
    return Statistics(
        total=total,
        per_month=per_month,
        by_type=grouped(Report.violation_type_id, ViolationType),
        by_unit=grouped(Report.unit_id, Unit),
        by_status=[{"nama": status, "jumlah": status_counts.get(status, 0)} for status in reports.STATUS_ORDER],
        median_days_to_acknowledge=_median_days(
            session=session, conditions=conditions, start=Report.created_at, end=Report.acknowledged_at
        ),
        median_days_to_close=_median_days(
            session=session, conditions=conditions, start=Report.created_at, end=Report.closed_at
        ),
    )
