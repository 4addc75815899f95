"""Lupa password: a single-use link by email (/lupa-password), and the page it opens (/atur-password/<token>).

The request page gives the same answer, after the same time, whether or not the account exists: the email
goes out only after the answer is shown.
"""

from __future__ import annotations

import asyncio
import logging
import time

import reflex as rx

from wbs_app import messages, routes
from wbs_app.components.forms import form_alert, new_password_fields, text_field
from wbs_app.components.layout import column, page_heading
from wbs_app.components.links import link_button
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.db import open_session
from wbs_app.i18n import N_
from wbs_app.security import in_password_pool
from wbs_app.services import mailer, passwords, users
from wbs_app.services.errors import ValidationFailed
from wbs_app.services.ratelimit import client_of, password_reset_limiter
from wbs_app.state.off_loop import in_thread

logger = logging.getLogger("wbs.password_reset")

# Every request is answered this long after it arrived, whether or not an account was found.
ANSWER_SECONDS = 1.0


def _prepare_reset(identifier: str) -> dict[str, str] | None:
    """Blocking (database): the email to send, or None when no link is due (told to nobody)."""
    with open_session() as db:
        requested = passwords.request_password_reset(session=db, identifier=identifier)
        if requested is None:
            return None
        user, token = requested
        return passwords.password_reset_email(user=users.opened(session=db, user=user), token=token)


def _send(message: dict[str, str]) -> None:
    """Blocking (SMTP)."""
    try:
        mailer.send_email(**message)
    except Exception:  # noqa: BLE001 - the same answer was shown either way; the log tells the operator
        logger.exception("password reset email failed")


class PasswordForgotState(rx.State):
    errors: dict[str, str] = {}
    error: str = ""
    info: str = ""
    busy: bool = False

    @rx.event
    def load(self):
        self.errors = {}
        self.error = self.info = ""

    @rx.event(background=True)
    async def submit(self, form: dict):
        identifier = str(form.get("identifier", "")).strip()[:254] if isinstance(form, dict) else ""
        async with self:
            if self.busy:
                return
            self.errors = {}
            self.error = self.info = ""
            if not identifier:
                self.errors = {"identifier": messages.REQUIRED}
                return
            client = client_of(self.router)
            verdict = password_reset_limiter.check(client)
            if not verdict.allowed:
                self.error = messages.ACCESS_RATE_LIMITED
                return
            self.busy = True
        await asyncio.sleep(verdict.delay)
        started = time.monotonic()
        try:
            message = await asyncio.to_thread(_prepare_reset, identifier)
        except Exception:  # noqa: BLE001 - a failure must not answer differently from "no such account"
            logger.exception("password reset request failed")
            message = None
        await asyncio.sleep(max(0.0, ANSWER_SECONDS - (time.monotonic() - started)))
        async with self:
            self.busy = False
            self.info = messages.PASSWORD_RESET_REQUESTED
        if message is not None:
            await asyncio.to_thread(_send, message)


def _reset(token: str, password: str, confirmation: str) -> tuple[str, dict[str, str]]:
    """Blocking (argon2): the outcome ("form", "done" or "invalid") and the field errors."""
    with open_session() as db:
        try:
            user = passwords.reset_password(session=db, token=token, new_password=password, confirmation=confirmation)
        except ValidationFailed as failure:
            return "form", failure.errors
    return ("done" if user is not None else "invalid"), {}


