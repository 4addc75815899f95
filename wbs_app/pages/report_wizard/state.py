"""The wizard's state: the typed draft (one var), where the reporter is, and the handlers of every step.

The draft lives in this tab's server-side state: going back keeps it, and so does a reload or a dropped
connection (the tab keeps its Reflex token). Evidence waits in a private temporary folder until the
report is committed; only its name, size and description reach the browser.

Each draft gets a random key and its Kode Akses when it is made, both kept server side only: sending it
again, or reloading after an answer that never arrived, finds the report it made instead of a second one.
The confirmation stays, through reloads, until the reporter says the number and code are saved.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import datetime as dt
import logging
import secrets
import zoneinfo

import reflex as rx

from wbs_app import language, messages, routes, validators
from wbs_app.db import open_session
from wbs_app.i18n import N_, _, term
from wbs_app.models import User
from wbs_app.services import codes, filing_receipt, mailer, receipts, reference, submission
from wbs_app.services.submission import ReportFields, Step
from wbs_app.settings import get_settings
from wbs_app.state.auth import AuthState
from wbs_app.state.off_loop import in_thread
from wbs_app.state.uploads import DraftUploads

logger = logging.getLogger("wbs.report")

# The input steps come from the service; the summary and the result follow them.
SUMMARY = len(Step) + 1
DONE = SUMMARY + 1
STEP_TITLES = {
    Step.REPORTER: N_("Pelapor"),
    Step.DETAILS: N_("Detail Kejadian"),
    Step.LOCATION: N_("Lokasi, Waktu & Bukti"),
    SUMMARY: N_("Ringkasan"),
}
UPLOAD_ID = "bukti_laporan"
# An account's two choices in step 1 (the radio values): identity kept but hidden, or no identity at all.
IDENTITY_HIDDEN = "dirahasiakan"
IDENTITY_NONE = "tanpa"

# What each step's form sends, and how much of each field is kept (the service checks the real limits).
REPORTER_INPUTS = {"reporter_name": 200, "reporter_email": 300, "reporter_phone": 40, "reporter_address": 600}
DETAILS_INPUTS = {
    "title": 300,
    "violation_type_id": 20,
    "unit_id": 20,
    "description": submission.DESCRIPTION_MAX + 100,
}
LOCATION_INPUTS = {"incident_address": 600, "regency_code": 20, "incident_at": 40}


def _blank_accused() -> submission.AccusedInput:
    return submission.AccusedInput(uid=secrets.token_hex(4))


def _local_now_input() -> str:
    now = dt.datetime.now(zoneinfo.ZoneInfo(get_settings().timezone))
    return now.strftime("%Y-%m-%dT%H:%M")


def _form_text(form: dict, name: str, max_length: int = 10_000) -> str:
    return str(form.get(name, "") or "")[:max_length]


def _read(form: dict, inputs: dict[str, int]) -> dict[str, str]:
    return {name: _form_text(form, name, max_length) for name, max_length in inputs.items()}


class ReportWizardState(DraftUploads, AuthState):
    UPLOAD_ID = UPLOAD_ID

    step: int = Step.REPORTER.value
    furthest_step: int = Step.REPORTER.value
    draft: ReportFields = rx.field(default_factory=ReportFields)
    is_member: bool = False
    member_name: str = ""
    member_email: str = ""
    # Feedback and result
    errors: dict[str, str] = {}
    form_error: str = ""
    busy: bool = False
    submitted_number: str = ""
    submitted_code: str = ""
    sent_without_identity: bool = False
    receipt_link: str = ""  # the Bukti Pelaporan PDF: a signed link, made anew on every load of the confirmation
    # Server-only: the draft's key and Kode Akses (see the module docstring), and whether it was ever sent.
    _draft_key: str = ""
    _access_code: str = ""
    _sent_once: bool = False
    # Options for the selects
    violation_type_options: list[dict[str, str]] = []
    unit_options: list[dict[str, str]] = []
    regency_options: list[dict[str, str]] = []
    max_incident_at: str = ""

    def _forget_login_data(self) -> None:
        """Another login's connection: not the account's name and email (the next load fills them for its own)."""
        self.is_member, self.member_name, self.member_email = False, "", ""

    # Loading ------------------------------------------------------------------------------------------

    @rx.event
    @in_thread
    def load(self):
        channel = routes.REPORT_FORMS.get(self.router.route_id)  # the route this page matched
        if channel is None:
            return rx.redirect(routes.REPORT)
        if self._password_change_due():
            return rx.redirect(routes.ACCOUNT)
        if self.submitted_number:
            # F5 on the confirmation shows it again, until the reporter says it is saved.
            self.step = DONE
            self.receipt_link = filing_receipt.ROUTE + filing_receipt.download_token(self.submitted_number)
            return
        self._ensure_draft_key()
        fields = self._plain_draft()
        fields.channel = channel
        fields.accused = fields.accused or [_blank_accused()]
        self.draft = fields
        user = self._current_user()
        self.is_member = user is not None
        self.member_name = user.full_name if user else ""
        self.member_email = user.email if user else ""
        self.max_incident_at = _local_now_input()
        with open_session() as db:
            self.violation_type_options = [
                {"value": str(t.id), "label": term(t.name)} for t in reference.active_violation_types(session=db)
            ]
            self.unit_options = [{"value": str(u.id), "label": u.name} for u in reference.active_units(session=db)]
        self._load_regencies()
        self._refresh_preview_links()
        if self._sent_once:
            # Sent, but no answer arrived before this reload: the report may be stored all the same.
            return ReportWizardState.find_sent_report

    def _ensure_draft_key(self) -> None:
        if not self._draft_key:
            self._draft_key = secrets.token_urlsafe(32)
            self._access_code = codes.new_access_code()

    def _load_regencies(self) -> None:
        self.regency_options = [
            {"value": code, "label": name} for code, name in reference.regencies(self.draft.province_code)
        ]

    def _reset_draft(self) -> None:
        self._forget_uploads()
        self.reset()

    def _plain_draft(self) -> ReportFields:
        """A copy of the draft without Reflex's change tracking, to change and assign back whole."""
        return copy.deepcopy(self.draft)

    def _report_draft(self) -> submission.ReportDraft:
        return submission.ReportDraft(
            fields=self._plain_draft(),
            evidence=self._pending_uploads(),
            key=self._draft_key,
            access_code=self._access_code,
        )

    # What the summary shows ----------------------------------------------------------------------------

    @staticmethod
    def _label(options: list[dict[str, str]], value: str) -> str:
        return next((option["label"] for option in options if option["value"] == value), "-")

    @rx.var
    def violation_type_label(self) -> str:
        return self._label(self.violation_type_options, self.draft.violation_type_id)

    @rx.var
    def unit_label(self) -> str:
        return self._label(self.unit_options, self.draft.unit_id)

    @rx.var
    def province_label(self) -> str:
        return dict(reference.provinces()).get(self.draft.province_code, "-")

    @rx.var
    def regency_label(self) -> str:
        return self._label(self.regency_options, self.draft.regency_code)

    @rx.var
    def incident_at_label(self) -> str:
        try:
            when = dt.datetime.fromisoformat(self.draft.incident_at)
        except ValueError:
            return "-"
        return f"{when:%d-%m-%Y} ({when:%H:%M} WIB)"

    @rx.var
    def credentials_text(self) -> str:
        if not self.submitted_code:
            return _("Nomor Registrasi: {number}").format(number=self.submitted_number) + "\n"
        return _(
            "Nomor Registrasi: {number}\nKode Akses: {code}\n"
            "Simpan Kode Akses ini dengan aman. Kode tidak dapat dipulihkan.\n"
        ).format(number=self.submitted_number, code=self.submitted_code)

    # Step 1 -------------------------------------------------------------------------------------------

    @rx.event
    def set_include_email(self, checked: bool):
        self.draft = dataclasses.replace(self._plain_draft(), include_email=bool(checked))

    @rx.event
    def save_reporter(self, form: dict):
        if self.is_member:
            without_identity = _form_text(form, "identity", 20) == IDENTITY_NONE
            self.draft = dataclasses.replace(self._plain_draft(), hide_identity=without_identity)
        else:
            typed = _read(form, REPORTER_INPUTS)
            if not self.draft.include_email:
                typed["reporter_email"] = ""
            self.draft = dataclasses.replace(self._plain_draft(), **typed)
        self._leave(Step.REPORTER)

    # Step 2 -------------------------------------------------------------------------------------------

    @rx.event
    def add_accused(self):
        fields = self._plain_draft()
        if len(fields.accused) >= submission.MAX_ACCUSED:
            self.errors = {"accused": messages.ACCUSED_TOO_MANY.format(max=submission.MAX_ACCUSED)}
            return
        fields.accused.append(_blank_accused())
        self.draft = fields
        self.errors = {k: v for k, v in self.errors.items() if k != "accused"}

    @rx.event
    def remove_accused(self, uid: str):
        fields = self._plain_draft()
        if len(fields.accused) > 1:
            fields.accused = [row for row in fields.accused if row.uid != uid]
            self.draft = fields

    @rx.event
    def save_details(self, form: dict):
        accused = [
            submission.AccusedInput(
                uid=row.uid,
                **{field: _form_text(form, f"accused_{field}_{row.uid}", 300) for field in submission.ACCUSED_FIELDS},
            )
            for row in self._plain_draft().accused
        ]
        self.draft = dataclasses.replace(self._plain_draft(), **_read(form, DETAILS_INPUTS), accused=accused)
        self._leave(Step.DETAILS)

    # Step 3 -------------------------------------------------------------------------------------------

    @rx.event
    def choose_province(self, code: str):
        province = code if code in dict(reference.provinces()) else ""
        self.draft = dataclasses.replace(self._plain_draft(), province_code=province, regency_code="")
        self._load_regencies()

    def _may_upload(self, handler: str) -> bool:
        return not self.submitted_number

    @rx.event
    def save_location(self, form: dict):
        self.draft = dataclasses.replace(self._plain_draft(), **_read(form, LOCATION_INPUTS))
        self.uploaded = [
            {**item, "description": _form_text(form, f"evidence_{item['file_id']}", 300)} for item in self.uploaded
        ]
        self._leave(Step.LOCATION)

    # Navigation ---------------------------------------------------------------------------------------

    def _leave(self, step: Step) -> None:
        """Check the step just saved; go on to the next one only when nothing in it is wrong."""
        # The types and units this page offered (the submission checks them again in the database).
        choices = submission.Choices(
            type_ids=frozenset(int(option["value"]) for option in self.violation_type_options),
            unit_ids=frozenset(int(option["value"]) for option in self.unit_options),
        )
        errors = submission.validate_step(step, choices=choices, draft=self._report_draft(), logged_in=self.is_member)
        self.errors = errors
        self.form_error = messages.FORM_HAS_ERRORS if errors else ""
        if not errors:
            self._show(step + 1)

    def _show(self, step: int) -> None:
        self.step = int(step)
        self.furthest_step = max(self.furthest_step, self.step)
        self._refresh_preview_links()

    @rx.event
    def go_to_step(self, step: int):
        if isinstance(step, int) and 1 <= step <= min(self.furthest_step, SUMMARY) and not self.submitted_number:
            self.step = step
            self.errors = {}
            self.form_error = ""
            self._refresh_preview_links()

    # Submit -------------------------------------------------------------------------------------------

    @rx.event(background=True)
    async def submit(self, form: dict):
        async with self:
            if self.busy or self.submitted_number:
                return
            if not validators.is_checked(form.get("confirm")):
                self.errors = {"confirm": messages.CONFIRMATION_REQUIRED}
                self.form_error = messages.FORM_HAS_ERRORS
                return
            user = await asyncio.to_thread(self._session_user)
            if user is not None and user.must_change_password:
                self.form_error = messages.PASSWORD_CHANGE_REQUIRED
                return rx.redirect(routes.ACCOUNT)
            if self.is_member and user is None:
                self.form_error = messages.SESSION_REQUIRED
                return
            self._ensure_draft_key()
            draft = self._report_draft()
            lang = language.current()  # the report's language, and that of its confirmation email
            self._sent_once = True
            self.busy = True
            self.errors = {}
            self.form_error = ""
        result, invalid, failure = await asyncio.to_thread(_submit, draft, user, lang)
        async with self:
            if self._draft_key != draft.key:
                return  # this tab has moved on to another draft meanwhile
            self.busy = False
            if invalid is not None:
                # The service says which step holds the first field to fix.
                self.errors = invalid.errors
                self.form_error = messages.FORM_HAS_ERRORS
                self._show(invalid.step)
                return
            if failure:
                self.form_error = failure
                return
            # Only now, after the commit, is the reporter told the report exists.
            self._show_sent(result)
        if result.notify_email:
            await asyncio.to_thread(_send_confirmation, result, lang)

    @rx.event(background=True)
    async def find_sent_report(self):
        """After a reload that followed Kirim Laporan: the report this draft made, if it is stored."""
        async with self:
            if self.submitted_number or not self._sent_once:
                return
            key, code = self._draft_key, self._access_code
        result = await asyncio.to_thread(_sent_before, key, code)
        async with self:
            if result is not None and self._draft_key == key and not self.submitted_number:
                self.busy = False
                self._show_sent(result)

    def _show_sent(self, result: receipts.SubmittedReport) -> None:
        self.submitted_number = result.registration_number
        self.submitted_code = result.access_code or ""
        self.receipt_link = filing_receipt.ROUTE + filing_receipt.download_token(result.registration_number)
        self.sent_without_identity = self.is_member and self.draft.hide_identity
        self.step = DONE
        self.errors = {}
        self.form_error = ""
        # The report is stored: this tab keeps only what the confirmation shows.
        self.draft = ReportFields()
        self._forget_uploads()

    @rx.event
    def start_new_report(self, form: dict):
        if self.submitted_number and not validators.is_checked(form.get("saved")):
            self.errors = {"saved": messages.SAVED_CONFIRMATION_REQUIRED}
            return
        self._reset_draft()
        return rx.redirect(routes.REPORT)


def _submit(
    draft: submission.ReportDraft, user: User | None, lang: str
) -> tuple[receipts.SubmittedReport | None, submission.DraftInvalid | None, str]:
    with language.use(lang), open_session() as db:
        try:
            return submission.submit_report(session=db, draft=draft, user=user), None, ""
        except submission.DraftInvalid as invalid:
            return None, invalid, ""
        except submission.SubmissionFailed as failed:
            logger.exception("report submission failed")
            return None, None, str(failed)


def _sent_before(key: str, access_code: str) -> receipts.SubmittedReport | None:
    with open_session() as db:
        return receipts.sent_before(session=db, draft_key=key, access_code=access_code)


def _send_confirmation(result: receipts.SubmittedReport, lang: str) -> None:
    try:
        with language.use(lang):
            email = receipts.confirmation_email(to=result.notify_email, registration_number=result.registration_number)
        mailer.send_email(**email)
    except Exception:  # noqa: BLE001 - the report is stored; the email is a courtesy
        logger.exception("confirmation email for %s failed", result.registration_number)
