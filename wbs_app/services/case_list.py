"""The verifiers' case list: filters, search, sorting and paging done in the database, the counters above
the list, and the same query in batches for exports. A page's rows carry the viewer's unread markers and the
counters their unread count (services/staff_inbox, both indexed). Only reports the viewer may handle are counted or
listed: staff named among a report's accused never see it (wbs_app.services.conflicts).

Every query is served by an index, at a million reports too: a page is chosen as ids only (an index-only scan,
even for a deep page), then those rows are read; sorting by a name from another table (type, unit, assignee)
walks the few groups in name order, each through the report's index on that column; the counters are range
counts on composite indexes.
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
from wbs_app.services import conflicts, deadlines, policy, reports, search_index, staff_inbox
from wbs_app.services.deadlines import DeadlineConfig
from wbs_app.services.tracking import normalize_registration_number

ASSIGNEE = User.__table__.alias("assignee")
# A search is counted up to just past this many matches ("lebih dari 10.000"): counting every report holding a
# common word would read them all; a page of them is found at once.
SEARCH_COUNT_CAP = 10_000
# "WBS-" and 1 to 10 characters of Crockford base32: a registration number's beginning.
REGISTRATION_PREFIX = re.compile(r"^WBS-[0-9A-HJKMNP-TV-Z]{1,10}$")
# Sorted by the report's own column (each indexed; the id breaks ties, and is in every index).
SORT_COLUMNS = {
    "nomor": col(Report.registration_number),
    "tanggal": col(Report.created_at),
    "kanal": col(Report.channel),
    "status": col(Report.status),
}
# The same sorts as a join, for a search's (capped) matches.
_JOINED_NAMES = {
    "jenis": (col(ViolationType.name), ViolationType, ViolationType.id == Report.violation_type_id),
    "unit": (col(Unit.name), Unit, Unit.id == Report.unit_id),
    "petugas": (ASSIGNEE.c.full_name, ASSIGNEE, ASSIGNEE.c.id == Report.assigned_to_id),
}
# Sorted by the name of what the column points to: (the report's column, the table whose name is shown).
GROUPED_SORTS = {
    "jenis": (col(Report.violation_type_id), ViolationType),
    "unit": (col(Report.unit_id), Unit),
    "petugas": (col(Report.assigned_to_id), User),
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
    # Unread by the viewer (services/staff_inbox): "baru" (never opened), "pesan" (the reporter wrote since), "".
    unread: str = ""


OPEN_STATUSES = [status.value for status in ReportStatus if status.value not in CLOSED_STATUSES]


def overdue_ranges(config: DeadlineConfig, today: dt.date) -> list:
    """Overdue = open and sent before the result cutoff, or open, not yet acknowledged and sent before the
    acknowledgement cutoff, each by the channel's rule: as disjoint conditions, each a range of the (status,
    [channel,] created_at) or (status, [channel,] acknowledged_at, created_at) index."""
    rules = config.rules_by_channel()
    if len(set(rules.values())) == 1:
        groups = [((), config.general)]
    else:
        groups = [((Report.channel == channel,), rule) for channel, rule in rules.items()]
    ranges = []
    for in_channel, rule in groups:
        acknowledge_cutoff, result_cutoff = (
            localtime.start_of_day(day) for day in deadlines.overdue_cutoffs(rule, today)
        )
        ranges.append(and_(col(Report.status).in_(OPEN_STATUSES), *in_channel, Report.created_at < result_cutoff))
        if acknowledge_cutoff > result_cutoff:
            ranges.append(
                and_(
                    col(Report.status).in_(OPEN_STATUSES),
                    *in_channel,
                    Report.acknowledged_at.is_(None),
                    Report.created_at >= result_cutoff,
                    Report.created_at < acknowledge_cutoff,
                )
            )
    return ranges


def _overdue_condition(config: DeadlineConfig, today: dt.date):
    return or_(*overdue_ranges(config, today))


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
    """A registration number's beginning ("WBS-7K…": a range of its unique index), or else whole words of the
    title, description and accused names (the keyed token index: the text itself is encrypted)."""
    number = normalize_registration_number(term)
    if number.startswith("WBS-"):
        if not REGISTRATION_PREFIX.match(number):
            return false()
        upper = number[:-1] + chr(ord(number[-1]) + 1)
        return and_(Report.registration_number >= number, Report.registration_number < upper)
    words = search_index.matching_condition(session=session, term=term, report_id=col(Report.id))
    return false() if words is None else words


def _page_ids(*, session: Session, conditions: list, filters: CaseFilters, offset: int, limit: int) -> list[int]:
    """The ids of one page of matching reports, in list order, chosen through indexes only."""
    if filters.sort in GROUPED_SORTS and filters.search.strip():
        # A search's matches are few or capped: sorted by the joined name directly, within the capped set.
        capped = select(Report.id).where(*conditions).limit(SEARCH_COUNT_CAP + 1)
        label, join_model, join_on = _JOINED_NAMES[filters.sort]
        order = (label.desc(), col(Report.id).desc()) if filters.descending else (label.asc(), col(Report.id).asc())
        query = (
            select(Report.id)
            .join(join_model, join_on, isouter=True)
            .where(col(Report.id).in_(capped))
            .order_by(*order)
            .offset(offset)
            .limit(limit)
        )
        return list(session.exec(query))
    if filters.sort in GROUPED_SORTS:
        return _grouped_page_ids(session=session, conditions=conditions, filters=filters, offset=offset, limit=limit)
    order = reports.sort_order(SORT_COLUMNS, filters.sort, filters.descending)
    return list(session.exec(select(Report.id).where(*conditions).order_by(*order).offset(offset).limit(limit)))


def _grouped_page_ids(
    *, session: Session, conditions: list, filters: CaseFilters, offset: int, limit: int
) -> list[int]:
    """A page sorted by the name of a type, unit or assignee: the groups (few) in name order, each read in id
    order through the report's index on its column until the page is full. Groups before the page are only
    counted (an index range count) when the page does not start at the top."""
    column, named = GROUPED_SORTS[filters.sort]
    if named is User:  # only staff are ever assigned (and only their names are stored readable)
        labels = select(User.id, User.full_name).where(col(User.role).in_(policy.STAFF_ROLES))
    else:
        labels = select(named.id, named.name)
    names = dict(session.exec(labels).all())
    groups = sorted([*names, None], key=lambda group: (names.get(group) or "", group or 0), reverse=filters.descending)
    in_order = col(Report.id).desc() if filters.descending else col(Report.id).asc()
    ids: list[int] = []
    for group in groups:
        in_group = column.is_(None) if group is None else column == group
        if offset:
            size = session.exec(select(func.count()).select_from(Report).where(*conditions, in_group)).one()
            if offset >= size:
                offset -= size
                continue
        ids += session.exec(
            select(Report.id).where(*conditions, in_group).order_by(in_order).offset(offset).limit(limit - len(ids))
        ).all()
        offset = 0
        if len(ids) >= limit:
            break
    return ids


def _rows_in_order(*, session: Session, ids: list[int]):
    """The list's columns for these reports, in the order of `ids`."""
    position = {report_id: index for index, report_id in enumerate(ids)}
    rows = session.exec(_case_select(col(Report.id).in_(ids))).all() if ids else []
    return sorted(rows, key=lambda row: position[row[0]])


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
    total = _count(session=session, conditions=conditions, searching=bool(filters.search.strip()))
    ids = _page_ids(
        session=session, conditions=conditions, filters=filters, offset=(max(1, page) - 1) * page_size, limit=page_size
    )
    found = _rows_in_order(session=session, ids=ids)
    unread = staff_inbox.markers(session=session, user=user, report_ids=ids)
    rows = _case_rows(session=session, rows=found, config=config, today=today)
    return [
        dataclasses.replace(row, unread=unread.get(raw[0], "")) for raw, row in zip(found, rows, strict=True)
    ], total


