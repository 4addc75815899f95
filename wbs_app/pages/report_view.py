"""Laporan: the report page for its owner or a Kode Akses holder — fields, evidence, timeline, messages.

Anyone else gets "not found", whatever the number: whether a number exists is not revealed here.
"""

from __future__ import annotations

import asyncio
import logging

import reflex as rx

from wbs_app import messages, routes
from wbs_app.components.forms import form_alert
from wbs_app.components.layout import page_heading
from wbs_app.components.links import backend_link
from wbs_app.components.page import Page
from wbs_app.components.upload_box import upload_box
from wbs_app.db import open_session
from wbs_app.localtime import format_local
from wbs_app.models import Report, Unit, ViolationType
from wbs_app.services import downloads, evidence, reports
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.state.auth import AuthState
from wbs_app.state.uploads import DraftUploads

logger = logging.getLogger("wbs.report_view")
ATTACHMENT_UPLOAD_ID = "lampiran_pesan"


def file_entry(item, session_token: str = "") -> dict[str, str]:
    """A signed, expiring link per file, bound to the login session when there is one."""
    token = downloads.make_download_token(item.id, session_token=session_token)
    return {
        "name": item.original_name,
        "description": item.description,
        "size": evidence.format_size(item.size),
        "view": downloads.EVIDENCE_FILE + token,
        "download": downloads.EVIDENCE_FILE + token + "?unduh=1",
        "previewable": "1" if item.kind in evidence.PREVIEWABLE else "",
        "preview": "gambar" if item.kind in ("jpeg", "png") else ("pdf" if item.kind == "pdf" else ""),
    }




def accused_entries(db, report_id: int) -> list[dict[str, str]]:
    return [
        {field: getattr(person, field) for field in reports.ACCUSED_FIELDS}
        for person in reports.accused_of(session=db, report_id=report_id)
    ]


def thread_entries(db, report_id: int, *, reader_is_reporter: bool, session_token: str = "") -> list[dict]:
    """The message thread as one side sees it: its own messages, and the other side's marked while unread."""
    entries = []
    for message in reports.messages_of(session=db, report_id=report_id):
        mine = message.from_reporter == reader_is_reporter
        unread_at = message.read_by_reporter_at if reader_is_reporter else message.read_by_staff_at
        entries.append(
            {
                "from_reporter": message.from_reporter,
                "author": "Anda"
                if mine and reader_is_reporter
                else ("Pelapor" if message.from_reporter else "Verifikator"),
                "body": message.body,
                "when": format_local(message.created_at),
                "unread": not mine and unread_at is None,
                "files": [
                    file_entry(item, session_token)
                    for item in reports.evidence_of(session=db, report_id=report_id, message_id=message.id)
                ],
            }
        )
    return entries


