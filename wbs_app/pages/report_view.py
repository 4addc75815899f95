"""Laporan: the report page for its owner or a Kode Akses holder — fields, evidence, timeline, messages.

Anyone else gets "not found", whatever the number: whether a number exists is not revealed here. A Kode Akses
holder reads it only on the connection the code was entered on and until the grant idles out (services/grants);
then this tab is sent to /akses to enter the code again, and "Tutup Laporan" ends the grant at once.
"""

from __future__ import annotations

import asyncio
import builtins
import dataclasses
import logging

import reflex as rx
from reflex.state import _override_base_method

from wbs_app import messages, routes
from wbs_app.components.forms import cleared, form_alert
from wbs_app.components.layout import column, page_heading
from wbs_app.components.page import Page
from wbs_app.components.report_detail import (
    accused_table,
    evidence_list,
    message_form,
    message_thread,
    purged_notice,
    report_summary,
    timeline,
)
from wbs_app.components.retaliation import retaliation_card
from wbs_app.components.status_badge import status_badge
from wbs_app.components.text import tr
from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.models import Report
from wbs_app.services import grants, reports, retaliation, submission
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.state.auth import AuthState
from wbs_app.state.off_loop import in_thread
from wbs_app.state.report_detail import ReportDetailState, Viewer
from wbs_app.state.uploads import DraftUploads

logger = logging.getLogger("wbs.report_view")
ATTACHMENT_UPLOAD_ID = "lampiran_pesan"


@dataclasses.dataclass(frozen=True)
class ReportAccess:
    report: Report | None  # None: not found for this reader
    by_access_code: bool = False  # read through this tab's Kode Akses grant, not as its logged-in owner
    grant_ended: bool = False  # this tab's grant for the report ended on this event (idle, or another connection)


def access_page(reason: grants.GrantEnd) -> str:
    return f"{routes.ACCESS}?sesi={reason}"


