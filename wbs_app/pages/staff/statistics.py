"""Statistik: reports per month, by type, unit and status, and median handling times."""

from __future__ import annotations

import asyncio
import datetime as dt

import reflex as rx

from wbs_app import routes
from wbs_app.components.layout import column
from wbs_app.components.page import Page
from wbs_app.components.staff_nav import staff_nav
from wbs_app.db import open_session
from wbs_app.models import User
from wbs_app.services import statistics
from wbs_app.state.staff import StaffState, staff_event


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


class StatisticsState(StaffState):
    total: int = 0
    per_month: list[dict] = []
    by_type: list[dict] = []
    by_unit: list[dict] = []
    by_status: list[dict] = []
    median_acknowledge: str = "-"
    median_close: str = "-"
    date_from: str = ""
    date_to: str = ""
    computing: bool = False

    async def _compute(self) -> None:
        """Off the event loop: at a million reports this reads every report's dates."""
        async with self:
            self.computing = True
            date_from, date_to = _date(self.date_from), _date(self.date_to)
        result = await asyncio.to_thread(_compute, date_from, date_to)
        async with self:
            self.computing = False
            self._show(result)

    def _show(self, result: statistics.Statistics) -> None:
        self.total = result.total
        self.per_month = result.per_month
        self.by_type = result.by_type
        self.by_unit = result.by_unit
        self.by_status = result.by_status
        self.median_acknowledge = (
            "-" if result.median_days_to_acknowledge is None else f"{result.median_days_to_acknowledge} hari"
        )
        self.median_close = "-" if result.median_days_to_close is None else f"{result.median_days_to_close} hari"

    @staff_event(background=True)
    async def load(self, user: User):
        await self._compute()

    @staff_event(background=True)
    async def apply_range(self, user: User, form: dict):
        if not isinstance(form, dict):
            return
        async with self:
            self.date_from = str(form.get("date_from", ""))[:10] if _date(form.get("date_from", "")) else ""
            self.date_to = str(form.get("date_to", ""))[:10] if _date(form.get("date_to", "")) else ""
        await self._compute()


def _compute(date_from: dt.date | None, date_to: dt.date | None) -> statistics.Statistics:
    with open_session() as db:
        return statistics.compute(session=db, date_from=date_from, date_to=date_to)


S = StatisticsState


def bar_chart(title: str, data, x_key: str, color: str, vertical: bool = False) -> rx.Component:
    chart = (
        rx.recharts.bar_chart(
            rx.recharts.bar(data_key="jumlah", fill=color, name="Jumlah"),
            rx.recharts.x_axis(type_="number", allow_decimals=False),
            rx.recharts.y_axis(data_key=x_key, type_="category", width=180),
            rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
            rx.recharts.graphing_tooltip(),
            data=data,
            layout="vertical",
            height=320,
            width="100%",
        )
        if vertical
        else rx.recharts.bar_chart(
            rx.recharts.bar(data_key="jumlah", fill=color, name="Jumlah"),
            rx.recharts.x_axis(data_key=x_key),
            rx.recharts.y_axis(allow_decimals=False),
            rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
            rx.recharts.graphing_tooltip(),
            data=data,
            height=300,
            width="100%",
        )
    )
    return rx.card(rx.heading(title, as_="h2", size="4"), chart, width="100%")


def data_table(rows, label: str) -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(rx.table.column_header_cell(label), rx.table.column_header_cell("Jumlah"))),
        rx.table.body(rx.foreach(rows, lambda r: rx.table.row(rx.table.cell(r["nama"]), rx.table.cell(r["jumlah"])))),
        size="1",
    )


def statistics_page() -> rx.Component:
    return column(
        rx.heading("Statistik", as_="h1", size="7"),
        staff_nav(),
        rx.form(
            rx.flex(
                rx.box(
                    rx.el.label("Dari tanggal", html_for="stat_from", class_name="field-label"),
                    rx.input(id="stat_from", name="date_from", type="date"),
                ),
                rx.box(
                    rx.el.label("Sampai tanggal", html_for="stat_to", class_name="field-label"),
                    rx.input(id="stat_to", name="date_to", type="date"),
                ),
                rx.button("Terapkan", type="submit"),
                spacing="3",
                align="end",
                wrap="wrap",
            ),
            on_submit=S.apply_range,
            no_validate=True,
        ),
        rx.grid(
            rx.card(
                rx.text("Jumlah laporan", size="2", color_scheme="gray"),
                rx.text(S.total, size="7", weight="bold", id="stat-total"),
            ),
            rx.card(
                rx.text("Median hari sampai tanggapan awal", size="2", color_scheme="gray"),
                rx.text(S.median_acknowledge, size="7", weight="bold", id="stat-ack"),
            ),
            rx.card(
                rx.text("Median hari sampai selesai", size="2", color_scheme="gray"),
                rx.text(S.median_close, size="7", weight="bold", id="stat-close"),
            ),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        bar_chart("Laporan per bulan", S.per_month, "bulan", "#3e63dd"),
        rx.grid(
            column(
                bar_chart("Menurut jenis pelanggaran", S.by_type, "nama", "#e5484d", vertical=True),
                data_table(S.by_type, "Jenis Pelanggaran"),
            ),
            column(
                bar_chart("Menurut status", S.by_status, "nama", "#30a46c", vertical=True),
                data_table(S.by_status, "Status"),
                class_name="stat-status",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        column(
            bar_chart("Menurut unit kejadian", S.by_unit, "nama", "#f5b700", vertical=True),
            data_table(S.by_unit, "Unit"),
        ),
    )


PAGE = Page(route=routes.STAFF_STATS, title="Statistik", component=statistics_page, on_load=(S.load,))
