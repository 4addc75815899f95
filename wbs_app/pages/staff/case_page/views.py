"""A case for verifiers: everything reported, status workflow with notes, assignment, messages,
identity reveal (audit-logged) and the case history."""

from __future__ import annotations

import reflex as rx

from wbs_app import messages
from wbs_app.components.forms import field_error, form_alert
from wbs_app.components.layout import column
from wbs_app.components.report_detail import (
    accused_table,
    evidence_list,
    message_form,
    message_thread,
    purged_notice,
    report_summary,
    timeline,
)
from wbs_app.components.staff_nav import staff_nav
from wbs_app.components.status_badge import status_badge
from wbs_app.components.text import tr, tr_attr
from wbs_app.components.two_factor import code_field
from wbs_app.i18n import N_
from wbs_app.pages.staff.case_page.state import UPLOAD_ID, CaseState

S = CaseState


def status_form() -> rx.Component:
    return rx.cond(
        S.next_statuses.length() > 0,
        rx.form(
            column(
                rx.heading(tr("Ubah Status"), as_="h2", size="5"),
                rx.el.label(tr("Status baru"), html_for="new_status", class_name="field-label"),
                rx.el.select(
                    rx.foreach(S.status_options, lambda s: rx.el.option(s["label"], value=s["value"])),
                    id="new_status",
                    name="new_status",
                    class_name="native-select",
                ),
                rx.el.label(
                    tr("Catatan Verifikator (dilihat pelapor)"),
                    html_for="public_note",
                    class_name="field-label required",
                ),
                rx.text_area(id="public_note", name="public_note", max_length=5000, rows="3", width="100%"),
                field_error(S.errors, "public_note"),
                rx.el.label(
                    tr("Catatan internal (tidak dilihat pelapor)"), html_for="internal_note", class_name="field-label"
                ),
                rx.text_area(id="internal_note", name="internal_note", max_length=5000, rows="3", width="100%"),
                rx.button(tr("Simpan Status"), type="submit"),
                spacing="2",
            ),
            on_submit=S.change_status,
            no_validate=True,
        ),
        rx.text(
            tr("Laporan sudah selesai. Hanya administrator yang dapat membukanya kembali."),
            size="2",
            color_scheme="gray",
        ),
    )


def assign_form() -> rx.Component:
    return rx.form(
        column(
            rx.heading(tr("Petugas"), as_="h2", size="5"),
            rx.text(
                tr("Ditugaskan kepada:"),
                " ",
                rx.text.strong(S.assignee, id="assignee", custom_attrs={"translate": "no"}),
            ),
            rx.el.label(tr("Tugaskan kepada"), html_for="verifier_id", class_name="field-label"),
            rx.el.select(
                rx.el.option(tr_attr("— Pilih —"), value=""),
                rx.foreach(
                    S.staff_options,
                    lambda o: rx.el.option(o["label"], value=o["value"], custom_attrs={"translate": "no"}),
                ),
                id="verifier_id",
                name="verifier_id",
                class_name="native-select",
            ),
            field_error(S.errors, "verifier_id"),
            rx.button(tr("Tugaskan"), type="submit", variant="outline"),
            spacing="2",
        ),
        on_submit=S.assign,
        no_validate=True,
    )


def identity_box() -> rx.Component:
    return rx.card(
        rx.heading(tr("Identitas Pelapor"), as_="h2", size="5"),
        rx.cond(
            S.identity.length() > 0,
            rx.data_list.root(
                rx.foreach(
                    S.identity,
                    lambda item: rx.data_list.item(
                        rx.data_list.label(item[0]),
                        rx.data_list.value(item[1], custom_attrs={"translate": "no"}),
                    ),
                ),
                class_name="identity",
            ),
            rx.cond(
                S.has_identity,
                rx.form(
                    column(
                        rx.text(
                            tr(
                                "Identitas disembunyikan. Membukanya dicatat di log audit bersama alasan Anda, dan "
                                "meminta kode baru dari aplikasi autentikator Anda."
                            ),
                            size="2",
                        ),
                        rx.el.label(tr("Alasan membuka identitas"), html_for="reason", class_name="field-label"),
                        rx.input(id="reason", name="reason", max_length=1000, width="100%"),
                        field_error(S.errors, "reason"),
                        code_field(S.errors),
                        rx.button(tr("Tampilkan Identitas Pelapor"), type="submit", color_scheme="amber"),
                        spacing="2",
                    ),
                    on_submit=S.reveal_identity,
                    no_validate=True,
                ),
                rx.text(messages.NO_IDENTITY, size="2"),
            ),
        ),
        width="100%",
    )


def note_form() -> rx.Component:
    return rx.form(
        column(
            rx.el.label(tr("Catatan internal baru"), html_for="note", class_name="field-label"),
            rx.text_area(id="note", name="note", max_length=5000, rows="2", width="100%"),
            field_error(S.errors, "note"),
            rx.button(tr("Simpan Catatan"), type="submit", variant="outline"),
            spacing="2",
        ),
        on_submit=S.add_note,
        no_validate=True,
    )


def case_body() -> rx.Component:
    return column(
        rx.heading(tr("Laporan"), " ", rx.el.span(S.number, class_name="nowrap"), as_="h1", size="7"),
        staff_nav(),
        rx.flex(
            rx.text(tr("Status:")), status_badge(S.status, size="3", id="case-status"), spacing="2", align="center"
        ),
        rx.cond(
            S.deadline != "",
            rx.flex(
                rx.text(S.deadline, id="case-deadline"),
                rx.cond(S.deadline_overdue, rx.badge(tr("Terlambat"), color_scheme="red")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
        ),
        form_alert(S.error),
        form_alert(S.notice, color="green"),
        purged_notice(S.purged),
        rx.grid(
            column(
                report_summary(S.fields, S.description),
                rx.cond(S.purged == "", rx.fragment(accused_table(S.accused), evidence_list(S.files, previews=True))),
                rx.card(rx.heading(tr("Perkembangan"), as_="h2", size="5"), timeline(S.timeline), width="100%"),
                rx.cond(
                    S.purged == "",
                    rx.card(
                        rx.heading(tr("Pesan dengan Pelapor"), as_="h2", size="5"),
                        message_thread(S.thread),
                        message_form(
                            S,
                            label=N_("Pesan untuk pelapor"),
                            upload_id=UPLOAD_ID,
                            feedback=field_error(S.errors, "message"),
                            errors=S.errors,
                        ),
                        width="100%",
                    ),
                ),
                spacing="3",
            ),
            column(
                # A purged report takes no more work: only its history is left beside it.
                rx.cond(
                    S.purged == "",
                    rx.fragment(
                        rx.card(status_form(), width="100%"),
                        rx.card(assign_form(), width="100%"),
                        identity_box(),
                        rx.card(note_form(), width="100%"),
                    ),
                ),
                rx.card(
                    rx.heading(tr("Riwayat"), as_="h2", size="5"),
                    rx.foreach(
                        S.history,
                        lambda h: rx.box(
                            rx.text(h["when"], " · ", h["actor"], " · ", rx.text.strong(h["action"]), size="1"),
                            rx.text(h["detail"], size="1", color_scheme="gray", custom_attrs={"translate": "no"}),
                            class_name="history-item",
                        ),
                    ),
                    width="100%",
                    class_name="case-history",
                ),
                spacing="3",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
    )


def case_page() -> rx.Component:
    return rx.cond(
        S.found,
        case_body(),
        rx.cond(S.checked, rx.heading(messages.REPORT_NOT_FOUND, as_="h1"), rx.text(tr("Memuat…"))),
    )