class ReportViewState(DraftUploads, AuthState):
    UPLOAD_ID = ATTACHMENT_UPLOAD_ID

    checked: bool = False
    found: bool = False
    number: str = ""
    status: str = ""
    fields: list[tuple[str, str]] = []
    description: str = ""
    accused: list[dict[str, str]] = []
    files: list[dict[str, str]] = []
    timeline: list[dict[str, str]] = []
    thread: list[dict] = []
    message_error: str = ""
    message_notice: str = ""
    busy: bool = False

    def _allowed_report(self, db) -> Report | None:
        """Checked on every event: the logged-in owner, or this tab's Kode Akses grant."""
        user = self._current_user()
        number = str(self.router.page.params.get("nomor", ""))
        return reports.report_for_reporter(
            session=db,
            registration_number=number,
            user_id=user.id if user else None,
            granted=set(self._granted_reports),
        )

    @rx.event
    def load(self):
        self.message_error = self.message_notice = ""
        if self._password_change_due():
            # The owner check below already refuses such a user; send them where the password is replaced.
            self.reset()
            return rx.redirect(routes.ACCOUNT)
        with open_session() as db:
            report = self._allowed_report(db)
            if report is None:
                self.reset()
                self.checked = True
                return
            self._fill(db, report)
        self.checked = True

    def _fill(self, db, report: Report) -> None:
        violation = db.get(ViolationType, report.violation_type_id) if report.violation_type_id else None
        unit = db.get(Unit, report.unit_id) if report.unit_id else None
        self.found = True
        self.number = report.registration_number
        self.status = report.status
        self.fields = [
            ("Nomor Registrasi", report.registration_number),
            ("Tanggal", format_local(report.created_at)),
            ("Saluran", report.channel),
            ("Pelapor", "Tanpa identitas" if report.hide_identity else (report.reporter_name or "-")),
            ("Judul", report.title),
            ("Jenis Pelanggaran", violation.name if violation else "-"),
            ("Unit Kejadian", unit.name if unit else "-"),
            ("Alamat Kejadian", report.incident_address),
            ("Kabupaten/Kota", f"{report.regency_name}, {report.province_name}"),
            ("Waktu Kejadian", format_local(report.incident_at)),
        ]
        self.description = report.description
        self.accused = accused_entries(db, report.id)
        # The owner's links follow their login; a Kode Akses holder has no login to bind them to.
        binding = "" if report.registration_number in self._granted_reports else self.session_token
        self.files = [file_entry(item, binding) for item in reports.evidence_of(session=db, report_id=report.id)]
        self.timeline = [
            {"status": status, "when": format_local(when), "note": note}
            for status, when, note in reports.public_timeline(session=db, report_id=report.id)
        ]
        self.thread = thread_entries(db, report.id, reader_is_reporter=True, session_token=binding)
        reports.mark_read_by_reporter(session=db, report_id=report.id)

    def _may_upload(self, handler: str) -> bool:
        with open_session() as db:
            return self._allowed_report(db) is not None

    @rx.event(background=True)
    async def send_message(self, form: dict):
        body = str(form.get("message", ""))[: reports.MESSAGE_MAX + 100]
        async with self:
            if self.busy:
                return
            with open_session() as db:
                report = self._allowed_report(db)
                report_id = report.id if report else None
            if report_id is None:
                self.reset()
                self.checked = True
                return
            user = self._current_user()
            reader = {"user_id": user.id if user else None, "granted": set(self._granted_reports)}
            pending = self._pending_uploads()
            self.busy = True
            self.message_error = self.message_notice = ""
        error = await asyncio.to_thread(_post, report_id, reader, body, pending)
        async with self:
            self.busy = False
            if error:
                self.message_error = error
                return
            self._forget_uploads()
            self.message_notice = messages.MESSAGE_SENT
            with open_session() as db:
                report = self._allowed_report(db)
                if report is not None:
                    self._fill(db, report)


def _post(report_id: int, reader: dict, body: str, attachments: list[reports.EvidenceInput]) -> str:
    with open_session() as db:
        report = db.get(Report, report_id)
        try:
            reports.post_reporter_message(session=db, report=report, **reader, body=body, attachments=attachments)
        except ValidationFailed as invalid:
            return next(iter(invalid.errors.values()))
        except Refused as refused:
            return str(refused)
        except reports.SubmissionFailed as failed:
            logger.exception("message for report %s failed", report_id)
            return str(failed)
    return ""


# Components -------------------------------------------------------------------------------------------

S = ReportViewState


def file_links(entry: rx.Var) -> rx.Component:
    return rx.flex(
        rx.icon("paperclip", size=16),
        rx.text(entry["name"], " (", entry["size"], ")", size="2"),
        rx.cond(entry["description"] != "", rx.text("— ", entry["description"], size="2", color_scheme="gray")),
        rx.cond(entry["previewable"] == "1", backend_link(entry["view"], "lihat bukti", class_name="file-link")),
        backend_link(entry["download"], "unduh", class_name="file-link"),
        spacing="2",
        align="center",
        wrap="wrap",
    )


def timeline() -> rx.Component:
    return rx.el.ol(
        rx.foreach(
            S.timeline,
            lambda entry: rx.el.li(
                rx.badge(entry["status"], size="2"),
                rx.text(entry["when"], size="1", color_scheme="gray"),
                rx.cond(
                    entry["note"] != "",
                    rx.text("Catatan Verifikator: ", entry["note"], size="2", class_name="public-note"),
                ),
                class_name="timeline-item",
            ),
        ),
        class_name="timeline",
    )


def message_bubble(message: rx.Var) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.text(message["author"], weight="bold", size="2"),
            rx.text(message["when"], size="1", color_scheme="gray"),
            rx.cond(message["unread"], rx.badge("Baru", color_scheme="red")),
            spacing="2",
            align="center",
        ),
        rx.text(message["body"], white_space="pre-wrap", size="2"),
        rx.foreach(message["files"].to(list[dict[str, str]]), file_links),
        class_name=rx.cond(message["from_reporter"], "message mine", "message theirs"),
    )


