"""Aktivasi: the emailed link activates the account once; a new link can be requested by email."""

from __future__ import annotations

import asyncio
import logging

import reflex as rx

from wbs_app import messages, routes
from wbs_app.components.forms import form_alert, one_field_form, text_field
from wbs_app.components.layout import column, page_heading
from wbs_app.components.links import link_button
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.db import open_session
from wbs_app.i18n import N_
from wbs_app.services import mailer, users
from wbs_app.services.ratelimit import activation_resend_limiter, client_of
from wbs_app.state.off_loop import in_thread

logger = logging.getLogger("wbs.activation")


def _resend(email: str) -> None:
    """Blocking (SMTP). Says nothing back: whether the address is registered stays private."""
    with open_session() as db:
        renewed = users.renew_activation(session=db, email=email)
        if renewed is None:
            return
        user, token = renewed
        message = users.activation_email(user=users.opened(session=db, user=user), token=token)
    try:
        mailer.send_email(**message)
    except Exception:  # noqa: BLE001 - the same answer is shown either way; the log tells the operator
        logger.exception("activation email failed")


class ResendActivationState(rx.State):
    info: str = ""
    error: str = ""

    @rx.event(background=True)
    async def submit(self, form: dict):
        email = str(form.get("email", ""))[:254]
        async with self:
            self.info = self.error = ""
            if not email.strip():
                self.error = messages.EMAIL_INVALID
                return
            client = client_of(self.router)
            verdict = activation_resend_limiter.check(client)
            if not verdict.allowed:
                self.error = messages.TRACK_RATE_LIMITED
                return
        await asyncio.sleep(verdict.delay)
        await asyncio.to_thread(_resend, email)
        async with self:
            self.info = messages.ACTIVATION_RESENT


class ActivationState(rx.State):
    outcome: str = ""  # "", "ok" or "invalid"
    message: str = ""  # the outcome's, in the language of the browser asking

    @rx.event
    @in_thread
    def activate(self):
        token = self.router.page.params.get("token", "")
        with open_session() as db:
            user = users.activate_account(session=db, token=str(token))
        self.outcome = "ok" if user is not None else "invalid"
        self.message = messages.ACTIVATION_OK if user is not None else messages.ACTIVATION_INVALID


def resend_form() -> rx.Component:
    return rx.card(
        rx.heading(tr("Kirim ulang tautan aktivasi"), as_="h2", size="5"),
        form_alert(ResendActivationState.error),
        form_alert(ResendActivationState.info, color="green"),
        one_field_form(
            text_field(N_("Email yang didaftarkan"), "email", None, type="email", max_length=254, id_prefix="resend_"),
            tr("Kirim Tautan"),
            on_submit=ResendActivationState.submit,
            min_width="220px",
        ),
        size="3",
        width="100%",
    )


def activate() -> rx.Component:
    return column(
        page_heading(tr("Aktivasi Akun")),
        rx.match(
            ActivationState.outcome,
            ("ok", rx.callout(ActivationState.message, icon="circle_check", color_scheme="green", role="status")),
            (
                "invalid",
                rx.callout(ActivationState.message, icon="triangle_alert", color_scheme="red", role="alert"),
            ),
            rx.text(tr("Memeriksa tautan aktivasi…")),
        ),
        rx.cond(
            ActivationState.outcome == "ok",
            link_button(tr("Masuk"), routes.LOGIN, size="3"),
        ),
        rx.cond(ActivationState.outcome == "invalid", resend_form()),
        max_width="40em",
    )


def resend() -> rx.Component:
    return column(
        page_heading(tr("Aktivasi Akun"), tr("Belum menerima email aktivasi, atau tautannya sudah kedaluwarsa?")),
        resend_form(),
        max_width="40em",
    )


PAGE = Page(route=routes.ACTIVATE, title=N_("Aktivasi Akun"), component=activate, on_load=(ActivationState.activate,))
RESEND_PAGE = Page(route=routes.ACTIVATE_RESEND, title=N_("Kirim Ulang Aktivasi"), component=resend)
