"""Masuk: username or email and password, then the second factor when the account has one; the session lives
on the server and is opened only once every step is done.

The last step gives the browser a one-time ticket and sends it, with a full navigation, to the server route
that opens the session and sets its id in an HttpOnly cookie (services/login_tickets, wbs_app/api.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import time

import reflex as rx

from wbs_app import messages, routes
from wbs_app.components.forms import form_alert, text_field
from wbs_app.components.layout import column, page_heading
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.components.two_factor import code_field, enrolment_panel, recovery_codes_panel
from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.models import Role, User
from wbs_app.security import in_password_pool
from wbs_app.services import login_tickets, passwords, two_factor
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.services.ratelimit import client_of, login_limiter
from wbs_app.settings import get_settings
from wbs_app.state.auth import AuthState
from wbs_app.state.off_loop import in_thread

FAILURE_DELAY_SECONDS = 1.0
LOGIN_STEP_EXPIRED = N_("Waktu untuk langkah ini habis. Silakan masuk lagi dengan password Anda.")
LOGIN_NOT_FINISHED = N_("Proses masuk tidak selesai. Silakan masuk lagi.")


@dataclasses.dataclass(frozen=True)
class _Outcome:
    """A complete login (`ticket`), or a right password that still needs the second factor (`pending_user_id`)."""

    ticket: str = ""
    role: str = ""
    pending_user_id: int | None = None
    enrolment: two_factor.Enrolment | None = None


def _signed_in(db, user: User, user_agent: str) -> _Outcome:
    ticket = login_tickets.issue_ticket(session=db, user=user, user_agent=user_agent)
    return _Outcome(ticket=ticket, role=user.role)


def _login(identifier: str, password: str, user_agent: str) -> tuple[str, _Outcome]:
    """Blocking (argon2): the error, or what comes next."""
    with open_session() as db:
        result = passwords.authenticate(session=db, identifier=identifier, password=password)
        if result.user is None:
            return result.error, _Outcome()
        user = result.user
        if two_factor.needs_enrolment(session=db, user=user):
            return "", _Outcome(pending_user_id=user.id, enrolment=two_factor.start_enrolment(session=db, user=user))
        if two_factor.is_required(session=db, user=user):
            return "", _Outcome(pending_user_id=user.id)
        return "", _signed_in(db, user, user_agent)


def _second_step(user_id: int, code: str, user_agent: str) -> tuple[str, _Outcome]:
    with open_session() as db:
        user, error = two_factor.complete_login(session=db, user_id=user_id, code=code)
        return (error, _Outcome()) if user is None else ("", _signed_in(db, user, user_agent))


class LoginState(AuthState):
    error: str = ""
    busy: bool = False
    # "password", then "code" (or "enrol" for staff without an authenticator), and "recovery_codes" once enrolled;
    # "done" while the browser goes to fetch its session cookie.
    step: str = "password"
    enrol_secret: str = ""
    enrol_qr: str = ""
    recovery_codes: list[str] = []
    # Who gave the right password, and until when the next step waits for them: server-side only, never a session.
    _pending_user_id: int | None = None
    _pending_until: float = 0.0

    @rx.event
    @in_thread
    def load(self):
        # The login route sends a browser back here with ?masuk=gagal when its ticket did not work.
        self.error = _(LOGIN_NOT_FINISHED) if self.router.page.params.get("masuk") == "gagal" else ""
        self._restart()
        if self._session_user() is not None:
            return rx.redirect(routes.ACCOUNT)

    def _restart(self) -> None:
        self.step = "password"
        self.enrol_secret = self.enrol_qr = ""
        self.recovery_codes = []
        self._pending_user_id, self._pending_until = None, 0.0

    def _pending_user(self, step: str) -> int | None:
        """The user whose password was right, while `step` is shown and has not timed out."""
        if self.step != step or self._pending_user_id is None or time.time() > self._pending_until:
            return None
        return self._pending_user_id

    def _await(self, user_id: int | None) -> None:
        self._pending_user_id = user_id
        self._pending_until = time.time() + 60 * get_settings().two_factor_login_minutes

    def _await_second_factor(self, outcome: _Outcome) -> None:
        self._await(outcome.pending_user_id)
        if outcome.enrolment is not None:
            self.step = "enrol"
            self.enrol_secret, self.enrol_qr = outcome.enrolment.secret, outcome.enrolment.qr_data_uri
        else:
            self.step = "code"

    def _sign_in(self, outcome: _Outcome) -> None:
        """To the route that redeems the ticket; the page reloads from there with the session cookie."""
        self._restart()
        self.step = "done"
        # Staff go to their case list; the account page asks for a new password when one must be set.
        next_route = routes.STAFF_HOME if outcome.role in (Role.VERIFIER.value, Role.ADMIN.value) else routes.ACCOUNT
        self._hand_off(f"{login_tickets.SIGN_IN}{outcome.ticket}?lanjut={next_route}")

    def _user_agent(self) -> str:
        """The browser the ticket is for: the User-Agent of this websocket's handshake."""
        return self.router.headers.user_agent

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
            user_agent = self._user_agent()
            self.busy = True
            self.error = ""
        # Many failures from this address slow its next attempts down; they never lock out the people who
        # share it (one office behind one address). The per-account lock guards each account.
        await asyncio.sleep(login_limiter.delay(client))
        error, outcome = await in_password_pool(_login, identifier, password, user_agent)  # argon2: bounded pool
        if error:
            login_limiter.record(client)
            # Every failure costs the guesser time, on top of the per-account lock.
            await asyncio.sleep(FAILURE_DELAY_SECONDS)
        async with self:
            self.busy = False
            if error:
                self.error = error
                return
            if outcome.pending_user_id is not None:
                self._await_second_factor(outcome)
                return
            return self._sign_in(outcome)

    @rx.event(background=True)
    async def submit_code(self, form: dict):
        """The code of the authenticator app, or a recovery code. Wrong codes count towards the account's lock."""
        if not isinstance(form, dict):
            return
        code = two_factor.code_from(form)
        async with self:
            if self.busy:
                return
            user_id = self._pending_user("code")
            if user_id is None:
                self._restart()
                self.error = _(LOGIN_STEP_EXPIRED)
                return
            user_agent = self._user_agent()
            self.busy = True
            self.error = ""
        error, outcome = await asyncio.to_thread(_second_step, user_id, code, user_agent)
        if error:
            await asyncio.sleep(FAILURE_DELAY_SECONDS)
        async with self:
            self.busy = False
            if error:
                self.error = error
                return
            return self._sign_in(outcome)

    @rx.event
    @in_thread
    def confirm_enrolment(self, form: dict):
        """Staff at their first login: the first code of the new authenticator turns it on; the login is then complete."""
        user_id = self._pending_user("enrol")
        if user_id is None or not isinstance(form, dict):
            self._restart()
            self.error = _(LOGIN_STEP_EXPIRED)
            return
        with open_session() as db:
            user = db.get(User, user_id)
            if user is None or not user.is_active:
                self._restart()
                self.error = messages.LOGIN_DEACTIVATED
                return
            try:
                codes = two_factor.confirm_enrolment(
                    session=db,
                    user=user,
                    code=two_factor.code_from(form),
                    client_ip=self.router.session.client_ip or "",
                )
            except ValidationFailed as invalid:
                self.error = next(iter(invalid.errors.values()))
                return
            except Refused as refused:
                self._restart()
                self.error = str(refused)
                return
            passwords.forget_account_failures(session=db, user=user)
        # Shown once, before anything else; the login is complete with "Lanjutkan" (within the same time limit).
        self.enrol_secret = self.enrol_qr = ""
        self.step = "recovery_codes"
        self.recovery_codes = codes
        self._await(user_id)

    @rx.event
    @in_thread
    def finish(self):
        """After the recovery codes: the enrolled user's ticket."""
        user_id = self._pending_user("recovery_codes")
        self._restart()
        if user_id is None:
            self.error = _(LOGIN_STEP_EXPIRED)
            return
        with open_session() as db:
            user = db.get(User, user_id)
            if user is None or not user.is_active:
                self.error = messages.LOGIN_DEACTIVATED
                return
            outcome = _signed_in(db, user, self._user_agent())
        self._sign_in(outcome)

    @rx.event
    def start_over(self):
        self._restart()
        self.error = ""


