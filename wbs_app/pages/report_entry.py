"""Lapor Sekarang: the reporting channels and what a good report contains."""

from __future__ import annotations

import reflex as rx

from wbs_app import content, routes
from wbs_app.components.layout import page_heading
from wbs_app.pages.page import Page


def report_entry() -> rx.Component:
    return rx.vstack(
        page_heading("Lapor Sekarang", "Pilih saluran pelaporan yang sesuai dengan dugaan pelanggaran."),
        rx.grid(
            *[
                rx.card(rx.heading(name, as_="h2", size="4"), rx.text(text, size="2", margin_top="0.5em"))
                for name, text in content.CHANNELS
            ],
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
        ),
        rx.callout(
            "Formulir pelaporan daring belum dibuka pada instalasi ini. Sementara itu, siapkan laporan Anda "
            "sesuai kriteria 5W+1H di bawah dan hubungi pengelola WBS melalui halaman Kontak.",
            icon="info",
            color_scheme="amber",
            role="status",
            width="100%",
        ),
        rx.heading("Periksa laporan Anda (5W+1H)", as_="h2", size="5"),
        rx.el.ul(
            *[
                rx.el.li(rx.text(rx.text.strong(f"{english} ({indonesian})"), ": ", text))
                for english, indonesian, text in content.CRITERIA
            ],
            class_name="plain-list",
        ),
        rx.link("Hubungi pengelola WBS", href=routes.CONTACT),
        spacing="4",
        width="100%",
        max_width="60em",
    )


PAGE = Page(route=routes.REPORT, title="Lapor Sekarang", component=report_entry)
