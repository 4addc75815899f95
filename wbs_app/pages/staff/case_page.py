"""A case for verifiers: everything reported, status workflow with notes, assignment, messages,
identity reveal (audit-logged) and the case history."""

from __future__ import annotations

import asyncio
import logging

import reflex as rx
from sqlmodel import select

from wbs_app import messages, routes
from wbs_app.components.forms import form_alert
from wbs_app.components.links import backend_origin
from wbs_app.components.page import Page
from wbs_app.components.staff_nav import staff_nav
from wbs_app.components.upload_box import upload_box
from wbs_app.db import open_session
from wbs_app.localtime import format_local
from wbs_app.models import Report, ReportStatusChange, Unit, User, ViolationType
from wbs_app.pages.report_view import accused_entries, file_entry, file_links, thread_entries
from wbs_app.services import audit, cases, mailer, policy, reports
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.state.staff import StaffState, staff_event
from wbs_app.state.uploads import DraftUploads

logger = logging.getLogger("wbs.case")
UPLOAD_ID = "lampiran_verifikator"


def _notify_reporter(report_id: int) -> None:
    """A short email without content, when the reporter left an address."""
    with open_session() as db:
        report = db.get(Report, report_id)
        address = reports.update_address(session=db, report=report) if report else ""
        number = report.registration_number if report else ""
    if not address:
        return
    try:
        mailer.send_email(**cases.notification_email(to=address, registration_number=number))
    except Exception:  # noqa: BLE001 - the change is stored; the email is a courtesy
        logger.exception("notification for %s failed", number)


