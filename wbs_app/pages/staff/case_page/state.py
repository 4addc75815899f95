"""The case page's state: every handler checks the staff role (`@staff_event`) and reopens the case through
cases.open_case, which applies the conflict-of-interest rule and audits the opening."""

from __future__ import annotations

import asyncio
import logging

from wbs_app import i18n, language, messages
from wbs_app.components.forms import cleared
from wbs_app.db import open_session
from wbs_app.i18n import _
from wbs_app.localtime import format_local
from wbs_app.models import Report, User
from wbs_app.services import audit, cases, mailer, policy, reports, staff_inbox, submission, two_factor
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.state.report_detail import FieldRow, ReportDetailState, Viewer
from wbs_app.state.staff import StaffState, staff_event
from wbs_app.state.uploads import DraftUploads

logger = logging.getLogger("wbs.case")
UPLOAD_ID = "lampiran_verifikator"
# Who did what in a case's history when no staff member did (services/audit.report_history).


def _notify_reporter(report_id: int) -> None:
    """A short email without content, when the reporter left an address: in their account's language, or else the
    language the report was sent in."""
    with open_session() as db:
        report = db.get(Report, report_id)
        address = reports.update_address(session=db, report=report) if report else ""
        number = report.registration_number if report else ""
        account = db.get(User, report.reporter_id) if report and report.reporter_id else None
        lang = account.language if account else (report.language if report else language.DEFAULT)
    if not address:
        return
    try:
        with language.use(lang):
            email = cases.notification_email(to=address, registration_number=number)
        mailer.send_email(**email)
    except Exception:  # noqa: BLE001 - the change is stored; the email is a courtesy
        logger.exception("notification for %s failed", number)


