"""Akun Saya's "Perangkat yang Masuk" card (state/login_devices.py)."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.forms import form_alert
from wbs_app.components.layout import scrolling
from wbs_app.state.login_devices import DeviceRow, LoginDevicesState


def _device_row(row: DeviceRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                rx.text(row.device),
                rx.cond(row.current, rx.badge("perangkat ini", color_scheme="green", class_name="current-device")),
                spacing="2",
                align="center",
                wrap="wrap",
            )
        ),
        rx.table.cell(row.signed_in),
        rx.table.cell(row.last_used),
        rx.table.cell(
            rx.button(
                "Keluar dari perangkat ini",
                on_click=LoginDevicesState.sign_out_device(row.id),
                size="1",
                variant="outline",
                color_scheme="red",
            )
        ),
    )


def devices_card() -> rx.Component:
    return rx.card(
        rx.heading("Perangkat yang Masuk", as_="h2", size="5", id="perangkat"),
        rx.text(
            "Akun Anda sedang masuk di perangkat berikut. Ada yang tidak Anda kenali? Keluarkan perangkat itu, lalu "
            "ganti password Anda.",
            size="2",
            color_scheme="gray",
        ),
        form_alert(LoginDevicesState.notice, color="green"),
        scrolling(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[rx.table.column_header_cell(h) for h in ("Perangkat", "Masuk sejak", "Terakhir aktif", "")]
                    )
                ),
                rx.table.body(rx.foreach(LoginDevicesState.rows, _device_row)),
                class_name="device-table",
                margin_y="1em",
            )
        ),
        rx.button("Keluar dari semua perangkat", on_click=LoginDevicesState.sign_out_everywhere, color_scheme="red"),
        size="3",
        width="100%",
    )
