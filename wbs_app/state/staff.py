"""The base of every verifier and administrator page state.

Every event handler of a StaffState subclass starts with `self._staff("<name>")` (or
`self._admin(...)`): the user comes from the server-side session, the role is checked in the handler,
and a refused call is written to the audit log. tests/e2e/test_access_control.py sends every such
handler from a reporter's and an anonymous browser and checks that nothing changes.
"""

from __future__ import annotations

import reflex as rx

from wbs_app import routes
from wbs_app.db import open_session
from wbs_app.models import User
from wbs_app.services import audit, cases
from wbs_app.state.auth import AuthState


class StaffState(AuthState):
    def _client_ip(self) -> str:
        return self.router.session.client_ip or ""

    def _check(self, handler: str, *, admin: bool) -> User | None:
        user = self._session_user()
        allowed = cases.is_admin(user) if admin else cases.is_staff(user)
        if allowed and user.must_change_password:
            return None  # a temporary password opens only the page where it is replaced
        if not allowed:
            with open_session() as db:
                audit.record_refusal(
                    session=db,
                    handler=f"{self.__class__.__name__}.{handler}",  # __class__: also right through a background StateProxy
                    actor_id=user.id if user else None,
                    client_ip=self._client_ip(),
                )
            return None
        return user

    def _staff(self, handler: str) -> User | None:
        """The acting verifier or administrator, or None (refusal logged) for anyone else."""
        return self._check(handler, admin=False)

    def _admin(self, handler: str) -> User | None:
        return self._check(handler, admin=True)

    def _refuse(self):
        """Where a refused visitor goes: login, the password change, or home for a non-verifier."""
        user = self._session_user()
        if user is None:
            return rx.redirect(routes.LOGIN)
        return rx.redirect(routes.ACCOUNT if user.must_change_password else routes.HOME)
