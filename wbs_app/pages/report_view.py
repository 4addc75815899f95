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
from wbs_app.components.page import Page
from wbs_app.components.report_detail import (
    accused_table,
    evidence_list,
    message_form,
    message_thread,
    report_summary,
    timeline,
)
from wbs_app.db import open_session
from wbs_app.models import Report
from wbs_app.services import reports, submission
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.state.auth import AuthState
from wbs_app.state.report_detail import ReportDetailState, Viewer
from wbs_app.state.uploads import DraftUploads

logger = logging.getLogger("wbs.report_view")
ATTACHMENT_UPLOAD_ID = "lampiran_pesan"


class ReportViewState(ReportDetailState, DraftUploads, AuthState):
    UPLOAD_ID = ATTACHMENT_UPLOAD_ID

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
        # The owner's links follow their login; a Kode Akses holder has no login to bind them to.
        by_access_code = report.registration_number in self._granted_reports
        viewer = Viewer.reporter(session_token=self.session_token, by_access_code=by_access_code)
        self._show_report(session=db, report=report, viewer=viewer)
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


def report_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Laporan ", S.number, as_="h1", size="7"),
        rx.flex(rx.text("Status:"), rx.badge(S.status, size="3"), spacing="2", align="center"),
        report_summary(S.fields, S.description),
        accused_table(S.accused),
        evidence_list(S.files),
        rx.card(rx.heading("Perkembangan Laporan", as_="h2", size="5"), timeline(S.timeline), width="100%"),
        rx.card(
            rx.heading("Pesan", as_="h2", size="5"),
            rx.text("Percakapan ini hanya dapat dibaca oleh Anda dan verifikator.", size="2", color_scheme="gray"),
            message_thread(S.thread),
            message_form(
                S,
                label="Pesan untuk verifikator",
                upload_id=ATTACHMENT_UPLOAD_ID,
                feedback=rx.fragment(form_alert(S.message_error), form_alert(S.message_notice, color="green")),
                rows="4",
                busy=S.busy,
            ),
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