class CaseState(ReportDetailState, DraftUploads, StaffState):
    UPLOAD_ID = UPLOAD_ID

    assignee: str = "-"
    history: list[dict[str, str]] = []
    next_statuses: list[str] = []
    status_options: list[dict[str, str]] = []  # next_statuses with their names in the page's language
    staff_options: list[dict[str, str]] = []
    has_identity: bool = False
    deadline: str = ""  # "Tenggat tanggapan awal: 09-03-2026 (…)", by the report's channel; empty once closed
    deadline_overdue: bool = False
    identity: dict[str, str] = {}  # label (in the page's language) → what the reporter gave
    _revealed_name: str = ""
    errors: dict[str, str] = {}
    notice: str = ""
    error: str = ""

    def _report(self, db, user: User) -> Report | None:
        number = str(self.router.page.params.get("nomor", ""))
        return cases.open_case(session=db, number=number, user=user, client_ip=self._client_ip())

    def _fill(self, db, report: Report, user: User) -> None:
        assignee = db.get(User, report.assigned_to_id) if report.assigned_to_id else None
        self._show_report(session=db, report=report, viewer=Viewer.verifier(session_token=self._session_token()))
        self.assignee = assignee.full_name if assignee else "-"
        cases.mark_read_by_staff(session=db, report_id=report.id)
        staff_inbox.mark_read(session=db, user=user, report_id=report.id)  # no longer "Baru" in their list
        # The details of a purged report's history held its content (notes, messages): the actions remain.
        purged = report.purged_at is not None
        self.history = [
            {
                "when": format_local(row.when),
                # audit.report_history names actors and actions in the current language already.
                "actor": row.actor,
                "action": row.action,
                "detail": "" if purged else row.detail,
            }
            for row in audit.report_history(session=db, report_id=report.id)
        ]
        self.next_statuses = policy.allowed_next_statuses(report, user)
        self.status_options = [{"value": status, "label": i18n.term(status)} for status in self.next_statuses]
        self.staff_options = [{"value": str(u.id), "label": u.full_name} for u in cases.staff_members(session=db)]
        self.has_identity = cases.has_identity(report)
        self.deadline, self.deadline_overdue = cases.deadline_text(session=db, report=report)
        self._show_revealed_reporter()

    def _show_revealed_reporter(self) -> None:
        """Once revealed, the details say who reported too (not "Dirahasiakan" beside the identity panel)."""
        if not self.identity:
            return
        name = self._revealed_name
        shown = (
            _("{name} (identitas dibuka)").format(name=name)
            if name != "-"
            else _("Identitas dibuka (lihat Identitas Pelapor)")
        )
        reporter = {"Pelapor", _("Pelapor")}  # the label of the reporter's row, in either language
        self.fields = [FieldRow(row.label, shown) if row.label in reporter else row for row in self.fields]

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
        self.identity, self._revealed_name = {}, ""
        self._clear_feedback()
        self._reload(user)

    def _clear_feedback(self) -> None:
        self.errors = {}
        self.notice = self.error = ""

    def _on_case(self, user: User, act, *, field: str = "") -> tuple[int, object] | None:
        """Run one action on this page's case, then reload it; (report id, the action's result) when done.

        A refusal is shown beside `field` when given, else beside the form fields it names or as the page alert.
        """
        self._clear_feedback()
        with open_session() as db:
            report = self._report(db, user)
            if report is None:
                return None
            try:
                result = act(db, report)
            except ValidationFailed as invalid:
                self.errors = {field: next(iter(invalid.errors.values()))} if field else invalid.errors
                return None
            except (Refused, submission.SubmissionFailed) as refused:
                if field:
                    self.errors = {field: str(refused)}
                else:
                    self.error = str(refused)
                return None
            report_id = report.id
        self._reload(user)
        return report_id, result

    @staff_event(background=True)
    async def change_status(self, user: User, form: dict):
        async with self:
            done = await asyncio.to_thread(
                self._on_case,
                user,
                lambda db, report: cases.change_status(
                    session=db,
                    report=report,
                    actor=user,
                    new_status=str(form.get("new_status", ""))[:40],
                    public_note=str(form.get("public_note", ""))[:6000],
                    internal_note=str(form.get("internal_note", ""))[:6000],
                    client_ip=self._client_ip(),
                ),
            )
            if done:
                self.notice = messages.ACTION_DONE
        if done:
            await asyncio.to_thread(_notify_reporter, done[0])
            return cleared("public_note", "internal_note")  # only once done: a refused change keeps both notes

    @staff_event
    def add_note(self, user: User, form: dict):
        note = str(form.get("note", ""))[:6000]
        act = lambda db, report: cases.add_internal_note(  # noqa: E731
            session=db, report=report, actor=user, note=note, client_ip=self._client_ip()
        )
        if self._on_case(user, act, field="note"):
            self.notice = messages.ACTION_DONE
            return cleared("note")

    @staff_event
    def assign(self, user: User, form: dict):
        verifier_id = str(form.get("verifier_id", ""))
        if not verifier_id.isdigit():
            self._clear_feedback()
            self.errors = {"verifier_id": messages.ASSIGNEE_INVALID}
            return
        act = lambda db, report: cases.assign(  # noqa: E731
            session=db, report=report, actor=user, verifier_id=int(verifier_id), client_ip=self._client_ip()
        )
        if self._on_case(user, act, field="verifier_id"):
            self.notice = messages.ACTION_DONE

    @staff_event
    def reveal_identity(self, user: User, form: dict):
        reason = str(form.get("reason", ""))[:2000]
        code = two_factor.code_from(form)
        act = lambda db, report: cases.reveal_identity(  # noqa: E731
            session=db,
            report=report,
            actor=user,
            reason=reason,
            second_factor_code=code,
            client_ip=self._client_ip(),
        )
        if done := self._on_case(user, act):
            person = done[1]
            self._revealed_name = person.name or "-"
            self.identity = {
                _("Nama"): person.name or "-",
                _("Email"): person.email or "-",
                _("Telepon"): person.phone or "-",
                _("Alamat"): person.address or "-",
                _("Akun"): person.account or _("Tanpa akun"),
            }
            self._show_revealed_reporter()

    def _forget_page(self) -> None:
        self._forget_uploads()  # attachments waiting to be sent go with the rest of the page
        super()._forget_page()

    def _may_upload(self, handler: str) -> bool:
        return self._checked_user(handler, admin=False) is not None

    @staff_event(background=True)
    async def send_message(self, user: User, form: dict):
        async with self:
            pending = self._pending_uploads()
            done = await asyncio.to_thread(
                self._on_case,
                user,
                lambda db, report: cases.post_staff_message(
                    session=db,
                    report=report,
                    actor=user,
                    body=str(form.get("message", ""))[: reports.MESSAGE_MAX + 100],
                    attachments=pending,
                    client_ip=self._client_ip(),
                ),
                field="message",
            )
            if done:
                self._forget_uploads()
                self.notice = messages.MESSAGE_SENT
        if done:
            await asyncio.to_thread(_notify_reporter, done[0])
            return cleared("message")
