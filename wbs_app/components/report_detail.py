"""The parts of a report page shared by the reporter's page and the verifiers' case page.

Each takes the vars of wbs_app.state.report_detail.ReportDetailState; what goes into them (public or
internal notes, whose messages are "mine", which links are bound to a login) is decided there.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from wbs_app.components.forms import error_attrs
from wbs_app.components.layout import column, scrolling
from wbs_app.components.links import backend_link, backend_origin
from wbs_app.components.status_badge import status_badge
from wbs_app.components.text import tr, tr_attr
from wbs_app.components.upload_box import cleaning_notes, draft_upload_box
from wbs_app.i18n import N_
from wbs_app.services import reports, submission
from wbs_app.state.report_detail import AccusedRow, EvidenceRow, FieldRow, ThreadEntry, TimelineRow

# Column headings for submission.ACCUSED_FIELDS, in the same order (catalogue ids).
ACCUSED_HEADINGS = [N_("Nama"), N_("Jabatan"), N_("Pangkat"), N_("Unit/Instansi"), N_("Kota"), N_("Klasifikasi")]
NO_DATA = {"translate": "no"}  # what people typed: not the app's language (components/text.py)


def report_summary(fields: Var[list[FieldRow]], description: Var[str]) -> rx.Component:
    return rx.card(
        rx.data_list.root(
            rx.foreach(
                fields,
                lambda row: rx.data_list.item(
                    rx.data_list.label(row.label), rx.data_list.value(row.value, custom_attrs=NO_DATA)
                ),
            ),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
        ),
        rx.cond(
            description != "",
            rx.fragment(
                rx.text(tr("Deskripsi"), weight="medium", margin_top="1em"),
                rx.text(description, white_space="pre-wrap", custom_attrs=NO_DATA),
            ),
        ),
        width="100%",
    )


def purged_notice(text: Var[str]) -> rx.Component:
    """Instead of the content of a report purged at the end of its retention term ("" shows nothing)."""
    return rx.cond(text != "", rx.callout(text, icon="archive", color_scheme="gray", class_name="purged-notice"))


def accused_table(rows: Var[list[AccusedRow]]) -> rx.Component:
    return rx.card(
        rx.heading(tr("Terlapor"), as_="h2", size="5"),
        scrolling(
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(tr(h)) for h in ACCUSED_HEADINGS])),
                rx.table.body(
                    rx.foreach(
                        rows,
                        lambda person: rx.table.row(
                            *[_accused_cell(person, field) for field in submission.ACCUSED_FIELDS]
                        ),
                    )
                ),
                size="1",
            ),
        ),
        width="100%",
    )


def _accused_cell(person: Var, field: str) -> rx.Component:
    """What was typed about an accused person; the classification is one of a list, shown translated."""
    value = getattr(person, field)
    if field == "classification":
        return rx.table.cell(
            rx.match(value, *[(option, tr(option)) for option in submission.CLASSIFICATIONS], rx.text.span(value))
        )
    return rx.table.cell(value, custom_attrs=NO_DATA)


def file_links(row: Var[EvidenceRow]) -> rx.Component:
    """Name, size and description of a file, with its signed links."""
    return rx.flex(
        rx.icon("paperclip", size=16),
        rx.text(rx.text.span(row.name, custom_attrs=NO_DATA), " (", row.size, ")", size="2"),
        rx.cond(
            row.description != "",
            rx.text("— ", row.description, size="2", color_scheme="gray", custom_attrs=NO_DATA),
        ),
        rx.cond(row.previewable, backend_link(row.view, tr("lihat bukti"), class_name="file-link")),
        backend_link(row.download, tr("unduh"), class_name="file-link"),
        spacing="2",
        align="center",
        wrap="wrap",
    )


def file_with_preview(row: Var[EvidenceRow]) -> rx.Component:
    """For staff: images shown, a PDF's first pages as an image drawn on the server, every file's SHA-256."""
    source = backend_origin + row.view
    return rx.box(
        file_links(row),
        rx.text("SHA-256: ", rx.el.code(row.sha256, class_name="sha256"), size="1", class_name="evidence-hash"),
        rx.match(
            row.preview,
            ("gambar", rx.el.img(src=source, alt=row.name, class_name="evidence-preview")),
            (
                "pdf",
                rx.el.img(
                    src=source, alt=tr_attr("Halaman awal {name}", name=row.name), class_name="evidence-preview pdf"
                ),
            ),
            rx.fragment(),
        ),
        class_name="evidence-entry",
    )


def evidence_list(rows: Var[list[EvidenceRow]], *, previews: bool = False) -> rx.Component:
    return rx.card(
        rx.heading(tr("Bukti"), as_="h2", size="5"),
        rx.cond(
            rows.length() > 0,
            rx.vstack(rx.foreach(rows, file_with_preview if previews else file_links), spacing="1", width="100%"),
            rx.text(tr("Tidak ada berkas bukti."), size="2"),
        ),
        width="100%",
    )


def timeline(rows: Var[list[TimelineRow]]) -> rx.Component:
    return rx.el.ol(
        rx.foreach(
            rows,
            lambda row: rx.el.li(
                status_badge(row.status, size="2"),
                rx.text(row.when, size="1", color_scheme="gray"),
                rx.cond(
                    row.public_note != "",
                    rx.text(
                        tr("Catatan Verifikator:"),
                        " ",
                        rx.text.span(row.public_note, custom_attrs=NO_DATA),
                        size="2",
                        class_name="public-note",
                    ),
                ),
                rx.cond(
                    row.internal_note != "",
                    rx.text(
                        tr("Catatan internal:"),
                        " ",
                        rx.text.span(row.internal_note, custom_attrs=NO_DATA),
                        size="2",
                        color_scheme="amber",
                    ),
                ),
                class_name="timeline-item",
            ),
        ),
        class_name="timeline",
    )


def message_bubble(entry: Var[ThreadEntry]) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.text(entry.author, weight="bold", size="2"),
            rx.text(entry.when, size="1", color_scheme="gray"),
            rx.cond(entry.unread, rx.badge(tr("Baru"), color_scheme="red")),
            spacing="2",
            align="center",
        ),
        rx.text(entry.body, white_space="pre-wrap", size="2", custom_attrs=NO_DATA),
        rx.foreach(entry.files, file_links),
        class_name=rx.cond(entry.mine, "message mine", "message theirs"),
    )


def message_thread(entries: Var[list[ThreadEntry]]) -> rx.Component:
    return rx.vstack(rx.foreach(entries, message_bubble), spacing="2", width="100%", margin_y="1em")


def message_form(
    state,
    *,
    label: rx.Component | str,
    upload_id: str,
    feedback: rx.Component,
    rows: str = "3",
    busy: Var | bool = False,
    errors: Var | None = None,
) -> rx.Component:
    """The message box under a report's thread, with its attachments. `state` has send_message and mixes in
    wbs_app.state.uploads.DraftUploads with this upload_id; `feedback` shows the result where the user looks; `errors` (field → message, if the
    state has one) marks the box invalid while errors["message"] is shown."""
    return rx.form(
        column(
            rx.el.label(tr(label) if isinstance(label, str) else label, html_for="message", class_name="field-label"),
            rx.text_area(
                id="message",
                name="message",
                max_length=reports.MESSAGE_MAX,
                rows=rows,
                width="100%",
                **(error_attrs(errors, "message") if errors is not None else {}),
            ),
            feedback,
            message_attachments(state, upload_id),
            rx.button(tr("Kirim Pesan"), type="submit", loading=busy),
            spacing="3",
        ),
        # Emptied by the handler once sent (forms.cleared): a refused message keeps its text.
        on_submit=state.send_message,
        no_validate=True,
    )


def message_attachments(state, upload_id: str) -> rx.Component:
    """The upload box of a message form and the files waiting to be sent with it."""
    return column(
        draft_upload_box(state, upload_id=upload_id, label=tr("Lampiran (opsional)")),
        rx.foreach(
            state.uploaded,
            lambda item: rx.box(
                rx.flex(
                    rx.text(rx.text.span(item["name"], custom_attrs=NO_DATA), " (", item["size"], ")", size="2"),
                    rx.button(
                        tr("Hapus"),
                        type="button",
                        variant="ghost",
                        color_scheme="red",
                        on_click=state.remove_upload(item["file_id"]),
                    ),
                    align="center",
                    spacing="2",
                ),
                cleaning_notes(item),
            ),
        ),
        spacing="2",
    )
