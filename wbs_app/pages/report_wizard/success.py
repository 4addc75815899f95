"""After the commit: the registration number and, for a report linked to no account, its Kode Akses.

They stay on screen, through reloads, until the reporter ticks that they are saved; until then they can be
copied, downloaded and printed (the print shows only them).
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import FunctionStringVar

from wbs_app import routes
from wbs_app.components.forms import error_attrs, field_error
from wbs_app.components.links import backend_origin, link_button
from wbs_app.components.text import tr, tr_attr
from wbs_app.pages.report_wizard.state import ReportWizardState as S

# Printing the page prints the number and code only: nothing of the report, no navigation.
PRINT_STYLE = """
@media print {
  body * { visibility: hidden !important; }
  .print-credentials, .print-credentials * { visibility: visible !important; }
  .print-credentials { position: absolute; left: 0; top: 0; padding: 1cm; }
}
"""


def credentials() -> rx.Component:
    return rx.vstack(
        rx.box(
            rx.text(tr("Nomor Registrasi"), size="2", color_scheme="gray"),
            rx.code(S.submitted_number, size="6", id="registration-number"),
        ),
        rx.cond(
            S.submitted_code != "",
            rx.box(
                rx.text(tr("Kode Akses (rahasia)"), size="2", color_scheme="gray"),
                rx.code(S.submitted_code, size="6", id="access-code"),
            ),
        ),
        spacing="3",
        class_name="print-credentials",
    )


def keep_buttons() -> rx.Component:
    return rx.flex(
        rx.button(
            rx.icon("copy", size=16),
            tr("Salin"),
            type="button",
            variant="outline",
            on_click=rx.set_clipboard(S.credentials_text),
        ),
        rx.button(
            rx.icon("download", size=16),
            tr("Unduh"),
            type="button",
            variant="outline",
            on_click=rx.download(data=S.credentials_text, filename=tr_attr("laporan-wbs.txt")),
        ),
        rx.button(
            rx.icon("printer", size=16),
            tr("Cetak"),
            type="button",
            variant="outline",
            # A function, not a script string: Reflex would eval() a string, which the CSP forbids.
            on_click=rx.call_function(FunctionStringVar.create("(() => window.print())")),
        ),
        spacing="3",
        wrap="wrap",
    )


def receipt_download() -> rx.Component:
    """The printable proof of filing (services/filing_receipt): number, time of receipt, channel, a QR code to the
    tracking page and a signed Kode Bukti; no identity and no Kode Akses."""
    return rx.box(
        rx.el.a(
            rx.icon("file_check", size=16),
            tr("Unduh Bukti Pelaporan (PDF)"),
            href=backend_origin + S.receipt_link,
            download="",
            id="receipt-download",
            class_name="receipt-download",
            # Looks like the page's buttons (a link: a button inside a link would be two tab stops).
            display="inline-flex",
            align_items="center",
            gap="0.5em",
            padding="0.45em 0.9em",
            border_radius="var(--radius-2)",
            background="var(--accent-9)",
            color="var(--accent-contrast)",
            font_weight="500",
            text_decoration="none",
            # A server route, not a page: a full request, not React Router's navigation.
            custom_attrs={"reloadDocument": True},
        ),
        rx.text(
            tr(
                "Bukti ini tidak memuat identitas Anda maupun Kode Akses, sehingga aman dicetak atau diserahkan "
                "sebagai tanda bahwa laporan telah diterima."
            ),
            size="1",
            color_scheme="gray",
            margin_top="0.25em",
        ),
    )


def access_code_notes() -> rx.Component:
    return rx.vstack(
        rx.callout(
            tr(
                "Kode Akses tidak dapat dipulihkan. Simpan di tempat aman (salin, unduh, atau cetak) sebelum "
                "meninggalkan halaman ini: dengan Nomor Registrasi dan Kode Akses Anda dapat membuka laporan, "
                "melihat hasilnya, dan berkomunikasi dengan verifikator."
            ),
            icon="triangle_alert",
            color_scheme="amber",
        ),
        rx.cond(
            S.sent_without_identity,
            rx.text(
                tr(
                    "Laporan ini dikirim tanpa identitas: tidak terhubung ke akun Anda dan tidak akan muncul di "
                    "Riwayat Laporan. Bukalah dengan Nomor Registrasi dan Kode Akses."
                ),
                id="without-identity-note",
            ),
        ),
        link_button(tr("Buka Laporan dengan Kode Akses"), routes.ACCESS),
        spacing="3",
        align="start",
    )


def saved_form() -> rx.Component:
    """A new draft starts only after the reporter says the number (and code) are saved."""
    return rx.form(
        rx.vstack(
            rx.box(
                rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        id="saved",
                        name="saved",
                        class_name="checkbox",
                        **error_attrs(S.errors, "saved"),
                    ),
                    " ",
                    rx.cond(
                        S.submitted_code != "",
                        tr("Saya sudah menyimpan Nomor Registrasi dan Kode Akses"),
                        tr("Saya sudah menyimpan Nomor Registrasi"),
                    ),
                    html_for="saved",
                    class_name="checkbox-label",
                ),
                field_error(S.errors, "saved"),
            ),
            rx.button(tr("Buat laporan baru"), type="submit", variant="outline"),
            spacing="3",
            align="start",
        ),
        on_submit=S.start_new_report,
        no_validate=True,
        width="100%",
    )


def success() -> rx.Component:
    return rx.card(
        rx.el.style(PRINT_STYLE),
        rx.vstack(
            rx.icon("circle_check", size=40, color="var(--green-9)"),
            rx.heading(tr("Laporan berhasil dikirim"), as_="h2", size="6"),
            rx.text(tr("Laporan Anda sudah tersimpan. Simpan nomor berikut untuk memantau statusnya:")),
            credentials(),
            keep_buttons(),
            receipt_download(),
            rx.cond(
                S.submitted_code != "",
                access_code_notes(),
                link_button(tr("Lihat Riwayat Laporan"), routes.HISTORY),
            ),
            rx.divider(),
            saved_form(),
            spacing="3",
            align="start",
            role="status",
        ),
        size="4",
        width="100%",
        class_name="wizard-step",  # wbs.js focuses its heading when it appears
    )
