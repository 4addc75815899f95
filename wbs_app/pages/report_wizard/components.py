"""Pieces every step of the wizard shares: the stepper, the navigation buttons, a draft file's link."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.forms import form_alert
from wbs_app.components.links import backend_link
from wbs_app.components.text import tr, tr_attr
from wbs_app.i18n import N_
from wbs_app.pages.report_wizard.state import STEP_TITLES
from wbs_app.pages.report_wizard.state import ReportWizardState as S

# How the form asks for each accused field and the summary heads its column.
ACCUSED_LABELS = {
    "name": N_("Nama Terlapor"),
    "position": N_("Jabatan"),
    "rank": N_("Pangkat"),
    "institution": N_("Unit/Instansi"),
    "city": N_("Kota"),
    "classification": N_("Klasifikasi"),
}


def stepper() -> rx.Component:
    return rx.el.ol(
        *[_stage(int(step), title) for step, title in STEP_TITLES.items()],
        class_name="stepper",
        aria_label=tr_attr("Langkah pelaporan"),
    )


def _stage(number: int, title: str) -> rx.Component:
    return rx.el.li(
        rx.el.span(str(number), class_name="step-number"),
        rx.el.span(tr(title), class_name="step-title"),
        class_name=rx.cond(S.step == number, "step current", rx.cond(S.step > number, "step done", "step")),
        aria_current=rx.cond(S.step == number, "step", None),
    )


def nav_buttons(back_step: int | None, next_label: str = N_("Selanjutnya")) -> rx.Component:
    return rx.box(
        form_alert(S.form_error),
        rx.flex(
            rx.button(tr("Kembali"), type="button", variant="outline", size="3", on_click=S.go_to_step(int(back_step)))
            if back_step
            else rx.fragment(),
            rx.button(tr(next_label), type="submit", size="3", loading=S.busy),
            spacing="3",
            justify="end",
        ),
        width="100%",
    )


def preview_link(entry: rx.Var) -> rx.Component:
    """Opens the received file in a new tab (images and PDFs are shown, other types downloaded)."""
    return backend_link(
        entry["view"],
        tr("lihat bukti"),
        class_name="file-link",
        aria_label=tr_attr("Lihat bukti {name}", name=entry["name"]),
    )
