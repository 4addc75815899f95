"""Statistik (public): reports received and closed per month, by outcome, channel and type, and the median days to
close, over the last 12 complete months; small counts hidden (services/public_statistics)."""

from __future__ import annotations

import asyncio

import reflex as rx

from wbs_app import language, messages, routes
from wbs_app.components.layout import column, page_heading, scrolling
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.i18n import N_
from wbs_app.services import public_statistics
from wbs_app.services.public_statistics import MonthRow, Row
from wbs_app.services.ratelimit import client_of, public_statistics_limiter


class PublicStatisticsState(rx.State):
    loaded: bool = False
    error: str = ""
    period: str = ""
    received_total: str = ""
    closed_total: str = ""
    median_days_to_close: str = ""
    months: list[MonthRow] = []
    by_outcome: list[Row] = []
    by_channel: list[Row] = []
    by_type: list[Row] = []
    has_hidden: bool = False

    @rx.event(background=True)
    async def load(self):
        lang = language.current()  # the browser's, read while the event is being handled
        async with self:
            verdict = public_statistics_limiter.check(client_of(self.router))
            if not verdict.allowed:
                self.error = messages.STATISTICS_RATE_LIMITED
                return
            self.error = ""
        await asyncio.sleep(verdict.delay)
        result = await asyncio.to_thread(public_statistics.cached, lang=lang)
        async with self:
            self.period = result.period
            self.received_total = result.received_total
            self.closed_total = result.closed_total
            self.median_days_to_close = result.median_days_to_close
            self.months = result.months
            self.by_outcome = result.by_outcome
            self.by_channel = result.by_channel
            self.by_type = result.by_type
            self.has_hidden = result.has_hidden
            self.loaded = True


S = PublicStatisticsState


def figure(text: rx.Component, value, element_id: str) -> rx.Component:
    return rx.card(
        rx.text(text, size="2", color_scheme="gray"),
        rx.text(value, size="7", weight="bold", id=element_id),
    )


def count_table(title: rx.Component, heading: rx.Component, rows, element_id: str) -> rx.Component:
    return rx.card(
        rx.heading(title, as_="h2", size="4"),
        rx.table.root(
            rx.table.header(
                rx.table.row(rx.table.column_header_cell(heading), rx.table.column_header_cell(tr("Jumlah laporan")))
            ),
            rx.table.body(
                rx.foreach(
                    rows, lambda row: rx.table.row(rx.table.row_header_cell(row.label), rx.table.cell(row.value))
                )
            ),
            size="1",
            id=element_id,
        ),
        width="100%",
    )


def months_table() -> rx.Component:
    return rx.card(
        rx.heading(tr("Per bulan"), as_="h2", size="4"),
        scrolling(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(tr("Bulan")),
                        rx.table.column_header_cell(tr("Diterima")),
                        rx.table.column_header_cell(tr("Selesai")),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        S.months,
                        lambda row: rx.table.row(
                            rx.table.row_header_cell(row.label), rx.table.cell(row.received), rx.table.cell(row.closed)
                        ),
                    )
                ),
                size="1",
                id="stat-months",
            ),
        ),
        width="100%",
    )


def explanation() -> rx.Component:
    return rx.callout(
        # "< 5" and "disamarkan" as services/public_statistics shows them (UNDER_THRESHOLD, HIDDEN).
        rx.text(
            tr(
                "Agar tidak ada laporan atau pelapor yang dapat dikenali, setiap jumlah di bawah 5 ditampilkan sebagai "
                "“< 5”. Bila sebuah tabel memuat angka “< 5”, satu angka lain di tabel itu juga ditampilkan sebagai "
                "“disamarkan”, supaya angka kecil tidak dapat dihitung dari jumlah totalnya. Bulan berjalan belum "
                "ditampilkan."
            ),
        ),
        icon="shield_check",
        color_scheme="gray",
        width="100%",
    )


def statistics_page() -> rx.Component:
    return column(
        page_heading(
            tr("Statistik Laporan"), tr("Laporan yang diterima dan diselesaikan melalui Whistleblowing System")
        ),
        rx.cond(
            S.error != "",
            rx.callout(S.error, color_scheme="amber", role="alert", width="100%"),
            rx.cond(S.loaded, statistics_content(), rx.text(tr("Memuat…"), role="status")),
        ),
        max_width="60em",
    )


def statistics_content() -> rx.Component:
    return column(
        rx.text(tr("Periode:"), " ", rx.text.strong(S.period, id="stat-period")),
        rx.grid(
            figure(tr("Laporan diterima"), S.received_total, "stat-received"),
            figure(tr("Laporan selesai"), S.closed_total, "stat-closed"),
            figure(tr("Median lama penyelesaian"), S.median_days_to_close, "stat-median"),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        explanation(),
        months_table(),
        rx.grid(
            count_table(tr("Hasil penyelesaian"), tr("Hasil"), S.by_outcome, "stat-outcome"),
            count_table(tr("Menurut saluran"), tr("Saluran"), S.by_channel, "stat-channel"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        count_table(tr("Menurut jenis pelanggaran"), tr("Jenis pelanggaran"), S.by_type, "stat-type"),
        rx.text(
            tr("Laporan yang diterima dihitung menurut tanggal diterima; laporan selesai menurut tanggal selesai."),
            " ",
            tr("Ingin melapor?"),
            " ",
            rx.link(tr("Lapor Sekarang"), href=routes.REPORT),
            size="2",
            color_scheme="gray",
        ),
    )


PAGE = Page(
    route=routes.PUBLIC_STATISTICS,
    title=N_("Statistik"),
    component=statistics_page,
    on_load=(S.load,),
    description="Statistik laporan Whistleblowing System: jumlah diterima dan diselesaikan per bulan.",
)
