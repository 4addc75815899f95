"""Step 4, Ringkasan: everything the reporter entered, each part with a way back to change it, then send."""

from __future__ import annotations

import reflex as rx

from wbs_app import routes
from wbs_app.components.forms import error_attrs, field_error
from wbs_app.components.layout import column, scrolling
from wbs_app.components.text import tr, tr_attr
from wbs_app.i18n import N_
from wbs_app.pages.report_wizard.components import ACCUSED_LABELS, nav_buttons, preview_link
from wbs_app.pages.report_wizard.state import ReportWizardState as S
from wbs_app.services.submission import ACCUSED_FIELDS, CLASSIFICATIONS, Step

# Each section's heading, and the label of its link back ("Ubah …"): whole texts, one pair per section.
SECTIONS = {
    "reporter": (N_("Pelapor"), N_("Ubah Pelapor")),
    "details": (N_("Detail Laporan"), N_("Ubah Detail Laporan")),
    "location": (N_("Lokasi & Waktu Kejadian"), N_("Ubah Lokasi & Waktu Kejadian")),
    "evidence": (N_("Bukti Kejadian"), N_("Ubah Bukti Kejadian")),
}


def section(key: str, step: Step, *content: rx.Component) -> rx.Component:
    title, change = SECTIONS[key]
    return rx.card(
        rx.flex(
            rx.heading(tr(title), as_="h3", size="4"),
            rx.link(tr("Ubah"), href="#", on_click=S.go_to_step(int(step)), aria_label=tr_attr(change)),
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


def row(name: str, value, *, typed: bool = True) -> rx.Component:
    """`name`: a marked label (N_ or literal); `value`: what the reporter typed (not translated) unless not `typed`."""
    shown = rx.data_list.value(value, custom_attrs={"translate": "no"}) if typed else rx.data_list.value(value)
    return rx.data_list.item(rx.data_list.label(tr(name)), shown)


def reporter() -> rx.Component:
    return section(
        "reporter",
        Step.REPORTER,
        rows(
            row(N_("Saluran"), channel_name(S.draft.channel), typed=False),
            rx.cond(
                S.is_member,
                row(
                    N_("Identitas"),
                    rx.cond(
                        S.draft.hide_identity,
                        tr(
                            "Tanpa identitas: tidak terhubung ke akun Anda. Anda mendapat Kode Akses; laporan ini "
                            "tidak akan muncul di Riwayat Laporan."
                        ),
                        rx.text.span(
                            rx.text.span(S.member_name, custom_attrs={"translate": "no"}),
                            tr(" (identitas dirahasiakan dari verifikator)"),
                        ),
                    ),
                    typed=False,
                ),
                row(N_("Nama"), S.draft.reporter_name),
            ),
            rx.cond(~S.is_member & S.draft.include_email, row(N_("Email"), S.draft.reporter_email)),
            rx.cond(~S.is_member & (S.draft.reporter_phone != ""), row(N_("Nomor HP"), S.draft.reporter_phone)),
            rx.cond(~S.is_member & (S.draft.reporter_address != ""), row(N_("Alamat"), S.draft.reporter_address)),
        ),
    )


def accused_table() -> rx.Component:
    return scrolling(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(tr("No")),
                    *[rx.table.column_header_cell(tr(ACCUSED_LABELS[field])) for field in ACCUSED_FIELDS],
                )
            ),
            rx.table.body(
                rx.foreach(
                    S.draft.accused,
                    lambda person, i: rx.table.row(
                        rx.table.cell(i + 1),
                        *[_accused_cell(person, field) for field in ACCUSED_FIELDS],
                    ),
                )
            ),
            size="1",
            class_name="accused-summary",
        ),
        margin_y="0.75em",
    )


def _accused_cell(person: rx.Var, field: str) -> rx.Component:
    """What was typed about an accused person, except the classification, one of a list (shown translated)."""
    if field == "classification":
        return rx.table.cell(
            rx.match(person[field], *[(option, tr(option)) for option in CLASSIFICATIONS], rx.text.span(person[field]))
        )
    return rx.table.cell(person[field], custom_attrs={"translate": "no"})


def channel_name(channel: rx.Var) -> rx.Component:
    """The draft's channel (a stored name, models.Channel), in the page's language."""
    return rx.match(channel, *[(name, tr(name)) for name in routes.REPORT_FORMS.values()], rx.text.span(channel))


def details() -> rx.Component:
    return section(
        "details",
        Step.DETAILS,
        rows(
            row(N_("Judul"), S.draft.title),
            row(N_("Jenis Pelanggaran"), S.violation_type_label, typed=False),
            row(N_("Unit Kejadian"), S.unit_label),
        ),
        accused_table(),
        rx.text(tr("Deskripsi"), weight="medium", size="2"),
        rx.text(
            S.draft.description,
            white_space="pre-wrap",
            class_name="summary-description",
            custom_attrs={"translate": "no"},
        ),
    )


def location() -> rx.Component:
    return section(
        "location",
        Step.LOCATION,
        rows(
            row(N_("Alamat"), S.draft.incident_address),
            row(N_("Kabupaten/Kota"), S.regency_label),
            row(N_("Provinsi"), S.province_label),
            row(N_("Waktu"), S.incident_at_label),
        ),
    )


def evidence() -> rx.Component:
    return section(
        "evidence",
        Step.LOCATION,
        rx.cond(
            S.uploaded.length() > 0,
            rx.el.ol(
                rx.foreach(
                    S.uploaded,
                    lambda entry: rx.el.li(
                        rx.text.span(entry["name"], custom_attrs={"translate": "no"}),
                        " (",
                        entry["size"],
                        ")",
                        rx.cond(
                            entry["description"] != "",
                            rx.text.span(" — ", entry["description"], custom_attrs={"translate": "no"}),
                        ),
                        " ",
                        preview_link(entry),
                    ),
                ),
                class_name="plain-list",
            ),
            rx.text(tr("Tidak ada berkas bukti."), size="2", color_scheme="gray"),
        ),
    )


def step_summary() -> rx.Component:
    return rx.form(
        column(
            rx.heading(tr("Ringkasan Laporan"), as_="h2", size="5"),
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
                    " ",
                    tr(
                        "Saya menyatakan bahwa laporan ini benar sepanjang pengetahuan saya, dan saya bukan pelaku "
                        "pelanggaran yang saya laporkan."
                    ),
                    html_for="confirm",
                    class_name="checkbox-label",
                ),
                field_error(S.errors, "confirm"),
            ),
            nav_buttons(Step.LOCATION, N_("Kirim Laporan")),
        ),
        on_submit=S.submit,
        no_validate=True,
    )
