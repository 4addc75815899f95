"""The "Perangkat yang Masuk" card of Akun Saya: the account's open logins, and signing one or all of them out.

Every handler resolves the user from the server-side session itself and ends only logins of that user
(services/sessions.revoke_own_login); a temporary password counts as nobody.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.localtime import format_local_with_zone
from wbs_app.services import devices, sessions
from wbs_app.state.auth import AuthState
from wbs_app.state.off_loop import in_thread

DEVICE_SIGNED_OUT = N_("Perangkat itu sudah dikeluarkan dari akun Anda.")


@dataclasses.dataclass(frozen=True)
class DeviceRow:
    id: int
    device: str
    signed_in: str
    last_used: str
    current: bool


class LoginDevicesState(AuthState):
    rows: list[DeviceRow] = []
    notice: str = ""

    def _forget_login_data(self) -> None:
        self.reset()

    @rx.event
    @in_thread
    def load(self):
        self.notice = ""
        self._refresh()

    def _refresh(self) -> None:
        user = self._current_user()
        if user is None:
            self.rows = []
            return
        with open_session() as db:
            logins = sessions.active_logins(session=db, user_id=user.id, current_token=self._session_token())
        self.rows = [
            DeviceRow(
                id=login.id,
                device=devices.shown(login.device),
                signed_in=format_local_with_zone(login.created_at),
                last_used=format_local_with_zone(login.last_seen_at),
                current=login.current,
            )
            for login in logins
        ]

    @rx.event
    @in_thread
    def sign_out_device(self, login_id: int):
        """The "Keluar dari perangkat ini" button of one row: that login ends (if it is this browser's, it logs out)."""
        user = self._current_user()
        if user is None:
            self.rows = []
            return self._sign_in_redirect()
        try:
            login_id = int(login_id)
        except (TypeError, ValueError):
            return
        with open_session() as db:
            ended = sessions.revoke_own_login(
                session=db, user_id=user.id, login_id=login_id, current_token=self._session_token()
            )
        if ended:
            self._signed_out()
            return
        self.notice = _(DEVICE_SIGNED_OUT) if ended is False else ""
        self._refresh()

    @rx.event
    @in_thread
    def sign_out_everywhere(self):
        """The "Keluar dari semua perangkat" button: every login of the account ends, this browser's included."""
        user = self._current_user()
        if user is None:
            self.rows = []
            return self._sign_in_redirect()
        with open_session() as db:
            sessions.revoke_all_sessions(session=db, user_id=user.id)
        self._signed_out()
