"""Kontak: the institution's address, hours, contact details and offline channels (Administrasi → Instansi)."""

from __future__ import annotations

import reflex as rx

from wbs_app import routes
from wbs_app.components.institution import contact_list, logo, offline_channels
from wbs_app.components.layout import page_heading
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.i18n import N_
from wbs_app.state.institution import InstitutionState


def contact() -> rx.Component:
    return rx.vstack(
        page_heading(tr("Kontak"), tr("Hubungi pengelola Whistleblowing System")),
        rx.card(
            rx.flex(logo("institution-logo contact-logo"), contact_list(), spacing="4", wrap="wrap", align="start"),
            width="100%",
        ),
        rx.heading(tr("Saluran Pelaporan"), as_="h2", size="5", margin_top="1em"),
        rx.text(
            tr(
                "Cara paling aman adalah formulir daring Lapor Sekarang, yang terbuka 24 jam: identitas Anda "
                "terlindungi dan laporan langsung tercatat dengan Nomor Registrasi."
            ),
            " ",
            rx.link(tr("Buka formulir pelaporan"), href=routes.REPORT),
        ),
        rx.cond(
            InstitutionState.has_offline_channels,
            rx.fragment(
                rx.text(tr("Bila Anda tidak dapat melapor secara daring, laporan juga diterima melalui:")),
                offline_channels(),
            ),
        ),
        rx.callout(
            tr(
                "Jangan kirim laporan pelanggaran melalui email biasa atau media sosial: pesan di sana dapat dibaca "
                "orang lain dan tidak tercatat dengan Nomor Registrasi."
            ),
            icon="info",
            margin_top="1em",
        ),
        rx.text(
            tr("Keluhan tentang pelayanan publik (bukan pelanggaran oleh pegawai) disampaikan melalui SP4N-LAPOR!."),
            " ",
            rx.link(tr("Apa yang dilaporkan ke WBS"), href=routes.REPORT + "#bukan-wbs"),
            size="2",
        ),
        spacing="3",
        max_width="48em",
    )


PAGE = Page(route=routes.CONTACT, title=N_("Kontak"), component=contact)
