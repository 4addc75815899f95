"""The "Verifikasi Dua Langkah" card of Akun Saya: its status, and a reporter turning it on or off.

Every handler resolves the user from the server-side session itself; a temporary password counts as nobody.
"""

from __future__ import annotations

import reflex as rx

from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.models import User
from wbs_app.services import two_factor
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.state.auth import AuthState
from wbs_app.state.off_loop import in_thread

TWO_FACTOR_OFF = N_("Verifikasi dua langkah dimatikan. Anda kini masuk dengan password saja.")


class TwoFactorSettingsState(AuthState):
    enabled: bool = False
    # Staff: always on, and it cannot be turned off.
    mandatory: bool = False
    recovery_codes_left: int = 0
    # The enrolment under way: "enrol" (QR code shown), then "codes" (the recovery codes, shown once).
    step: str = ""
    enrol_secret: str = ""
    enrol_qr: str = ""
    recovery_codes: list[str] = []
    errors: dict[str, str] = {}
    notice: str = ""

    def _forget_login_data(self) -> None:
        self.reset()

    @rx.event
    @in_thread
    def load(self):
        self._clear()
        user = self._current_user()
        if user is None:
            self.enabled = self.mandatory = False
            return
        self._show_status(user)

    def _clear(self) -> None:
        self.step = self.enrol_secret = self.enrol_qr = self.notice = ""
        self.recovery_codes = []
        self.errors = {}

    def _show_status(self, user: User) -> None:
        with open_session() as db:
            self.enabled = two_factor.is_enabled(session=db, user_id=user.id)
            self.mandatory = two_factor.is_mandatory(user)
            self.recovery_codes_left = two_factor.remaining_recovery_codes(session=db, user_id=user.id)

    def _refused(self, message: str) -> None:
        self.errors = {two_factor.CODE_FIELD: message}

    @rx.event
    @in_thread
    def start(self):
        """A new secret, shown until the first code of the app confirms it."""
        self._clear()
        user = self._current_user()
        if user is None:
            return self._sign_in_redirect()
        with open_session() as db:
            try:
                enrolment = two_factor.start_enrolment(session=db, user=user)
            except Refused as refused:
                return self._refused(str(refused))
        self.step = "enrol"
        self.enrol_secret, self.enrol_qr = enrolment.secret, enrolment.qr_data_uri

    @rx.event
    @in_thread
    def confirm(self, form: dict):
        user = self._current_user()
        if user is None or not isinstance(form, dict):
            self._clear()
            return self._sign_in_redirect()
        self.errors = {}
        with open_session() as db:
            try:
                codes = two_factor.confirm_enrolment(
                    session=db,
                    user=user,
                    code=two_factor.code_from(form),
                    client_ip=self.router.session.client_ip or "",
                )
            except ValidationFailed as invalid:
                self.errors = invalid.errors
                return
            except Refused as refused:
                self._clear()
                return self._refused(str(refused))
        self._clear()
        self.step = "codes"
        self.recovery_codes = codes
        self._show_status(user)

    @rx.event
    def close(self):
        """Cancel an enrolment, or put the recovery codes away."""
        self._clear()

    @rx.event
    @in_thread
    def disable(self, form: dict):
        """Off again, with a current code (the service refuses staff)."""
        self._clear()
        user = self._current_user()
        if user is None or not isinstance(form, dict):
            return self._sign_in_redirect()
        with open_session() as db:
            try:
                two_factor.disable(
                    session=db,
                    user=user,
                    code=two_factor.code_from(form),
                    client_ip=self.router.session.client_ip or "",
                )
            except ValidationFailed as invalid:
                self.errors = invalid.errors
                return
            except Refused as refused:
                return self._refused(str(refused))
        self.notice = _(TWO_FACTOR_OFF)
        self._show_status(user)