class ReportViewState(ReportDetailState, DraftUploads, AuthState):
    UPLOAD_ID = ATTACHMENT_UPLOAD_ID

    message_error: str = ""
    message_notice: str = ""
    busy: bool = False
    opened_with_code: bool = False  # shows "Tutup Laporan"
    checkin: retaliation.CheckInView = retaliation.CheckInView()  # "Apakah Anda mengalami pembalasan?"
    checkin_error: str = ""
    checkin_notice: str = ""
    _shown_on: str = ""  # the connection (socket id) the report vars were filled on

    # Reflex sends the whole state (`dict()`) to whatever connects with this tab's token, before any handler
    # runs: a token read from a log would receive the last report shown. So a new connection first forgets
    # it; its own load fills it again if it may. (Marked so Reflex does not make `dict` an event handler.)
    @_override_base_method
    def dict(self, include_computed: bool = True, initial: bool = False, **kwargs) -> builtins.dict:
        if self._shown_on and self._shown_on != self.router.session.session_id:
            self._forget_uploads()
            self.reset()
        return super().dict(include_computed=include_computed, initial=initial, **kwargs)

    def _page_number(self) -> str:
        return str(self.router.page.params.get("nomor", ""))

    def _check_access(self, db, *, remove_ended: bool = True) -> ReportAccess:
        """Checked on every event: the logged-in owner, or this tab's Kode Akses grant for this connection.

        Using the grant counts as activity; a grant that ended is removed (services/grants), unless the caller
        cannot tell the reporter (an upload handler): then the next page event finds it and says so.
        """
        user = self._current_user()
        number = self._page_number()
        use = grants.use(self._access_grants, number, connection_id=self.router.session.session_id)
        if remove_ended or not use.ended:
            self._access_grants = use.grants
        report = reports.report_for_reporter(
            session=db, registration_number=number, user_id=user.id if user else None, granted=use.readable
        )
        owner = report is not None and user is not None and report.reporter_id == user.id
        return ReportAccess(report=report, by_access_code=report is not None and not owner, grant_ended=use.ended)

    def _refuse(self, access: ReportAccess):
        """Show nothing of the report; a reporter whose grant just ended is asked for the Kode Akses again
        (only this tab ever held that grant, so this reveals nothing about the number to anyone else)."""
        self._forget_uploads()
        self.reset()
        self.checked = True
        if access.grant_ended:
            return rx.redirect(access_page(grants.GrantEnd.EXPIRED))
        return None

    @rx.event
    @in_thread
    def load(self):
        self.message_error = self.message_notice = self.checkin_error = self.checkin_notice = ""
        if self._password_change_due():
            # The owner check below already refuses such a user; send them where the password is replaced.
            self.reset()
            return rx.redirect(routes.ACCOUNT)
        with open_session() as db:
            access = self._check_access(db)
            if access.report is None:
                return self._refuse(access)
            self._fill(db, access)
        self.checked = True

    @rx.event
    def close_report(self):
        """The "Tutup Laporan" button: this tab forgets the Kode Akses grant; the report needs the code again."""
        self._access_grants = grants.without(self._access_grants, self._page_number())
        self._forget_uploads()
        self.reset()
        return rx.redirect(access_page(grants.GrantEnd.CLOSED))

    def _fill(self, db, access: ReportAccess) -> None:
        # The owner's links follow their login; a Kode Akses holder has no login to bind them to.
        viewer = Viewer.reporter(session_token=self._session_token(), by_access_code=access.by_access_code)
        self._show_report(session=db, report=access.report, viewer=viewer)
        self.opened_with_code = access.by_access_code
        self.checkin = retaliation.view_for_reporter(session=db, report=access.report)
        self._shown_on = self.router.session.session_id
        reports.mark_read_by_reporter(session=db, report_id=access.report.id)

    def _may_upload(self, handler: str) -> bool:
        with open_session() as db:
            return self._check_access(db, remove_ended=False).report is not None

    def _access(self):
        """Blocking (run in a thread by the async handlers): who may see this page's report, checked again."""
        with open_session() as db:
            return self._check_access(db)

    def _reread(self) -> None:
        """Blocking: the page again after a change of the reporter's (a message, an answer)."""
        with open_session() as db:
            access = self._check_access(db)
            if access.report is not None:
                self._fill(db, access)

    @rx.event(background=True)
    async def send_message(self, form: dict):
        body = str(form.get("message", ""))[: reports.MESSAGE_MAX + 100]
        async with self:
            if self.busy:
                return
            access = await asyncio.to_thread(self._access)
            if access.report is None:
                # Nothing is sent.
                return self._refuse(access)
            report_id = access.report.id
            user = await asyncio.to_thread(self._current_user)
            granted = {access.report.registration_number} if access.by_access_code else set()
            reader = {"user_id": user.id if user else None, "granted": granted}
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
            await asyncio.to_thread(self._reread)
        return cleared("message")  # only once sent: a refused message keeps its text

    @rx.event(background=True)
    async def answer_retaliation(self, form: dict):
        """The reporter's answer after closure; a "yes" opens a protection case (services/retaliation)."""
        choice = str(form.get("retaliation", ""))
        description = str(form.get("retaliation_description", ""))[: retaliation.DESCRIPTION_MAX + 100]
        async with self:
            if self.busy:
                return
            self.checkin_error = self.checkin_notice = ""
            access = await asyncio.to_thread(self._access)
            if access.report is None:
                return self._refuse(access)
            if choice not in ("ya", "tidak"):
                self.checkin_error = messages.RETALIATION_CHOICE_REQUIRED
                return
            user = await asyncio.to_thread(self._current_user)
            granted = {access.report.registration_number} if access.by_access_code else set()
            reader = {"user_id": user.id if user else None, "granted": granted}
            report_id = access.report.id
            self.busy = True
        error = await asyncio.to_thread(_check_in, report_id, reader, choice == "ya", description)
        async with self:
            self.busy = False
            if error:
                self.checkin_error = error
                return
            # A "yes" is confirmed by the card itself (received, and by when it is handled).
            self.checkin_notice = _("Jawaban Anda sudah kami terima.") if choice == "tidak" else ""
            await asyncio.to_thread(self._reread)


