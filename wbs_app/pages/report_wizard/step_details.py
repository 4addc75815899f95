"""Step 2, Detail Kejadian: what happened, of which kind, where in the organisation, and who did it."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.forms import error_attrs, field_error, label, select_field, text_field
from wbs_app.components.layout import column
from wbs_app.components.text import tr, tr_attr
from wbs_app.i18n import N_
from wbs_app.pages.report_wizard.components import ACCUSED_LABELS, nav_buttons
from wbs_app.pages.report_wizard.state import ReportWizardState as S
from wbs_app.services.submission import CLASSIFICATIONS, DESCRIPTION_MAX, DESCRIPTION_MIN, Step

GUIDANCE = [
    N_("Siapa yang terlibat dan bertanggung jawab?"),
    N_("Apa perbuatan yang Anda ketahui?"),
    N_("Di mana perbuatan itu terjadi?"),
    N_("Kapan terjadinya?"),
    N_("Bagaimana caranya dilakukan (modus)?"),
    N_("Bukti apa yang mendukung?"),
]


def accused_row(row: rx.Var, index: rx.Var) -> rx.Component:
    uid = row.uid

    def cell(field: str, required: bool = False, max_length: int = 120) -> rx.Component:
        name = f"accused_{field}_" + uid
        return rx.box(
            label(tr(ACCUSED_LABELS[field]), name, required),
            rx.input(
                id=name,
                name=name,
                default_value=row[field],
                max_length=max_length,
                **error_attrs(S.errors, name),
                size="2",
                width="100%",
            ),
            field_error(S.errors, name),
            class_name="field",
        )

    classification_name = "accused_classification_" + uid
    return rx.card(
        rx.flex(
            rx.text(tr("Terlapor {number}", number=index + 1), weight="bold"),
            rx.button(
                rx.icon("trash_2", size=16),
                tr("Hapus"),
                type="button",
                variant="ghost",
                color_scheme="red",
                on_click=S.remove_accused(uid),
                disabled=S.draft.accused.length() <= 1,
                aria_label=tr_attr("Hapus terlapor {number}", number=(index + 1).to_string()),
            ),
            justify="between",
            align="center",
        ),
        rx.grid(
            cell("name", required=True),
            cell("position"),
            cell("rank", max_length=80),
            cell("institution", max_length=200),
            cell("city", max_length=80),
            rx.box(
                label(tr(ACCUSED_LABELS["classification"]), classification_name, False),
                rx.el.select(
                    rx.el.option(tr_attr("— Pilih —"), value=""),
                    *[rx.el.option(tr_attr(option), value=option) for option in CLASSIFICATIONS],
                    id=classification_name,
                    name=classification_name,
                    default_value=row.classification,
                    class_name="native-select",
                    **error_attrs(S.errors, classification_name),
                ),
                field_error(S.errors, classification_name),
                class_name="field",
            ),
            columns=rx.breakpoints(initial="1", sm="2", md="3"),
            spacing="3",
            margin_top="0.5em",
        ),
        key=uid,
        width="100%",
        class_name="accused-row",
    )


def accused_list() -> rx.Component:
    return rx.fragment(
        rx.box(
            rx.heading(tr("Terlapor"), as_="h3", size="4"),
            rx.text(
                tr("Orang yang Anda laporkan. Isi yang Anda ketahui; hanya nama yang wajib."),
                size="2",
                color_scheme="gray",
            ),
            field_error(S.errors, "accused"),
            width="100%",
        ),
        rx.foreach(S.draft.accused, accused_row),
        rx.button(
            rx.icon("user_plus", size=16),
            tr("Tambah Terlapor"),
            type="button",
            variant="soft",
            on_click=S.add_accused,
        ),
    )


def description_field() -> rx.Component:
    return rx.box(
        label(tr("Deskripsi Pelanggaran"), "description"),
        rx.card(
            rx.text(tr("Jawab pertanyaan berikut dalam uraian Anda (5W+1H):"), size="2", weight="medium"),
            rx.el.ul(*[rx.el.li(tr(question)) for question in GUIDANCE], class_name="plain-list guidance"),
            size="1",
            variant="surface",
            margin_bottom="0.5em",
        ),
        rx.text_area(
            id="description",
            name="description",
            default_value=S.draft.description,
            max_length=DESCRIPTION_MAX,
            rows="8",
            **error_attrs(S.errors, "description"),
            size="3",
            width="100%",
        ),
        rx.text(tr("Minimal {min} karakter.", min=DESCRIPTION_MIN), size="1", color_scheme="gray"),
        field_error(S.errors, "description"),
        class_name="field",
        width="100%",
    )


def step_details() -> rx.Component:
    return rx.form(
        column(
            rx.heading(tr("Detail Kejadian"), as_="h2", size="5"),
            text_field(tr("Judul"), "title", S.errors, max_length=200, default_value=S.draft.title),
            select_field(
                tr("Jenis Pelanggaran"),
                "violation_type_id",
                S.errors,
                S.violation_type_options,
                placeholder=tr_attr("— Pilih —"),
                value=S.draft.violation_type_id,
            ),
            accused_list(),
            # The units are the institution's own names, as typed (not the app's language).
            rx.box(
                select_field(
                    tr("Unit Kejadian"),
                    "unit_id",
                    S.errors,
                    S.unit_options,
                    placeholder=tr_attr("— Pilih —"),
                    value=S.draft.unit_id,
                ),
                custom_attrs={"translate": "no"},
                width="100%",
            ),
            description_field(),
            nav_buttons(Step.REPORTER),
        ),
        on_submit=S.save_details,
        no_validate=True,
    )
