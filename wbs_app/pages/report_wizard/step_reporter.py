"""Step 1, Pelapor: who sends the report — an account (identity hidden, or none at all) or a name of choice."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.forms import text_field
from wbs_app.components.layout import column
from wbs_app.components.text import tr
from wbs_app.i18n import N_
from wbs_app.pages.report_wizard.components import nav_buttons
from wbs_app.pages.report_wizard.state import IDENTITY_HIDDEN, IDENTITY_NONE
from wbs_app.pages.report_wizard.state import ReportWizardState as S

# An account's two honest choices, each with what it means.
IDENTITY_CHOICES = [
    (
        IDENTITY_HIDDEN,
        N_("Identitas dirahasiakan"),
        N_(
            "Laporan terhubung ke akun Anda dan muncul di Riwayat Laporan. Verifikator tidak melihat identitas Anda; "
            "identitas hanya dapat dibuka oleh petugas berwenang dengan alasan yang dicatat."
        ),
    ),
    (
        IDENTITY_NONE,
        N_("Tanpa identitas"),
        N_(
            "Laporan tidak terhubung ke akun Anda dan tidak menyimpan identitas apa pun. Anda mendapat Kode Akses "
            "untuk membukanya, seperti pelapor tanpa akun; laporan ini tidak akan muncul di Riwayat Laporan."
        ),
    ),
]


def switch(text: rx.Component, name: str, checked, on_change) -> rx.Component:
    return rx.el.label(
        rx.switch(checked=checked, on_change=on_change, id=name, name=name),
        " ",
        text,
        html_for=name,
        class_name="checkbox-label",
    )


def identity_choice(value: str, title: str, explanation: str) -> rx.Component:
    element_id = f"identity_{value}"
    return rx.box(
        rx.el.label(
            rx.el.input(
                type="radio",
                name="identity",
                value=value,
                id=element_id,
                default_checked=S.draft.hide_identity if value == IDENTITY_NONE else ~S.draft.hide_identity,
                aria_describedby=f"{element_id}-hint",
            ),
            tr(title),
            html_for=element_id,
            class_name="radio-label",
        ),
        rx.text(tr(explanation), id=f"{element_id}-hint", size="2", color_scheme="gray", padding_left="1.5em"),
    )


def as_member() -> rx.Component:
    return rx.vstack(
        rx.text(
            tr("Anda melapor sebagai {name} ({email}).", name=S.member_name, email=S.member_email),
            custom_attrs={"translate": "no"},
        ),
        rx.el.fieldset(
            rx.el.legend(tr("Identitas pelapor"), class_name="field-label"),
            rx.vstack(*[identity_choice(*choice) for choice in IDENTITY_CHOICES], spacing="3"),
            class_name="fieldset",
        ),
        spacing="3",
    )


def as_visitor() -> rx.Component:
    return rx.grid(
        text_field(
            tr("Nama"),
            "reporter_name",
            S.errors,
            max_length=120,
            hint=tr("Boleh menggunakan nama samaran."),
            default_value=S.draft.reporter_name,
        ),
        rx.box(
            switch(tr("Cantumkan Email"), "include_email", S.draft.include_email, S.set_include_email),
            rx.text(
                tr("Untuk menerima pemberitahuan (tanpa isi laporan). Boleh email samaran."),
                size="1",
                color_scheme="gray",
            ),
        ),
        rx.cond(
            S.draft.include_email,
            text_field(
                tr("Email"),
                "reporter_email",
                S.errors,
                type="email",
                max_length=254,
                default_value=S.draft.reporter_email,
            ),
        ),
        text_field(
            tr("Nomor HP"),
            "reporter_phone",
            S.errors,
            required=False,
            type="tel",
            max_length=20,
            default_value=S.draft.reporter_phone,
        ),
        text_field(
            tr("Alamat"),
            "reporter_address",
            S.errors,
            required=False,
            max_length=500,
            default_value=S.draft.reporter_address,
        ),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="4",
        width="100%",
    )


def step_reporter() -> rx.Component:
    return rx.form(
        column(
            rx.heading(tr("Pelapor"), as_="h2", size="5"),
            rx.cond(S.is_member, as_member(), as_visitor()),
            nav_buttons(None),
        ),
        on_submit=S.save_reporter,
        no_validate=True,
    )
