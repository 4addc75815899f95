"""Step 3, Lokasi, Waktu & Bukti: where and when it happened, and the files that support the report."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.forms import select_field, text_field
from wbs_app.components.layout import column
from wbs_app.components.text import tr, tr_attr
from wbs_app.components.upload_box import cleaning_notes, draft_upload_box
from wbs_app.pages.report_wizard.components import nav_buttons, preview_link
from wbs_app.pages.report_wizard.state import UPLOAD_ID
from wbs_app.pages.report_wizard.state import ReportWizardState as S
from wbs_app.services import reference
from wbs_app.services.submission import Step


def evidence_item(entry: rx.Var) -> rx.Component:
    name = "evidence_" + entry["file_id"]
    return rx.card(
        rx.flex(
            rx.icon("file_check", size=20),
            rx.vstack(
                rx.text(entry["name"], weight="medium", class_name="evidence-name"),
                rx.flex(
                    rx.text(entry["size"], size="1", color_scheme="gray"),
                    preview_link(entry),
                    spacing="2",
                    align="center",
                ),
                cleaning_notes(entry),
                spacing="1",
                flex="1",
            ),
            rx.button(
                tr("Hapus"),
                type="button",
                variant="ghost",
                color_scheme="red",
                on_click=S.remove_upload(entry["file_id"]),
                aria_label=tr_attr("Hapus bukti {name}", name=entry["name"]),
            ),
            align="center",
            spacing="3",
        ),
        rx.box(
            rx.el.label(tr("Keterangan"), html_for=name, class_name="field-label"),
            rx.input(
                id=name,
                name=name,
                default_value=entry["description"],
                max_length=300,
                placeholder=tr_attr("Jelaskan isi berkas ini"),
                on_blur=lambda value: S.set_upload_description(entry["file_id"], value),
                width="100%",
            ),
            class_name="field",
            margin_top="0.5em",
        ),
        width="100%",
        class_name="evidence-item",
    )


# The 38 provinces never change while the app runs: compiled into the page, not copied into every draft's state.
PROVINCE_OPTIONS = [{"value": code, "label": name} for code, name in reference.provinces()]


def step_location() -> rx.Component:
    return rx.form(
        column(
            rx.heading(tr("Lokasi & Waktu Kejadian"), as_="h2", size="5"),
            text_field(
                tr("Alamat"), "incident_address", S.errors, max_length=500, default_value=S.draft.incident_address
            ),
            rx.grid(
                select_field(
                    tr("Provinsi"),
                    "province_code",
                    S.errors,
                    PROVINCE_OPTIONS,
                    placeholder=tr_attr("— Pilih —"),
                    value=S.draft.province_code,
                    on_change=S.choose_province,
                ),
                select_field(
                    tr("Kabupaten/Kota"),
                    "regency_code",
                    S.errors,
                    S.regency_options,
                    placeholder=tr_attr("— Pilih —"),
                    value=S.draft.regency_code,
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="4",
                width="100%",
            ),
            text_field(
                tr("Perkiraan Waktu Kejadian"),
                "incident_at",
                S.errors,
                type="datetime-local",
                max_length=20,
                max=S.max_incident_at,
                hint=tr("Waktu Indonesia Barat (WIB). Tidak boleh di masa depan."),
                default_value=S.draft.incident_at,
            ),
            rx.heading(tr("Bukti Kejadian"), as_="h3", size="4"),
            draft_upload_box(S, upload_id=UPLOAD_ID, label=tr("Unggah bukti (data, dokumen, gambar, rekaman)")),
            rx.vstack(rx.foreach(S.uploaded, evidence_item), spacing="2", width="100%"),
            nav_buttons(Step.DETAILS),
        ),
        on_submit=S.save_location,
        no_validate=True,
    )