def message_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label("Pesan untuk verifikator", html_for="message", class_name="field-label"),
            rx.text_area(id="message", name="message", max_length=reports.MESSAGE_MAX, rows="4", width="100%"),
            upload_box(
                upload_id=ATTACHMENT_UPLOAD_ID,
                on_drop=S.receive_uploads(
                    rx.upload_files_chunk(upload_id=ATTACHMENT_UPLOAD_ID, on_upload_progress=S.upload_progress_changed)
                ),
                uploading=S.uploading,
                progress=S.upload_progress,
                refused=S.upload_refused,
                label="Lampiran (opsional)",
            ),
            rx.foreach(
                S.uploaded,
                lambda item: rx.flex(
                    rx.text(item["name"], " (", item["size"], ")", size="2"),
                    rx.button(
                        "Hapus",
                        type="button",
                        variant="ghost",
                        color_scheme="red",
                        on_click=S.remove_upload(item["file_id"]),
                    ),
                    align="center",
                    spacing="2",
                ),
            ),
            form_alert(S.message_error),
            form_alert(S.message_notice, color="green"),
            rx.button("Kirim Pesan", type="submit", loading=S.busy),
            spacing="3",
            width="100%",
        ),
        on_submit=S.send_message,
        reset_on_submit=True,
        no_validate=True,
    )


def report_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Laporan ", S.number, as_="h1", size="7"),
        rx.flex(rx.text("Status:"), rx.badge(S.status, size="3"), spacing="2", align="center"),
        rx.card(
            rx.data_list.root(
                rx.foreach(
                    S.fields, lambda item: rx.data_list.item(rx.data_list.label(item[0]), rx.data_list.value(item[1]))
                ),
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            ),
            rx.text("Deskripsi", weight="medium", margin_top="1em"),
            rx.text(S.description, white_space="pre-wrap"),
            width="100%",
        ),
        rx.card(
            rx.heading("Terlapor", as_="h2", size="5"),
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in ["Nama", "Jabatan", "Pangkat", "Unit/Instansi", "Kota", "Klasifikasi"]
                            ]
                        )
                    ),
                    rx.table.body(
                        rx.foreach(
                            S.accused,
                            lambda p: rx.table.row(*[rx.table.cell(p[f]) for f in reports.ACCUSED_FIELDS]),
                        )
                    ),
                    size="1",
                ),
                overflow_x="auto",
            ),
            width="100%",
        ),
        rx.card(
            rx.heading("Bukti", as_="h2", size="5"),
            rx.cond(
                S.files.length() > 0,
                rx.vstack(rx.foreach(S.files, file_links), spacing="1"),
                rx.text("Tidak ada berkas bukti.", size="2"),
            ),
            width="100%",
        ),
        rx.card(rx.heading("Perkembangan Laporan", as_="h2", size="5"), timeline(), width="100%"),
        rx.card(
            rx.heading("Pesan", as_="h2", size="5"),
            rx.text("Percakapan ini hanya dapat dibaca oleh Anda dan verifikator.", size="2", color_scheme="gray"),
            rx.vstack(rx.foreach(S.thread, message_bubble), spacing="2", width="100%", margin_y="1em"),
            message_form(),
            width="100%",
        ),
        spacing="4",
        width="100%",
        max_width="60em",
    )


def not_found() -> rx.Component:
    return rx.vstack(
        page_heading(messages.REPORT_NOT_FOUND),
        rx.text(
            "Laporan ini tidak ada, atau Anda tidak berhak membukanya. Laporan tanpa akun dibuka dengan ",
            rx.link("Nomor Registrasi dan Kode Akses", href=routes.ACCESS),
            "; laporan dari akun Anda ada di ",
            rx.link("Riwayat Laporan", href=routes.HISTORY),
            ".",
        ),
        spacing="3",
    )


def report_view() -> rx.Component:
    return rx.cond(S.found, report_page(), rx.cond(S.checked, not_found(), rx.text("Memuat…")))


PAGE = Page(route=routes.REPORT_VIEW, title="Laporan", component=report_view, on_load=(S.load,))
