"""Statistik: reports per month, by type, unit and status, median handling times (overall and to close, per
unit), the open reports past their deadline, and each chart's numbers as CSV."""

from __future__ import annotations

import asyncio
import datetime as dt

import reflex as rx

from wbs_app import i18n, language, routes
from wbs_app.components.layout import column
from wbs_app.components.links import backend_link
from wbs_app.components.page import Page
from wbs_app.components.staff_nav import staff_nav
from wbs_app.components.text import LanguageState, tr, tr_attr
from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.models import User
from wbs_app.services import statistics, statistics_csv
from wbs_app.state.staff import StaffState, staff_event


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _bars(rows: list[dict], value_key: str = "jumlah", text=str) -> list[dict[str, str]]:
    """Rows for a bar list: the name, the value as text and the bar's width relative to the largest value."""
    largest = max((row[value_key] for row in rows), default=0) or 1
    return [
        {"nama": row["nama"], "nilai": text(row), "lebar": f"{max(0.0, row[value_key] / largest * 100):.1f}%"}
        for row in rows
    ]


class StatisticsState(StaffState):
    total: int = 0
    overdue: int = 0
    per_month: list[dict] = []
    by_type: list[dict[str, str]] = []
    by_unit: list[dict[str, str]] = []
    by_status: list[dict[str, str]] = []
    close_by_unit: list[dict[str, str]] = []
    median_acknowledge: str = "-"
    median_close: str = "-"
    # chart → a signed link to its numbers as CSV, bound to this login (services/statistics_csv)
    csv_links: dict[str, str] = {}
    date_from: str = ""
    date_to: str = ""
    computing: bool = False

    async def _compute(self) -> None:
        """Off the event loop: at a million reports the medians rank every closed report."""
        async with self:
            self.computing = True
            date_from, date_to = _date(self.date_from), _date(self.date_to)
        lang = language.current()
        result = await asyncio.to_thread(_compute, date_from, date_to, lang)
        async with self:
            self.computing = False
            with language.use(lang):
                self._show(result)
            token = self._session_token()
            self.csv_links = {
                chart: statistics_csv.ROUTE + statistics_csv.make_token(chart, date_from, date_to, session_token=token)
                for chart in statistics_csv.CHARTS
            }

    def _show(self, result: statistics.Statistics) -> None:
        self.total = result.total
        self.overdue = result.overdue
        self.per_month = result.per_month
        named = [{**row, "nama": i18n.term(row["nama"])} for row in result.by_type]  # seeded types in English
        self.by_type = _bars(named, text=lambda row: str(row["jumlah"]))
        self.by_unit = _bars(result.by_unit, text=lambda row: str(row["jumlah"]))
        statuses = [{**row, "nama": i18n.term(row["nama"])} for row in result.by_status]
        self.by_status = _bars(statuses, text=lambda row: str(row["jumlah"]))
        self.close_by_unit = _bars(
            result.close_by_unit,
            "median_hari",
            text=lambda row: _("{duration} · {count} laporan").format(
                duration=statistics.format_duration(row["median_hari"]), count=row["jumlah"]
            ),
        )
        self.median_acknowledge = statistics.format_duration(result.median_days_to_acknowledge)
        self.median_close = statistics.format_duration(result.median_days_to_close)

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


def _compute(date_from: dt.date | None, date_to: dt.date | None, lang: str) -> statistics.Statistics:
    with open_session() as db, language.use(lang):
        return statistics.compute(session=db, date_from=date_from, date_to=date_to)


S = StatisticsState


CSV_LABEL = N_("Unduh CSV: {title}")


def csv_link(chart: str, title: str) -> rx.Component:
    return backend_link(
        S.csv_links[chart],
        tr("Unduh CSV"),
        download="",
        class_name="csv-link",
        id=f"csv-{chart}",
        aria_label=rx.cond(
            LanguageState.english,
            i18n.translate(CSV_LABEL, language.ENGLISH).format(title=i18n.translate(title, language.ENGLISH)),
            CSV_LABEL.format(title=title),
        ),
    )


def chart_card(title: str, chart: str, body: rx.Component, **props) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading(tr(title), as_="h2", size="4"),
            rx.cond(S.csv_links.contains(chart), csv_link(chart, title)),
            justify="between",
            align="baseline",
            wrap="wrap",
            gap="2",
        ),
        body,
        width="100%",
        **props,
    )


