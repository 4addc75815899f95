"""Statistics for the verifier dashboard, over a date range of submission dates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics as pystats

from sqlmodel import Session, func, select

from wbs_app import localtime
from wbs_app.models import Report, Unit, ViolationType, as_utc
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


def compute(*, session: Session, date_from: dt.date | None = None, date_to: dt.date | None = None) -> Statistics:
    conditions = _range(date_from, date_to)
    total = session.exec(select(func.count()).select_from(Report).where(*conditions)).one()

    months: dict[str, int] = {}
    acknowledge_days: list[float] = []
    close_days: list[float] = []
    for created, acknowledged, closed in session.exec(
        select(Report.created_at, Report.acknowledged_at, Report.closed_at).where(*conditions)
    ):
        created = as_utc(created)
        key = f"{localtime.local_date(created):%Y-%m}"
        months[key] = months.get(key, 0) + 1
        if acknowledged:
            acknowledge_days.append((as_utc(acknowledged) - created).total_seconds() / 86400)
        if closed:
            close_days.append((as_utc(closed) - created).total_seconds() / 86400)
    per_month = [
        {"bulan": f"{MONTHS[int(key[5:]) - 1]} {key[:4]}", "jumlah": count} for key, count in sorted(months.items())
    ]

    def grouped(label_column, join_model, join_on) -> list[dict]:
        rows = session.exec(
            select(label_column, func.count())
            .select_from(Report)
            .join(join_model, join_on, isouter=True)
            .where(*conditions)
            .group_by(label_column)
            .order_by(func.count().desc())
        ).all()
        return [{"nama": name or "-", "jumlah": count} for name, count in rows]

    by_type = grouped(ViolationType.name, ViolationType, ViolationType.id == Report.violation_type_id)
    by_unit = grouped(Unit.name, Unit, Unit.id == Report.unit_id)
    status_counts = dict(
        session.exec(select(Report.status, func.count()).where(*conditions).group_by(Report.status)).all()
    )
    by_status = [{"nama": status, "jumlah": status_counts.get(status, 0)} for status in reports.STATUS_ORDER]
    return Statistics(
        total=total,
        per_month=per_month,
        by_type=by_type,
        by_unit=by_unit,
        by_status=by_status,
        median_days_to_acknowledge=round(pystats.median(acknowledge_days), 1) if acknowledge_days else None,
        median_days_to_close=round(pystats.median(close_days), 1) if close_days else None,
    )
