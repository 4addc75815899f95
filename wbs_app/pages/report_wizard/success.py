"""After the commit: the registration number, and for a report without an account its Kode Akses, once."""

from __future__ import annotations

import reflex as rx

from wbs_app import routes
from wbs_app.pages.report_wizard.state import ReportWizardState as S


def access_code() -> rx.Component:
    return rx.vstack(
        rx.box(
            rx.text("Kode Akses (rahasia)", size="2", color_scheme="gray"),
            rx.code(S.submitted_code, size="6", id="access-code"),
        ),
        rx.callout(
            "Kode Akses hanya ditampilkan sekali dan tidak dapat dipulihkan. Simpan di tempat aman: "
            "dengan Nomor Registrasi dan Kode Akses Anda dapat membuka laporan, melihat hasilnya, dan "
            "berkomunikasi dengan verifikator.",
            icon="triangle_alert",
            color_scheme="amber",
        ),
        rx.flex(
            rx.button(
                rx.icon("copy", size=16),
                "Salin",
                type="button",
                variant="outline",
                on_click=rx.set_clipboard(S.credentials_text),
            ),
            rx.button(
                rx.icon("download", size=16),
                "Unduh",
                type="button",
                variant="outline",
                on_click=rx.download(data=S.credentials_text, filename="laporan-wbs.txt"),
            ),
            rx.link(rx.button("Buka Laporan dengan Kode Akses"), href=routes.ACCESS),
            spacing="3",
            wrap="wrap",
        ),
        spacing="3",
        align="start",
    )


def success() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon("circle_check", size=40, color="var(--green-9)"),
            rx.heading("Laporan berhasil dikirim", as_="h2", size="6"),
            rx.text("Laporan Anda sudah tersimpan. Simpan nomor berikut untuk memantau statusnya:"),
            rx.box(
                rx.text("Nomor Registrasi", size="2", color_scheme="gray"),
                rx.code(S.submitted_number, size="6", id="registration-number"),
            ),
            rx.cond(
                S.submitted_code != "",
                access_code(),
                rx.link(rx.button("Lihat Riwayat Laporan"), href=routes.HISTORY),
            ),
            rx.button("Buat laporan baru", variant="ghost", on_click=S.start_new_report),
            spacing="3",
            align="start",
            role="status",
        ),
        size="4",
        width="100%",
    )
