"""The verifiers' case list: filters, search, sorting and paging done in the database, the counters above
the list, and the same query in batches for exports. Only reports the viewer may handle are counted or
listed: staff named among a report's accused never see it (wbs_app.services.conflicts).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator

from sqlalchemy import and_, false, or_
from sqlmodel import Session, col, func, select

from wbs_app import localtime
from wbs_app.models import CLOSED_STATUSES, Report, ReportStatus, Unit, User, ViolationType, as_utc
from wbs_app.services import conflicts, deadlines, policy, reports, search_index
from wbs_app.services.deadlines import DeadlineConfig
from wbs_app.services.tracking import normalize_registration_number

ASSIGNEE = User.__table__.alias("assignee")
# "WBS-" and 1 to 10 characters of Crockford base32: a registration number's beginning.
REGISTRATION_PREFIX = re.compile(r"^WBS-[0-9A-HJKMNP-TV-Z]{1,10}$")
SORT_COLUMNS = {
    "nomor": col(Report.registration_number),
    "tanggal": col(Report.created_at),
    "kanal": col(Report.channel),
    "jenis": col(ViolationType.name),
    "unit": col(Unit.name),
    "status": col(Report.status),
    "petugas": ASSIGNEE.c.full_name,
}


@dataclasses.dataclass
class CaseFilters:
    status: str = ""
    channel: str = ""
    violation_type_id: int | None = None
    unit_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    assigned_to_me: bool = False
    overdue: bool = False
    search: str = ""
    sort: str = "tanggal"
    descending: bool = True


@dataclasses.dataclass(frozen=True)
class CaseRow:
    registration_number: str
    created_at: dt.datetime
    channel: str
    violation_type: str
    unit: str
    accused: str
    status: str
    assignee: str
    deadline: str
    deadline_kind: str
    overdue: bool


def _overdue_condition(config: DeadlineConfig, today: dt.date):
    acknowledge_cutoff, result_cutoff = deadlines.overdue_cutoffs(config, today)
    return or_(
        and_(
            Report.acknowledged_at.is_(None),
            col(Report.status).notin_(CLOSED_STATUSES),
            Report.created_at < localtime.start_of_day(acknowledge_cutoff),
        ),
        and_(col(Report.status).notin_(CLOSED_STATUSES), Report.created_at < localtime.start_of_day(result_cutoff)),
    )


def _conditions(*, session: Session, filters: CaseFilters, user: User, config: DeadlineConfig, today: dt.date) -> list:
    policy.require_staff(user)
    conditions = []
    if filters.status in reports.STATUS_ORDER:
        conditions.append(Report.status == filters.status)
    if filters.channel:
        conditions.append(Report.channel == filters.channel)
    if filters.violation_type_id:
        conditions.append(Report.violation_type_id == filters.violation_type_id)
    if filters.unit_id:
        conditions.append(Report.unit_id == filters.unit_id)
    if filters.date_from:
        conditions.append(Report.created_at >= localtime.start_of_day(filters.date_from))
    if filters.date_to:
        conditions.append(Report.created_at < localtime.start_of_day(filters.date_to + dt.timedelta(days=1)))
    conditions.append(conflicts.not_accused(session=session, user=user))
    if filters.assigned_to_me:
        conditions.append(Report.assigned_to_id == user.id)
    if filters.overdue:
        conditions.append(_overdue_condition(config, today))
    term = filters.search.strip()[:100]
    if term:
        conditions.append(_search_condition(session=session, term=term))
    return conditions


def _search_condition(*, session: Session, term: str):
    """Whole words of the title, description and accused names (the keyed token index: the text itself is
    encrypted), or a prefix of the registration number (an index range, "WBS-7K" or "7K")."""
    number = normalize_registration_number(term)
    number = number if number.startswith("WBS-") else "WBS-" + number
    matches = []
    if REGISTRATION_PREFIX.match(number):
        upper = number[:-1] + chr(ord(number[-1]) + 1)
        matches.append(and_(Report.registration_number >= number, Report.registration_number < upper))
    words = search_index.matching_reports(session=session, term=term)
    if words is not None:
        matches.append(col(Report.id).in_(words))
    return or_(*matches) if matches else false()


def _sorted_cases(conditions: list, filters: CaseFilters):
    """The matching cases in the order the list shows them."""
    return _case_select(*conditions).order_by(*reports.sort_order(SORT_COLUMNS, filters.sort, filters.descending))


def _case_select(*conditions):
    """The case list's columns, with the joins they need, for the reports matching `conditions`."""
    return (
        select(
            Report.id,
            Report.registration_number,
            Report.created_at,
            Report.channel,
            ViolationType.name,
            Unit.name,
            Report.status,
            ASSIGNEE.c.full_name,
            Report.acknowledged_at,
        )
        .join(ViolationType, ViolationType.id == Report.violation_type_id, isouter=True)
        .join(Unit, Unit.id == Report.unit_id, isouter=True)
        .join(ASSIGNEE, ASSIGNEE.c.id == Report.assigned_to_id, isouter=True)
        .where(*conditions)
    )


