"""The base state: who is logged in, decided on the server from an opaque session id.

The cookie holds only a random id. Every handler that touches private data calls
`_current_user()` (or `_require_user()`) itself; the display vars below are for the navbar, never for
decisions. A user who must replace a temporary password is nobody to `_current_user()`: every private
page and handler refuses them until they have done so on /akun, where `_sign_in_redirect()` sends them.
"""

from __future__ import annotations

import reflex as rx

from wbs_app import routes
from wbs_app.db import open_session
from wbs_app.models import Role, User
from wbs_app.services import grants, sealed, sessions
from wbs_app.settings import get_settings

SESSION_COOKIE = "wbs_sesi"


class AuthState(rx.State):
    session_token: str = rx.Cookie(
        "",
        name=SESSION_COOKIE,
        path="/",
        same_site="strict",
        secure=get_settings().secure_cookies,
        max_age=get_settings().session_absolute_hours * 3600,
    )
    # What the navbar shows about the logged-in user. Set only by the server.
    user_display_name: str = ""
    user_role: str = ""
    # Reports this tab has opened with their Kode Akses, each bound to the connection it was opened on and
    # ending when idle (services/grants). Server-side only.
    _access_grants: list[grants.AccessGrant] = []

    @rx.var
    def is_logged_in(self) -> bool:
        return self.user_display_name != ""

    @rx.var
    def is_staff(self) -> bool:
        return self.user_role in (Role.VERIFIER.value, Role.ADMIN.value)

    def _current_user(self) -> User | None:
        """The user behind this browser's session id, checked against the database on every call.

        None also while the user must still replace a temporary password (see sessions.resolve_session).
        """
        return self._resolve_user(allow_pending_password=False)

    def _session_user(self) -> User | None:
        """Like _current_user, but also a user who must still replace a temporary password.

        Only for the account page (where it is replaced), the navbar and the checks that send such a user there.
        """
        return self._resolve_user(allow_pending_password=True)

    def _resolve_user(self, *, allow_pending_password: bool) -> User | None:
        """A detached copy of the account, its personal columns opened (services/sealed)."""
        with open_session() as db:
            user = sessions.resolve_session(
                session=db, token=self.session_token, allow_pending_password=allow_pending_password
            )
            return sealed.open_row(session=db, row=user) if user is not None else None

    def _password_change_due(self) -> bool:
        user = self._session_user()
        return user is not None and user.must_change_password

    def _sign_in_redirect(self):
        """Where a private page sends a browser it will not serve: /akun while a new password is due, else /masuk."""
        return rx.redirect(routes.ACCOUNT if self._password_change_due() else routes.LOGIN)

    def _require_user(self, *roles: Role) -> User | None:
        user = self._current_user()
        if user is None or (roles and user.role not in {r.value for r in roles}):
            return None
        return user

    def _show_user(self, user: User | None) -> None:
        self.user_display_name = user.full_name if user else ""
        self.user_role = user.role if user else ""

    @rx.event
    def refresh_user(self):
        """on_load of every page: the navbar follows the server-side session."""
        user = self._session_user()
        self._show_user(user)
        if user is None and self.session_token:
            self.session_token = ""
            return rx.remove_cookie(SESSION_COOKIE, {"path": "/"})

    @rx.event
    def logout(self):
        with open_session() as db:
            sessions.revoke_session(session=db, token=self.session_token)
        self.session_token = ""
        self._access_grants = []
        self._show_user(None)
        self._reset_substates()
        # To the login page: the same place a private page sends a visitor without a session, so a
        # private page reloading its data while logging out cannot send the browser elsewhere.
        return [rx.remove_cookie(SESSION_COOKIE, {"path": "/"}), rx.redirect(routes.LOGIN)]

    def _reset_substates(self) -> None:
        """Forget every page's private data after logout."""
        for substate in self.substates.values():
            substate.reset()
