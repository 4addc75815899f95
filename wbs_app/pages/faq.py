"""FAQ: questions from the manuals about anonymity, what to report, evidence and tracking."""

from __future__ import annotations

import reflex as rx

from wbs_app import content, routes
from wbs_app.components.institution import offline_channels
from wbs_app.components.layout import column, page_heading
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.i18n import N_
from wbs_app.state.institution import InstitutionState


def item(question: rx.Component, *answer: rx.Component) -> rx.Component:
    return rx.el.details(rx.el.summary(question, class_name="faq-question"), *answer, class_name="faq-item")


def faq() -> rx.Component:
    return column(
        page_heading(tr("Pertanyaan yang Sering Diajukan")),
        *[
            item(tr(question), rx.text(tr(answer, **content.VALUES), class_name="faq-answer"))
            for question, answer in content.FAQ
        ],
        # From the institution's profile (Administrasi → Instansi).
        item(
            tr("Dapatkah saya melapor tanpa internet?"),
            rx.cond(
                InstitutionState.has_offline_channels,
                rx.box(
                    rx.text(tr("Ya. Laporan juga diterima melalui:")),
                    offline_channels(),
                    class_name="faq-answer",
                ),
                rx.text(
                    tr("Laporan diterima melalui formulir daring."),
                    " ",
                    rx.link(tr("Alamat dan jam layanan ada di halaman Kontak."), href=routes.CONTACT),
                    class_name="faq-answer",
                ),
            ),
        ),
        item(
            tr("Keluhan tentang pelayanan publik disampaikan ke mana?"),
            rx.text(
                tr(
                    "Keluhan pelayanan biasa (layanan lambat, perizinan, fasilitas umum) disampaikan melalui "
                    "SP4N-LAPOR!, bukan WBS. WBS untuk dugaan pelanggaran oleh pegawai."
                ),
                " ",
                rx.link(tr("Apa yang dilaporkan ke WBS"), href=routes.REPORT + "#bukan-wbs"),
                class_name="faq-answer",
            ),
        ),
        spacing="3",
        max_width="48em",
    )


PAGE = Page(route=routes.FAQ, title=N_("FAQ"), component=faq)