def password_form() -> rx.Component:
    return rx.fragment(
        rx.form(
            rx.vstack(
                text_field(N_("Username atau Email"), "identifier", None, autocomplete="username", max_length=254),
                rx.box(
                    text_field(
                        N_("Password"),
                        "password",
                        None,
                        type="password",
                        autocomplete="current-password",
                        max_length=128,
                    ),
                    rx.link(tr("Lupa password?"), href=routes.RESET_REQUEST, size="2"),
                    width="100%",
                ),
                rx.button(tr("Masuk"), type="submit", size="3", width="100%", loading=LoginState.busy),
                spacing="3",
                width="100%",
            ),
            on_submit=LoginState.submit,
            # Our own messages, next to the field, instead of the browser's bubbles.
            no_validate=True,
        ),
        rx.flex(
            rx.text(tr("Belum punya akun?"), " ", rx.link(tr("Daftar"), href=routes.REGISTER), size="2"),
            rx.link(tr("Kirim ulang tautan aktivasi"), href=routes.ACTIVATE_RESEND, size="2"),
            justify="between",
            wrap="wrap",
            spacing="2",
            margin_top="1em",
        ),
    )


def start_over_link() -> rx.Component:
    return rx.link(tr("Kembali ke langkah password"), on_click=LoginState.start_over, size="2", href="#")


