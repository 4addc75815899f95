"""Public HTTP routes of the institution's pages: its logo (cached for a year under its content hash) and the
printable receipt of a report (Bukti Pelaporan, a PDF behind a signed, expiring link)."""

from __future__ import annotations

import asyncio
import threading

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from wbs_app import language
from wbs_app.db import open_session
from wbs_app.i18n import _
from wbs_app.security_headers import IMMUTABLE
from wbs_app.services import filing_receipt, institution

# Nothing in a served image or PDF may run, and it is never framed.
_FILE_POLICY = "default-src 'none'; img-src 'self'; sandbox"

# Per process is right: a name is the content's hash, so no worker can hold a stale logo.
_logos: dict[str, tuple[bytes, str]] = {}
_logos_lock = threading.Lock()


def _logo(name: str) -> tuple[bytes, str] | None:
    """A logo by its content-hash name; kept in memory once read (a name never changes content)."""
    with _logos_lock:
        if name in _logos:
            return _logos[name]
    with open_session() as db:
        found = institution.stored_logo(session=db, name=name)
    if found is not None:
        with _logos_lock:
            if len(_logos) >= 8:
                _logos.clear()
            _logos[name] = found
    return found


async def logo(request: Request) -> Response:
    found = await asyncio.to_thread(_logo, request.path_params["name"])
    if found is None:
        return PlainTextResponse("Logo tidak ditemukan.", status_code=404)
    data, content_type = found
    return Response(
        data,
        media_type=content_type,
        headers={"Cache-Control": IMMUTABLE, "Content-Security-Policy": _FILE_POLICY},
    )


def _receipt(number: str, lang: str) -> bytes | None:
    with language.use(lang), open_session() as db:
        return filing_receipt.receipt_pdf(session=db, registration_number=number)


async def receipt(request: Request) -> Response:
    """A report's Bukti Pelaporan, drawn off the event loop; the link (signed, expiring) names the report. In the
    language of the browser that asks for it (its language cookie)."""
    lang = language.from_cookies(request.headers.get("cookie"))
    number = filing_receipt.number_of_token(request.path_params["token"])
    pdf = await asyncio.to_thread(_receipt, number, lang) if number else None
    with language.use(lang):
        if pdf is None:
            return PlainTextResponse(
                _(
                    "Tautan Bukti Pelaporan tidak berlaku atau sudah kedaluwarsa. Muat ulang halaman konfirmasi "
                    "untuk tautan baru."
                ),
                status_code=404,
            )
        file_name = _("bukti-pelaporan-{number}.pdf").format(number=number)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{file_name}"',
            "Content-Security-Policy": _FILE_POLICY,
        },
    )


ROUTES = [
    Route(institution.LOGO_ROUTE + "{name}", logo, methods=["GET"]),
    Route(filing_receipt.ROUTE + "{token}", receipt, methods=["GET"]),
]