class CaseState(DraftUploads, StaffState):
    UPLOAD_ID = UPLOAD_ID

    found: bool = False
    checked: bool = False
    number: str = ""
    status: str = ""
    assignee: str = "-"
    fields: list[tuple[str, str]] = []
    description: str = ""
    accused: list[dict[str, str]] = []
    files: list[dict[str, str]] = []
    timeline: list[dict[str, str]] = []
    thread: list[dict] = []
    history: list[dict[str, str]] = []
    next_statuses: list[str] = []
    staff_options: list[dict[str, str]] = []
    has_identity: bool = False
    identity: dict[str, str] = {}
    errors: dict[str, str] = {}
    notice: str = ""
    error: str = ""
    busy: bool = False

    def _report(self, db, user: User) -> Report | None:
        number = str(self.router.page.params.get("nomor", ""))
        return cases.open_case(session=db, number=number, user=user, client_ip=self._client_ip())

    def _fill(self, db, report: Report, user: User) -> None:
        violation = db.get(ViolationType, report.violation_type_id) if report.violation_type_id else None
        unit = db.get(Unit, report.unit_id) if report.unit_id else None
        assignee = db.get(User, report.assigned_to_id) if report.assigned_to_id else None
        self.found = True
        self.number = report.registration_number
        self.status = report.status
        self.assignee = assignee.full_name if assignee else "-"
        self.fields = [
            ("Tanggal", format_local(report.created_at)),
            ("Kanal", report.channel),
            ("Judul", report.title),
            ("Jenis Pelanggaran", violation.name if violation else "-"),
            ("Unit Kejadian", unit.name if unit else "-"),
            ("Alamat Kejadian", report.incident_address),
            ("Kabupaten/Kota", f"{report.regency_name}, {report.province_name}"),
            ("Waktu Kejadian", format_local(report.incident_at)),
            ("Pelapor", "Dikirim tanpa identitas" if not cases.has_identity(report) else "Dirahasiakan"),
        ]
        self.description = report.description
        self.accused = accused_entries(db, report.id)
        self.files = [
            file_entry(item, self.session_token) for item in reports.evidence_of(session=db, report_id=report.id)
        ]
        self.timeline = [
            {
                "status": change.status,
                "when": format_local(change.created_at),
                "public": change.public_note,
                "internal": change.internal_note,
            }
            for change in db.exec(
                select(ReportStatusChange)
                .where(ReportStatusChange.report_id == report.id)
                .order_by(ReportStatusChange.created_at, ReportStatusChange.id)
            )
        ]
        self.thread = thread_entries(db, report.id, reader_is_reporter=False, session_token=self.session_token)
        cases.mark_read_by_staff(session=db, report_id=report.id)
        self.history = [
            {"when": format_local(row.when), "actor": row.actor, "action": row.action, "detail": row.detail}
            for row in audit.report_history(session=db, report_id=report.id)
        ]
        self.next_statuses = policy.allowed_next_statuses(report, user)
        self.staff_options = [{"value": str(u.id), "label": u.full_name} for u in cases.staff_members(session=db)]
        self.has_identity = cases.has_identity(report)

    def _reload(self, user: User) -> None:
        with open_session() as db:
            report = self._report(db, user)
            if report is None:
                self.reset()
                self.checked = True
                return
            self._fill(db, report, user)
        self.checked = True

    @staff_event
    def load(self, user: User):
        self.identity = {}
        self._clear_feedback()
        self._reload(user)

    def _clear_feedback(self) -> None:
        self.errors = {}
        self.notice = self.error = ""

    @staff_event(background=True)
    async def change_status(self, user: User, form: dict):
        async with self:
            self._clear_feedback()
            with open_session() as db:
                report = self._report(db, user)
                if report is None:
                    return
                try:
                    cases.change_status(
                        session=db,
                        report=report,
                        actor=user,
                        new_status=str(form.get("new_status", ""))[:40],
                        public_note=str(form.get("public_note", ""))[:6000],
                        internal_note=str(form.get("internal_note", ""))[:6000],
                        client_ip=self._client_ip(),
                    )
                except ValidationFailed as invalid:
                    self.errors = invalid.errors
                    return
                except Refused as refused:
                    self.error = str(refused)
                    return
                report_id = report.id
            self.notice = messages.ACTION_DONE
            self._reload(user)
        await asyncio.to_thread(_notify_reporter, report_id)

    @staff_event
    def add_note(self, user: User, form: dict):
        self._clear_feedback()
        with open_session() as db:
            report = self._report(db, user)
            if report is None:
                return
            try:
                cases.add_internal_note(
                    session=db,
                    report=report,
                    actor=user,
                    note=str(form.get("note", ""))[:6000],
                    client_ip=self._client_ip(),
                )
            except ValidationFailed as invalid:
                self.errors = {"note": next(iter(invalid.errors.values()))}
                return
        self.notice = messages.ACTION_DONE
        self._reload(user)

    @staff_event
    def assign(self, user: User, form: dict):
        self._clear_feedback()
        verifier_id = str(form.get("verifier_id", ""))
        with open_session() as db:
            report = self._report(db, user)
            if report is None:
                return
            if not verifier_id.isdigit():
                self.errors = {"verifier_id": messages.ASSIGNEE_INVALID}
                return
            try:
                cases.assign(
                    session=db, report=report, actor=user, verifier_id=int(verifier_id), client_ip=self._client_ip()
                )
            except Refused as refused:
                self.errors = {"verifier_id": str(refused)}
                return
        self.notice = messages.ACTION_DONE
        self._reload(user)

    @staff_event
    def reveal_identity(self, user: User, form: dict):
        self._clear_feedback()
        with open_session() as db:
            report = self._report(db, user)
            if report is None:
                return
            try:
                person = cases.reveal_identity(
                    session=db,
                    report=report,
                    actor=user,
                    reason=str(form.get("reason", ""))[:2000],
                    client_ip=self._client_ip(),
                )
            except ValidationFailed as invalid:
                self.errors = invalid.errors
                return
            except Refused as refused:
                self.error = str(refused)
                return
        self.identity = {
            "Nama": person.name or "-",
            "Email": person.email or "-",
            "Telepon": person.phone or "-",
            "Alamat": person.address or "-",
            "Akun": person.account or "Tanpa akun",
        }
        self._reload(user)

    def _may_upload(self, handler: str) -> bool:
        return self._checked_user(handler, admin=False) is not None

    @staff_event(background=True)
    async def send_message(self, user: User, form: dict):
        async with self:
            self._clear_feedback()
            pending = self._pending_uploads()
            with open_session() as db:
                report = self._report(db, user)
                if report is None:
                    return
                try:
                    cases.post_staff_message(
                        session=db,
                        report=report,
                        actor=user,
                        body=str(form.get("message", ""))[: reports.MESSAGE_MAX + 100],
                        attachments=pending,
                        client_ip=self._client_ip(),
                    )
                except ValidationFailed as invalid:
                    self.errors = {"message": next(iter(invalid.errors.values()))}
                    return
                except reports.SubmissionFailed as failed:
                    self.error = str(failed)
                    return
                report_id = report.id
            self._forget_uploads()
            self.notice = messages.MESSAGE_SENT
            self._reload(user)
        await asyncio.to_thread(_notify_reporter, report_id)


S = CaseState


def evidence_with_preview(entry: rx.Var) -> rx.Component:
    """Images and PDFs shown in the page; other files are downloaded."""
    return rx.box(
        file_links(entry),
        rx.match(
            entry["preview"],
            ("gambar", rx.el.img(src=backend_origin + entry["view"], alt=entry["name"], class_name="evidence-preview")),
            (
                "pdf",
                rx.el.iframe(
                    src=backend_origin + entry["view"], title=entry["name"], class_name="evidence-preview pdf"
                ),
            ),
            rx.fragment(),
        ),
        class_name="evidence-entry",
    )


