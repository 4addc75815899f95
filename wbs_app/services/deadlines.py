"""Deadlines: acknowledgement within N days of submission, result within M days; calendar or working days.

Working days skip weekends and Indonesian public holidays (including cuti bersama) from the lokal-id package.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import lokal
from sqlmodel import Session, select

from wbs_app import localtime, messages, validators
from wbs_app.models import CLOSED_STATUSES, AppSetting, ReportStatus, User
from wbs_app.services import audit, policy
from wbs_app.services.errors import ValidationFailed

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


# The day counts an administrator may set; a deadline of 0 days would make every new report overdue at once.
DAY_FIELDS = ("acknowledge_days", "result_days", "remind_days_before")
MAX_DAYS = 365
MAY_BE_ZERO = ("remind_days_before",)


def _day_counts(form_values: dict) -> dict[str, int]:
    """The typed day counts as numbers, or ValidationFailed naming every field that is not 0..365 (1.. where 0 is
    not allowed)."""
    counts, errors = {}, {}
    for key in DAY_FIELDS:
        raw = str(form_values.get(key, "")).strip()
        # isascii: str.isdigit also accepts digits like "²" that int() refuses.
        value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else -1
        if not 0 <= value <= MAX_DAYS or (value == 0 and key not in MAY_BE_ZERO):
            errors[key] = messages.DEADLINE_INVALID
        counts[key] = value
    if errors:
        raise ValidationFailed(errors)
    return counts


def save_settings(*, session: Session, actor: User | None, form_values: dict, client_ip: str = "") -> DeadlineConfig:
    """An administrator's new deadline settings, from the form as typed; audited as "pengaturan"."""
    policy.require_admin(actor)
    config = DeadlineConfig(
        working_days=validators.is_checked(form_values.get("working_days")), **_day_counts(form_values)
    )
    save_config(session=session, config=config)
    audit.record(session=session, action="pengaturan", actor_id=actor.id, detail=str(config), client_ip=client_ip)
    session.commit()
    return config


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