def month_chart() -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.bar(data_key="jumlah", fill="#3e63dd", name=tr_attr("Jumlah"), max_bar_size=72),
        rx.recharts.x_axis(
            data_key="bulan", interval="preserveStartEnd", min_tick_gap=8, padding={"left": 8, "right": 8}
        ),
        rx.recharts.y_axis(allow_decimals=False, width=48),
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.graphing_tooltip(),
        data=S.per_month,
        height=300,
        width="100%",
        margin={"left": 0, "right": 16, "top": 8, "bottom": 8},
    )


def bar_list(rows, color: str, label: str, *, typed: bool = False) -> rx.Component:
    """A horizontal bar chart in HTML: each name in full (wrapping on a phone), its number, and its bar. `typed`:
    the names are units people typed (not translated)."""
    return rx.el.ul(
        rx.foreach(
            rows,
            lambda row: rx.el.li(
                rx.flex(
                    rx.text(
                        row["nama"], size="2", class_name="bar-name", custom_attrs={"translate": "no"} if typed else {}
                    ),
                    rx.text(row["nilai"], size="2", weight="bold", class_name="bar-value"),
                    justify="between",
                    align="start",
                    gap="3",
                ),
                rx.box(
                    rx.box(class_name="bar-fill", style={"width": row["lebar"], "background": color}),
                    class_name="bar-track",
                    aria_hidden="true",
                ),
                class_name="bar-row",
            ),
        ),
        aria_label=tr_attr(label),
        class_name="bar-list",
    )


def figure(label: str, value, element_id: str) -> rx.Component:
    return rx.card(
        rx.text(tr(label), size="2", color_scheme="gray"),
        rx.text(value, size="7", weight="bold", id=element_id),
    )


def statistics_page() -> rx.Component:
    return column(
        rx.heading(tr("Statistik"), as_="h1", size="7"),
        staff_nav(),
        rx.form(
            rx.flex(
                rx.box(
                    rx.el.label(tr("Dari tanggal"), html_for="stat_from", class_name="field-label"),
                    rx.input(id="stat_from", name="date_from", type="date"),
                ),
                rx.box(
                    rx.el.label(tr("Sampai tanggal"), html_for="stat_to", class_name="field-label"),
                    rx.input(id="stat_to", name="date_to", type="date"),
                ),
                rx.button(tr("Terapkan"), type="submit"),
                spacing="3",
                align="end",
                wrap="wrap",
            ),
            on_submit=S.apply_range,
            no_validate=True,
        ),
        rx.grid(
            figure(N_("Jumlah laporan"), S.total, "stat-total"),
            figure(N_("Median sampai tanggapan awal"), S.median_acknowledge, "stat-ack"),
            figure(N_("Median sampai selesai"), S.median_close, "stat-close"),
            figure(N_("Terbuka dan melewati tenggat"), S.overdue, "stat-overdue"),
            columns=rx.breakpoints(initial="1", xs="2", md="4"),
            spacing="3",
            width="100%",
        ),
        chart_card(N_("Laporan per bulan"), "bulan", month_chart()),
        rx.grid(
            chart_card(
                N_("Menurut jenis pelanggaran"),
                "jenis",
                bar_list(S.by_type, "#e5484d", N_("Menurut jenis pelanggaran")),
            ),
            chart_card(
                N_("Menurut status"),
                "status",
                bar_list(S.by_status, "#30a46c", N_("Menurut status")),
                class_name="stat-status",
            ),
            chart_card(
                N_("Menurut unit kejadian"),
                "unit",
                bar_list(S.by_unit, "#b58a00", N_("Menurut unit kejadian"), typed=True),
            ),
            chart_card(
                N_("Median waktu sampai selesai per unit"),
                "selesai_unit",
                rx.cond(
                    S.close_by_unit.length() > 0,
                    bar_list(S.close_by_unit, "#8e4ec6", N_("Median waktu sampai selesai per unit"), typed=True),
                    rx.text(tr("Belum ada laporan selesai pada rentang ini."), size="2", color_scheme="gray"),
                ),
                class_name="stat-close-by-unit",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
    )


PAGE = Page(route=routes.STAFF_STATS, title=N_("Statistik"), component=statistics_page, on_load=(S.load,))
