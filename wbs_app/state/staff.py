"""The base of every verifier and administrator page state, and the one guard their handlers use.

Every event handler of a StaffState subclass is declared with `@staff_event` or `@admin_event`: the user
comes from the server-side session, the role is checked (wbs_app.services.policy) before the handler
runs, a refused call is written to the audit log under the handler's own name (by RefusalAudit, off the
event loop; a flood as one row a minute with its count, written when the minute ends), and the handler
receives the checked user as its first argument. tests/e2e/test_access_control.py sends every such handler
from a reporter's and an anonymous browser and checks that nothing changes.
"""

from __future__ import annotations

import asyncio
import builtins
import concurrent.futures
import contextlib
import datetime as dt
import functools
import inspect
import logging
import threading
from collections.abc import Callable

import reflex as rx
from reflex.state import _override_base_method

from wbs_app import routes
from wbs_app.db import open_session
from wbs_app.models import User, utcnow
from wbs_app.services import audit, policy
from wbs_app.services.ratelimit import client_key
from wbs_app.settings import get_settings
from wbs_app.state.auth import AuthState
from wbs_app.state.off_loop import in_thread

logger = logging.getLogger("wbs.audit")


class RefusalAudit:
    """Refused staff calls, counted in memory and written to the audit log by a thread of their own.

    The event loop (which serves every user) only counts: the first refused call of a client, actor and handler
    opens a window of WBS_REFUSAL_AUDIT_SECONDS, and the writer thread turns each window into one chained row
    when it ends (audit.RefusalTally). A flood is one row a window with its count; no row is ever updated.
    flush() writes the open windows at once (at shutdown); a killed process loses its last window's count.
    Per process on purpose: with several app workers each writes at most one row a window for a client, actor and
    handler, and every refused call is still counted in one of them (the sum of the rows' counts is exact).
    """

    def __init__(self, open_db: Callable = open_session, window: dt.timedelta | None = None):
        self._open_db = open_db
        self._window = window
        self._tally = audit.RefusalTally()
        self._wake = threading.Condition()
        self._flushes: list[concurrent.futures.Future] = []
        self._writer: threading.Thread | None = None

    def add(self, *, handler: str, actor_id: int | None, client_ip: str) -> None:
        """Count one refused call (cheap: no database work on the caller's thread)."""
        window = self._window or dt.timedelta(seconds=get_settings().refusal_audit_seconds)
        with self._wake:
            if self._tally.add(handler=handler, actor_id=actor_id, client_ip=client_ip, now=utcnow(), window=window):
                self._start_writer()
                self._wake.notify()

    def flush(self, timeout: float | None = 30) -> None:
        """Write every counted call now, from the writer thread; returns once they are in the audit log."""
        done = concurrent.futures.Future()
        with self._wake:
            self._flushes.append(done)
            self._start_writer()
            self._wake.notify()
        done.result(timeout)

    def _start_writer(self) -> None:
        if self._writer is None:
            self._writer = threading.Thread(target=self._write_forever, name="wbs-refusal-audit", daemon=True)
            self._writer.start()

    def _write_forever(self) -> None:
        while True:
            with self._wake:
                while True:
                    flushes, self._flushes = self._flushes, []
                    ended = self._tally.take(utcnow(), everything=bool(flushes))
                    if ended or flushes:
                        break
                    next_end = self._tally.next_end()
                    self._wake.wait(None if next_end is None else max(0.0, (next_end - utcnow()).total_seconds()))
            try:
                if ended:
                    with self._open_db() as db:
                        audit.record_refusals(session=db, counted=ended)
            except Exception:  # noqa: BLE001 - the next refused call must still be audited
                logger.exception("refused staff calls could not be written to the audit log")
            for done in flushes:
                done.set_result(None)


refusal_audit = RefusalAudit()


@contextlib.asynccontextmanager
async def flush_refusals_at_shutdown():
    """A lifespan task: when the app stops, the calls counted in unfinished windows go to the audit log."""
    yield
    await asyncio.to_thread(refusal_audit.flush)


