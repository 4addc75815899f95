"""Two-factor login on screen: the code field, the enrolment panel (QR code drawn by the server, and the secret as
text) and the recovery codes shown once, which the login page and Akun Saya share; and Akun Saya's card."""

from __future__ import annotations

import reflex as rx
from reflex.vars import FunctionStringVar, Var

from wbs_app.components.forms import field_error, form_alert, text_field
from wbs_app.components.text import tr, tr_attr
from wbs_app.i18n import N_
from wbs_app.services.two_factor import CODE_FIELD, STAFF_MUST_KEEP
from wbs_app.state.two_factor_settings import TwoFactorSettingsState


def code_field(
    errors: Var | None, *, text: str | rx.Component | None = None, hint: rx.Component | str = "", id_prefix: str = ""
) -> rx.Component:
    """The 6-digit code of the authenticator app (a recovery code fits too)."""
    return text_field(
        N_("Kode autentikator") if text is None else text,
        CODE_FIELD,
        errors,
        autocomplete="one-time-code",
        max_length=32,
        hint=hint,
        id_prefix=id_prefix,
    )


def enrolment_panel(secret: Var, qr_data_uri: Var) -> rx.Component:
    """Steps 1 and 2 of enrolment; the form with the first code follows it."""
    return rx.vstack(
        rx.text(
            tr(
                "1. Pasang aplikasi autentikator di ponsel Anda, misalnya Aegis, FreeOTP, Google Authenticator atau "
                "Microsoft Authenticator."
            ),
            size="2",
        ),
        rx.text(tr("2. Pindai kode QR ini dengan aplikasi tersebut, atau ketik kuncinya secara manual:"), size="2"),
        rx.image(
            src=qr_data_uri,
            alt=tr_attr("Kode QR untuk aplikasi autentikator"),
            width="210px",
            height="210px",
            class_name="totp-qr",
        ),
        rx.text(
            tr("Kunci:"),
            " ",
            rx.code(secret, id="totp-secret", class_name="totp-secret", size="3"),
            size="2",
        ),
        rx.text(tr("3. Masukkan kode 6 digit yang muncul di aplikasi."), size="2"),
        spacing="2",
        width="100%",
    )


def recovery_codes_panel(codes: Var, *continue_button: rx.Component) -> rx.Component:
    """The new recovery codes, shown this once; they can be downloaded as text or printed."""
    return rx.vstack(
        rx.callout(
            tr(
                "Simpan kode pemulihan ini di tempat yang aman (dicetak atau di pengelola password). Bila ponsel "
                "Anda hilang, masuk dengan salah satu kode ini sebagai ganti kode autentikator. Setiap kode hanya "
                "berlaku satu kali, dan kode ini hanya ditampilkan sekarang."
            ),
            color_scheme="amber",
            role="status",
        ),
        rx.el.ul(
            rx.foreach(codes, lambda code: rx.el.li(rx.code(code, size="3"))),
            id="recovery-codes",
            class_name="recovery-codes",
        ),
        rx.flex(
            rx.button(
                rx.icon("download", size=16),
                tr("Unduh"),
                variant="outline",
                type="button",
                on_click=rx.download(data=codes.join("\n"), filename=tr_attr("kode-pemulihan-wbs.txt")),
            ),
            rx.button(
                rx.icon("printer", size=16),
                tr("Cetak"),
                variant="outline",
                type="button",
                # A function, not a script string: Reflex would eval() a string, which the CSP forbids.
                on_click=rx.call_function(FunctionStringVar.create("(() => window.print())")),
            ),
            *continue_button,
            spacing="2",
            wrap="wrap",
        ),
        spacing="3",
        width="100%",
    )


def _settings_enrolment() -> rx.Component:
    return rx.vstack(
        enrolment_panel(TwoFactorSettingsState.enrol_secret, TwoFactorSettingsState.enrol_qr),
        rx.form(
            rx.vstack(
                code_field(TwoFactorSettingsState.errors),
                rx.flex(
                    rx.button(tr("Aktifkan"), type="submit"),
                    rx.button(tr("Batal"), type="button", variant="outline", on_click=TwoFactorSettingsState.close),
                    spacing="2",
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=TwoFactorSettingsState.confirm,
            no_validate=True,
        ),
        width="100%",
    )


def _settings_status() -> rx.Component:
    state = TwoFactorSettingsState
    return rx.cond(
        state.enabled,
        rx.vstack(
            rx.text(
                rx.badge(tr("Aktif"), color_scheme="green"),
                " ",
                tr("Sisa kode pemulihan: {count}", count=state.recovery_codes_left),
                size="2",
                id="two-factor-status",
            ),
            rx.cond(
                state.mandatory,
                rx.text(tr(STAFF_MUST_KEEP), size="2"),
                rx.form(
                    rx.vstack(
                        code_field(state.errors, hint=tr("Masukkan kode saat ini untuk mematikannya.")),
                        rx.button(tr("Matikan Verifikasi Dua Langkah"), type="submit", color_scheme="red"),
                        spacing="3",
                        width="100%",
                    ),
                    on_submit=state.disable,
                    no_validate=True,
                    reset_on_submit=True,
                    width="100%",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        rx.vstack(
            rx.text(rx.badge(tr("Tidak aktif"), color_scheme="gray"), size="2", id="two-factor-status"),
            field_error(state.errors, CODE_FIELD),
            rx.button(tr("Aktifkan Verifikasi Dua Langkah"), on_click=state.start),
            spacing="3",
        ),
    )


def settings_card() -> rx.Component:
    """Akun Saya: the second factor's status; a reporter turns it on (QR, first code, recovery codes) or off."""
    return rx.card(
        rx.heading(tr("Verifikasi Dua Langkah"), as_="h2", size="5", id="dua-langkah"),
        rx.text(
            tr("Selain password, masuk juga meminta kode 6 digit dari aplikasi autentikator di ponsel Anda."),
            size="2",
            color_scheme="gray",
        ),
        form_alert(TwoFactorSettingsState.notice, color="green"),
        rx.match(
            TwoFactorSettingsState.step,
            ("enrol", _settings_enrolment()),
            (
                "codes",
                recovery_codes_panel(
                    TwoFactorSettingsState.recovery_codes,
                    rx.button(tr("Tutup"), type="button", on_click=TwoFactorSettingsState.close),
                ),
            ),
            _settings_status(),
        ),
        size="3",
        width="100%",
    )