def code_form() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("Verifikasi Dua Langkah"), as_="h2", size="5"),
        rx.text(
            tr(
                "Masukkan kode 6 digit dari aplikasi autentikator Anda. Ponsel hilang? Masukkan salah satu kode "
                "pemulihan Anda."
            ),
            size="2",
        ),
        _code_form(tr("Verifikasi"), LoginState.submit_code, text=N_("Kode autentikator atau kode pemulihan")),
        start_over_link(),
        spacing="3",
        width="100%",
    )


def _code_form(button: rx.Component, on_submit, **field) -> rx.Component:
    """One code and its button; the field is emptied after each try (a code is good once)."""
    return rx.form(
        column(
            code_field(None, **field),
            rx.button(button, type="submit", size="3", width="100%", loading=LoginState.busy),
            spacing="3",
        ),
        on_submit=on_submit,
        no_validate=True,
        reset_on_submit=True,
    )


def enrol_form() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("Aktifkan Verifikasi Dua Langkah"), as_="h2", size="5"),
        rx.text(
            tr("Verifikator dan administrator wajib masuk dengan kode dari aplikasi autentikator, selain password."),
            size="2",
        ),
        enrolment_panel(LoginState.enrol_secret, LoginState.enrol_qr),
        _code_form(tr("Aktifkan"), LoginState.confirm_enrolment),
        start_over_link(),
        spacing="3",
        width="100%",
    )


def login() -> rx.Component:
    return rx.center(
        rx.card(
            page_heading(tr("Masuk"), tr("Masuk dengan username atau email dan password Anda.")),
            form_alert(LoginState.error),
            rx.match(
                LoginState.step,
                ("code", code_form()),
                ("enrol", enrol_form()),
                ("done", rx.text(tr("Berhasil masuk. Mengalihkan…"), role="status")),
                (
                    "recovery_codes",
                    rx.vstack(
                        rx.heading(tr("Kode Pemulihan"), as_="h2", size="5"),
                        recovery_codes_panel(
                            LoginState.recovery_codes, rx.button(tr("Lanjutkan"), on_click=LoginState.finish)
                        ),
                        width="100%",
                    ),
                ),
                password_form(),
            ),
            size="4",
            width="100%",
            max_width="32em",
        ),
        width="100%",
    )


PAGE = Page(route=routes.LOGIN, title=N_("Masuk"), component=login, on_load=(LoginState.load,))
