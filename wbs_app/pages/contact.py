"""Kontak: the inspectorate's address and channels (set by the operator through WBS_ORG_* settings)."""

from __future__ import annotations

import reflex as rx

from wbs_app import routes
from wbs_app.components.layout import page_heading
from wbs_app.components.page import Page
from wbs_app.settings import get_settings


def contact() -> rx.Component:
    settings = get_settings()
    items = [rx.data_list.item(rx.data_list.label("Instansi"), rx.data_list.value(settings.org_name))]
    items.append(rx.data_list.item(rx.data_list.label("Alamat"), rx.data_list.value(settings.org_address)))
    if settings.org_email:
        items.append(rx.data_list.item(rx.data_list.label("Email"), rx.data_list.value(settings.org_email)))
    if settings.org_phone:
        items.append(rx.data_list.item(rx.data_list.label("Telepon"), rx.data_list.value(settings.org_phone)))
    return rx.vstack(
        page_heading("Kontak", "Hubungi pengelola Whistleblowing System"),
        rx.data_list.root(*items, orientation=rx.breakpoints(initial="vertical", sm="horizontal")),
        rx.callout(
            "Jangan kirim laporan pelanggaran melalui email atau telepon: gunakan Lapor Sekarang agar identitas "
            "Anda terlindungi dan laporan tercatat dengan Nomor Registrasi.",
            icon="info",
            margin_top="1em",
        ),
        spacing="3",
        max_width="48em",
    )


PAGE = Page(route=routes.CONTACT, title="Kontak", component=contact)
