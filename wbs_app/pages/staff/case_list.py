"""Daftar Laporan for verifiers: counters, filters, full-text search, sorting, paging, CSV/XLSX export."""

from __future__ import annotations

import asyncio
import datetime as dt

import reflex as rx

from wbs_app import routes, validators
from wbs_app.components.layout import column, scrolling
from wbs_app.components.links import backend_link
from wbs_app.components.page import Page
from wbs_app.components.pager import pager
from wbs_app.components.sortable import labelled_row, next_sort, sortable_header_row
from wbs_app.components.staff_nav import staff_nav
from wbs_app.components.status_badge import status_badge
from wbs_app.db import open_session
from wbs_app.localtime import format_local
from wbs_app.models import Channel, ReportStatus, User
from wbs_app.services import case_list, deadlines, downloads, export, policy, reference, staff_inbox, two_factor
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.state.staff import StaffState, staff_event

PAGE_SIZE = 20
# Column header, sort key (None: not sortable) and whether a first click sorts newest/last first.
COLUMNS = [
    ("Nomor Registrasi", "nomor", False),
    ("Tanggal", "tanggal", True),
    ("Kanal", "kanal", False),
    ("Jenis Pelanggaran", "jenis", False),
    ("Unit Kejadian", "unit", False),
    ("Terlapor", None, False),
    ("Status", "status", False),
    ("Petugas", "petugas", False),
    ("Tenggat", None, False),
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
COUNTER_LABELS = [
    ("baru", "Baru (belum ditugaskan)"),
    ("verifikasi", "Proses Verifikasi"),
    ("pemeriksaan", "Proses Pemeriksaan"),
    ("selesai", "Selesai"),
    ("terlambat", "Terlambat"),
    ("belum_dibaca", "Belum dibaca"),
]
# A row's unread marker (services/staff_inbox) and its words.
UNREAD_LABELS = {"baru": "Baru", "pesan": "Pesan baru"}


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

    @rx.var
    def total_label(self) -> str:
        """A search is counted only up to a cap (services/case_list.SEARCH_COUNT_CAP)."""
        if self.total > case_list.SEARCH_COUNT_CAP:
            return f"lebih dari {case_list.SEARCH_COUNT_CAP:,}".replace(",", ".")
        return str(self.total)

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
        async with self:
            self._requested += 1
            asked, self.loading = self._requested, True
            filters, page = self._case_filters(), self.page
        rows, total = await asyncio.to_thread(_read_page, user, filters, page)
        async with self:
            if asked != self._requested:
                return
            self.rows, self.total, self.loading = rows, total, False
        if counters:
            counts = await asyncio.to_thread(_read_counters, user)
            async with self:
                self.counters = counts

    @staff_event(background=True)
    async def load(self, user: User):
        options = await asyncio.to_thread(_filter_options)
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
        try:
            name, error = await asyncio.to_thread(_export, work)
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
            self.export_label = f"Unduh berkas {work['file_format'].upper()}"


def _read_page(user: User, filters: case_list.CaseFilters, page: int) -> tuple[list[dict[str, str]], int]:
    """Blocking (database): one page of the list as the table shows it, and the number of matches."""
    with open_session() as db:
        config = deadlines.load_config(session=db)
        rows, total = case_list.list_cases(
            session=db, filters=filters, user=user, config=config, page=page, page_size=PAGE_SIZE
        )
    return [
        {
            "number": row.registration_number,
            "created": format_local(row.created_at),
            "channel": row.channel,
            "type": row.violation_type,
            "unit": row.unit,
            "accused": row.accused,
            "status": row.status,
            "assignee": row.assignee,
            "deadline": row.deadline,
            "deadline_kind": row.deadline_kind,
            "overdue": "1" if row.overdue else "",
            "unread": UNREAD_LABELS.get(row.unread, ""),
        }
        for row in rows
    ], total


def _read_counters(user: User) -> dict[str, int]:
    with open_session() as db:
        return case_list.counters(session=db, user=user, config=deadlines.load_config(session=db))


def _mark_all_read(user: User) -> None:
    with open_session() as db:
        staff_inbox.mark_all_read(session=db, user=user)


def _filter_options() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    with open_session() as db:
        types = [{"value": str(t.id), "label": t.name} for t in reference.active_violation_types(session=db)]
        units = [{"value": str(u.id), "label": u.name} for u in reference.active_units(session=db)]
    return types, units


def _export(work: dict) -> tuple[str, str]:
    """Blocking (up to the whole case list, XLSX included): the file name, or why it was refused."""
    with open_session() as db:
        try:
            return export.export_cases(session=db, config=deadlines.load_config(session=db), **work), ""
        except Refused as refused:
            return "", str(refused)
        except ValidationFailed as invalid:
            return "", next(iter(invalid.errors.values()))


S = CaseListState


def counter_cards() -> rx.Component:
    return rx.grid(
        *[
            rx.card(
                rx.text(label, size="2", color_scheme="gray"),
                rx.text(S.counters[key].to_string(), size="7", weight="bold", class_name=f"counter-{key}"),
            )
            for key, label in COUNTER_LABELS
        ],
        columns=rx.breakpoints(initial="2", sm="3", lg="6"),
        spacing="3",
        width="100%",
    )


def select_filter(text: str, name: str, options: list[tuple[str, str]] | rx.Var) -> rx.Component:
    choices = (
        [rx.el.option(label, value=value) for value, label in options]
        if isinstance(options, list)
        else [rx.foreach(options, lambda option: rx.el.option(option["label"], value=option["value"]))]
    )
    return rx.box(
        rx.el.label(text, html_for=f"filter_{name}", class_name="field-label"),
        rx.el.select(
            rx.el.option("Semua", value=""), *choices, id=f"filter_{name}", name=name, class_name="native-select"
        ),
        class_name="field",
    )


def filter_form() -> rx.Component:
    return rx.form(
        rx.grid(
            rx.box(
                rx.el.label(
                    "Cari (judul, uraian, terlapor, nomor)", html_for="filter_search", class_name="field-label"
                ),
                rx.input(id="filter_search", name="search", max_length=100, width="100%"),
                class_name="field",
                grid_column=rx.breakpoints(initial="span 1", md="span 2"),
            ),
            select_filter("Status", "status", [(s.value, s.value) for s in ReportStatus]),
            select_filter("Kanal", "channel", [(c.value, c.value) for c in Channel]),
            select_filter("Jenis Pelanggaran", "violation_type_id", S.type_options),
            select_filter("Unit Kejadian", "unit_id", S.unit_options),
            rx.box(
                rx.el.label("Dari tanggal", html_for="filter_date_from", class_name="field-label"),
                rx.input(id="filter_date_from", name="date_from", type="date", width="100%"),
                class_name="field",
            ),
            rx.box(
                rx.el.label("Sampai tanggal", html_for="filter_date_to", class_name="field-label"),
                rx.input(id="filter_date_to", name="date_to", type="date", width="100%"),
                class_name="field",
            ),
            rx.el.label(
                rx.el.input(type="checkbox", name="assigned_to_me", id="filter_mine"),
                " Ditugaskan ke saya",
                html_for="filter_mine",
                class_name="checkbox-label",
            ),
            rx.el.label(
                rx.el.input(type="checkbox", name="overdue", id="filter_overdue"),
                " Hanya yang terlambat",
                html_for="filter_overdue",
                class_name="checkbox-label",
            ),
            rx.button("Terapkan", type="submit"),
            columns=rx.breakpoints(initial="1", sm="2", md="4"),
            spacing="3",
            align="end",
            width="100%",
        ),
        on_submit=S.apply_filters,
        no_validate=True,
        width="100%",
    )


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
                        rx.table.cell(row["unit"]),
                        rx.table.cell(row["accused"]),
                        rx.table.cell(status_badge(row["status"])),
                        rx.table.cell(row["assignee"]),
                        rx.table.cell(
                            row["deadline"],
                            rx.cond(
                                row["deadline_kind"] != "", rx.text(row["deadline_kind"], size="1", color_scheme="gray")
                            ),
                            rx.cond(row["overdue"] == "1", rx.badge("Terlambat", color_scheme="red")),
                        ),
                    ),
                )
            ),
            variant="surface",
            size="1",
            class_name="case-table card-table",
        ),
    )


