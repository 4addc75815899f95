"""Lapor: the four-step report wizard (Pelapor, Detail Kejadian, Lokasi/Waktu/Bukti, Ringkasan).

The draft lives in this tab's server-side state: going back keeps it, and so does a reload or a dropped
connection (the tab keeps its Reflex token). Evidence waits in a private temporary folder until the
report is committed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
import zoneinfo

import reflex as rx

from wbs_app import messages, routes, validators
from wbs_app.components.forms import field_error, form_alert, label
from wbs_app.components.layout import page_heading
from wbs_app.components.links import backend_link
from wbs_app.components.page import Page
from wbs_app.components.upload_box import upload_box
from wbs_app.db import open_session
from wbs_app.models import Channel, User
from wbs_app.services import mailer, reference, reports
from wbs_app.services.errors import ValidationFailed
from wbs_app.settings import get_settings
from wbs_app.state.auth import AuthState
from wbs_app.state.uploads import DraftUploads

logger = logging.getLogger("wbs.report")

STEP_TITLES = ["Pelapor", "Detail Kejadian", "Lokasi, Waktu & Bukti", "Ringkasan"]
GUIDANCE = [
    "Siapa yang terlibat dan bertanggung jawab?",
    "Apa perbuatan yang Anda ketahui?",
    "Di mana perbuatan itu terjadi?",
    "Kapan terjadinya?",
    "Bagaimana caranya dilakukan (modus)?",
    "Bukti apa yang mendukung?",
]
UPLOAD_ID = "bukti_laporan"


def _blank_accused() -> dict[str, str]:
    return {"uid": secrets.token_hex(4), **{field: "" for field in reports.ACCUSED_FIELDS}}


def _local_now_input() -> str:
    now = dt.datetime.now(zoneinfo.ZoneInfo(get_settings().timezone))
    return now.strftime("%Y-%m-%dT%H:%M")


def _form_text(form: dict, name: str, max_length: int = 10_000) -> str:
    return str(form.get(name, "") or "")[:max_length]


class ReportWizardState(DraftUploads, AuthState):
    UPLOAD_ID = UPLOAD_ID

    step: int = 1
    furthest_step: int = 1
    channel: str = Channel.VIOLATION.value
    is_member: bool = False
    member_name: str = ""
    member_email: str = ""
    # Step 1
    hide_identity: bool = False
    reporter_name: str = ""
    include_email: bool = False
    reporter_email: str = ""
    reporter_phone: str = ""
    reporter_address: str = ""
    # Step 2
    title: str = ""
    violation_type_id: str = ""
    unit_id: str = ""
    description: str = ""
    accused: list[dict[str, str]] = []
    # Step 3
    incident_address: str = ""
    province_code: str = ""
    regency_code: str = ""
    incident_at: str = ""
    # Feedback and result
    errors: dict[str, str] = {}
    form_error: str = ""
    busy: bool = False
    submitted_number: str = ""
    submitted_code: str = ""
    # Options for the selects
    violation_type_options: list[dict[str, str]] = []
    unit_options: list[dict[str, str]] = []
    province_options: list[dict[str, str]] = []
    regency_options: list[dict[str, str]] = []
    classification_options: list[str] = reports.CLASSIFICATIONS
    max_incident_at: str = ""

    # Loading ------------------------------------------------------------------------------------------

    @rx.event
    def load(self):
        slug = str(self.router.page.params.get("kanal", ""))
        if slug not in routes.CHANNEL_SLUGS:
            return rx.redirect(routes.REPORT)
        if self._password_change_due():
            return rx.redirect(routes.ACCOUNT)
        if self.submitted_number:
            self._reset_draft()
        self.channel = routes.CHANNEL_SLUGS[slug]
        user = self._current_user()
        self.is_member = user is not None
        self.member_name = user.full_name if user else ""
        self.member_email = user.email if user else ""
        if not self.accused:
            self.accused = [_blank_accused()]
        self.max_incident_at = _local_now_input()
        with open_session() as db:
            self.violation_type_options = [
                {"value": str(t.id), "label": t.name} for t in reference.active_violation_types(session=db)
            ]
            self.unit_options = [{"value": str(u.id), "label": u.name} for u in reference.active_units(session=db)]
        self.province_options = [{"value": code, "label": name} for code, name in reference.provinces()]
        self._load_regencies()
        self._refresh_preview_links()

    def _load_regencies(self) -> None:
        self.regency_options = [
            {"value": code, "label": name} for code, name in reference.regencies(self.province_code)
        ]

    def _reset_draft(self) -> None:
        self._forget_uploads()
        self.reset()

    # What the summary shows ----------------------------------------------------------------------------

    @staticmethod
    def _label(options: list[dict[str, str]], value: str) -> str:
        return next((option["label"] for option in options if option["value"] == value), "-")

    @rx.var
    def violation_type_label(self) -> str:
        return self._label(self.violation_type_options, self.violation_type_id)

    @rx.var
    def unit_label(self) -> str:
        return self._label(self.unit_options, self.unit_id)

    @rx.var
    def province_label(self) -> str:
        return self._label(self.province_options, self.province_code)

    @rx.var
    def regency_label(self) -> str:
        return self._label(self.regency_options, self.regency_code)

    @rx.var
    def incident_at_label(self) -> str:
        try:
            when = dt.datetime.fromisoformat(self.incident_at)
        except ValueError:
            return "-"
        return f"{when:%d-%m-%Y} ({when:%H:%M} WIB)"

    @rx.var
    def credentials_text(self) -> str:
        return (
            f"Nomor Registrasi: {self.submitted_number}\nKode Akses: {self.submitted_code}\n"
            "Simpan Kode Akses ini dengan aman. Kode tidak dapat dipulihkan.\n"
        )

    # Step 1 -------------------------------------------------------------------------------------------

    @rx.event
    def set_hide_identity(self, checked: bool):
        self.hide_identity = bool(checked)

    @rx.event
    def set_include_email(self, checked: bool):
        self.include_email = bool(checked)

    @rx.event
    def save_reporter(self, form: dict):
        if not self.is_member:
            self.reporter_name = _form_text(form, "reporter_name", 200)
            self.reporter_email = _form_text(form, "reporter_email", 300) if self.include_email else ""
            self.reporter_phone = _form_text(form, "reporter_phone", 40)
            self.reporter_address = _form_text(form, "reporter_address", 600)
        self._advance(reports.validate_reporter(self._draft(), logged_in=self.is_member), 2)

    # Step 2 -------------------------------------------------------------------------------------------

    @rx.event
    def add_accused(self):
        if len(self.accused) >= reports.MAX_ACCUSED:
            self.errors = {"accused": messages.ACCUSED_TOO_MANY.format(max=reports.MAX_ACCUSED)}
            return
        self.accused = [*self.accused, _blank_accused()]
        self.errors = {k: v for k, v in self.errors.items() if k != "accused"}

    @rx.event
    def remove_accused(self, uid: str):
        if len(self.accused) > 1:
            self.accused = [row for row in self.accused if row["uid"] != uid]

    @rx.event
    def save_details(self, form: dict):
        self.title = _form_text(form, "title", 300)
        self.violation_type_id = _form_text(form, "violation_type_id", 20)
        self.unit_id = _form_text(form, "unit_id", 20)
        self.description = _form_text(form, "description", reports.DESCRIPTION_MAX + 100)
        self.accused = [
            {
                "uid": row["uid"],
                **{field: _form_text(form, f"accused_{field}_{row['uid']}", 300) for field in reports.ACCUSED_FIELDS},
            }
            for row in self.accused
        ]
        with open_session() as db:
            errors = reports.validate_details(session=db, draft=self._draft())
        self._advance(errors, 3)

    # Step 3 -------------------------------------------------------------------------------------------

    @rx.event
    def choose_province(self, code: str):
        self.province_code = code if code in dict(reference.provinces()) else ""
        self.regency_code = ""
        self._load_regencies()

    def _may_upload(self, handler: str) -> bool:
        return not self.submitted_number

    @rx.event
    def save_location(self, form: dict):
        self.incident_address = _form_text(form, "incident_address", 600)
        self.regency_code = _form_text(form, "regency_code", 20)
        self.incident_at = _form_text(form, "incident_at", 40)
        self.uploaded = [
            {**item, "description": _form_text(form, f"evidence_{item['file_id']}", 300)} for item in self.uploaded
        ]
        self._advance(reports.validate_location(self._draft()), 4)

    # Navigation ---------------------------------------------------------------------------------------

    def _advance(self, errors: dict[str, str], next_step: int) -> None:
        self.errors = errors
        self.form_error = messages.FORM_HAS_ERRORS if errors else ""
        if not errors:
            self.step = next_step
            self.furthest_step = max(self.furthest_step, next_step)
            self._refresh_preview_links()

    @rx.event
    def go_to_step(self, step: int):
        if isinstance(step, int) and 1 <= step <= min(self.furthest_step, 4) and not self.submitted_number:
            self.step = step
            self.errors = {}
            self.form_error = ""
            self._refresh_preview_links()

    # Submit -------------------------------------------------------------------------------------------

    def _draft(self) -> reports.ReportDraft:
        return reports.ReportDraft(
            channel=self.channel,
            hide_identity=self.hide_identity,
            reporter_name=self.reporter_name,
            include_email=self.include_email,
            reporter_email=self.reporter_email,
            reporter_phone=self.reporter_phone,
            reporter_address=self.reporter_address,
            title=self.title,
            violation_type_id=self.violation_type_id,
            unit_id=self.unit_id,
            description=self.description,
            accused=[reports.AccusedInput(**row) for row in self.accused],
            incident_address=self.incident_address,
            province_code=self.province_code,
            regency_code=self.regency_code,
            incident_at=self.incident_at,
            evidence=self._pending_uploads(),
        )

    @rx.event(background=True)
    async def submit(self, form: dict):
        async with self:
            if self.busy or self.submitted_number:
                return
            if not validators.is_checked(form.get("confirm")):
                self.errors = {"confirm": messages.CONFIRMATION_REQUIRED}
                self.form_error = messages.FORM_HAS_ERRORS
                return
            if self._password_change_due():
                self.form_error = messages.PASSWORD_CHANGE_REQUIRED
                return rx.redirect(routes.ACCOUNT)
            user = self._current_user()
            if self.is_member and user is None:
                self.form_error = messages.SESSION_REQUIRED
                return
            draft = self._draft()
            self.busy = True
            self.errors = {}
            self.form_error = ""
        result, errors, failure = await asyncio.to_thread(_submit, draft, user)
        async with self:
            self.busy = False
            if errors:
                self.errors = errors
                self.form_error = messages.FORM_HAS_ERRORS
                first = min(
                    (1 if k.startswith("reporter") else 2 if k in _STEP2_KEYS or k.startswith("accused") else 3)
                    for k in errors
                )
                self.step = first
                return
            if failure:
                self.form_error = failure
                return
            # Only now, after the commit, is the reporter told the report exists.
            self.submitted_number = result.registration_number
            self.submitted_code = result.access_code or ""
            self.step = 5
            self._forget_uploads()
        if result.notify_email:
            await asyncio.to_thread(_send_confirmation, result)

    @rx.event
    def start_new_report(self):
        self._reset_draft()
        return rx.redirect(routes.REPORT)


_STEP2_KEYS = {"title", "violation_type_id", "unit_id", "description"}


def _submit(draft: reports.ReportDraft, user: User | None):
    with open_session() as db:
        try:
            result = reports.submit_report(session=db, draft=draft, user=user)
        except ValidationFailed as invalid:
            return None, invalid.errors, ""
        except reports.SubmissionFailed as failed:
            logger.exception("report submission failed")
            return None, {}, str(failed)
    return result, {}, ""


def _send_confirmation(result: reports.SubmittedReport) -> None:
    try:
        mailer.send_email(
            **reports.confirmation_email(to=result.notify_email, registration_number=result.registration_number)
        )
    except Exception:  # noqa: BLE001 - the report is stored; the email is a courtesy
        logger.exception("confirmation email for %s failed", result.registration_number)


# Components -------------------------------------------------------------------------------------------

S = ReportWizardState


def stepper() -> rx.Component:
    return rx.el.ol(
        *[
            rx.el.li(
                rx.el.span(str(number), class_name="step-number"),
                rx.el.span(title, class_name="step-title"),
                class_name=rx.cond(S.step == number, "step current", rx.cond(S.step > number, "step done", "step")),
                aria_current=rx.cond(S.step == number, "step", None),
            )
            for number, title in enumerate(STEP_TITLES, start=1)
        ],
        class_name="stepper",
        aria_label="Langkah pelaporan",
    )


def input_field(
    text: str,
    name: str,
    value,
    *,
    required: bool = True,
    type: str = "text",
    max_length: int = 200,
    hint: str = "",
    **props,
) -> rx.Component:
    return rx.box(
        label(text, name, required),
        rx.input(
            id=name,
            name=name,
            type=type,
            default_value=value,
            max_length=max_length,
            aria_describedby=f"{name}-error",
            size="3",
            width="100%",
            **props,
        ),
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        field_error(S.errors, name),
        class_name="field",
    )


def select(text: str, name: str, options, value, *, on_change=None, required: bool = True) -> rx.Component:
    props = {"value": value, "on_change": on_change} if on_change is not None else {"default_value": value}
    return rx.box(
        label(text, name, required),
        rx.el.select(
            rx.el.option("— Pilih —", value=""),
            rx.foreach(options, lambda option: rx.el.option(option["label"], value=option["value"])),
            id=name,
            name=name,
            aria_describedby=f"{name}-error",
            class_name="native-select",
            **props,
        ),
        field_error(S.errors, name),
        class_name="field",
    )


def nav_buttons(back_step: int | None, next_label: str = "Selanjutnya") -> rx.Component:
    return rx.box(
        form_alert(S.form_error),
        rx.flex(
            rx.button("Kembali", type="button", variant="outline", size="3", on_click=S.go_to_step(back_step))
            if back_step
            else rx.fragment(),
            rx.button(next_label, type="submit", size="3", loading=S.busy),
            spacing="3",
            justify="end",
        ),
        width="100%",
    )


def step_reporter() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Pelapor", as_="h2", size="5"),
            rx.cond(
                S.is_member,
                rx.vstack(
                    rx.text("Anda melapor sebagai ", rx.text.strong(S.member_name), " (", S.member_email, ")."),
                    rx.el.label(
                        rx.switch(
                            checked=S.hide_identity,
                            on_change=S.set_hide_identity,
                            id="hide_identity",
                            name="hide_identity",
                        ),
                        " Laporkan tanpa identitas",
                        html_for="hide_identity",
                        class_name="checkbox-label",
                    ),
                    rx.text(
                        "Bila dipilih, verifikator tidak melihat siapa pengirim laporan; laporan tetap muncul di "
                        "riwayat Anda.",
                        size="2",
                        color_scheme="gray",
                    ),
                    spacing="2",
                ),
                rx.grid(
                    input_field(
                        "Nama",
                        "reporter_name",
                        S.reporter_name,
                        max_length=120,
                        hint="Boleh menggunakan nama samaran.",
                        auto_complete="off",
                    ),
                    rx.box(
                        rx.el.label(
                            rx.switch(
                                checked=S.include_email,
                                on_change=S.set_include_email,
                                id="include_email",
                                name="include_email",
                            ),
                            " Cantumkan Email",
                            html_for="include_email",
                            class_name="checkbox-label",
                        ),
                        rx.text(
                            "Untuk menerima pemberitahuan (tanpa isi laporan). Boleh email samaran.",
                            size="1",
                            color_scheme="gray",
                        ),
                    ),
                    rx.cond(
                        S.include_email,
                        input_field("Email", "reporter_email", S.reporter_email, type="email", max_length=254),
                    ),
                    input_field(
                        "Nomor HP", "reporter_phone", S.reporter_phone, required=False, type="tel", max_length=20
                    ),
                    input_field("Alamat", "reporter_address", S.reporter_address, required=False, max_length=500),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="4",
                    width="100%",
                ),
            ),
            nav_buttons(None),
            spacing="4",
            width="100%",
        ),
        on_submit=S.save_reporter,
        no_validate=True,
    )


def accused_row(row: rx.Var, index: rx.Var) -> rx.Component:
    uid = row["uid"]

    def cell(text: str, field: str, required: bool = False, max_length: int = 120) -> rx.Component:
        name = f"accused_{field}_" + uid
        return rx.box(
            rx.el.label(text, html_for=name, class_name="field-label required" if required else "field-label"),
            rx.input(id=name, name=name, default_value=row[field], max_length=max_length, size="2", width="100%"),
            rx.cond(S.errors.contains(name), rx.text(S.errors[name], color_scheme="red", size="1", role="alert")),
            class_name="field",
        )

    classification_name = "accused_classification_" + uid
    return rx.card(
        rx.flex(
            rx.text("Terlapor ", index + 1, weight="bold"),
            rx.button(
                rx.icon("trash_2", size=16),
                "Hapus",
                type="button",
                variant="ghost",
                color_scheme="red",
                on_click=S.remove_accused(uid),
                disabled=S.accused.length() <= 1,
                aria_label="Hapus terlapor " + (index + 1).to_string(),
            ),
            justify="between",
            align="center",
        ),
        rx.grid(
            cell("Nama Terlapor", "name", required=True),
            cell("Jabatan", "position"),
            cell("Pangkat", "rank", max_length=80),
            cell("Unit/Instansi", "institution", max_length=200),
            cell("Kota", "city", max_length=80),
            rx.box(
                rx.el.label("Klasifikasi", html_for=classification_name, class_name="field-label"),
                rx.el.select(
                    rx.el.option("— Pilih —", value=""),
                    rx.foreach(S.classification_options, lambda option: rx.el.option(option, value=option)),
                    id=classification_name,
                    name=classification_name,
                    default_value=row["classification"],
                    class_name="native-select",
                ),
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


def step_details() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Detail Kejadian", as_="h2", size="5"),
            input_field("Judul", "title", S.title, max_length=200),
            select("Jenis Pelanggaran", "violation_type_id", S.violation_type_options, S.violation_type_id),
            rx.box(
                rx.heading("Terlapor", as_="h3", size="4"),
                rx.text(
                    "Orang yang Anda laporkan. Isi yang Anda ketahui; hanya nama yang wajib.",
                    size="2",
                    color_scheme="gray",
                ),
                field_error(S.errors, "accused"),
                width="100%",
            ),
            rx.foreach(S.accused, accused_row),
            rx.button(
                rx.icon("user_plus", size=16),
                "Tambah Terlapor",
                type="button",
                variant="soft",
                on_click=S.add_accused,
            ),
            select("Unit Kejadian", "unit_id", S.unit_options, S.unit_id),
            rx.box(
                label("Deskripsi Pelanggaran", "description"),
                rx.card(
                    rx.text("Jawab pertanyaan berikut dalam uraian Anda (5W+1H):", size="2", weight="medium"),
                    rx.el.ul(*[rx.el.li(question) for question in GUIDANCE], class_name="plain-list guidance"),
                    size="1",
                    variant="surface",
                    margin_bottom="0.5em",
                ),
                rx.text_area(
                    id="description",
                    name="description",
                    default_value=S.description,
                    max_length=reports.DESCRIPTION_MAX,
                    rows="8",
                    aria_describedby="description-error",
                    size="3",
                    width="100%",
                ),
                rx.text(f"Minimal {reports.DESCRIPTION_MIN} karakter.", size="1", color_scheme="gray"),
                field_error(S.errors, "description"),
                class_name="field",
                width="100%",
            ),
            nav_buttons(1),
            spacing="4",
            width="100%",
        ),
        on_submit=S.save_details,
        no_validate=True,
    )


def preview_link(entry: rx.Var) -> rx.Component:
    """Opens the received file in a new tab (images and PDFs are shown, other types downloaded)."""
    return backend_link(entry["view"], "lihat bukti", class_name="file-link", aria_label="Lihat bukti " + entry["name"])


def evidence_list(editable: bool) -> rx.Component:
    def item(entry: rx.Var) -> rx.Component:
        name = "evidence_" + entry["file_id"]
        return rx.card(
            rx.flex(
                rx.icon("file_check", size=20),
                rx.vstack(
                    rx.text(entry["name"], weight="medium", class_name="evidence-name"),
                    rx.flex(
                        rx.text(entry["size"], size="1", color_scheme="gray"),
                        preview_link(entry),
                        spacing="2",
                        align="center",
                    ),
                    spacing="0",
                    flex="1",
                ),
                rx.button(
                    "Hapus",
                    type="button",
                    variant="ghost",
                    color_scheme="red",
                    on_click=S.remove_upload(entry["file_id"]),
                    aria_label="Hapus bukti " + entry["name"],
                )
                if editable
                else rx.fragment(),
                align="center",
                spacing="3",
            ),
            rx.box(
                rx.el.label("Keterangan", html_for=name, class_name="field-label"),
                rx.input(
                    id=name,
                    name=name,
                    default_value=entry["description"],
                    max_length=300,
                    placeholder="Jelaskan isi berkas ini",
                    on_blur=lambda value: S.set_upload_description(entry["file_id"], value),
                    width="100%",
                ),
                class_name="field",
                margin_top="0.5em",
            )
            if editable
            else rx.text("Keterangan: ", entry["description"], size="2"),
            width="100%",
            class_name="evidence-item",
        )

    return rx.vstack(rx.foreach(S.uploaded, item), spacing="2", width="100%")


def step_location() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Lokasi & Waktu Kejadian", as_="h2", size="5"),
            input_field("Alamat", "incident_address", S.incident_address, max_length=500),
            rx.grid(
                select("Provinsi", "province_code", S.province_options, S.province_code, on_change=S.choose_province),
                select("Kabupaten/Kota", "regency_code", S.regency_options, S.regency_code),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="4",
                width="100%",
            ),
            input_field(
                "Perkiraan Waktu Kejadian",
                "incident_at",
                S.incident_at,
                type="datetime-local",
                max_length=20,
                max=S.max_incident_at,
                hint="Waktu Indonesia Barat (WIB). Tidak boleh di masa depan.",
            ),
            rx.heading("Bukti Kejadian", as_="h3", size="4"),
            upload_box(
                upload_id=UPLOAD_ID,
                on_drop=S.receive_uploads(
                    rx.upload_files_chunk(upload_id=UPLOAD_ID, on_upload_progress=S.upload_progress_changed)
                ),
                uploading=S.uploading,
                progress=S.upload_progress,
                refused=S.upload_refused,
                label="Unggah bukti (data, dokumen, gambar, rekaman)",
            ),
            evidence_list(editable=True),
            nav_buttons(2),
            spacing="4",
            width="100%",
        ),
        on_submit=S.save_location,
        no_validate=True,
    )


def summary_section(title: str, step: int, *rows: rx.Component) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading(title, as_="h3", size="4"),
            rx.link("Ubah", href="#", on_click=S.go_to_step(step), aria_label=f"Ubah {title}"),
            justify="between",
            align="center",
        ),
        rx.data_list.root(*rows, margin_top="0.75em", orientation=rx.breakpoints(initial="vertical", sm="horizontal")),
        width="100%",
    )


def row(name: str, value) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(name), rx.data_list.value(value))


def step_summary() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Ringkasan Laporan", as_="h2", size="5"),
            summary_section(
                "Pelapor",
                1,
                row("Saluran", S.channel),
                rx.cond(
                    S.is_member,
                    row(
                        "Nama",
                        rx.cond(S.hide_identity, "Tanpa identitas (disembunyikan dari verifikator)", S.member_name),
                    ),
                    row("Nama", S.reporter_name),
                ),
                rx.cond(~S.is_member & S.include_email, row("Email", S.reporter_email)),
                rx.cond(~S.is_member & (S.reporter_phone != ""), row("Nomor HP", S.reporter_phone)),
                rx.cond(~S.is_member & (S.reporter_address != ""), row("Alamat", S.reporter_address)),
            ),
            rx.card(
                rx.flex(
                    rx.heading("Detail Laporan", as_="h3", size="4"),
                    rx.link("Ubah", href="#", on_click=S.go_to_step(2), aria_label="Ubah Detail Laporan"),
                    justify="between",
                ),
                rx.data_list.root(
                    row("Judul", S.title),
                    row("Jenis Pelanggaran", S.violation_type_label),
                    row("Unit Kejadian", S.unit_label),
                    margin_top="0.75em",
                    orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
                ),
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                *[
                                    rx.table.column_header_cell(h)
                                    for h in [
                                        "No",
                                        "Nama Terlapor",
                                        "Jabatan",
                                        "Pangkat",
                                        "Unit/Instansi",
                                        "Kota",
                                        "Klasifikasi",
                                    ]
                                ]
                            )
                        ),
                        rx.table.body(
                            rx.foreach(
                                S.accused,
                                lambda person, i: rx.table.row(
                                    rx.table.cell(i + 1),
                                    rx.table.cell(person["name"]),
                                    rx.table.cell(person["position"]),
                                    rx.table.cell(person["rank"]),
                                    rx.table.cell(person["institution"]),
                                    rx.table.cell(person["city"]),
                                    rx.table.cell(person["classification"]),
                                ),
                            )
                        ),
                        size="1",
                        class_name="accused-summary",
                    ),
                    overflow_x="auto",
                    margin_y="0.75em",
                ),
                rx.text("Deskripsi", weight="medium", size="2"),
                rx.text(S.description, white_space="pre-wrap", class_name="summary-description"),
                width="100%",
            ),
            summary_section(
                "Lokasi & Waktu Kejadian",
                3,
                row("Alamat", S.incident_address),
                row("Kabupaten/Kota", S.regency_label),
                row("Provinsi", S.province_label),
                row("Waktu", S.incident_at_label),
            ),
            rx.card(
                rx.flex(
                    rx.heading("Bukti Kejadian", as_="h3", size="4"),
                    rx.link("Ubah", href="#", on_click=S.go_to_step(3), aria_label="Ubah Bukti Kejadian"),
                    justify="between",
                ),
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
                width="100%",
            ),
            rx.box(
                rx.el.label(
                    rx.el.input(type="checkbox", id="confirm", name="confirm", class_name="checkbox"),
                    " Saya menyatakan bahwa laporan ini benar sepanjang pengetahuan saya, dan saya bukan pelaku "
                    "pelanggaran yang saya laporkan.",
                    html_for="confirm",
                    class_name="checkbox-label",
                ),
                field_error(S.errors, "confirm"),
            ),
            nav_buttons(3, "Kirim Laporan"),
            spacing="4",
            width="100%",
        ),
        on_submit=S.submit,
        no_validate=True,
    )


def success() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon("circle_check", size=40, color="var(--green-9)"),
            rx.heading("Laporan berhasil dikirim", as_="h2", size="6"),
            rx.text("Laporan Anda sudah tersimpan. Simpan nomor berikut untuk memantau statusnya:"),
            rx.box(
                rx.text("Nomor Registrasi", size="2", color_scheme="gray"),
                rx.code(S.submitted_number, size="6", id="registration-number"),
            ),
            rx.cond(
                S.submitted_code != "",
                rx.vstack(
                    rx.box(
                        rx.text("Kode Akses (rahasia)", size="2", color_scheme="gray"),
                        rx.code(S.submitted_code, size="6", id="access-code"),
                    ),
                    rx.callout(
                        "Kode Akses hanya ditampilkan sekali dan tidak dapat dipulihkan. Simpan di tempat aman: "
                        "dengan Nomor Registrasi dan Kode Akses Anda dapat membuka laporan, melihat hasilnya, dan "
                        "berkomunikasi dengan verifikator.",
                        icon="triangle_alert",
                        color_scheme="amber",
                    ),
                    rx.flex(
                        rx.button(
                            rx.icon("copy", size=16),
                            "Salin",
                            type="button",
                            variant="outline",
                            on_click=rx.set_clipboard(S.credentials_text),
                        ),
                        rx.button(
                            rx.icon("download", size=16),
                            "Unduh",
                            type="button",
                            variant="outline",
                            on_click=rx.download(data=S.credentials_text, filename="laporan-wbs.txt"),
                        ),
                        rx.link(rx.button("Buka Laporan dengan Kode Akses"), href=routes.ACCESS),
                        spacing="3",
                        wrap="wrap",
                    ),
                    spacing="3",
                    align="start",
                ),
                rx.link(rx.button("Lihat Riwayat Laporan"), href=routes.HISTORY),
            ),
            rx.button("Buat laporan baru", variant="ghost", on_click=S.start_new_report),
            spacing="3",
            align="start",
            role="status",
        ),
        size="4",
        width="100%",
    )


def report_wizard() -> rx.Component:
    return rx.vstack(
        page_heading("Form Pelaporan", "Sampaikan laporan selengkap mungkin. Kolom bertanda * wajib diisi."),
        rx.cond(
            S.step == 5,
            success(),
            rx.vstack(
                rx.badge(S.channel, size="2"),
                stepper(),
                rx.text(
                    f"Isian tersimpan setiap kali Anda menekan Selanjutnya, dan disimpan selama "
                    f"{get_settings().draft_hours} jam tanpa aktivitas. Laporan baru diterima setelah Kirim Laporan.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.card(
                    rx.match(
                        S.step,
                        (1, step_reporter()),
                        (2, step_details()),
                        (3, step_location()),
                        step_summary(),
                    ),
                    size="3",
                    width="100%",
                ),
                spacing="4",
                width="100%",
                custom_attrs={"data-draft": "true"},
            ),
        ),
        spacing="4",
        width="100%",
        max_width="60em",
    )


PAGE = Page(route=routes.REPORT_FORM, title="Form Pelaporan", component=report_wizard, on_load=(S.load,))
