"""FAQ: questions from the manuals about anonymity, what to report, evidence and tracking."""

from __future__ import annotations

import reflex as rx

from wbs_app import content, routes
from wbs_app.components.institution import offline_channels
from wbs_app.components.layout import column, page_heading
from wbs_app.components.page import Page
from wbs_app.state.institution import InstitutionState


def item(question: str, *answer: rx.Component) -> rx.Component:
    return rx.el.details(rx.el.summary(question, class_name="faq-question"), *answer, class_name="faq-item")


def faq() -> rx.Component:
    return column(
        page_heading("Pertanyaan yang Sering Diajukan"),
        *[item(question, rx.text(answer, class_name="faq-answer")) for question, answer in content.FAQ],
        # From the institution's profile (Administrasi → Instansi).
        item(
            "Dapatkah saya melapor tanpa internet?",
            rx.cond(
                InstitutionState.has_offline_channels,
                rx.box(
                    rx.text("Ya. ", InstitutionState.profile.name, " juga menerima laporan melalui:"),
                    offline_channels(),
                    class_name="faq-answer",
                ),
                rx.text(
                    "Laporan diterima melalui formulir daring. Lihat halaman ",
                    rx.link("Kontak", href=routes.CONTACT),
                    " untuk alamat dan jam layanan ",
                    InstitutionState.profile.name,
                    ".",
                    class_name="faq-answer",
                ),
            ),
        ),
        item(
            "Keluhan tentang pelayanan publik disampaikan ke mana?",
            rx.text(
                "Keluhan pelayanan biasa (layanan lambat, perizinan, fasilitas umum) disampaikan melalui SP4N-LAPOR!, "
                "bukan WBS. WBS untuk dugaan pelanggaran oleh pegawai. Lihat ",
                rx.link("apa yang dilaporkan ke WBS", href=routes.REPORT + "#bukan-wbs"),
                ".",
                class_name="faq-answer",
            ),
        ),
        spacing="3",
        max_width="48em",
    )


PAGE = Page(route=routes.FAQ, title="FAQ", component=faq)
