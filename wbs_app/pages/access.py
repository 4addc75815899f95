"""Akses: open a report sent without an account, with its Nomor Registrasi and Kode Akses."""

from __future__ import annotations

import asyncio

import reflex as rx

from wbs_app import messages, routes
from wbs_app.components.forms import form_alert, text_field
from wbs_app.components.layout import column, page_heading
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.services import grants, reports, tracking
from wbs_app.services.ratelimit import access_limiter, client_of
from wbs_app.state.auth import AuthState

FAILURE_DELAY_SECONDS = 1.0
# What /akses?sesi=… says (catalogue ids, translated when shown). It names no report, so a forged address reveals
# nothing.
GRANT_END_NOTICES = {
    grants.GrantEnd.EXPIRED: N_(
        "Sesi laporan berakhir karena tidak ada aktivitas, atau karena halaman dimuat ulang; masukkan Nomor "
        "Registrasi dan Kode Akses lagi."
    ),
    grants.GrantEnd.CLOSED: N_(
        "Halaman laporan sudah ditutup. Untuk membukanya lagi, masukkan Nomor Registrasi dan Kode Akses."
    ),
}


def _check(number: str, code: str) -> str | None:
    with open_session() as db:
        return reports.check_access_code(session=db, registration_number=number, access_code=code)


class AccessState(AuthState):
    error: str = ""
    notice: str = ""
    busy: bool = False

    @rx.event
    def load(self):
        self.error = ""
        notice = GRANT_END_NOTICES.get(str(self.router.page.params.get("sesi", "")), "")
        self.notice = _(notice) if notice else ""

    @rx.event(background=True)
    async def open_report(self, form: dict):
        number = str(form.get("registration_number", ""))[:40]
        code = str(form.get("access_code", ""))[:60]
        async with self:
            if self.busy:
                return
            client = client_of(self.router)
            # Per report number too: guesses on one number from many addresses slow down, never refuse.
            verdict = access_limiter.check(client, target=tracking.normalize_registration_number(number))
            if not verdict.allowed:
                self.error = messages.ACCESS_RATE_LIMITED
                return
            self.busy = True
            self.error = self.notice = ""
        await asyncio.sleep(verdict.delay)
        granted = await asyncio.to_thread(_check, number, code)
        if granted is None:
            await asyncio.sleep(FAILURE_DELAY_SECONDS)
        async with self:
            self.busy = False
            if granted is None:
                self.error = messages.ACCESS_FAILED
                return
            # Valid on this websocket connection only: a tab token read from a log opens nothing.
            self._access_grants = grants.opened(
                self._access_grants, granted, connection_id=self.router.session.session_id
            )
        return rx.redirect(routes.report_view(granted))


def access() -> rx.Component:
    return rx.center(
        rx.card(
            page_heading(tr("Buka Laporan"), tr("Untuk laporan yang dikirim tanpa akun.")),
            form_alert(AccessState.notice, color="blue"),
            form_alert(AccessState.error),
            rx.form(
                column(
                    text_field(
                        tr("Nomor Registrasi"), "registration_number", None, placeholder="WBS-XXXXXXXXXX", max_length=40
                    ),
                    text_field(
                        tr("Kode Akses"),
                        "access_code",
                        None,
                        type="password",
                        placeholder="XXXXX-XXXXX-XXXXX-XXXXX",
                        max_length=60,
                    ),
                    rx.button(tr("Buka Laporan"), type="submit", size="3", width="100%", loading=AccessState.busy),
                    spacing="3",
                ),
                on_submit=AccessState.open_report,
                no_validate=True,
            ),
            rx.text(
                # Sentence parts around the two links.
                tr("Punya akun?"),
                " ",
                rx.link(tr("Masuk"), href=routes.LOGIN),
                " ",
                tr("lalu buka Riwayat Laporan. Hanya ingin melihat status?"),
                " ",
                rx.link(tr("Lacak Laporan"), href=routes.TRACK),
                ".",
                size="2",
                margin_top="1em",
            ),
            size="4",
            width="100%",
            max_width="30em",
        ),
        width="100%",
    )


PAGE = Page(route=routes.ACCESS, title=N_("Buka Laporan"), component=access, on_load=(AccessState.load,))
