"""Deadlines: acknowledgement within N days of submission, result within M days; calendar or working days.

Working days skip weekends and Indonesian public holidays (including cuti bersama) from the lokal-id package.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import lokal
from sqlmodel import Session, select

from wbs_app import localtime
from wbs_app.models import AppSetting, ReportStatus

CLOSED_STATUSES = (ReportStatus.PROVEN.value, ReportStatus.NOT_PROVEN.value, ReportStatus.NOT_FOLLOWED_UP.value)
OPEN_STATUSES = (ReportStatus.VERIFICATION.value, ReportStatus.EXAMINATION.value)


@dataclasses.dataclass(frozen=True)
class DeadlineConfig:
    acknowledge_days: int = 7
    result_days: int = 90
    working_days: bool = False
    remind_days_before: int = 2


def load_config(*, session: Session) -> DeadlineConfig:
    values = {row.key: row.value for row in session.exec(select(AppSetting))}
    default = DeadlineConfig()
    return DeadlineConfig(
        acknowledge_days=int(values.get("acknowledge_days", default.acknowledge_days)),
        result_days=int(values.get("result_days", default.result_days)),
        working_days=values.get("working_days", "0") == "1",
        remind_days_before=int(values.get("remind_days_before", default.remind_days_before)),
    )


def save_config(*, session: Session, config: DeadlineConfig) -> None:
    for key, value in {
        "acknowledge_days": str(config.acknowledge_days),
        "result_days": str(config.result_days),
        "working_days": "1" if config.working_days else "0",
        "remind_days_before": str(config.remind_days_before),
    }.items():
        row = session.get(AppSetting, key) or AppSetting(key=key, value=value)
        row.value = value
        session.add(row)


def is_working_day(day: dt.date) -> bool:
    return lokal.is_working_day(day.isoformat())


def add_days(start: dt.date, days: int, *, working: bool) -> dt.date:
    """The date `days` days after `start`, counting only working days when asked."""
    if not working:
        return start + dt.timedelta(days=days)
    day, left = start, days
    step = 1 if days >= 0 else -1
    while left != 0:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            left -= step
    return day


@dataclasses.dataclass(frozen=True)
class Deadline:
    kind: str  # "Tanggapan awal" or "Hasil"
    due: dt.date

    def overdue(self, today: dt.date) -> bool:
        return self.due < today


def next_deadline(
    *, status: str, created_at: dt.datetime, acknowledged_at: dt.datetime | None, config: DeadlineConfig
) -> Deadline | None:
    """The deadline a report must meet next; None once it is closed."""
    if status in CLOSED_STATUSES:
        return None
    start = localtime.local_date(created_at)
    if acknowledged_at is None:
        return Deadline("Tanggapan awal", add_days(start, config.acknowledge_days, working=config.working_days))
    return Deadline("Hasil", add_days(start, config.result_days, working=config.working_days))


def overdue_cutoffs(config: DeadlineConfig, today: dt.date) -> tuple[dt.date, dt.date]:
    """Reports created before these dates are overdue for acknowledgement / for a result."""
    return (
        add_days(today, -config.acknowledge_days, working=config.working_days),
        add_days(today, -config.result_days, working=config.working_days),
    )
