"""Masuk: username or email and password; the session lives on the server."""

from __future__ import annotations

import asyncio

import reflex as rx

from wbs_app import routes
from wbs_app.components.forms import form_alert, text_field
from wbs_app.components.layout import column, page_heading
from wbs_app.components.page import Page
from wbs_app.db import open_session
from wbs_app.models import Role
from wbs_app.services import passwords, sessions
from wbs_app.services.ratelimit import client_of, login_limiter
from wbs_app.state.auth import AuthState

FAILURE_DELAY_SECONDS = 1.0
# login_limiter never refuses: argon2 floods are bounded by this instead.
PASSWORD_CHECKS_AT_ONCE = asyncio.Semaphore(4)


def _login(identifier: str, password: str) -> tuple[str, str, str, str]:
    """Blocking (argon2): error, session token, display name, role."""
    with open_session() as db:
        result = passwords.authenticate(session=db, identifier=identifier, password=password)
        if result.user is None:
            return result.error, "", "", ""
        token = sessions.create_session(session=db, user=result.user)
        return "", token, result.user.full_name, result.user.role


class LoginState(AuthState):
    error: str = ""
    busy: bool = False

    @rx.event
    def load(self):
        self.error = ""
        if self._session_user() is not None:
            return rx.redirect(routes.ACCOUNT)

    @rx.event(background=True)
    async def submit(self, form: dict):
        if not isinstance(form, dict):
            return
        identifier = str(form.get("identifier", ""))[:254]
        password = str(form.get("password", ""))[:1024]
        async with self:
            if self.busy:
                return
            client = client_of(self.router)
            self.busy = True
            self.error = ""
        # Many failures from this address slow its next attempts down; they never lock out the people who
        # share it (one office behind one address). The per-account lock guards each account.
        await asyncio.sleep(login_limiter.delay(client))
        async with PASSWORD_CHECKS_AT_ONCE:
            error, token, name, role = await asyncio.to_thread(_login, identifier, password)
        if error:
            login_limiter.record(client)
            # Every failure costs the guesser time, on top of the per-account lock.
            await asyncio.sleep(FAILURE_DELAY_SECONDS)
        async with self:
            self.busy = False
            if error:
                self.error = error
                return
            self.session_token = token
            self.user_display_name = name
            self.user_role = role
        # Staff go to their case list; the account page asks for a new password when one must be set.
        return rx.redirect(routes.STAFF_HOME if role in (Role.VERIFIER.value, Role.ADMIN.value) else routes.ACCOUNT)


def login() -> rx.Component:
    return rx.center(
        rx.card(
            page_heading("Masuk", "Masuk dengan username atau email dan password Anda."),
            form_alert(LoginState.error),
            rx.form(
                column(
                    text_field("Username atau Email", "identifier", None, autocomplete="username", max_length=254),
                    rx.box(
                        text_field(
                            "Password",
                            "password",
                            None,
                            type="password",
                            autocomplete="current-password",
                            max_length=128,
                        ),
                        rx.link("Lupa password?", href=routes.RESET_REQUEST, size="2"),
                        width="100%",
                    ),
                    rx.button("Masuk", type="submit", size="3", width="100%", loading=LoginState.busy),
                    spacing="3",
                ),
                on_submit=LoginState.submit,
                # Our own Indonesian messages, next to the field, instead of the browser's bubbles.
                no_validate=True,
            ),
            rx.flex(
                rx.text("Belum punya akun? ", rx.link("Daftar", href=routes.REGISTER), size="2"),
                rx.link("Kirim ulang tautan aktivasi", href=routes.ACTIVATE_RESEND, size="2"),
                justify="between",
                wrap="wrap",
                spacing="2",
                margin_top="1em",
            ),
            size="4",
            width="100%",
            max_width="28em",
        ),
        width="100%",
    )


PAGE = Page(route=routes.LOGIN, title="Masuk", component=login, on_load=(LoginState.load,))
