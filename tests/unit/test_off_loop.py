"""No event handler uses the database on the event loop (Reflex runs every visitor's events on one loop per worker).

A handler marked `in_thread` runs in a worker thread. Every other handler's own code runs on the loop (an async
one's too, apart from what it hands to asyncio.to_thread) and must reach no database session: not in its body, the
methods it calls on `self`, nor the functions of wbs_app it calls, followed transitively. The login session's
lookup counts too: it writes the session's idle timer once a minute, and a write may wait for another's turn."""

from __future__ import annotations

import ast
import asyncio
import inspect
import textwrap
import threading
import time
import types

import reflex as rx

import wbs_app.wbs_app  # noqa: F401 - imports every page and its state
from wbs_app.db import open_session
from wbs_app.state.off_loop import in_thread


def app_states() -> list[type]:
    found, queue = [], list(rx.State.__subclasses__())
    while queue:
        cls = queue.pop()
        if cls.__module__.startswith("wbs_app."):
            found.append(cls)
        queue.extend(cls.__subclasses__())
    return found


def _callees(fn, cls) -> list:
    """The functions of wbs_app that `fn` calls by name, as `module.name`, or on `self`."""
    try:
        definition = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
    except (OSError, TypeError):
        return []
    found = []
    for node in (node for statement in definition.body for node in ast.walk(statement)):  # not its decorators
        if not isinstance(node, ast.Call):
            continue
        target = node.func
        if isinstance(target, ast.Name):
            found.append(fn.__globals__.get(target.id))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            owner = target.value.id
            if owner == "self" and cls is not None:
                found.append(getattr(cls, target.attr, None))
            elif isinstance(module := fn.__globals__.get(owner), types.ModuleType):
                found.append(getattr(module, target.attr, None))
    functions = [inspect.unwrap(getattr(callee, "fn", callee)) for callee in found if callee is not None]
    return [f for f in functions if isinstance(f, types.FunctionType) and f.__module__.startswith("wbs_app")]


def path_to_database(fn, cls, seen: set) -> list[str] | None:
    """The chain of calls from `fn` to `open_session`, or None."""
    if fn in seen or getattr(fn, "__name__", "") == "open_session":
        return ["open_session"] if getattr(fn, "__name__", "") == "open_session" else None
    seen.add(fn)
    for callee in _callees(fn, cls):
        if inspect.iscoroutinefunction(callee) or getattr(callee, "in_thread", False):
            continue
        if (chain := path_to_database(callee, cls, seen)) is not None:
            return [fn.__qualname__, *chain]
    return None


def test_no_synchronous_handler_reaches_the_database():
    offenders = []
    for cls in app_states():
        for name, handler in cls.event_handlers.items():
            fn = handler.fn
            if name == "setvar" or getattr(fn, "in_thread", False):
                continue  # an async handler's own body runs on the loop: it is walked too
            if (chain := path_to_database(fn, cls, set())) is not None:
                offenders.append(f"{cls.__name__}.{name}: {' → '.join(chain)}")
    assert offenders == []


def _read():
    with open_session():
        pass


def _helper():
    _read()


def _handler(self):
    _helper()


def test_the_walk_finds_a_database_read_through_helpers():
    """The check above is only as good as its walk: a read two calls deep is found."""
    for fn in (_read, _helper, _handler):
        fn.__module__ = "wbs_app.pages.example"  # as if a page's
    assert path_to_database(_handler, None, set()) == ["_handler", "_helper", "_read", "open_session"]
    assert in_thread(_handler).in_thread  # the check above skips a handler moved to a thread


def test_an_in_thread_handler_leaves_the_loop_free_and_keeps_its_result():
    loop_thread = []

    class Page:
        value = 0

        @in_thread
        def load(self, amount: int):
            time.sleep(0.3)  # a slow query
            self.value = amount
            return threading.current_thread() is not loop_thread[0]

    async def main():
        loop_thread.append(threading.current_thread())
        page = Page()
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        beat = asyncio.create_task(ticker())
        off_loop = await page.load(7)
        beat.cancel()
        return off_loop, page.value, ticks

    off_loop, value, ticks = asyncio.run(main())
    assert off_loop and value == 7
    assert ticks >= 10  # the loop kept running other work while the handler waited
    assert list(inspect.signature(Page.load).parameters) == ["self", "amount"]  # Reflex maps arguments by it