def _count(*, session: Session, conditions: list, searching: bool) -> int:
    """How many reports match; a search only up to SEARCH_COUNT_CAP + 1."""
    if not searching:
        return session.exec(select(func.count()).select_from(Report).where(*conditions)).one()
    found = select(Report.id).where(*conditions).limit(SEARCH_COUNT_CAP + 1).subquery()
    return session.exec(select(func.count()).select_from(found)).one()


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
    total = session.exec(select(func.count()).select_from(Report).where(*conditions)).one()
    ids = _page_ids(session=session, conditions=conditions, filters=filters, offset=0, limit=total)
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        yield _case_rows(session=session, rows=_rows_in_order(session=session, ids=chunk), config=config, today=today)


def _case_rows(*, session: Session, rows, config: DeadlineConfig, today: dt.date) -> list[CaseRow]:
    """Case list rows with their accused names, next deadline and overdue mark."""
    ids = [row[0] for row in rows]
    names = reports.accused_names_of(session=session, report_ids=ids)
    cutoffs: dict[str, tuple[dt.date, dt.date]] = {}  # by channel
    result = []
    for report_id, number, created, channel, type_name, unit_name, status, assignee_name, acknowledged in rows:
        created = as_utc(created)
        deadline = deadlines.next_deadline(
            status=status, created_at=created, acknowledged_at=acknowledged, config=config, channel=channel
        )
        if channel not in cutoffs:
            cutoffs[channel] = deadlines.overdue_cutoffs(config.rule_for(channel), today)
        acknowledge_cutoff, result_cutoff = cutoffs[channel]
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
    """The numbers above the case list, over the reports this user may see: each a range count on an index."""
    policy.require_staff(user)
    today = today or localtime.local_today()
    visible = conflicts.not_accused(session=session, user=user)

    def count(*conditions) -> int:
        return session.exec(select(func.count()).select_from(Report).where(visible, *conditions)).one()

    by_status = {status.value: count(Report.status == status.value) for status in ReportStatus}
    new = count(Report.status == ReportStatus.VERIFICATION.value, Report.assigned_to_id.is_(None))
    overdue = sum(count(overdue_range) for overdue_range in overdue_ranges(config, today))
    return {
        "baru": new,
        "verifikasi": by_status.get(ReportStatus.VERIFICATION.value, 0),
        "pemeriksaan": by_status.get(ReportStatus.EXAMINATION.value, 0),
        "selesai": sum(by_status.get(status, 0) for status in CLOSED_STATUSES),
        "terlambat": overdue,
        "belum_dibaca": staff_inbox.unread_count(session=session, user=user),
    }
