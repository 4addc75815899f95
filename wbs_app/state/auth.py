"""The base state: who is logged in, decided on the server from an opaque session id.

The id lives only in an HttpOnly cookie set by an HTTP response (wbs_app/api.py): page scripts never see it
and no state var holds it. Handlers read it from the cookies of their websocket's own handshake
(`self.router.headers.cookie`, captured by Reflex when the socket connects and never sent to the browser), so
a login or logout takes effect in a tab once its websocket reconnects: both end with a full navigation
(`handoff`, components/links.session_handoff).

Every handler that touches private data calls `_current_user()` (or `_require_user()`) itself; the display
vars below are for the navbar, never for decisions. A user who must replace a temporary password is nobody to
`_current_user()`: every private page and handler refuses them until they have done so on /akun, where
`_sign_in_redirect()` sends them.
"""

from __future__ import annotations

import builtins

import reflex as rx
from reflex.state import _override_base_method

from wbs_app import routes
from wbs_app.db import open_session
from wbs_app.models import Role, User
from wbs_app.security import token_digest
from wbs_app.services import grants, login_tickets, sealed, sessions
from wbs_app.state.off_loop import in_thread


class AuthState(rx.State):
    # What the navbar shows about the logged-in user. Set only by the server.
    user_display_name: str = ""
    user_role: str = ""
    # A path on the server the page navigates to at once, leaving the app (components/links.session_handoff):
    # the route that turns a login ticket into the cookie, or the one that clears it. Only for the connection
    # it was made on (`_handoff_on`): a reload or another connection never follows it again.
    handoff: str = ""
    _handoff_on: str = ""
    # The login (SHA-256 of its session id, "" for none) of the connection this tab's state was last sent to.
    _sent_to_login: str = ""
    # Reports this tab has opened with their Kode Akses, each bound to the connection it was opened on and
    # ending when idle (services/grants). Server-side only.
    _access_grants: list[grants.AccessGrant] = []

    @rx.var
    def is_logged_in(self) -> bool:
        return self.user_display_name != ""

    @rx.var
    def is_staff(self) -> bool:
        return self.user_role in (Role.VERIFIER.value, Role.ADMIN.value)

    # Reflex sends a tab's whole state (`dict()`) to whatever connects with the tab's token, before any handler
    # runs, and that token leaks (websocket URL, logs). A connection without this login's cookie (or with
    # another login's) is not sent what was loaded for it: the navbar and every page state holding a user's data
    # (`_forget_login_data`) are forgotten first; their own on_load fills them again if the new connection may
    # see them. (Marked so that Reflex does not turn `dict` into an event handler.)
    @_override_base_method
    def dict(self, include_computed: bool = True, initial: bool = False, **kwargs) -> builtins.dict:
        if type(self) is AuthState:
            self._check_connection()
        return super().dict(include_computed=include_computed, initial=initial, **kwargs)

    def _check_connection(self) -> None:
        connection = self.router.session.session_id
        if self._handoff_on != connection:
            self.handoff, self._handoff_on = "", ""
        login = token_digest(token) if (token := self._session_token()) else ""
        if login != self._sent_to_login:
            if self._sent_to_login:
                self._show_user(None)
                for state in _descendants(self):
                    state._forget_login_data()
            self._sent_to_login = login

    def _forget_login_data(self) -> None:
        """Page states that hold a logged-in user's data forget it here (see `dict`); the others keep theirs."""

    def _session_token(self) -> str:
        """The session id in the cookies of this websocket's handshake ("" without one)."""
        return sessions.token_from_cookies(self.router.headers.cookie)

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
                session=db, token=self._session_token(), allow_pending_password=allow_pending_password
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

    def _hand_off(self, path: str) -> None:
        """Send this connection's page to `path` on the server, with a full navigation."""
        self.handoff = path
        self._handoff_on = self.router.session.session_id

    @rx.event
    @in_thread
    def refresh_user(self):
        """on_load of every page: the navbar follows the server-side session."""
        self._show_user(self._session_user())

    @rx.event
    @in_thread
    def logout(self):
        with open_session() as db:
            sessions.revoke_session(session=db, token=self._session_token())
        self._signed_out()

    def _signed_out(self) -> None:
        """After this browser's session ended: forget every page's data, then clear the cookie over HTTP, which
        lands on the login page (the same place a private page sends a visitor without a session, so a private
        page reloading its data meanwhile cannot send the browser elsewhere)."""
        auth = self
        while type(auth) is not AuthState:
            auth = auth.parent_state
        auth._access_grants = []
        auth._show_user(None)
        for substate in auth.substates.values():
            substate.reset()
        auth._hand_off(login_tickets.SIGN_OUT)


def _descendants(state: rx.State) -> list[rx.State]:
    found = []
    for substate in state.substates.values():
        found.extend([substate, *_descendants(substate)])
    return found