class StaffState(AuthState):
    _shown_on: str = ""  # the connection (socket id) this page's data was loaded for

    # Reflex sends a tab's whole state to whatever connects with the tab's token, before any handler runs, and
    # that token leaks (websocket URL, logs): a staff page's data (a case, a revealed identity) is kept for the
    # connection that loaded it only. Staff pages load their data on every (re)connection anyway.
    # (Marked so that Reflex does not turn `dict` into an event handler.)
    @_override_base_method
    def dict(self, include_computed: bool = True, initial: bool = False, **kwargs) -> builtins.dict:
        if self._shown_on and self._shown_on != self.router.session.session_id:
            self._forget_page()
        return super().dict(include_computed=include_computed, initial=initial, **kwargs)

    def _forget_page(self) -> None:
        self.reset()

    def _client_ip(self) -> str:
        return self.router.session.client_ip or ""

    def _checked_user(self, handler: str, *, admin: bool) -> User | None:
        """The acting verifier or administrator, or None (the refusal audited) for anyone else.

        `handler` is the handler's name; the audit log records it as "<State class>.<handler>".
        """
        user = self._session_user()
        allowed = policy.is_admin(user) if admin else policy.is_staff(user)
        if allowed and user.must_change_password:
            return None  # a temporary password opens only the page where it is replaced
        if not allowed:
            refusal_audit.add(
                # __class__, not type(): also right through a background task's StateProxy.
                handler=f"{self.__class__.__name__}.{handler}",
                actor_id=user.id if user else None,
                # Per client as every limit counts (an IPv6 /64): a flood is one row a minute.
                client_ip=client_key(ip) if (ip := self._client_ip()) else "",
            )
            return None
        return user

    def _refuse(self):
        """Where a refused visitor goes: login, the password change, or home for a non-verifier."""
        user = self._session_user()
        if user is None:
            return rx.redirect(routes.LOGIN)
        return rx.redirect(routes.ACCOUNT if user.must_change_password else routes.HOME)


def _guarded(fn: Callable, *, admin: bool, background: bool):
    """Wrap a handler `fn(self, user, ...)` as a Reflex event `(self, ...)` that checks the role first."""
    name = fn.__name__

    if background:
        if not inspect.iscoroutinefunction(fn):
            raise TypeError(f"{name}: a background staff event must be async")

        async def handler(self, *args, **kwargs):
            # Outside `async with self`: the check reads the session cookie and writes only the audit log.
            user = await asyncio.to_thread(self._checked_user, name, admin=admin)
            async with self:
                if user is None:
                    self.reset()
                    return self._refuse()
                self._shown_on = self.router.session.session_id
            return await fn(self, user, *args, **kwargs)

    else:

        @in_thread  # the check and the handler read the database: off the event loop
        def handler(self, *args, **kwargs):
            user = self._checked_user(name, admin=admin)
            if user is None:
                self.reset()
                return self._refuse()
            self._shown_on = self.router.session.session_id
            return fn(self, user, *args, **kwargs)

    functools.update_wrapper(handler, fn)
    # Reflex reads the handler's parameters to map the browser's arguments: show it without `user`.
    self_param, _user, *params = inspect.signature(fn).parameters.values()
    handler.__signature__ = inspect.Signature([self_param, *params])
    handler.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k != _user.name}
    handler.staff_guard = "admin" if admin else "staff"  # tests/unit/test_layout.py checks every handler has one
    return rx.event(handler, background=background)


def staff_event(fn: Callable | None = None, *, background: bool = False):
    """An event handler for verifiers and administrators; it receives the checked user after `self`."""
    if fn is None:
        return lambda f: _guarded(f, admin=False, background=background)
    return _guarded(fn, admin=False, background=background)


def admin_event(fn: Callable | None = None, *, background: bool = False):
    """An event handler for administrators only; it receives the checked user after `self`."""
    if fn is None:
        return lambda f: _guarded(f, admin=True, background=background)
    return _guarded(fn, admin=True, background=background)
