"""Public tracking: a Nomor Registrasi shows only its status and last update date."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.forms import one_field_form, text_field
from wbs_app.components.layout import column
from wbs_app.components.status_badge import status_badge
from wbs_app.components.text import tr
from wbs_app.services import tracking
from wbs_app.services.ratelimit import client_of


class TrackingState(rx.State):
    result_number: str = ""
    result_status: str = ""
    result_updated: str = ""
    message: str = ""

    @rx.event
    async def track(self, form: dict):
        """The same lookup as GET /api/lacak/<nomor> (services/tracking.look_up): one indexed row, never a
        wait for a lock on the loop, and a wait for a busy server holds up this tab only."""
        await self._look_up(str(form.get("registration_number", "")))

    @rx.event
    async def track_from_address(self):
        """/lacak/<nomor> (the QR code of a Bukti Pelaporan): the lookup of the number in the address."""
        await self._look_up(str(self.router.page.params.get("nomor", ""))[:32])

    async def _look_up(self, number: str) -> None:
        self.result_number = self.result_status = self.result_updated = self.message = ""
        lookup = await tracking.look_up(number, client=client_of(self.router))
        if lookup.found is None:
            self.message = lookup.message
            return
        self.result_number = lookup.found.registration_number
        self.result_status = lookup.found.status
        self.result_updated = f"{lookup.found.updated_on:%d-%m-%Y} ({lookup.found.zone})"


def tracking_widget(heading_level: str = "h2") -> rx.Component:
    return rx.card(
        column(
            rx.heading(tr("Lacak Laporan"), as_=heading_level, size="5"),
            rx.text(tr("Masukkan Nomor Registrasi yang Anda terima setelah mengirim laporan."), size="2"),
            one_field_form(
                text_field(
                    tr("Nomor Registrasi"),
                    "registration_number",
                    None,
                    required=False,
                    placeholder="WBS-XXXXXXXXXX",
                    max_length=32,
                ),
                tr("Lacak"),
                on_submit=TrackingState.track,
            ),
            rx.cond(
                TrackingState.message != "",
                rx.callout(TrackingState.message, color_scheme="amber", role="status", width="100%"),
            ),
            rx.cond(
                TrackingState.result_status != "",
                rx.box(
                    rx.data_list.root(
                        rx.data_list.item(
                            rx.data_list.label(tr("Nomor Registrasi")), rx.data_list.value(TrackingState.result_number)
                        ),
                        rx.data_list.item(
                            rx.data_list.label(tr("Status")),
                            rx.data_list.value(status_badge(TrackingState.result_status, size="2")),
                        ),
                        rx.data_list.item(
                            rx.data_list.label(tr("Terakhir diperbarui")),
                            rx.data_list.value(TrackingState.result_updated),
                        ),
                    ),
                    role="status",
                    class_name="tracking-result",
                ),
            ),
            spacing="3",
        ),
        size="3",
        width="100%",
        class_name="tracking-widget",
    )
