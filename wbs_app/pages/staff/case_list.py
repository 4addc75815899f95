"""Daftar Laporan for verifiers: counters, filters, full-text search, sorting, paging, CSV/XLSX export."""

from __future__ import annotations

import asyncio
import datetime as dt

import reflex as rx

from wbs_app import i18n, language, routes, validators
from wbs_app.components.case_list_forms import counter_cards, export_form, filter_form
from wbs_app.components.layout import column, scrolling
from wbs_app.components.page import Page
from wbs_app.components.pager import pager
from wbs_app.components.sortable import labelled_row, next_sort, sortable_header_row
from wbs_app.components.staff_nav import staff_nav
from wbs_app.components.status_badge import status_badge
from wbs_app.components.text import tr
from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.localtime import format_local
from wbs_app.models import Channel, User
from wbs_app.services import case_list, deadlines, downloads, export, policy, reference, staff_inbox, two_factor
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.state.staff import StaffState, staff_event

PAGE_SIZE = 20
# Column header, sort key (None: not sortable) and whether a first click sorts newest/last first.
COLUMNS = [
    (N_("Nomor Registrasi"), "nomor", False),
    (N_("Tanggal"), "tanggal", True),
    (N_("Kanal"), "kanal", False),
    (N_("Jenis Pelanggaran"), "jenis", False),
    (N_("Unit Kejadian"), "unit", False),
    (N_("Terlapor"), None, False),
    (N_("Status"), "status", False),
    (N_("Petugas"), "petugas", False),
    (N_("Tenggat"), None, False),
]
SORTABLE = {key: first_descending for _, key, first_descending in COLUMNS if key}
FILTERS = {
    "status",
    "channel",
    "violation_type_id",
    "unit_id",
    "date_from",
    "date_to",
    "assigned_to_me",
    "overdue",
    "search",
}
# A row's unread marker (services/staff_inbox) and its words.
UNREAD_LABELS = {"baru": N_("Baru"), "pesan": N_("Pesan baru")}


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


class CaseListState(StaffState):
    counters: dict[str, int] = {}
    rows: list[dict[str, str]] = []
    total: int = 0
    total_label: str = "0"  # a search is counted only up to a cap (services/case_list.SEARCH_COUNT_CAP)
    page: int = 1
    filters: dict[str, str] = {}
    sort: str = "tanggal"
    descending: bool = True
    is_admin: bool = False
    export_link: str = ""
    export_label: str = ""
    export_error: str = ""
    exporting: bool = False
    loading: bool = False
    type_options: list[dict[str, str]] = []
    unit_options: list[dict[str, str]] = []
    _requested: int = 0  # list reads asked for: only the newest one's answer is shown

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    def _case_filters(self) -> case_list.CaseFilters:
        f = self.filters
        return case_list.CaseFilters(
            status=f.get("status", ""),
            channel=f.get("channel", "") if f.get("channel", "") in {c.value for c in Channel} else "",
            violation_type_id=_int(f.get("violation_type_id", "")),
            unit_id=_int(f.get("unit_id", "")),
            date_from=_date(f.get("date_from", "")),
            date_to=_date(f.get("date_to", "")),
            assigned_to_me=validators.is_checked(f.get("assigned_to_me")),
            overdue=validators.is_checked(f.get("overdue")),
            search=f.get("search", ""),
            sort=self.sort,
            descending=self.descending,
        )

    async def _refresh(self, user: User, *, counters: bool = False) -> None:
        """Read the page for the filters, sort and page now set, off the event loop; a later click's page wins over
        an earlier one that answers late. The counters (only when asked: on load) come after the list."""
        lang = language.current()
        async with self:
            self._requested += 1
            asked, self.loading = self._requested, True
            filters, page = self._case_filters(), self.page
        rows, total = await asyncio.to_thread(_read_page, user, filters, page, lang)
        async with self:
            if asked != self._requested:
                return
            self.rows, self.total, self.loading = rows, total, False
            self.total_label = _total_label(total, lang)
        if counters:
            counts = await asyncio.to_thread(_read_counters, user)
            async with self:
                self.counters = counts

    @staff_event(background=True)
    async def load(self, user: User):
        options = await asyncio.to_thread(_filter_options, language.current())
        async with self:
            self.is_admin = policy.is_admin(user)
            self.export_link = self.export_error = ""
            self.type_options, self.unit_options = options
        await self._refresh(user, counters=True)

    @staff_event(background=True)
    async def apply_filters(self, user: User, form: dict):
        if not isinstance(form, dict):
            return
        async with self:
            self.filters = {
                key: str(value)[:100]
                for key, value in form.items()
                if key in FILTERS and value not in ("", False, None)
            }
            self.page = 1
            self.export_link = ""
        await self._refresh(user)

    @staff_event(background=True)
    async def sort_by(self, user: User, key: str):
        async with self:
            self.sort, self.descending = next_sort(self.sort, self.descending, key, SORTABLE)
            self.page = 1
        await self._refresh(user)

    @staff_event(background=True)
    async def go_to_page(self, user: User, page: int):
        async with self:
            if isinstance(page, int):
                self.page = min(max(1, page), self.page_count)
        await self._refresh(user)

    @staff_event(background=True)
    async def mark_all_read(self, user: User):
        await asyncio.to_thread(_mark_all_read, user)
        await self._refresh(user, counters=True)

    @staff_event(background=True)
    async def export_list(self, user: User, form: dict):
        async with self:
            if self.exporting or not isinstance(form, dict):
                return
            self.exporting = True
            self.export_link = self.export_error = ""
            work = {
                "filters": self._case_filters(),
                "user": user,
                "include_identity": validators.is_checked(form.get("include_identity")),
                "identity_reason": str(form.get("identity_reason", ""))[:1100],
                "second_factor_code": two_factor.code_from(form),
                "file_format": form.get("format") if form.get("format") in downloads.EXPORT_FORMATS else "csv",
                "client_ip": self._client_ip(),
            }
            lang = language.current()
        try:
            name, error = await asyncio.to_thread(_export, work, lang)
        finally:
            async with self:
                self.exporting = False
        async with self:
            if error:
                self.export_error = error
                return
            self.export_link = downloads.EXPORT_FILE + downloads.make_export_token(
                name, session_token=self._session_token()
            )
            with language.use(lang):
                self.export_label = _("Unduh berkas {format}").format(format=work["file_format"].upper())


