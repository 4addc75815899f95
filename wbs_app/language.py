"""The language of the pages, messages, emails and receipts, in one place.

Bahasa Indonesia is the default; English is the second language. A browser's choice lives in a plain cookie
(not a secret: page scripts set it, assets/wbs.js, and it says only which language to show). Everything that
needs the language asks `current()`:
- page responses: security_headers rewrites `<html lang>` from the request's cookie (CSS then shows the texts
  of that language, components/text.py);
- event handlers: the cookie of the websocket's own handshake (a switch reloads the page, so the socket that
  runs the handler carries the choice);
- HTTP routes, emails and scheduled jobs: `use(language)` around the work (the request's cookie, the
  recipient's stored language).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DEFAULT = "id"  # BCP 47: Bahasa Indonesia
ENGLISH = "en"
LANGUAGES = (DEFAULT, ENGLISH)
COOKIE = "wbs_bahasa"

_chosen: ContextVar[str | None] = ContextVar("wbs_language", default=None)


def normalize(value: str | None) -> str:
    """One of LANGUAGES: anything else (a forged cookie, an old value) is the default."""
    return value if value in LANGUAGES else DEFAULT


def from_cookies(cookie_header: str | None) -> str:
    """The language a Cookie header asks for (the last well-formed value wins, as browsers send newest last)."""
    chosen = DEFAULT
    for pair in (cookie_header or "").split(";"):
        name, _, value = pair.strip().partition("=")
        if name == COOKIE and value.strip() in LANGUAGES:
            chosen = value.strip()
    return chosen


def _of_event() -> str | None:
    from reflex_base.constants import RouteVar
    from reflex_base.event.context import EventContext

    try:
        context = EventContext.get()
    except LookupError:
        return None
    headers = context.router_data.get(RouteVar.HEADERS) or {}
    return from_cookies(headers.get("cookie", ""))


def current() -> str:
    """The language of what is being done now: set by `use`, else the event's browser, else the default."""
    return _chosen.get() or _of_event() or DEFAULT


@contextmanager
def use(language: str | None) -> Iterator[str]:
    """Do the work inside in `language` (an HTTP request's, an email recipient's)."""
    token = _chosen.set(normalize(language))
    try:
        yield normalize(language)
    finally:
        _chosen.reset(token)