def export_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.label("Format ekspor", html_for="export_format"),
            rx.el.select(
                rx.el.option("CSV", value="csv"),
                rx.el.option("Excel (XLSX)", value="xlsx"),
                id="export_format",
                name="format",
                class_name="native-select",
                style={"width": "auto"},
            ),
            rx.button(rx.icon("download", size=16), "Ekspor", type="submit", variant="outline", loading=S.exporting),
            rx.cond(
                S.is_admin,
                rx.flex(
                    rx.el.label(
                        rx.el.input(type="checkbox", name="include_identity", id="include_identity"),
                        " Sertakan identitas pelapor (tercatat di log audit)",
                        html_for="include_identity",
                        class_name="checkbox-label",
                    ),
                    rx.el.label("Alasan membuka identitas", html_for="identity_reason"),
                    rx.input(id="identity_reason", name="identity_reason", max_length=1000, min_width="16rem"),
                    # A fresh second-factor code, asked only when the identities are included.
                    rx.el.label("Kode autentikator", html_for="export_code"),
                    rx.input(
                        id="export_code",
                        name=two_factor.CODE_FIELD,
                        auto_complete="one-time-code",
                        max_length=32,
                        width="8rem",
                    ),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
            ),
            rx.cond(
                S.export_link != "",
                backend_link(S.export_link, S.export_label, class_name="file-link", id="export-link"),
            ),
            rx.cond(S.export_error != "", rx.text(S.export_error, color_scheme="red", role="alert", id="export-error")),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        on_submit=S.export_list,
    )


def case_list_page() -> rx.Component:
    return column(
        rx.heading("Daftar Laporan", as_="h1", size="7"),
        staff_nav(),
        counter_cards(),
        rx.button("Tandai semua sudah dibaca", on_click=S.mark_all_read, variant="ghost", size="1", id="mark-all-read"),
        rx.card(filter_form(), width="100%"),
        pager(page=S.page, page_count=S.page_count, go_to_page=S.go_to_page, total=S.total_label),
        rx.cond(S.loading, rx.text("Memuat…", size="2", color_scheme="gray", role="status", class_name="list-loading")),
        case_table(),
        export_form(),
    )


PAGE = Page(route=routes.STAFF_HOME, title="Daftar Laporan", component=case_list_page, on_load=(S.load,))
