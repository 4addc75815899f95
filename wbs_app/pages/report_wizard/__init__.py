"""Lapor: the four-step report wizard (Pelapor, Detail Kejadian, Lokasi/Waktu/Bukti, Ringkasan).

state.py holds the draft and every handler; each step's form is its own module.
"""

from __future__ import annotations

import reflex as rx

from wbs_app import routes
from wbs_app.components.layout import column, page_heading
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.i18n import N_
from wbs_app.pages.report_wizard.components import stepper
from wbs_app.pages.report_wizard.state import DONE
from wbs_app.pages.report_wizard.state import ReportWizardState as S
from wbs_app.pages.report_wizard.step_details import step_details
from wbs_app.pages.report_wizard.step_location import step_location
from wbs_app.pages.report_wizard.step_reporter import step_reporter
from wbs_app.pages.report_wizard.success import success
from wbs_app.pages.report_wizard.summary import step_summary
from wbs_app.services.submission import Step
from wbs_app.settings import get_settings


def report_wizard(channel: str) -> rx.Component:
    """The wizard for one channel. The channel is part of the page (its own route, pre-rendered with it), not
    of the state."""
    return column(
        page_heading(tr("Form Pelaporan"), tr("Sampaikan laporan selengkap mungkin. Kolom bertanda * wajib diisi.")),
        rx.cond(
            S.step == DONE,
            success(),
            column(
                rx.badge(tr(channel), size="2"),
                stepper(),
                rx.text(
                    tr(
                        "Isian tersimpan setiap kali Anda menekan Selanjutnya, dan disimpan selama {hours} jam tanpa "
                        "aktivitas. Laporan baru diterima setelah Kirim Laporan.",
                        hours=get_settings().draft_hours,
                    ),
                    size="2",
                    color_scheme="gray",
                ),
                rx.card(
                    rx.match(
                        S.step,
                        (int(Step.REPORTER), step_reporter()),
                        (int(Step.DETAILS), step_details()),
                        (int(Step.LOCATION), step_location()),
                        step_summary(),
                    ),
                    size="3",
                    width="100%",
                    class_name="wizard-step",  # wbs.js focuses the heading of each new step
                ),
                custom_attrs={"data-draft": "true"},
            ),
        ),
        max_width="60em",
    )


def _form_of(channel: str):
    def form() -> rx.Component:
        return report_wizard(channel)

    return form


# Each form's title, a whole text per channel (the channel names are stored names, models.Channel).
TITLES = {
    "Pelanggaran (WBS)": N_("Form Pelaporan: Pelanggaran (WBS)"),
    "Benturan Kepentingan": N_("Form Pelaporan: Benturan Kepentingan"),
    "Gratifikasi": N_("Form Pelaporan: Gratifikasi"),
}

PAGES = [
    Page(route=route, title=TITLES[channel], component=_form_of(channel), on_load=(S.load,))
    for route, channel in routes.REPORT_FORMS.items()
]
