"""The report page's "Apakah Anda mengalami pembalasan?" card, shown to its reporter once the report is closed.

`state` has answer_retaliation, checkin (services/retaliation.CheckInView), checkin_error, checkin_notice and busy.
"""

from __future__ import annotations

import reflex as rx

from wbs_app.components.forms import form_alert
from wbs_app.components.text import tr
from wbs_app.services import retaliation


def _answer_form(state) -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.fieldset(
                rx.el.legend(tr("Apakah Anda mengalami pembalasan?"), class_name="field-label"),
                rx.flex(
                    rx.el.label(
                        rx.el.input(type="radio", name="retaliation", value="ya", id="retaliation-ya"),
                        " ",
                        tr("Ya"),
                        html_for="retaliation-ya",
                        class_name="checkbox-label",
                    ),
                    rx.el.label(
                        rx.el.input(type="radio", name="retaliation", value="tidak", id="retaliation-tidak"),
                        " ",
                        tr("Tidak"),
                        html_for="retaliation-tidak",
                        class_name="checkbox-label",
                    ),
                    spacing="4",
                ),
                class_name="plain-fieldset",
            ),
            rx.el.label(
                tr("Ceritakan pembalasan yang Anda alami (opsional)"),
                html_for="retaliation_description",
                class_name="field-label",
            ),
            rx.text_area(
                id="retaliation_description",
                name="retaliation_description",
                max_length=retaliation.DESCRIPTION_MAX,
                rows="3",
                width="100%",
            ),
            rx.text(
                tr(
                    "Misalnya mutasi mendadak, penurunan penilaian kinerja, ancaman atau pengucilan. Hanya dibaca "
                    "petugas yang menangani perlindungan pelapor; disimpan terenkripsi."
                ),
                size="1",
                color_scheme="gray",
            ),
            rx.button(tr("Kirim Jawaban"), type="submit", loading=state.busy),
            spacing="2",
            width="100%",
            align="start",
        ),
        on_submit=state.answer_retaliation,
        no_validate=True,
        width="100%",
    )


def _last_answer(state) -> rx.Component:
    view = state.checkin
    return rx.cond(
        view.answer != "",
        rx.box(
            rx.text(
                rx.cond(
                    view.answer == "Ya",
                    tr("Jawaban terakhir: Ya ({when})", when=view.answered_at),
                    tr("Jawaban terakhir: Tidak ({when})", when=view.answered_at),
                ),
                size="2",
            ),
            rx.cond(
                view.case_status == retaliation.OPEN,
                rx.callout(
                    rx.text(
                        tr(
                            "Laporan pembalasan Anda diterima dan ditangani sebagai kasus perlindungan, paling lambat "
                            "{due}. Tanggapan petugas akan tampil di sini.",
                            due=view.due_on,
                        )
                    ),
                    icon="shield_check",
                    color_scheme="green",
                    id="protection-received",
                ),
            ),
            rx.cond(
                view.case_status == retaliation.CLOSED,
                rx.callout(
                    rx.text(
                        tr("Tindak lanjut petugas:"),
                        " ",
                        rx.text.span(view.closing_note, custom_attrs={"translate": "no"}),
                    ),
                    icon="shield_check",
                    color_scheme="gray",
                    id="protection-closed",
                ),
            ),
            width="100%",
        ),
    )


def retaliation_card(state) -> rx.Component:
    return rx.cond(
        state.checkin.asked,
        rx.card(
            rx.heading(tr("Perlindungan Pelapor"), as_="h2", size="5"),
            rx.text(
                tr(
                    "Laporan ini sudah selesai. Bila Anda mengalami pembalasan karena melapor, beri tahu kami: "
                    "petugas akan menanganinya sebagai kasus perlindungan."
                ),
                size="2",
            ),
            form_alert(state.checkin_error),
            form_alert(state.checkin_notice, color="green"),
            _last_answer(state),
            rx.cond(state.checkin.may_answer, _answer_form(state)),
            width="100%",
            class_name="retaliation-card",
        ),
    )
