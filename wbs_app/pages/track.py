"""Lacak Laporan: the tracking widget as a full page; /lacak/<nomor> (a receipt's QR code) looks the number up."""

from __future__ import annotations

import reflex as rx

from wbs_app import routes
from wbs_app.components.layout import column, page_heading
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.components.tracking_widget import TrackingState, tracking_widget
from wbs_app.i18n import N_


def track() -> rx.Component:
    return column(
        page_heading(
            tr("Lacak Laporan"),
            tr("Status laporan dapat dilihat siapa saja yang mengetahui Nomor Registrasinya; isi laporan tidak."),
        ),
        rx.box(tracking_widget(heading_level="h2"), max_width="36em", width="100%"),
        spacing="3",
    )


PAGE = Page(route=routes.TRACK, title=N_("Lacak Laporan"), component=track)
NUMBER_PAGE = Page(
    route=routes.TRACK_NUMBER, title=N_("Lacak Laporan"), component=track, on_load=(TrackingState.track_from_address,)
)