def list_cases(
    *,
    session: Session,
    filters: CaseFilters,
    user: User,
    config: DeadlineConfig,
    today: dt.date | None = None,
    page: int = 1,
    page_size: int = 20,
) -> tuple[list[CaseRow], int]:
    """One page of the case list, filtered, searched, sorted and paged in the database."""
    today = today or localtime.local_today()
    conditions = _conditions(session=session, filters=filters, user=user, config=config, today=today)
    total = session.exec(select(func.count()).select_from(Report).where(*conditions)).one()
    rows = session.exec(
        _sorted_cases(conditions, filters).offset((max(1, page) - 1) * page_size).limit(page_size)
    ).all()
    return _case_rows(session=session, rows=rows, config=config, today=today), total


def iter_cases(
    *,
    session: Session,
    filters: CaseFilters,
    user: User,
    config: DeadlineConfig,
    today: dt.date | None = None,
    batch: int = 500,
) -> Iterator[list[CaseRow]]:
    """Every matching case in list order, in batches (for exports).

    The matching ids are read once, in order, so the work stays linear and a report sent meanwhile neither
    shifts nor repeats rows; each batch is then read by id.
    """
    today = today or localtime.local_today()
    conditions = _conditions(session=session, filters=filters, user=user, config=config, today=today)
    ids = [row[0] for row in session.exec(_sorted_cases(conditions, filters).with_only_columns(Report.id))]
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        position = {report_id: index for index, report_id in enumerate(chunk)}
        rows = session.exec(_case_select(col(Report.id).in_(chunk))).all()
        yield _case_rows(
            session=session, rows=sorted(rows, key=lambda row: position[row[0]]), config=config, today=today
        )


def _case_rows(*, session: Session, rows, config: DeadlineConfig, today: dt.date) -> list[CaseRow]:
    """Case list rows with their accused names, next deadline and overdue mark."""
    ids = [row[0] for row in rows]
    names = reports.accused_names_of(session=session, report_ids=ids)
    acknowledge_cutoff, result_cutoff = deadlines.overdue_cutoffs(config, today)
    result = []
    for report_id, number, created, channel, type_name, unit_name, status, assignee_name, acknowledged in rows:
        created = as_utc(created)
        deadline = deadlines.next_deadline(
            status=status, created_at=created, acknowledged_at=acknowledged, config=config
        )
        overdue = status not in CLOSED_STATUSES and (
            (acknowledged is None and localtime.local_date(created) < acknowledge_cutoff)
            or localtime.local_date(created) < result_cutoff
        )
        result.append(
            CaseRow(
                registration_number=number,
                created_at=created,
                channel=channel,
                violation_type=type_name or "-",
                unit=unit_name or "-",
                accused=", ".join(names.get(report_id, [])) or "-",
                status=status,
                assignee=assignee_name or "-",
                deadline=f"{deadline.due:%d-%m-%Y}" if deadline else "-",
                deadline_kind=deadline.kind if deadline else "",
                overdue=overdue,
            )
        )
    return result


def counters(*, session: Session, user: User, config: DeadlineConfig, today: dt.date | None = None) -> dict[str, int]:
    """The numbers above the case list, over the reports this user may see."""
    policy.require_staff(user)
    today = today or localtime.local_today()
    visible = conflicts.not_accused(session=session, user=user)
    by_status = dict(session.exec(select(Report.status, func.count()).where(visible).group_by(Report.status)).all())
    new = session.exec(
        select(func.count())
        .select_from(Report)
        .where(visible, Report.status == ReportStatus.VERIFICATION.value, Report.assigned_to_id.is_(None))
    ).one()
    overdue = session.exec(
        select(func.count()).select_from(Report).where(visible, _overdue_condition(config, today))
    ).one()
    return {
        "baru": new,
        "verifikasi": by_status.get(ReportStatus.VERIFICATION.value, 0),
        "pemeriksaan": by_status.get(ReportStatus.EXAMINATION.value, 0),
        "selesai": sum(by_status.get(status, 0) for status in CLOSED_STATUSES),
        "terlambat": overdue,
    }