class PasswordResetState(rx.State):
    outcome: str = ""  # "", "form", "done" or "invalid"
    # The outcome's message ("done", "invalid"), in the language of the browser asking.
    message: str = ""
    errors: dict[str, str] = {}
    busy: bool = False

    def _show(self, outcome: str) -> None:
        self.outcome = outcome
        self.message = {"done": messages.PASSWORD_RESET_DONE, "invalid": messages.PASSWORD_RESET_INVALID}.get(
            outcome, ""
        )

    def _token(self) -> str:
        # The [token] segment of routes.RESET_LINK: Reflex adds each dynamic route argument to the root state.
        return str(self.token or "")

    @rx.event
    @in_thread
    def check(self):
        """on_load: whether the link still works (nothing is used up by looking)."""
        self.errors = {}
        self.busy = False
        with open_session() as db:
            valid = passwords.password_reset_is_valid(session=db, token=self._token())
        self._show("form" if valid else "invalid")

    @rx.event(background=True)
    async def submit(self, form: dict):
        if not isinstance(form, dict):
            return
        password = str(form.get("password", ""))[:1024]
        confirmation = str(form.get("password_confirmation", ""))[:1024]
        async with self:
            if self.busy or self.outcome != "form":
                return
            token = self._token()
            self.busy = True
            self.errors = {}
        outcome, errors = await in_password_pool(_reset, token, password, confirmation)
        async with self:
            self.busy = False
            self._show(outcome)
            self.errors = errors


def _narrow_card(*children: rx.Component) -> rx.Component:
    return rx.center(rx.card(*children, size="4", width="100%", max_width="28em"), width="100%")


def forgot() -> rx.Component:
    return _narrow_card(
        page_heading(
            tr("Lupa Password"),
            tr("Masukkan username atau email akun Anda. Kami akan mengirim tautan untuk membuat password baru."),
        ),
        form_alert(PasswordForgotState.error),
        form_alert(PasswordForgotState.info, color="green"),
        rx.form(
            column(
                text_field(
                    N_("Username atau Email"),
                    "identifier",
                    PasswordForgotState.errors,
                    autocomplete="username",
                    max_length=254,
                ),
                rx.button(tr("Kirim Tautan"), type="submit", size="3", width="100%", loading=PasswordForgotState.busy),
                spacing="3",
            ),
            on_submit=PasswordForgotState.submit,
            # Our own messages, next to the field, instead of the browser's bubbles.
            no_validate=True,
        ),
        rx.flex(
            rx.link(tr("Kembali ke halaman Masuk"), href=routes.LOGIN, size="2"),
            rx.link(tr("Kirim ulang tautan aktivasi"), href=routes.ACTIVATE_RESEND, size="2"),
            justify="between",
            wrap="wrap",
            spacing="2",
            margin_top="1em",
        ),
    )


def reset_form() -> rx.Component:
    errors = PasswordResetState.errors
    return rx.form(
        column(
            *new_password_fields(errors, N_("Password baru")),
            rx.button(tr("Simpan Password"), type="submit", size="3", width="100%", loading=PasswordResetState.busy),
            spacing="3",
        ),
        on_submit=PasswordResetState.submit,
        no_validate=True,
        reset_on_submit=True,
    )


def reset() -> rx.Component:
    return _narrow_card(
        page_heading(tr("Atur Password Baru"), tr("Buat password baru untuk akun WBS Anda.")),
        rx.match(
            PasswordResetState.outcome,
            ("form", reset_form()),
            (
                "done",
                column(
                    rx.callout(PasswordResetState.message, icon="circle_check", color_scheme="green", role="status"),
                    link_button(tr("Masuk"), routes.LOGIN, size="3", width="100%"),
                ),
            ),
            (
                "invalid",
                column(
                    rx.callout(PasswordResetState.message, icon="triangle_alert", color_scheme="red", role="alert"),
                    link_button(tr("Minta Tautan Baru"), routes.RESET_REQUEST, size="3", width="100%"),
                ),
            ),
            rx.text(tr("Memeriksa tautan…")),
        ),
    )


REQUEST_PAGE = Page(
    route=routes.RESET_REQUEST, title=N_("Lupa Password"), component=forgot, on_load=(PasswordForgotState.load,)
)
PAGE = Page(
    route=routes.RESET_LINK, title=N_("Atur Password Baru"), component=reset, on_load=(PasswordResetState.check,)
)