def error_text(name: str) -> rx.Component:
    return rx.cond(
        S.errors.contains(name), rx.text(S.errors[name], color_scheme="red", size="2", role="alert", id=f"{name}-error")
    )


def status_form() -> rx.Component:
    return rx.cond(
        S.next_statuses.length() > 0,
        rx.form(
            rx.vstack(
                rx.heading("Ubah Status", as_="h2", size="5"),
                rx.el.label("Status baru", html_for="new_status", class_name="field-label"),
                rx.el.select(
                    rx.foreach(S.next_statuses, lambda s: rx.el.option(s, value=s)),
                    id="new_status",
                    name="new_status",
                    class_name="native-select",
                ),
                rx.el.label(
                    "Catatan Verifikator (dilihat pelapor)", html_for="public_note", class_name="field-label required"
                ),
                rx.text_area(id="public_note", name="public_note", max_length=5000, rows="3", width="100%"),
                error_text("public_note"),
                rx.el.label(
                    "Catatan internal (tidak dilihat pelapor)", html_for="internal_note", class_name="field-label"
                ),
                rx.text_area(id="internal_note", name="internal_note", max_length=5000, rows="3", width="100%"),
                rx.button("Simpan Status", type="submit"),
                spacing="2",
                width="100%",
            ),
            on_submit=S.change_status,
            reset_on_submit=True,
            no_validate=True,
        ),
        rx.text(
            "Laporan sudah selesai. Hanya administrator yang dapat membukanya kembali.", size="2", color_scheme="gray"
        ),
    )


def assign_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Petugas", as_="h2", size="5"),
            rx.text("Ditugaskan kepada: ", rx.text.strong(S.assignee, id="assignee")),
            rx.el.label("Tugaskan kepada", html_for="verifier_id", class_name="field-label"),
            rx.el.select(
                rx.el.option("— Pilih —", value=""),
                rx.foreach(S.staff_options, lambda o: rx.el.option(o["label"], value=o["value"])),
                id="verifier_id",
                name="verifier_id",
                class_name="native-select",
            ),
            error_text("verifier_id"),
            rx.button("Tugaskan", type="submit", variant="outline"),
            spacing="2",
            width="100%",
        ),
        on_submit=S.assign,
        no_validate=True,
    )


def identity_box() -> rx.Component:
    return rx.card(
        rx.heading("Identitas Pelapor", as_="h2", size="5"),
        rx.cond(
            S.identity.length() > 0,
            rx.data_list.root(
                rx.foreach(
                    S.identity, lambda item: rx.data_list.item(rx.data_list.label(item[0]), rx.data_list.value(item[1]))
                ),
                class_name="identity",
            ),
            rx.cond(
                S.has_identity,
                rx.form(
                    rx.vstack(
                        rx.text(
                            "Identitas disembunyikan. Membukanya dicatat di log audit bersama alasan Anda.", size="2"
                        ),
                        rx.el.label("Alasan membuka identitas", html_for="reason", class_name="field-label"),
                        rx.input(id="reason", name="reason", max_length=1000, width="100%"),
                        error_text("reason"),
                        rx.button("Tampilkan Identitas Pelapor", type="submit", color_scheme="amber"),
                        spacing="2",
                        width="100%",
                    ),
                    on_submit=S.reveal_identity,
                    no_validate=True,
                ),
                rx.text(messages.NO_IDENTITY, size="2"),
            ),
        ),
        width="100%",
    )


def case_timeline() -> rx.Component:
    return rx.el.ol(
        rx.foreach(
            S.timeline,
            lambda entry: rx.el.li(
                rx.badge(entry["status"], size="2"),
                rx.text(entry["when"], size="1", color_scheme="gray"),
                rx.cond(entry["public"] != "", rx.text("Catatan Verifikator: ", entry["public"], size="2")),
                rx.cond(
                    entry["internal"] != "",
                    rx.text("Catatan internal: ", entry["internal"], size="2", color_scheme="amber"),
                ),
                class_name="timeline-item",
            ),
        ),
        class_name="timeline",
    )


