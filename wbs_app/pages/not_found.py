"""The page shown at an address the app does not have (a mistyped link, an old bookmark): in the site's frame,
in the visitor's language, with the ways on. The server answers an unknown path with status 404 and the app's shell
(Reflex's build writes it as 404.html); the router in the browser then draws this page, as it does for a link
inside the app to an unknown path."""

from __future__ import annotations

import reflex as rx

from wbs_app import routes
from wbs_app.components.layout import page_heading
from wbs_app.components.links import link_button
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.i18n import N_

# Reflex's name for the page of an unknown address (not a path: the build turns it into 404.html).
NOT_FOUND_ROUTE = "404"


def not_found() -> rx.Component:
    return rx.vstack(
        page_heading(
            tr("Halaman Tidak Ditemukan"),
            tr("Alamat yang Anda buka tidak ada di situs ini. Mungkin ada salah ketik, atau tautannya sudah lama."),
        ),
        rx.text(
            tr(
                "Laporan yang sudah Anda kirim tetap tersimpan. Nomor Registrasi dan Kode Akses Anda tetap berlaku: "
                "lacak statusnya, atau buka laporan untuk membaca dan membalas pesan."
            )
        ),
        rx.flex(
            link_button(tr("Lacak Laporan"), routes.TRACK),
            link_button(tr("Buka Laporan"), routes.ACCESS, variant="outline"),
            link_button(tr("Lapor Sekarang"), routes.REPORT, variant="outline"),
            link_button(tr("Kembali ke Beranda"), routes.HOME, variant="outline"),
            spacing="3",
            wrap="wrap",
        ),
        spacing="4",
        max_width="48em",
    )


PAGE = Page(route=NOT_FOUND_ROUTE, title=N_("Halaman Tidak Ditemukan"), component=not_found)
