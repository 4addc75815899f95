"""Akun Saya's "Perangkat yang Masuk" card (state/login_devices.py)."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.forms import form_alert
from wbs_app.components.text import tr
from wbs_app.state.login_devices import DeviceRow, LoginDevicesState


def _device_row(row: DeviceRow) -> rx.Component:
    """One login as a list item: the device, its times, and its button below them on a narrow screen."""
    return rx.el.li(
        rx.flex(
            rx.box(
                rx.hstack(
                    # "Firefox on Android": in the browser's language (state/login_devices.py).
                    rx.text(row.device, weight="medium"),
                    rx.cond(
                        row.current, rx.badge(tr("perangkat ini"), color_scheme="green", class_name="current-device")
                    ),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
                rx.text(
                    tr(
                        "Masuk sejak {signed_in} · terakhir aktif {last_used}",
                        signed_in=row.signed_in,
                        last_used=row.last_used,
                    ),
                    size="2",
                    color_scheme="gray",
                ),
            ),
            rx.button(
                tr("Keluar dari perangkat ini"),
                on_click=LoginDevicesState.sign_out_device(row.id),
                size="1",
                variant="outline",
                color_scheme="red",
                flex_shrink="0",
            ),
            justify="between",
            align="center",
            gap="2",
            wrap="wrap",
        ),
        class_name="device-entry",
    )


def devices_card() -> rx.Component:
    return rx.card(
        rx.heading(tr("Perangkat yang Masuk"), as_="h2", size="5", id="perangkat"),
        rx.text(
            tr(
                "Akun Anda sedang masuk di perangkat berikut. Ada yang tidak Anda kenali? Keluarkan perangkat itu, "
                "lalu ganti password Anda."
            ),
            size="2",
            color_scheme="gray",
        ),
        form_alert(LoginDevicesState.notice, color="green"),
        rx.el.ul(rx.foreach(LoginDevicesState.rows, _device_row), class_name="device-list"),
        rx.button(
            tr("Keluar dari semua perangkat"), on_click=LoginDevicesState.sign_out_everywhere, color_scheme="red"
        ),
        size="3",
        width="100%",
    )
