"""Tentang WBS."""

from __future__ import annotations

import reflex as rx

from wbs_app import content, routes
from wbs_app.components.layout import page_heading
from wbs_app.components.page import Page


def about() -> rx.Component:
    return rx.vstack(
        page_heading("Tentang WBS", "Whistleblowing System untuk instansi pemerintah"),
        rx.heading("Definisi", as_="h2", size="5"),
        rx.text(content.DEFINITION),
        rx.heading("Gambaran Umum", as_="h2", size="5"),
        rx.text(content.OVERVIEW),
        rx.heading("Saluran Pelaporan", as_="h2", size="5"),
        rx.el.ul(
            *[rx.el.li(rx.text(rx.text.strong(name), ": ", text)) for name, text in content.CHANNELS],
            class_name="plain-list",
        ),
        rx.heading("Kerahasiaan Pelapor", as_="h2", size="5"),
        rx.text(content.CONFIDENTIALITY),
        rx.heading("Siapa yang dapat melapor?", as_="h2", size="5"),
        rx.text(
            "Aparatur Sipil Negara, pegawai pramubakti, dan masyarakat umum dapat melapor, dengan akun "
            "(jenis akun Umum, PNS, atau Pramubakti) maupun tanpa akun.",
        ),
        spacing="3",
        max_width="48em",
    )


PAGE = Page(route=routes.ABOUT, title="Tentang WBS", component=about)
