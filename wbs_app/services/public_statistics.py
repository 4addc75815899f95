"""Public statistics (/statistik): reports received and closed per month, by outcome, channel and type, and the
median days to close — with no count that could single a report out.

Disclosure control:
- Only the 12 complete calendar months before this one (in WBS_TIMEZONE). Nothing of the current month: watching
  the page change from hour to hour would tell when one report arrived and of which kind.
- Primary suppression: every count under 5 (0 included) is shown as "< 5".
- Secondary suppression: each table splits a total that is known (it is shown, or another table adds up to it).
  With one hidden cell, total minus the shown cells would give it back, so in every table with a hidden cell one
  more cell is hidden ("disamarkan"): the first one of 5 or more in the table's own order. That choice does not
  depend on how large the cell is, so the only thing the subtraction yields is that the hidden cells together
  hold (total − shown); the "< 5" cells are at most (that − 5), which names an exact count only when it is 0.
- A median is shown only over at least 5 closed reports, in whole days.
- Totals under 5 are "< 5" too.

Texts (month names, "disamarkan", the median's days, the names of statuses, channels and seeded types) are in the
language asked for (wbs_app/i18n); HIDDEN and the cells compare in Indonesian, translated only as the last step.

Counted in SQL (grouped, index-only: (created_at, channel, violation_type_id) and (closed_at, status, created_at)),
cached per process for WBS_PUBLIC_STATISTICS_CACHE_MINUTES: the page is public and unauthenticated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time

from sqlmodel import Session, func, select

from wbs_app import language, localtime
from wbs_app.db import open_session
from wbs_app.i18n import N_, _, term
from wbs_app.models import CLOSED_STATUSES, Channel, Report, ViolationType
from wbs_app.settings import get_settings

THRESHOLD = 5
MONTHS_SHOWN = 12
UNDER_THRESHOLD = "< 5"
HIDDEN = N_("disamarkan")
MONTH_NAMES = [
    N_("Januari"), N_("Februari"), N_("Maret"), N_("April"), N_("Mei"), N_("Juni"),
    N_("Juli"), N_("Agustus"), N_("September"), N_("Oktober"), N_("November"), N_("Desember"),
]  # fmt: skip
OTHER_TYPES = N_("Jenis lain (tidak aktif lagi)")
LESS_THAN_A_DAY = N_("kurang dari 1 hari")
DAYS = N_("{days} hari")


@dataclasses.dataclass(frozen=True)
class Row:
    label: str
    value: str  # the count as shown: "1.234", "< 5" or "disamarkan"


@dataclasses.dataclass(frozen=True)
class MonthRow:
    label: str
    received: str
    closed: str


@dataclasses.dataclass(frozen=True)
class PublicStatistics:
    period: str
    received_total: str
    closed_total: str
    months: list[MonthRow]
    by_outcome: list[Row]
    by_channel: list[Row]
    by_type: list[Row]
    median_days_to_close: str
    has_hidden: bool  # some cell is "disamarkan" (the page explains why)


def number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def protect(counts: list[int]) -> list[str]:
    """A table's cells as shown (see the module docstring): "< 5" for every count under 5 and, when there is one,
    "disamarkan" for the first count of at least 5, so that no hidden count can be had by subtraction."""
    shown = [UNDER_THRESHOLD if count < THRESHOLD else number(count) for count in counts]
    if UNDER_THRESHOLD in shown:
        second = next((index for index, count in enumerate(counts) if count >= THRESHOLD), None)
        if second is not None:
            shown[second] = HIDDEN
    return shown


def total(count: int) -> str:
    return UNDER_THRESHOLD if count < THRESHOLD else number(count)


def window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first day of the 12 complete months before `today`'s month, and the first day of `today`'s month."""
    end = today.replace(day=1)
    months = end.year * 12 + end.month - 1 - MONTHS_SHOWN
    return dt.date(months // 12, months % 12 + 1, 1), end


def _months(start: dt.date) -> list[str]:
    keys = []
    for offset in range(MONTHS_SHOWN):
        months = start.year * 12 + start.month - 1 + offset
        keys.append(f"{months // 12:04d}-{months % 12 + 1:02d}")
    return keys


def _local_month(*, session: Session, column):
    """SQL: the month ("2026-03") of a timestamp column in the configured zone (no daylight saving in Indonesia)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone(localtime.zone().key, column), "YYYY-MM")
    offset = localtime.zone().utcoffset(dt.datetime.now()).total_seconds() / 3600
    return func.strftime("%Y-%m", column, f"{offset:+.0f} hours")


def _days_to_close(*, session: Session):
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", Report.closed_at - Report.created_at) / 86400
    return func.julianday(Report.closed_at) - func.julianday(Report.created_at)


def _median_days(*, session: Session, closed_in_window: list) -> str:
    """The median over at least THRESHOLD closed reports: the middle one or two read from SQL in order, not all."""
    count = session.exec(select(func.count()).select_from(Report).where(*closed_in_window)).one()
    if count < THRESHOLD:
        return "-"
    days = _days_to_close(session=session)
    middle = list(
        session.exec(select(days).where(*closed_in_window).order_by(days).offset((count - 1) // 2).limit(2 - count % 2))
    )
    median = sum(middle) / len(middle)
    return _(LESS_THAN_A_DAY) if median < 1 else _(DAYS).format(days=round(median))


def _month(index: int, year: int) -> str:
    """ "Maret 2026" (month `index` 1–12), in the current language."""
    return f"{_(MONTH_NAMES[index - 1])} {year}"


def _cell(shown: str) -> str:
    return _(HIDDEN) if shown == HIDDEN else shown


def compute(*, session: Session, today: dt.date | None = None) -> PublicStatistics:
    """The statistics, their texts in the current language (wbs_app/language.py)."""
    start_day, end_day = window(today or localtime.local_today())
    start, end = localtime.start_of_day(start_day), localtime.start_of_day(end_day)
    received = [Report.created_at >= start, Report.created_at < end]
    # closed_at is set exactly while a report is closed (services/cases.change_status): no status condition, so the
    # (closed_at, status, created_at) index answers these alone.
    closed = [Report.closed_at >= start, Report.closed_at < end]

    def grouped(expression, conditions) -> dict:
        return dict(session.exec(select(expression, func.count()).where(*conditions).group_by(expression)).all())

    keys = _months(start_day)
    received_by_month = grouped(_local_month(session=session, column=Report.created_at), received)
    closed_by_month = grouped(_local_month(session=session, column=Report.closed_at), closed)
    received_cells = protect([received_by_month.get(key, 0) for key in keys])
    closed_cells = protect([closed_by_month.get(key, 0) for key in keys])
    months = [
        MonthRow(_month(int(key[5:]), int(key[:4])), _cell(received_cells[i]), _cell(closed_cells[i]))
        for i, key in enumerate(keys)
    ]

    outcomes = grouped(Report.status, closed)
    channels = grouped(Report.channel, received)
    by_type = grouped(Report.violation_type_id, received)
    types = list(session.exec(select(ViolationType).order_by(ViolationType.sort_order, ViolationType.name)))
    active = [t for t in types if t.is_active]
    type_labels = [term(t.name) for t in active]
    type_counts = [by_type.get(t.id, 0) for t in active]
    if len(active) < len(types):  # inactive types (whether or not they have reports) share one row
        type_labels.append(_(OTHER_TYPES))
        type_counts.append(sum(by_type.get(t.id, 0) for t in types if not t.is_active))

    def rows(labels: list[str], counts: list[int]) -> list[Row]:
        return [Row(label, value) for label, value in zip(labels, protect(counts), strict=True)]

    tables = [
        rows([term(status) for status in CLOSED_STATUSES], [outcomes.get(status, 0) for status in CLOSED_STATUSES]),
        rows([term(c.value) for c in Channel], [channels.get(c.value, 0) for c in Channel]),
        rows(type_labels, type_counts),
    ]
    cells = [*received_cells, *closed_cells, *(row.value for table in tables for row in table)]
    tables = [[Row(row.label, _cell(row.value)) for row in table] for table in tables]
    last_day = end_day - dt.timedelta(days=1)
    return PublicStatistics(
        period=f"{_month(start_day.month, start_day.year)} – {_month(last_day.month, last_day.year)}",
        received_total=total(sum(received_by_month.values())),
        closed_total=total(sum(closed_by_month.values())),
        months=months,
        by_outcome=tables[0],
        by_channel=tables[1],
        by_type=tables[2],
        median_days_to_close=_median_days(session=session, closed_in_window=closed),
        has_hidden=HIDDEN in cells,
    )


# Per process on purpose: with several app workers each computes at most once per cache period (a few grouped
# counts on covering indexes), and what they show differs only while a change is younger than that period.
_lock = threading.Lock()
_cached: dict[str, tuple[float, dt.date, PublicStatistics]] = {}  # per language


def cached(*, now: float | None = None, today: dt.date | None = None, lang: str | None = None) -> PublicStatistics:
    """compute() in `lang` (default: the current language), at most once per WBS_PUBLIC_STATISTICS_CACHE_MINUTES
    per language in this process (and again when a month ends). Blocking: call it off the event loop. Concurrent
    callers wait for the one computing."""
    now = time.monotonic() if now is None else now
    today = today or localtime.local_today()
    lifetime = get_settings().public_statistics_cache_minutes * 60
    with _lock, language.use(lang or language.current()) as chosen:
        found = _cached.get(chosen)
        if found is not None and now - found[0] < lifetime and found[1] == today.replace(day=1):
            return found[2]
        with open_session() as db:
            result = compute(session=db, today=today)
        _cached[chosen] = (now, today.replace(day=1), result)
        return result


def forget_cached() -> None:
    with _lock:
        _cached.clear()
