"""Riwayat Laporan: the logged-in reporter's own reports, filtered, sorted and paged in the database."""

from __future__ import annotations

import reflex as rx

from wbs_app import routes
from wbs_app.components.layout import column, page_heading, scrolling
from wbs_app.components.links import link_button
from wbs_app.components.page import Page
from wbs_app.components.pager import pager
from wbs_app.components.sortable import labelled_row, next_sort, sortable_header_row
from wbs_app.components.status_badge import status_badge
from wbs_app.components.text import tr, tr_attr
from wbs_app.db import open_session
from wbs_app.i18n import N_, term
from wbs_app.localtime import format_local
from wbs_app.models import ReportStatus
from wbs_app.services import reports
from wbs_app.state.auth import AuthState
from wbs_app.state.off_loop import in_thread

PAGE_SIZE = 10
# Column header (a catalogue id: components/sortable shows it translated), sort key (None: not sortable) and
# whether a first click sorts newest first.
COLUMNS = [
    (N_("Nomor Registrasi"), "nomor", False),
    (N_("Tanggal"), "tanggal", True),
    (N_("Jenis Pelanggaran"), "jenis", False),
    (N_("Terlapor"), None, False),
    (N_("Status"), "status", False),
    (N_("Catatan Verifikator"), None, False),
    (N_("Terakhir Diperbarui"), "diperbarui", True),
]
SORTABLE = {key: first_descending for _, key, first_descending in COLUMNS if key}


class HistoryState(AuthState):
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    status_filter: str = ""
    sort: str = "tanggal"
    descending: bool = True

    def _forget_login_data(self) -> None:
        self.reset()

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @rx.event
    @in_thread
    def load(self):
        self.page = 1
        return self._refresh()

    def _refresh(self):
        user = self._current_user()
        if user is None:
            self.rows, self.total = [], 0
            return self._sign_in_redirect()
        with open_session() as db:
            rows, total = reports.reporter_history(
                session=db,
                user_id=user.id,
                status=self.status_filter,
                sort=self.sort,
                descending=self.descending,
                page=self.page,
                page_size=PAGE_SIZE,
            )
        self.total = total
        self.rows = [
            {
                "number": row.registration_number,
                "created": format_local(row.created_at),
                "type": term(row.violation_type),
                "accused": row.accused,
                "status": row.status,
                "note": row.verifier_note or "-",
                "updated": format_local(row.updated_at),
                "unread": str(row.unread_messages) if row.unread_messages else "",
            }
            for row in rows
        ]

    @rx.event
    @in_thread
    def filter_status(self, value: str):
        self.status_filter = value if value in reports.STATUS_ORDER else ""
        self.page = 1
        return self._refresh()

    @rx.event
    @in_thread
    def sort_by(self, key: str):
        self.sort, self.descending = next_sort(self.sort, self.descending, key, SORTABLE)
        self.page = 1
        return self._refresh()

    @rx.event
    @in_thread
    def go_to_page(self, page: int):
        if isinstance(page, int):
            self.page = min(max(1, page), self.page_count)
        return self._refresh()


def filters() -> rx.Component:
    return rx.flex(
        rx.box(
            rx.el.label(tr("Status (Hasil Pemeriksaan)"), html_for="status_filter", class_name="field-label"),
            rx.el.select(
                rx.el.option(tr_attr("Semua status"), value=""),
                *[rx.el.option(tr_attr(status.value), value=status.value) for status in ReportStatus],
                id="status_filter",
                value=HistoryState.status_filter,
                on_change=HistoryState.filter_status,
                class_name="native-select",
            ),
        ),
        spacing="4",
        wrap="wrap",
    )


def table() -> rx.Component:
    return scrolling(
        rx.table.root(
            sortable_header_row(
                COLUMNS, current=HistoryState.sort, descending=HistoryState.descending, on_sort=HistoryState.sort_by
            ),
            rx.table.body(
                rx.foreach(
                    HistoryState.rows,
                    lambda row: labelled_row(
                        COLUMNS,
                        rx.table.row_header_cell(
                            rx.link(row["number"], href="/laporan/" + row["number"]),
                            rx.cond(
                                row["unread"] != "",
                                rx.badge(
                                    tr("{count} pesan baru", count=row["unread"]),
                                    color_scheme="red",
                                    margin_left="0.5em",
                                ),
                            ),
                        ),
                        rx.table.cell(row["created"]),
                        rx.table.cell(row["type"]),
                        rx.table.cell(row["accused"], custom_attrs={"translate": "no"}),
                        rx.table.cell(status_badge(row["status"])),
                        rx.table.cell(row["note"], custom_attrs={"translate": "no"}),
                        rx.table.cell(row["updated"]),
                    ),
                )
            ),
            variant="surface",
            size="2",
            class_name="history-table card-table",
        ),
    )


def history() -> rx.Component:
    return column(
        page_heading(tr("Riwayat Laporan"), tr("Laporan yang Anda kirim dari akun ini.")),
        rx.flex(
            filters(),
            link_button(tr("Buat Laporan"), routes.REPORT),
            justify="between",
            align="end",
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
        rx.cond(
            HistoryState.total > 0,
            column(
                table(),
                pager(
                    page=HistoryState.page,
                    page_count=HistoryState.page_count,
                    go_to_page=HistoryState.go_to_page,
                    total=HistoryState.total,
                ),
                spacing="3",
            ),
            rx.callout(tr("Belum ada laporan dengan status ini."), icon="info"),
        ),
    )


PAGE = Page(route=routes.HISTORY, title=N_("Riwayat Laporan"), component=history, on_load=(HistoryState.load,))