def _check_in(report_id: int, reader: dict, answer: bool, description: str) -> str:
    with open_session() as db:
        try:
            retaliation.check_in(
                session=db, report=db.get(Report, report_id), **reader, retaliation=answer, description=description
            )
        except ValidationFailed as invalid:
            return next(iter(invalid.errors.values()))
        except Refused as refused:
            return str(refused)
    return ""


def _post(report_id: int, reader: dict, body: str, attachments: list[submission.EvidenceInput]) -> str:
    with open_session() as db:
        report = db.get(Report, report_id)
        try:
            reports.post_reporter_message(session=db, report=report, **reader, body=body, attachments=attachments)
        except ValidationFailed as invalid:
            return next(iter(invalid.errors.values()))
        except Refused as refused:
            return str(refused)
        except submission.SubmissionFailed as failed:
            logger.exception("message for report %s failed", report_id)
            return str(failed)
    return ""


# Components -------------------------------------------------------------------------------------------

S = ReportViewState


def close_button() -> rx.Component:
    """For a Kode Akses holder: end the grant now, e.g. before leaving a shared computer."""
    return rx.cond(
        S.opened_with_code,
        rx.button(tr("Tutup Laporan"), on_click=S.close_report, variant="outline", color_scheme="gray"),
    )


def report_page() -> rx.Component:
    return column(
        rx.flex(
            rx.heading(tr("Laporan"), " ", rx.el.span(S.number, class_name="nowrap"), as_="h1", size="7"),
            close_button(),
            justify="between",
            align="center",
            wrap="wrap",
            gap="3",
            width="100%",
        ),
        rx.flex(rx.text(tr("Status:")), status_badge(S.status, size="3"), spacing="2", align="center"),
        purged_notice(S.purged),
        report_summary(S.fields, S.description),
        rx.cond(S.purged == "", rx.fragment(accused_table(S.accused), evidence_list(S.files))),
        rx.card(rx.heading(tr("Perkembangan Laporan"), as_="h2", size="5"), timeline(S.timeline), width="100%"),
        retaliation_card(S),
        rx.cond(S.purged == "", messages_card()),
        max_width="60em",
    )


def messages_card() -> rx.Component:
    return rx.card(
        rx.heading(tr("Pesan"), as_="h2", size="5"),
        rx.text(tr("Percakapan ini hanya dapat dibaca oleh Anda dan verifikator."), size="2", color_scheme="gray"),
        message_thread(S.thread),
        message_form(
            S,
            label=N_("Pesan untuk verifikator"),
            upload_id=ATTACHMENT_UPLOAD_ID,
            feedback=rx.fragment(form_alert(S.message_error), form_alert(S.message_notice, color="green")),
            rows="4",
            busy=S.busy,
        ),
        width="100%",
    )


def not_found() -> rx.Component:
    return rx.vstack(
        page_heading(tr(messages.REPORT_NOT_FOUND)),  # the catalogue id: pages are compiled in Bahasa Indonesia
        rx.text(
            # Sentence parts around the two links.
            tr("Laporan ini tidak ada, atau Anda tidak berhak membukanya. Laporan tanpa akun dibuka dengan"),
            " ",
            rx.link(tr("Nomor Registrasi dan Kode Akses"), href=routes.ACCESS),
            tr("; laporan dari akun Anda ada di"),
            " ",
            rx.link(tr("Riwayat Laporan"), href=routes.HISTORY),
            ".",
        ),
        spacing="3",
    )


def report_view() -> rx.Component:
    return rx.cond(S.found, report_page(), rx.cond(S.checked, not_found(), rx.text(tr("Memuat…"))))


PAGE = Page(route=routes.REPORT_VIEW, title=N_("Laporan"), component=report_view, on_load=(S.load,))
