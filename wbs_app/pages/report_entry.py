"""Lapor Sekarang: choose the channel; each opens the same four-step wizard."""

from __future__ import annotations

import reflex as rx

from wbs_app import content, routes
from wbs_app.components.layout import column, page_heading
from wbs_app.components.page import Page

FORM_OF_CHANNEL = {channel: route for route, channel in routes.REPORT_FORMS.items()}


def channel_card(name: str, text: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(name, as_="h2", size="4"),
            rx.text(text, size="2"),
            rx.link(
                rx.button("Lapor Sekarang", width="100%"),
                href=FORM_OF_CHANNEL[name],
                aria_label=f"Lapor {name}",
                width="100%",
            ),
            spacing="3",
            height="100%",
            justify="between",
        ),
    )


def report_entry() -> rx.Component:
    return column(
        page_heading("Lapor Sekarang", "Pilih saluran pelaporan yang sesuai dengan dugaan pelanggaran."),
        rx.grid(
            *[channel_card(name, text) for name, text in content.CHANNELS],
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
        ),
        rx.callout(
            "Anda dapat melapor tanpa akun: setelah terkirim Anda menerima Nomor Registrasi dan Kode Akses "
            "rahasia. Dengan akun, laporan tersimpan di Riwayat Laporan Anda.",
            icon="shield_check",
            color_scheme="green",
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
        rx.text(
            "Sudah pernah melapor tanpa akun? ", rx.link("Buka laporan dengan Kode Akses", href=routes.ACCESS), "."
        ),
        max_width="60em",
    )


PAGE = Page(route=routes.REPORT, title="Lapor Sekarang", component=report_entry)
