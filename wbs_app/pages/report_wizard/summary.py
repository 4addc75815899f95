"""Step 4, Ringkasan: everything the reporter entered, each part with a way back to change it, then send."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.forms import error_attrs, field_error
from wbs_app.components.layout import column, scrolling
from wbs_app.pages.report_wizard.components import ACCUSED_LABELS, nav_buttons, preview_link
from wbs_app.pages.report_wizard.state import ReportWizardState as S
from wbs_app.services.submission import ACCUSED_FIELDS, Step


def section(title: str, step: Step, *content: rx.Component) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading(title, as_="h3", size="4"),
            rx.link("Ubah", href="#", on_click=S.go_to_step(int(step)), aria_label=f"Ubah {title}"),
            justify="between",
            align="center",
        ),
        *content,
        width="100%",
    )


def rows(*items: rx.Component) -> rx.Component:
    return rx.data_list.root(
        *items, margin_top="0.75em", orientation=rx.breakpoints(initial="vertical", sm="horizontal")
    )


def row(name: str, value) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(name), rx.data_list.value(value))


def labelled_rows(values: dict) -> rx.Component:
    """The rows of a summary section, label → value, in order."""
    return rows(*[row(name, value) for name, value in values.items()])


def reporter() -> rx.Component:
    return section(
        "Pelapor",
        Step.REPORTER,
        rows(
            row("Saluran", S.draft.channel),
            rx.cond(
                S.is_member,
                row(
                    "Identitas",
                    rx.cond(
                        S.draft.hide_identity,
                        "Tanpa identitas: tidak terhubung ke akun Anda. Anda mendapat Kode Akses; laporan ini "
                        "tidak akan muncul di Riwayat Laporan.",
                        rx.text.span(S.member_name, " (identitas dirahasiakan dari verifikator)"),
                    ),
                ),
                row("Nama", S.draft.reporter_name),
            ),
            rx.cond(~S.is_member & S.draft.include_email, row("Email", S.draft.reporter_email)),
            rx.cond(~S.is_member & (S.draft.reporter_phone != ""), row("Nomor HP", S.draft.reporter_phone)),
            rx.cond(~S.is_member & (S.draft.reporter_address != ""), row("Alamat", S.draft.reporter_address)),
        ),
    )


def accused_table() -> rx.Component:
    return scrolling(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("No"),
                    *[rx.table.column_header_cell(ACCUSED_LABELS[field]) for field in ACCUSED_FIELDS],
                )
            ),
            rx.table.body(
                rx.foreach(
                    S.draft.accused,
                    lambda person, i: rx.table.row(
                        rx.table.cell(i + 1),
                        *[rx.table.cell(person[field]) for field in ACCUSED_FIELDS],
                    ),
                )
            ),
            size="1",
            class_name="accused-summary",
        ),
        margin_y="0.75em",
    )


def details() -> rx.Component:
    return section(
        "Detail Laporan",
        Step.DETAILS,
        labelled_rows(
            {"Judul": S.draft.title, "Jenis Pelanggaran": S.violation_type_label, "Unit Kejadian": S.unit_label}
        ),
        accused_table(),
        rx.text("Deskripsi", weight="medium", size="2"),
        rx.text(S.draft.description, white_space="pre-wrap", class_name="summary-description"),
    )


def location() -> rx.Component:
    return section(
        "Lokasi & Waktu Kejadian",
        Step.LOCATION,
        labelled_rows(
            {
                "Alamat": S.draft.incident_address,
                "Kabupaten/Kota": S.regency_label,
                "Provinsi": S.province_label,
                "Waktu": S.incident_at_label,
            }
        ),
    )


def evidence() -> rx.Component:
    return section(
        "Bukti Kejadian",
        Step.LOCATION,
        rx.cond(
            S.uploaded.length() > 0,
            rx.el.ol(
                rx.foreach(
                    S.uploaded,
                    lambda entry: rx.el.li(
                        entry["name"],
                        " (",
                        entry["size"],
                        ")",
                        rx.cond(entry["description"] != "", rx.text.span(" — ", entry["description"])),
                        " ",
                        preview_link(entry),
                    ),
                ),
                class_name="plain-list",
            ),
            rx.text("Tidak ada berkas bukti.", size="2", color_scheme="gray"),
        ),
    )


def step_summary() -> rx.Component:
    return rx.form(
        column(
            rx.heading("Ringkasan Laporan", as_="h2", size="5"),
            reporter(),
            details(),
            location(),
            evidence(),
            rx.box(
                rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        id="confirm",
                        name="confirm",
                        class_name="checkbox",
                        **error_attrs(S.errors, "confirm"),
                    ),
                    " Saya menyatakan bahwa laporan ini benar sepanjang pengetahuan saya, dan saya bukan pelaku "
                    "pelanggaran yang saya laporkan.",
                    html_for="confirm",
                    class_name="checkbox-label",
                ),
                field_error(S.errors, "confirm"),
            ),
            nav_buttons(Step.LOCATION, "Kirim Laporan"),
        ),
        on_submit=S.submit,
        no_validate=True,
    )
