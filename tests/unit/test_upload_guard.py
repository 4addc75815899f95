"""The upload guard refuses an oversized POST /_upload before (or as soon as) its bytes arrive."""

from __future__ import annotations

import asyncio
import concurrent.futures

from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response

from wbs_app import messages
from wbs_app.services import evidence
from wbs_app.settings import get_settings
from wbs_app.upload_guard import MULTIPART_OVERHEAD, UploadSizeGuard, request_limit

GB = 1024 * evidence.MB


class StreamingUploadApp:
    """Reads the body the way Reflex's streaming upload endpoint does, and answers like it."""

    def __init__(self):
        self.bytes_read = 0
        self.disconnected = False

    async def __call__(self, scope, receive, send):
        request = Request(scope, receive)
        try:
            async for chunk in request.stream():
                self.bytes_read += len(chunk)
        except ClientDisconnect:
            self.disconnected = True
            response = Response()  # what Reflex answers after cancelling the upload handler
        else:
            response = PlainTextResponse(f"diterima {self.bytes_read}", status_code=202)
        await response(scope, receive, send)


class Client:
    """The server side of one request: hands out body chunks on demand and counts what was asked for."""

    def __init__(self, chunks):
        self.chunks = iter(chunks)
        self.bytes_handed_out = 0
        self.sent: list[dict] = []

    async def receive(self):
        chunk = next(self.chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        self.bytes_handed_out += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(self, message):
        self.sent.append(message)

    @property
    def status(self) -> int:
        return next(m["status"] for m in self.sent if m["type"] == "http.response.start")

    @property
    def text(self) -> str:
        return b"".join(m.get("body", b"") for m in self.sent if m["type"] == "http.response.body").decode()


def endless(size: int):
    """Far more than any limit here (a guard that failed to cut would read all of it, not hang)."""
    return finite(300 * evidence.MB, size)


def finite(total: int, size: int):
    while total > 0:
        yield b"x" * min(size, total)
        total -= size


def scope(path="/_upload", method="POST", headers=()):
    return {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(b"content-type", b"multipart/form-data; boundary=x"), *headers],
        "query_string": b"",
    }


def run(coroutine):
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_a_declared_two_gigabyte_upload_is_refused_without_reading_its_body():
    app = StreamingUploadApp()
    client = Client(endless(64 * 1024))
    guard = UploadSizeGuard(app, path="/_upload")
    run(guard(scope(headers=[(b"content-length", str(2 * GB).encode())]), client.receive, client.send))
    assert client.bytes_handed_out == 0 and app.bytes_read == 0
    assert client.status == 413
    assert client.text == messages.UPLOAD_TOO_LARGE.format(max=get_settings().max_report_mb)


def test_a_body_without_length_is_cut_one_byte_past_the_limit():
    app = StreamingUploadApp()
    client = Client(finite(20_000, 1))
    guard = UploadSizeGuard(app, limit=lambda: 5000, path="/_upload")
    run(guard(scope(), client.receive, client.send))
    assert client.bytes_handed_out == 5001  # nothing more was read from the connection
    assert app.bytes_read == 5000 and app.disconnected  # the upload handler was stopped, not fed a cut file
    assert client.status == 413 and "melebihi batas" in client.text
    # Only the guard's answer went out, not the app's reply to the disconnect.
    assert [m["type"] for m in client.sent] == ["http.response.start", "http.response.body"]


def test_a_growing_body_stops_within_one_network_chunk_of_the_real_limit():
    limit = request_limit()
    app = StreamingUploadApp()
    client = Client(endless(64 * 1024))
    run(UploadSizeGuard(app, path="/_upload")(scope(), client.receive, client.send))
    assert limit < client.bytes_handed_out <= limit + 64 * 1024
    assert app.bytes_read <= limit and client.status == 413


def test_the_limit_is_one_report_of_evidence_plus_the_multipart_framing():
    assert request_limit() == get_settings().max_report_mb * evidence.MB + MULTIPART_OVERHEAD


def test_a_normal_upload_passes_through_untouched():
    app = StreamingUploadApp()
    body = 3 * evidence.MB
    client = Client(finite(body, 64 * 1024))
    headers = [(b"content-length", str(body).encode())]
    run(UploadSizeGuard(app, path="/_upload")(scope(headers=headers), client.receive, client.send))
    assert app.bytes_read == body and not app.disconnected
    assert client.status == 202 and client.text == f"diterima {body}"


def test_other_requests_are_not_bounded():
    for request in (scope(path="/lapor", headers=[(b"content-length", str(2 * GB).encode())]), scope(method="GET")):
        app = StreamingUploadApp()
        client = Client(finite(2 * evidence.MB, 64 * 1024))
        run(UploadSizeGuard(app, limit=lambda: 1000, path="/_upload")(request, client.receive, client.send))
        assert app.bytes_read == 2 * evidence.MB and client.status == 202


def test_the_app_is_wrapped_in_the_guard():
    """Reflex applies api_transformer to the one ASGI app that serves pages, websocket and uploads."""
    from wbs_app.wbs_app import app

    assert UploadSizeGuard in app.api_transformer


def test_a_cut_upload_keeps_none_of_its_files(tmp_path):
    """When the request stops mid-way Reflex cancels the handler: files already cleaned are removed too."""
    from tests.unit import sample_evidence
    from tests.unit.builders import Chunk, chunk_stream
    from wbs_app.services import evidence
    from wbs_app.state.uploads import receive_files

    photo = sample_evidence.jpeg_with_gps()

    async def cut_stream():
        async for chunk in chunk_stream([Chunk("foto.jpg", 0, photo), Chunk("kedua.jpg", 0, photo[:100])]):
            yield chunk
        raise asyncio.CancelledError

    folder = tmp_path / "draft"
    space = evidence.ClientDraftSpace("10.0.0.1", folder)
    try:
        run(
            receive_files(
                cut_stream(), folder=folder, already_bytes=0, already_files=0, space=space, drafts_key=bytes(32)
            )
        )
    except asyncio.CancelledError:
        pass
    else:
        raise AssertionError("the cancellation was swallowed")
    assert list(folder.iterdir()) == []
