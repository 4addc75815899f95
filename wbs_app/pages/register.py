"""Daftar: a reporter account (Umum, PNS or Pramubakti), activated by an emailed link."""

from __future__ import annotations

import logging

import reflex as rx

from wbs_app import messages, routes
from wbs_app.components.forms import (
    field_error,
    form_alert,
    new_password_fields,
    select_field,
    text_field,
    textarea_field,
)
from wbs_app.components.layout import column, page_heading
from wbs_app.components.links import link_button
from wbs_app.components.page import Page
from wbs_app.components.text import tr, tr_attr
from wbs_app.db import open_session
from wbs_app.i18n import N_
from wbs_app.models import AccountType
from wbs_app.security import in_password_pool
from wbs_app.services import mailer, passwords, reference, users
from wbs_app.services.errors import ValidationFailed
from wbs_app.services.ratelimit import client_of, registration_limiter
from wbs_app.state.auth import AuthState
from wbs_app.state.off_loop import in_thread

logger = logging.getLogger("wbs.register")

ACCOUNT_TYPES = [t.value for t in AccountType]

TERMS = [
    N_("Data yang Anda isi benar dan milik Anda sendiri."),
    N_("Akun dipakai untuk melaporkan dugaan pelanggaran dengan itikad baik, bukan fitnah atau laporan palsu."),
    N_(
        "Identitas dan data diri Anda dirahasiakan, kecuali untuk keperluan penyelidikan dan persidangan "
        "sesuai peraturan perundang-undangan."
    ),
    N_("Jaga kerahasiaan password Anda; setiap laporan yang dikirim dari akun Anda menjadi tanggung jawab Anda."),
    N_("Pengelola dapat menonaktifkan akun yang disalahgunakan."),
]


def _register(data: users.Registration) -> tuple[dict[str, str], str, bool]:
    """Blocking (argon2, SMTP): field errors, the email written to, and whether the email went out.

    An address that already has an account gets the same answer as a new one; its owner gets a notice
    with a password reset link instead (at most WBS_PASSWORD_RESET_EMAILS_PER_ACCOUNT an hour).
    """
    with open_session() as db:
        try:
            user, token = users.register_user(session=db, data=data)
            email = users.activation_email(user=users.opened(session=db, user=user), token=token)
        except ValidationFailed as failure:
            return failure.errors, "", False
        except users.EmailAlreadyRegistered as taken:
            owner = users.opened(session=db, user=taken.user)
            reset = passwords.request_password_reset(session=db, identifier=owner.email)
            if reset is None:  # that owner was told recently: nothing more to send, and nothing to show
                return {}, owner.email, True  # the address as the account has it, normalised like a new one
            email = passwords.registration_attempt_email(user=owner, token=reset[1])
    try:
        mailer.send_email(**email)
    except Exception:  # noqa: BLE001 - the account exists; the user can ask for the link again
        logger.exception("registration email failed")  # no address in the log
        return {}, email["to"], False
    return {}, email["to"], True


class RegisterState(AuthState):
    errors: dict[str, str] = {}
    form_error: str = ""
    registered_email: str = ""
    email_sent: bool = False
    busy: bool = False
    unit_options: list[dict[str, str]] = []
    rank_options: list[dict[str, str]] = []

    @rx.event
    @in_thread
    def load(self):
        self.errors = {}
        self.form_error = ""
        self.registered_email = ""
        with open_session() as db:
            self.unit_options = [{"value": str(u.id), "label": u.name} for u in reference.active_units(session=db)]
            self.rank_options = [
                {"value": str(r.id), "label": f"{r.name} ({r.code})"} for r in reference.ranks(session=db)
            ]

    @rx.event(background=True)
    async def submit(self, form: dict):
        async with self:
            if self.busy:
                return
            client = client_of(self.router)
            if registration_limiter.is_refused(client):
                self.form_error = messages.ACCESS_RATE_LIMITED
                return
            self.busy = True
            self.form_error = ""
        data = users.Registration.from_form(form)
        errors, email, sent = await in_password_pool(_register, data)
        if not errors:  # only registrations that went through count; a mistyped form costs nothing
            registration_limiter.record(client)
        async with self:
            self.busy = False
            self.errors = errors
            if errors:
                self.form_error = messages.FORM_HAS_ERRORS
                return
            self.registered_email = email
            self.email_sent = sent


