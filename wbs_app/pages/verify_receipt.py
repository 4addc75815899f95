"""Verifikasi Bukti Pelaporan: is a Bukti Pelaporan genuine? Upload its PDF, or type its number and Kode Bukti.

Anyone may check (an employer, a lawyer, the reporter); the answer says only whether the receipt is genuine and, if
so, what it says. Limited per browser address (WBS_RECEIPT_CHECKS_*).
"""

from __future__ import annotations

import asyncio

import reflex as rx

from wbs_app import language, messages, routes
from wbs_app.components.forms import form_alert, text_field
from wbs_app.components.layout import column, page_heading
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.db import open_session
from wbs_app.i18n import N_, _, term
from wbs_app.services import filing_receipt
from wbs_app.services.ratelimit import client_of, receipt_check_limiter

UPLOAD_ID = "bukti_pelaporan_pdf"
GENUINE = N_("Bukti pelaporan SAH: diterbitkan oleh WBS ini dan tidak diubah.")


def _typed(number: str, code: str) -> filing_receipt.Verdict:
    with open_session() as db:
        return filing_receipt.check_typed(session=db, registration_number=number, code=code)


class VerifyReceiptState(rx.State):
    checked: bool = False
    valid: bool = False
    message: str = ""
    number: str = ""
    received: str = ""
    channel: str = ""
    busy: bool = False

    async def _begin(self) -> float | None:
        """Count one check for this browser; None when it is over its limit (the page says so)."""
        async with self:
            if self.busy:
                return None
            self.checked = self.valid = False
            self.number = self.received = self.channel = ""
            verdict = receipt_check_limiter.check(client_of(self.router))
            if not verdict.allowed:
                self.message = messages.RECEIPT_CHECK_RATE_LIMITED
                return None
            self.message = ""
            self.busy = True
        return verdict.delay

    async def _show(self, verdict: filing_receipt.Verdict | None, problem: str = "") -> None:
        async with self:
            self.busy = False
            self.checked = verdict is not None
            self.valid = bool(verdict and verdict.valid)
            self.message = problem or (_(GENUINE) if self.valid else messages.RECEIPT_INVALID)
            if verdict is not None and verdict.receipt is not None:
                self.number = verdict.receipt.registration_number
                self.received = verdict.receipt.received
                self.channel = term(verdict.receipt.channel)

    @rx.event(background=True)
    async def check_code(self, form: dict):
        number = str(form.get("registration_number", ""))[:40]
        code = str(form.get("receipt_code", ""))[:60]
        with language.use(language.current()):  # the browser's language, for the whole check
            delay = await self._begin()
            if delay is None:
                return
            await asyncio.sleep(delay)
            await self._show(await asyncio.to_thread(_typed, number, code))

    @rx.event(background=True)
    async def check_pdf(self, chunks: rx.UploadChunkIterator):
        """The uploaded PDF, kept in memory up to its limit (the rest is read and dropped), read off the event loop."""
        with language.use(language.current()):
            await self._check_pdf(chunks)

    async def _check_pdf(self, chunks: rx.UploadChunkIterator) -> None:
        delay = await self._begin()
        received, too_large = bytearray(), False
        async for chunk in chunks:
            if len(received) + len(chunk.data) > filing_receipt.MAX_PDF_BYTES:
                too_large = True
            elif not too_large:
                received += chunk.data
        if delay is None:
            return
        await asyncio.sleep(delay)
        unreadable = messages.RECEIPT_UNREADABLE.format(max_kb=filing_receipt.MAX_PDF_BYTES // 1024)
        if too_large:
            await self._show(None, unreadable)
            return
        try:
            verdict = await asyncio.to_thread(filing_receipt.check_pdf, bytes(received))
        except filing_receipt.Unreadable:
            await self._show(None, unreadable)
            return
        await self._show(verdict)


S = VerifyReceiptState


def result() -> rx.Component:
    return rx.cond(
        S.checked,
        rx.callout(
            rx.vstack(
                rx.text(S.message, weight="bold"),
                rx.cond(
                    S.valid,
                    rx.data_list.root(
                        rx.data_list.item(rx.data_list.label(tr("Nomor Registrasi")), rx.data_list.value(S.number)),
                        rx.data_list.item(rx.data_list.label(tr("Diterima")), rx.data_list.value(S.received)),
                        rx.data_list.item(rx.data_list.label(tr("Saluran")), rx.data_list.value(S.channel)),
                    ),
                ),
                spacing="2",
            ),
            icon=rx.cond(S.valid, "circle_check", "circle_x"),
            color_scheme=rx.cond(S.valid, "green", "red"),
            role="status",
            id="receipt-verdict",
            width="100%",
        ),
        form_alert(S.message),
    )


def verify_receipt() -> rx.Component:
    return column(
        page_heading(
            tr("Verifikasi Bukti Pelaporan"),
            tr("Periksa apakah sebuah Bukti Pelaporan benar diterbitkan oleh WBS ini dan tidak diubah."),
        ),
        result(),
        rx.card(
            rx.heading(tr("Unggah berkas PDF"), as_="h2", size="4"),
            rx.upload(
                rx.vstack(
                    rx.text(tr("Seret & lepas Bukti Pelaporan (PDF) ke sini, atau pilih berkasnya:"), size="2"),
                    rx.button(tr("Pilih Berkas PDF"), type="button", variant="outline", loading=S.busy),
                    align="center",
                    spacing="2",
                ),
                id=UPLOAD_ID,
                multiple=False,
                accept={"application/pdf": [".pdf"]},
                on_drop=S.check_pdf(rx.upload_files_chunk(upload_id=UPLOAD_ID)),
                class_name="upload-box",
                border="2px dashed var(--gray-7)",
                padding="1.5em",
                border_radius="8px",
                width="100%",
            ),
            width="100%",
        ),
        rx.card(
            rx.heading(tr("Atau ketik kodenya"), as_="h2", size="4"),
            rx.form(
                column(
                    text_field(
                        tr("Nomor Registrasi"), "registration_number", None, placeholder="WBS-XXXXXXXXXX", max_length=40
                    ),
                    text_field(
                        tr("Kode Bukti"), "receipt_code", None, placeholder="XXXX-XXXX-XXXX-XXXX-XXXX", max_length=60
                    ),
                    rx.button(tr("Periksa"), type="submit", loading=S.busy),
                    spacing="3",
                ),
                on_submit=S.check_code,
                no_validate=True,
            ),
            width="100%",
        ),
        rx.text(
            tr("Bukti Pelaporan tidak memuat identitas pelapor maupun Kode Akses."),
            " ",
            rx.link(tr("Status laporan dapat dilihat di halaman Lacak Laporan."), href=routes.TRACK),
            size="2",
            color_scheme="gray",
        ),
        max_width="40em",
    )


PAGE = Page(route=routes.VERIFY_RECEIPT, title=N_("Verifikasi Bukti Pelaporan"), component=verify_receipt)
