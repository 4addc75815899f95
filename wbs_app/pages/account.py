"""Akun Saya: the logged-in user's own profile, password change, second factor (components/two_factor) and the
devices the account is logged in on (components/login_devices)."""

from __future__ import annotations

import asyncio
import datetime as dt

import reflex as rx

from wbs_app import i18n, messages, routes
from wbs_app.components.forms import cleared, form_alert, text_field
from wbs_app.components.layout import column, page_heading
from wbs_app.components.login_devices import devices_card
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.components.two_factor import settings_card
from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.models import Rank, Role, Unit
from wbs_app.security import in_password_pool
from wbs_app.services import passwords, users
from wbs_app.services.errors import ValidationFailed
from wbs_app.state.auth import AuthState
from wbs_app.state.login_devices import LoginDevicesState
from wbs_app.state.off_loop import in_thread
from wbs_app.state.two_factor_settings import TwoFactorSettingsState


class AccountState(AuthState):
    # Label (in the language of the browser that loaded it) → value; empty until the account's data is here.
    profile: dict[str, str] = {}
    # The user's own contact details, for the form that edits them.
    contact: dict[str, str] = {}
    contact_errors: dict[str, str] = {}
    contact_notice: str = ""
    must_change_password: bool = False
    errors: dict[str, str] = {}
    notice: str = ""
    busy: bool = False

    def _forget_login_data(self) -> None:
        self.reset()

    @rx.event
    @in_thread
    def load(self):
        self.errors = {}
        self.notice = ""
        self.contact_errors = {}
        self.contact_notice = ""
        # Also a user with a temporary password: this is the page where it is replaced.
        user = self._session_user()
        if user is None:
            self.profile, self.contact = {}, {}
            return rx.redirect(routes.LOGIN)
        self._show_profile(user)

    def _show_profile(self, user) -> None:
        with open_session() as db:
            unit = db.get(Unit, user.unit_id) if user.unit_id else None
            rank = db.get(Rank, user.rank_id) if user.rank_id else None
        self.must_change_password = user.must_change_password
        profile = {
            N_("Nama Lengkap"): user.full_name,
            N_("Username"): user.username,
            N_("Email"): user.email,
            N_("Peran"): messages.ROLE_LABELS.get(user.role, user.role),
            N_("Jenis Akun"): i18n.term(user.account_type),
            N_("Nomor Identitas"): user.identity_number or "-",
            N_("NIP"): user.nip or "-",
            N_("Unit"): unit.name if unit else "-",
            N_("Pangkat/Golongan"): f"{rank.name} ({rank.code})" if rank else "-",
            N_("Jabatan"): user.position or "-",
            N_("Nomor Telepon"): user.phone or "-",
            N_("Alamat"): user.address or "-",
        }
        optional = {
            N_("Tempat Lahir"): user.birth_place,
            N_("Tanggal Lahir"): f"{dt.date.fromisoformat(user.birth_date):%d-%m-%Y}" if user.birth_date else "",
            N_("Instansi"): user.institution,
            N_("Kota"): user.city,
            N_("Nomor Telepon Lain"): user.other_phone,
        }
        profile.update({label: value for label, value in optional.items() if value})
        self.profile = {_(label): value for label, value in profile.items()}
        self.contact = {field: getattr(user, field) or "" for field in users.CONTACT_FIELDS}

    @rx.event
    @in_thread
    def save_contact(self, form: dict):
        user = self._current_user()
        if user is None or not isinstance(form, dict):
            self.contact = {}
            return self._sign_in_redirect()
        self.contact_notice = ""
        with open_session() as db:
            try:
                user = users.update_contact(session=db, user_id=user.id, form=form)
            except ValidationFailed as invalid:
                self.contact_errors = invalid.errors
                return
        self.contact_errors = {}
        self.contact_notice = messages.CONTACT_SAVED
        self._show_profile(user)

    @rx.event(background=True)
    async def change_password(self, form: dict):
        if not isinstance(form, dict):
            return
        async with self:
            user = await asyncio.to_thread(self._session_user)
            if user is None or self.busy:
                self.notice = ""
                return rx.redirect(routes.LOGIN) if user is None else None
            self.busy = True
            self.errors = {}
            self.notice = ""
            # This browser stays logged in; every other session of the user ends.
            current_session = self._session_token()
        errors = await in_password_pool(
            _change_password,
            user.id,
            str(form.get("current_password", ""))[:1024],
            str(form.get("new_password", ""))[:1024],
            str(form.get("confirmation", ""))[:1024],
            current_session,
        )
        async with self:
            self.busy = False
            self.errors = errors
            if not errors:
                self.must_change_password = False
                self.notice = messages.PASSWORD_CHANGED
                return cleared("current_password", "new_password", "confirmation")


def _change_password(user_id: int, current: str, new: str, confirmation: str, keep_session: str) -> dict[str, str]:
    """Blocking (argon2)."""
    with open_session() as db:
        try:
            passwords.change_password(
                session=db,
                user_id=user_id,
                current_password=current,
                new_password=new,
                confirmation=confirmation,
                keep_session_token=keep_session,
            )
        except ValidationFailed as failure:
            return failure.errors
    return {}