def account_type_picker() -> rx.Component:
    """Native radios: the fields of each type show and hide in the browser (CSS :has), with no round trip."""
    return rx.box(
        rx.el.fieldset(
            rx.el.legend(tr("Pilih jenis akun"), class_name="field-label"),
            rx.flex(
                *[
                    rx.el.label(
                        rx.el.input(
                            type="radio",
                            name="account_type",
                            value=value,
                            id=f"account_type_{value}",
                            aria_label=tr_attr(value),  # models.AccountType marks them
                            default_checked=value == AccountType.UMUM.value,
                        ),
                        tr(value),  # models.AccountType marks them
                        html_for=f"account_type_{value}",
                        class_name="radio-label",
                    )
                    for value in ACCOUNT_TYPES
                ],
                spacing="5",
                wrap="wrap",
            ),
            class_name="fieldset",
        ),
        field_error(RegisterState.errors, "account_type"),
    )


def form_section(title: rx.Component, description: rx.Component | None, *fields: rx.Component) -> rx.Component:
    return rx.card(
        rx.heading(title, as_="h2", size="5"),
        rx.text(description, size="2", color_scheme="gray", margin_bottom="1em") if description else rx.fragment(),
        rx.grid(*fields, columns=rx.breakpoints(initial="1", sm="2"), spacing="4"),
        size="3",
        width="100%",
    )


def registration_form() -> rx.Component:
    errors = RegisterState.errors
    return rx.form(
        column(
            form_section(
                tr("Detail Akun"),
                None,
                text_field(
                    N_("Username"),
                    "username",
                    errors,
                    autocomplete="username",
                    max_length=50,
                    hint=tr("3–50 karakter: huruf, angka, titik, garis bawah, tanda hubung."),
                ),
                text_field(N_("Email"), "email", errors, type="email", autocomplete="email", max_length=254),
                *new_password_fields(errors),
            ),
            rx.card(
                rx.heading(tr("Jenis Akun"), as_="h2", size="5"),
                account_type_picker(),
                rx.grid(
                    text_field(
                        N_("Nomor Identitas (KTP/SIM)"),
                        "identity_number",
                        errors,
                        max_length=20,
                        input_mode="numeric",
                        hint=tr("NIK 16 digit sesuai KTP, atau nomor SIM."),
                    ),
                    rx.box(
                        text_field(N_("Nomor Induk Pegawai (NIP)"), "nip", errors, max_length=22, input_mode="numeric"),
                        class_name="for-pns",
                    ),
                    rx.box(
                        select_field(N_("Unit"), "unit_id", errors, RegisterState.unit_options, typed_options=True),
                        class_name="for-staff",
                    ),
                    rx.box(
                        select_field(
                            N_("Pangkat/Golongan"), "rank_id", errors, RegisterState.rank_options, typed_options=True
                        ),
                        class_name="for-pns",
                    ),
                    rx.box(text_field(N_("Jabatan"), "position", errors, max_length=120), class_name="for-pns"),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="4",
                    margin_top="1em",
                ),
                size="3",
                width="100%",
            ),
            form_section(
                tr("Data Pribadi"),
                tr(
                    "Kami membutuhkan data pribadi untuk menghubungi Anda dan memastikan Anda pelapor yang valid. "
                    "Data ini dirahasiakan."
                ),
                text_field(N_("Nama Lengkap"), "full_name", errors, autocomplete="name", max_length=120),
                text_field(N_("Nomor Telepon"), "phone", errors, type="tel", autocomplete="tel", max_length=20),
                textarea_field(N_("Alamat"), "address", errors),
            ),
            rx.el.details(
                rx.el.summary(tr("Data tambahan (opsional)"), class_name="terms-summary"),
                rx.grid(
                    text_field(N_("Tempat Lahir"), "birth_place", errors, required=False, max_length=80),
                    text_field(N_("Tanggal Lahir"), "birth_date", errors, type="date", required=False, max_length=10),
                    text_field(N_("Instansi"), "institution", errors, required=False, max_length=120),
                    text_field(N_("Kota"), "city", errors, required=False, max_length=80),
                    text_field(
                        N_("Nomor Telepon Lain"), "other_phone", errors, type="tel", required=False, max_length=20
                    ),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="4",
                    margin_top="1em",
                ),
                class_name="optional-data",
            ),
            rx.el.details(
                rx.el.summary(tr("Baca Syarat & Ketentuan"), class_name="terms-summary"),
                rx.el.ol(*[rx.el.li(tr(term)) for term in TERMS], class_name="plain-list"),
            ),
            rx.box(
                rx.el.label(
                    rx.el.input(type="checkbox", id="accept_terms", name="accept_terms", class_name="checkbox"),
                    " ",
                    tr(
                        "Saya telah membaca dan menyetujui Syarat & Ketentuan: data yang saya isi benar, dan akun "
                        "ini dipakai untuk melaporkan dugaan pelanggaran dengan itikad baik."
                    ),
                    html_for="accept_terms",
                    class_name="checkbox-label",
                ),
                field_error(errors, "accept_terms"),
            ),
            # Shown beside the button, where the user is looking when the form is refused.
            form_alert(RegisterState.form_error),
            rx.button(tr("Buat Akun"), type="submit", size="3", loading=RegisterState.busy),
        ),
        on_submit=RegisterState.submit,
        # Our own messages, next to the field, instead of the browser's bubbles.
        no_validate=True,
        width="100%",
        class_name="registration-form",
    )


