"""Event handlers that use the database run in a worker thread, not on the event loop.

Reflex runs every visitor's events on one event loop per worker: a synchronous handler that reads a page of rows,
opens sealed columns or waits for a write holds every other visitor's events for that long. `in_thread` keeps
such a handler synchronous to write and to test, and runs its body in the default thread pool while the event
holds its state (Reflex keeps the state's lock until the handler returns, so no other event of the same tab
touches it meanwhile). The thread gets the event's context (asyncio.to_thread copies it): `language.current()`
and the router data read as on the loop.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable


def in_thread(method: Callable) -> Callable:
    """A synchronous event handler `method(self, ...)` as an async one that runs it in a worker thread.
    Put it below `@rx.event`; whatever it returns (a redirect, a chained event) is returned as is."""
    if inspect.iscoroutinefunction(method) or inspect.isgeneratorfunction(method):
        raise TypeError(f"{method.__name__}: only a plain synchronous handler can be moved to a thread")

    @functools.wraps(method)
    async def handler(self, *args, **kwargs):
        return await asyncio.to_thread(method, self, *args, **kwargs)

    handler.in_thread = True  # tests/unit/test_off_loop.py finds the handlers that are not
    return handler
