"""Tentang WBS."""

from __future__ import annotations

import reflex as rx

from wbs_app import content, routes
from wbs_app.components.layout import page_heading
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.i18n import N_


def about() -> rx.Component:
    return rx.vstack(
        page_heading(tr("Tentang WBS"), tr("Whistleblowing System untuk instansi pemerintah")),
        rx.heading(tr("Definisi"), as_="h2", size="5"),
        rx.text(tr(content.DEFINITION)),
        rx.heading(tr("Gambaran Umum"), as_="h2", size="5"),
        rx.text(tr(content.OVERVIEW)),
        rx.heading(tr("Saluran Pelaporan"), as_="h2", size="5"),
        rx.el.ul(
            *[rx.el.li(rx.text(rx.text.strong(tr(name)), ": ", tr(text))) for name, text in content.CHANNELS],
            class_name="plain-list",
        ),
        rx.heading(tr("Kerahasiaan Pelapor"), as_="h2", size="5"),
        rx.text(tr(content.CONFIDENTIALITY)),
        rx.heading(tr("Siapa yang dapat melapor?"), as_="h2", size="5"),
        rx.text(
            tr(
                "Aparatur Sipil Negara, pegawai pramubakti, dan masyarakat umum dapat melapor, dengan akun "
                "(jenis akun Umum, PNS, atau Pramubakti) maupun tanpa akun."
            ),
        ),
        spacing="3",
        max_width="48em",
    )


PAGE = Page(route=routes.ABOUT, title=N_("Tentang WBS"), component=about)
