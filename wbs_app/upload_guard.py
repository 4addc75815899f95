"""Refuses an evidence upload that is larger than a whole report may be, before its bytes are read.

Reflex streams POST /_upload into the upload handler, which counts each file's bytes and refuses a file
over the per-file limit, but it keeps reading (and skipping) the rest of the request. This middleware sits
in front of the whole app (one port serves pages, websocket and uploads) and bounds the request itself:

- a declared Content-Length over the bound is answered 413 without reading any of the body;
- a body that grows past the bound (chunked, no length) is cut once one byte more than the bound has
  arrived: the app sees a client disconnect (Reflex then cancels the upload handler, which tells the
  user why) and the client gets 413.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from reflex import constants
from reflex.config import get_config

from wbs_app import messages
from wbs_app.services import evidence
from wbs_app.settings import get_settings

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Message, Receive, Send], Awaitable[None]]

# Multipart boundaries, part headers and file names around the files themselves: a few hundred bytes per
# file, so this is far more than a browser needs for the files one report may hold.
MULTIPART_OVERHEAD = 1024 * 1024


def request_limit() -> int:
    """The most bytes one upload request may carry: a whole report's evidence plus the multipart framing.
    The per-file limit and what a draft already holds are checked by the upload handler as files arrive."""
    return get_settings().max_report_mb * evidence.MB + MULTIPART_OVERHEAD


def upload_path() -> str:
    return get_config().prepend_backend_path(str(constants.Endpoint.UPLOAD)).rstrip("/")


class UploadSizeGuard:
    """ASGI middleware; Reflex's `api_transformer` wraps the app in it."""

    def __init__(self, app: ASGIApp, *, limit: Callable[[], int] = request_limit, path: str | None = None):
        self.app = app
        self.limit = limit
        self.path = path if path is not None else upload_path()

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        limit = self.limit()
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send)
            return

        seen = 0
        cut = False
        responded = False

        async def bounded_receive() -> Message:
            nonlocal seen, cut
            if cut:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # Stop reading here: nothing past this chunk is asked of the server.
                    cut = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal responded
            if cut:
                return  # the app's answer to a "disconnect" it was told about; the client gets the 413
            if message["type"] == "http.response.start":
                responded = True
            await send(message)

        await self.app(scope, bounded_receive, guarded_send)
        if cut and not responded:
            await _refuse(send)


def _content_length(scope: Message) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server itself rejects a malformed length
    return None


async def _refuse(send: Send) -> None:
    body = messages.UPLOAD_TOO_LARGE.format(max=get_settings().max_report_mb).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
