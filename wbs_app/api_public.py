"""Public HTTP routes of the institution's pages: its logo (cached for a year under its content hash) and the
printable receipt of a report (Bukti Pelaporan, a PDF behind a signed, expiring link); and the language an HTTP
request asks for (request_language), used by every route's text."""

from __future__ import annotations

import asyncio
import threading

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from wbs_app import language
from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.security_headers import IMMUTABLE
from wbs_app.services import filing_receipt, institution

# Nothing in a served image or PDF may run, and it is never framed.
_FILE_POLICY = "default-src 'none'; img-src 'self'; sandbox"

LOGO_NOT_FOUND = N_("Logo tidak ditemukan.")
RECEIPT_LINK_EXPIRED = N_(
    "Tautan Bukti Pelaporan tidak berlaku atau sudah kedaluwarsa. Muat ulang halaman konfirmasi untuk tautan baru."
)


def request_language(request: Request, *, accept_language: bool = False) -> str:
    """The language of a request's answer: `?lang=`, else the browser's language cookie (wbs_app/language.py),
    else (where `accept_language`: the JSON API, read by other programs) the Accept-Language header's first
    language that WBS offers; else Bahasa Indonesia."""
    asked = request.query_params.get("lang", "")
    if asked in language.LANGUAGES:
        return asked
    cookies = request.headers.get("cookie", "")
    if f"{language.COOKIE}=" in cookies:
        return language.from_cookies(cookies)
    if accept_language:
        return _accepted(request.headers.get("accept-language", ""))
    return language.DEFAULT


def _accepted(header: str) -> str:
    """The most preferred language of an Accept-Language header that is offered ("en-GB,en;q=0.8,id;q=0.5")."""
    ranked = []
    for position, item in enumerate(header.split(",")[:20]):
        tag, _sep, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in language.LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else language.DEFAULT


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
        with language.use(request_language(request)):
            return PlainTextResponse(_(LOGO_NOT_FOUND), status_code=404)
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
    lang = request_language(request)
    number = filing_receipt.number_of_token(request.path_params["token"])
    pdf = await asyncio.to_thread(_receipt, number, lang) if number else None
    with language.use(lang):
        if pdf is None:
            return PlainTextResponse(_(RECEIPT_LINK_EXPIRED), status_code=404)
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