def password_form() -> rx.Component:
    errors = AccountState.errors
    return rx.card(
        rx.heading(tr("Ganti Password"), as_="h2", size="5", id="ganti-password"),
        rx.cond(
            AccountState.must_change_password,
            # Read while the page is compiled (no browser yet): the message id, which tr shows in both languages.
            rx.callout(tr(messages.PASSWORD_CHANGE_REQUIRED), color_scheme="amber", role="alert"),
        ),
        form_alert(AccountState.notice, color="green"),
        rx.form(
            column(
                text_field(
                    N_("Password saat ini"),
                    "current_password",
                    errors,
                    type="password",
                    autocomplete="current-password",
                    max_length=128,
                ),
                text_field(
                    N_("Password baru"),
                    "new_password",
                    errors,
                    type="password",
                    autocomplete="new-password",
                    max_length=128,
                ),
                text_field(
                    N_("Konfirmasi password baru"),
                    "confirmation",
                    errors,
                    type="password",
                    autocomplete="new-password",
                    max_length=128,
                ),
                rx.button(tr("Simpan Password"), type="submit", loading=AccountState.busy),
                spacing="3",
            ),
            on_submit=AccountState.change_password,
            # Our own messages, next to the field, instead of the browser's bubbles. Emptied once changed
            # (forms.cleared); a refused change keeps what was typed.
            no_validate=True,
        ),
        size="3",
        width="100%",
    )


def contact_form() -> rx.Component:
    errors = AccountState.contact_errors
    contact = AccountState.contact
    # Reporters keep a phone number and an address, as at registration (checked again on the server).
    is_reporter = AccountState.user_role == Role.REPORTER.value
    return rx.card(
        rx.heading(tr("Ubah Data Kontak"), as_="h2", size="5"),
        rx.text(
            tr(
                "Nomor telepon dan alamat dipakai verifikator bila perlu menghubungi Anda. Nama, email, dan nomor "
                "identitas tetap seperti saat pendaftaran."
            ),
            size="2",
            color_scheme="gray",
        ),
        form_alert(AccountState.contact_notice, color="green"),
        # Shown once the saved values are here, so each field starts with them; not while a temporary
        # password must first be replaced (nothing else is saved until then).
        rx.cond(
            contact.contains("phone") & ~AccountState.must_change_password,
            rx.form(
                column(
                    text_field(
                        N_("Nomor Telepon"),
                        "phone",
                        errors,
                        required=is_reporter,
                        default_value=contact["phone"],
                        input_mode="tel",
                    ),
                    text_field(
                        N_("Nomor Telepon Lain"),
                        "other_phone",
                        errors,
                        required=False,
                        default_value=contact["other_phone"],
                        input_mode="tel",
                    ),
                    text_field(
                        N_("Alamat"),
                        "address",
                        errors,
                        required=is_reporter,
                        default_value=contact["address"],
                        max_length=500,
                    ),
                    text_field(
                        N_("Kota"), "city", errors, required=False, default_value=contact["city"], max_length=80
                    ),
                    rx.button(tr("Simpan Data Kontak"), type="submit"),
                    spacing="3",
                ),
                on_submit=AccountState.save_contact,
                no_validate=True,
            ),
        ),
        size="3",
        width="100%",
    )


def placeholder() -> rx.Component:
    """Until the account's data arrives: boxes as tall as the cards that will replace them, so nothing on the
    page moves when they do (it moved by a layout-shift score of 0.55 before)."""
    return column(
        *[rx.skeleton(rx.box(height=height), loading=True, width="100%") for height in ("18rem", "30rem", "24rem")],
        class_name="account-placeholder",
        aria_hidden="true",
    )


def account() -> rx.Component:
    return column(
        page_heading(tr("Akun Saya")),
        rx.cond(AccountState.profile.length() > 0, account_cards(), placeholder()),
        max_width="48em",
    )


def account_cards() -> rx.Component:
    return rx.fragment(
        rx.card(
            rx.data_list.root(
                rx.foreach(
                    AccountState.profile,
                    lambda item: rx.data_list.item(
                        rx.data_list.label(item[0]),
                        # What the account holder typed at registration: not the app's language.
                        rx.data_list.value(item[1], custom_attrs={"translate": "no"}),
                    ),
                ),
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            ),
            size="3",
            width="100%",
        ),
        contact_form(),
        password_form(),
        # Not while a temporary password must first be replaced.
        rx.cond(
            ~AccountState.must_change_password & AccountState.is_logged_in,
            rx.fragment(settings_card(), devices_card()),
        ),
    )


PAGE = Page(
    route=routes.ACCOUNT,
    title=N_("Akun Saya"),
    component=account,
    on_load=(AccountState.load, TwoFactorSettingsState.load, LoginDevicesState.load),
)