def thread() -> rx.Component:
    return rx.vstack(
        rx.foreach(
            S.thread,
            lambda m: rx.box(
                rx.flex(
                    rx.text(m["author"], weight="bold", size="2"),
                    rx.text(m["when"], size="1", color_scheme="gray"),
                    rx.cond(m["unread"], rx.badge("Baru", color_scheme="red")),
                    spacing="2",
                ),
                rx.text(m["body"], white_space="pre-wrap", size="2"),
                rx.foreach(m["files"].to(list[dict[str, str]]), file_links),
                class_name=rx.cond(m["from_reporter"], "message theirs", "message mine"),
            ),
        ),
        spacing="2",
        width="100%",
    )


def message_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label("Pesan untuk pelapor", html_for="message", class_name="field-label"),
            rx.text_area(id="message", name="message", max_length=reports.MESSAGE_MAX, rows="3", width="100%"),
            error_text("message"),
            upload_box(
                upload_id=UPLOAD_ID,
                on_drop=S.receive_uploads(
                    rx.upload_files_chunk(upload_id=UPLOAD_ID, on_upload_progress=S.upload_progress_changed)
                ),
                uploading=S.uploading,
                progress=S.upload_progress,
                refused=S.upload_refused,
                label="Lampiran (opsional)",
            ),
            rx.foreach(
                S.uploaded,
                lambda item: rx.flex(
                    rx.text(item["name"], size="2"),
                    rx.button(
                        "Hapus",
                        type="button",
                        variant="ghost",
                        color_scheme="red",
                        on_click=S.remove_upload(item["file_id"]),
                    ),
                    spacing="2",
                ),
            ),
            rx.button("Kirim Pesan", type="submit"),
            spacing="2",
            width="100%",
        ),
        on_submit=S.send_message,
        reset_on_submit=True,
        no_validate=True,
    )


def note_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label("Catatan internal baru", html_for="note", class_name="field-label"),
            rx.text_area(id="note", name="note", max_length=5000, rows="2", width="100%"),
            error_text("note"),
            rx.button("Simpan Catatan", type="submit", variant="outline"),
            spacing="2",
            width="100%",
        ),
        on_submit=S.add_note,
        reset_on_submit=True,
        no_validate=True,
    )


def case_body() -> rx.Component:
    return rx.vstack(
        rx.heading("Laporan ", S.number, as_="h1", size="7"),
        staff_nav(),
        rx.flex(rx.text("Status:"), rx.badge(S.status, size="3", id="case-status"), spacing="2", align="center"),
        form_alert(S.error),
        form_alert(S.notice, color="green"),
        rx.grid(
            rx.vstack(
                rx.card(
                    rx.data_list.root(
                        rx.foreach(
                            S.fields,
                            lambda item: rx.data_list.item(rx.data_list.label(item[0]), rx.data_list.value(item[1])),
                        )
                    ),
                    rx.text("Deskripsi", weight="medium", margin_top="1em"),
                    rx.text(S.description, white_space="pre-wrap"),
                    width="100%",
                ),
                rx.card(
                    rx.heading("Terlapor", as_="h2", size="5"),
                    rx.foreach(
                        S.accused,
                        lambda p: rx.text(
                            rx.text.strong(p["name"]),
                            " — ",
                            p["position"],
                            ", ",
                            p["institution"],
                            " ",
                            p["classification"],
                            size="2",
                        ),
                    ),
                    width="100%",
                ),
                rx.card(
                    rx.heading("Bukti", as_="h2", size="5"), rx.foreach(S.files, evidence_with_preview), width="100%"
                ),
                rx.card(rx.heading("Perkembangan", as_="h2", size="5"), case_timeline(), width="100%"),
                rx.card(rx.heading("Pesan dengan Pelapor", as_="h2", size="5"), thread(), message_form(), width="100%"),
                spacing="3",
                width="100%",
            ),
            rx.vstack(
                rx.card(status_form(), width="100%"),
                rx.card(assign_form(), width="100%"),
                identity_box(),
                rx.card(note_form(), width="100%"),
                rx.card(
                    rx.heading("Riwayat", as_="h2", size="5"),
                    rx.foreach(
                        S.history,
                        lambda h: rx.box(
                            rx.text(h["when"], " · ", h["actor"], " · ", rx.text.strong(h["action"]), size="1"),
                            rx.text(h["detail"], size="1", color_scheme="gray"),
                            class_name="history-item",
                        ),
                    ),
                    width="100%",
                    class_name="case-history",
                ),
                spacing="3",
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def case_page() -> rx.Component:
    return rx.cond(
        S.found,
        case_body(),
        rx.cond(S.checked, rx.heading(messages.REPORT_NOT_FOUND, as_="h1"), rx.text("Memuat…")),
    )


PAGE = Page(route=routes.STAFF_CASE, title="Laporan", component=case_page, on_load=(S.load,))