def _total_label(total: int, lang: str) -> str:
    if total <= case_list.SEARCH_COUNT_CAP:
        return str(total)
    with language.use(lang):
        cap = f"{case_list.SEARCH_COUNT_CAP:,}"
        return _("lebih dari {count}").format(count=cap if lang == language.ENGLISH else cap.replace(",", "."))


def _read_page(user: User, filters: case_list.CaseFilters, page: int, lang: str) -> tuple[list[dict[str, str]], int]:
    """Blocking (database): one page of the list as the table shows it (in `lang`), and the number of matches."""
    with open_session() as db, language.use(lang):
        config = deadlines.load_config(session=db)
        rows, total = case_list.list_cases(
            session=db, filters=filters, user=user, config=config, page=page, page_size=PAGE_SIZE
        )
    return [
        {
            "number": row.registration_number,
            "created": format_local(row.created_at),
            "channel": i18n.term(row.channel),
            "type": i18n.term(row.violation_type),
            "unit": row.unit,
            "accused": row.accused,
            "status": row.status,
            "assignee": row.assignee,
            "deadline": row.deadline,
            "deadline_kind": _(row.deadline_kind) if row.deadline_kind else "",
            "overdue": "1" if row.overdue else "",
            "unread": _(UNREAD_LABELS[row.unread]) if row.unread in UNREAD_LABELS else "",
        }
        for row in rows
    ], total


def _read_counters(user: User) -> dict[str, int]:
    with open_session() as db:
        return case_list.counters(session=db, user=user, config=deadlines.load_config(session=db))


def _mark_all_read(user: User) -> None:
    with open_session() as db:
        staff_inbox.mark_all_read(session=db, user=user)


def _filter_options(lang: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    with open_session() as db, language.use(lang):
        types = [{"value": str(t.id), "label": i18n.term(t.name)} for t in reference.active_violation_types(session=db)]
        units = [{"value": str(u.id), "label": u.name} for u in reference.active_units(session=db)]
    return types, units


def _export(work: dict, lang: str) -> tuple[str, str]:
    """Blocking (up to the whole case list, XLSX included): the file name, or why it was refused (headers and
    messages in `lang`, the requester's language)."""
    with open_session() as db, language.use(lang):
        try:
            return export.export_cases(session=db, config=deadlines.load_config(session=db), **work), ""
        except Refused as refused:
            return "", str(refused)
        except ValidationFailed as invalid:
            return "", next(iter(invalid.errors.values()))


S = CaseListState


def case_table() -> rx.Component:
    return scrolling(
        rx.table.root(
            sortable_header_row(COLUMNS, current=S.sort, descending=S.descending, on_sort=S.sort_by),
            rx.table.body(
                rx.foreach(
                    S.rows,
                    lambda row: labelled_row(
                        COLUMNS,
                        rx.table.row_header_cell(
                            rx.link(row["number"], href="/verifikator/laporan/" + row["number"]),
                            rx.cond(
                                row["unread"] != "",
                                rx.badge(row["unread"], color_scheme="blue", margin_left="0.4em", class_name="unread"),
                            ),
                        ),
                        rx.table.cell(row["created"]),
                        rx.table.cell(row["channel"]),
                        rx.table.cell(row["type"]),
                        rx.table.cell(row["unit"], custom_attrs={"translate": "no"}),
                        rx.table.cell(row["accused"], custom_attrs={"translate": "no"}),
                        rx.table.cell(status_badge(row["status"])),
                        rx.table.cell(row["assignee"], custom_attrs={"translate": "no"}),
                        rx.table.cell(
                            row["deadline"],
                            rx.cond(
                                row["deadline_kind"] != "", rx.text(row["deadline_kind"], size="1", color_scheme="gray")
                            ),
                            rx.cond(row["overdue"] == "1", rx.badge(tr("Terlambat"), color_scheme="red")),
                        ),
                    ),
                )
            ),
            variant="surface",
            size="1",
            class_name="case-table card-table",
        ),
    )


def case_list_page() -> rx.Component:
    return column(
        rx.heading(tr("Daftar Laporan"), as_="h1", size="7"),
        staff_nav(),
        counter_cards(S),
        rx.button(
            tr("Tandai semua sudah dibaca"), on_click=S.mark_all_read, variant="ghost", size="1", id="mark-all-read"
        ),
        rx.card(filter_form(S), width="100%"),
        pager(page=S.page, page_count=S.page_count, go_to_page=S.go_to_page, total=S.total_label),
        rx.cond(
            S.loading, rx.text(tr("Memuat…"), size="2", color_scheme="gray", role="status", class_name="list-loading")
        ),
        case_table(),
        export_form(S),
    )


PAGE = Page(route=routes.STAFF_HOME, title=N_("Daftar Laporan"), component=case_list_page, on_load=(S.load,))