def registration_done() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("Periksa email Anda"), as_="h2", size="6"),
            # The same words whether the address was new or already had an account (its owner is told by email).
            rx.text(
                tr(
                    "Pendaftaran diterima. Kami mengirim email ke {email}. Buka tautan “Aktifkan Akun” di "
                    "email itu untuk mengaktifkan akun, lalu masuk.",
                    email=RegisterState.registered_email,
                ),
            ),
            rx.cond(
                RegisterState.email_sent,
                rx.text(tr("Tautan berlaku 24 jam. Tidak menerima email? Periksa folder spam."), size="2"),
                # Read while the page is compiled (no browser yet): the message id, which tr shows in both languages.
                rx.callout(tr(messages.EMAIL_SEND_FAILED), color_scheme="amber"),
            ),
            rx.flex(
                link_button(tr("Masuk"), routes.LOGIN),
                link_button(tr("Kirim ulang tautan aktivasi"), routes.ACTIVATE_RESEND, variant="outline"),
                spacing="3",
                wrap="wrap",
            ),
            spacing="3",
            role="status",
        ),
        size="4",
    )


def register() -> rx.Component:
    return column(
        page_heading(tr("Daftar Akun Baru"), tr("Silakan lengkapi informasi akun Anda.")),
        rx.callout(
            tr(
                "Keamanan data Anda kami jaga sepenuhnya. Identitas dan data diri Anda dirahasiakan kecuali untuk "
                "keperluan penyelidikan dan persidangan."
            ),
            icon="lock",
            color_scheme="green",
        ),
        rx.cond(RegisterState.registered_email != "", registration_done(), registration_form()),
        rx.text(tr("Sudah memiliki akun?"), " ", rx.link(tr("Masuk"), href=routes.LOGIN), size="2"),
        max_width="52em",
    )


PAGE = Page(route=routes.REGISTER, title=N_("Daftar"), component=register, on_load=(RegisterState.load,))
