"""HTTP routes beside Reflex's own: evidence and export downloads through signed, expiring links only, the two
routes that set and clear the HttpOnly login cookie, public tracking (GET /api/lacak/<nomor>), the institution's
logo and the printable receipt (api_public.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from wbs_app import api_public, i18n, language, routes
from wbs_app.db import open_session
from wbs_app.i18n import N_, _, term
from wbs_app.security_headers import origin_of
from wbs_app.services import (
    downloads,
    evidence,
    export,
    filecrypt,
    keys,
    login_tickets,
    previews,
    sessions,
    statistics_csv,
    tracking,
    vault,
)
from wbs_app.services.ratelimit import client_key
from wbs_app.settings import get_settings

EXPIRED = N_("Tautan tidak berlaku atau sudah kedaluwarsa. Muat ulang halaman laporan untuk tautan baru.")
MISSING = N_("Berkas tidak ditemukan.")
ALTERED = N_(
    "Berkas bukti ini tidak dikirim: isinya tidak lagi sama dengan saat diterima (sidik SHA-256 berbeda), "
    "jadi berkas mungkin rusak atau telah diubah. Kejadian ini sudah dicatat di log audit; hubungi administrator."
)


def _refused(request: Request, text: str, status_code: int, headers: dict | None = None) -> PlainTextResponse:
    """A refusal in the language of the browser that asked (its language cookie; Bahasa Indonesia without one)."""
    with language.use(api_public.request_language(request)):
        return PlainTextResponse(_(text), status_code=status_code, headers=headers)


EXPORT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


async def _granted_evidence(request: Request) -> tuple[Response | None, downloads.StoredFile | None]:
    """The stored file a signed link grants and whose SHA-256 still matches, or the answer to send instead.
    Decrypting and hashing the whole file (and the database work) runs off the event loop."""
    grant = downloads.read_download_token(request.path_params["token"])
    if grant is None:
        return _refused(request, EXPIRED, 404), None
    cookie = _session_token(request)
    client_ip = client_address(request)
    outcome, found = await asyncio.to_thread(_checked_evidence, grant, cookie, client_ip)
    if outcome == "expired":
        return _refused(request, EXPIRED, 404), None
    if outcome == "missing":
        return _refused(request, MISSING, 404), None
    if outcome == "altered":
        # 409, not 500: the text must reach the user as it is, not a proxy's generic error page.
        return _refused(request, ALTERED, 409, headers={"Cache-Control": "no-store"}), None
    return None, found


async def download_evidence(request: Request) -> Response:
    refusal, found = await _granted_evidence(request)
    if refusal is not None:
        return refusal
    inline = found.kind in evidence.INLINE_KINDS and request.query_params.get("unduh") != "1"
    # Decrypted chunk by chunk while it is sent (Starlette runs the iterator in its thread pool).
    chunks = filecrypt.read_chunks(found.path, key=found.key, file_id=found.file_id)
    return _evidence_response(chunks, found.kind, found.name, inline, size=found.size)


async def pdf_pages(request: Request) -> Response:
    """A PDF's first pages drawn as one PNG on the server, behind the same checks as its download."""
    refusal, found = await _granted_evidence(request)
    if refusal is not None:
        return refusal
    if found.kind != "pdf":
        return _refused(request, EXPIRED, 404)
    image, _ = await asyncio.to_thread(_pdf_preview, found)
    return Response(image, media_type="image/png", headers=_PRIVATE_FILE_HEADERS)


def _pdf_preview(found: downloads.StoredFile) -> tuple[bytes, int]:
    return previews.pdf_pages_png(filecrypt.read_file(found.path, key=found.key, file_id=found.file_id))


def _checked_evidence(
    grant: downloads.DownloadGrant, cookie: str, client_ip: str
) -> tuple[str, downloads.StoredFile | None]:
    """("ok", the file) for a file the link grants and whose SHA-256 still matches, else the reason."""
    with open_session() as db:
        record = downloads.may_download(session=db, grant=grant, session_token=cookie)
        if record is None:
            return "expired", None
        found = downloads.stored_file(session=db, record=record)
        if not found.path.exists():
            return "missing", None
        token = cookie if grant.session_digest else ""
        if not downloads.stored_evidence_intact(
            session=db, record=record, stored=found, session_token=token, client_ip=client_ip
        ):
            return "altered", None
        return "ok", found


async def download_draft_file(request: Request) -> Response:
    """A file of a report still being written, for its sender's "lihat bukti"."""
    found = downloads.read_draft_token(request.path_params["token"])
    if found is None or not found[0].exists():
        return _refused(request, EXPIRED, 404)
    path, kind = found
    try:
        data = await asyncio.to_thread(_read_draft, path)
    except (keys.IntegrityError, FileNotFoundError):
        return _refused(request, EXPIRED, 404)
    return _evidence_response([data], kind, f"bukti.{kind}", kind in evidence.INLINE_KINDS, size=len(data))


def _read_draft(path: Path) -> bytes:
    with open_session() as db:
        drafts_key = vault.system_key(session=db, name=evidence.DRAFT_KEY_NAME)
    return evidence.read_draft_file(path, drafts_key=drafts_key)


def _evidence_response(chunks, kind: str, name: str, inline: bool, *, size: int) -> Response:
    disposition = "inline" if inline else "attachment"
    headers = {
        **_PRIVATE_FILE_HEADERS,
        "Content-Length": str(size),
        "Content-Disposition": f"{disposition}; filename*=utf-8''{quote(name)}",
    }
    return StreamingResponse(
        chunks, media_type=evidence.CONTENT_TYPES.get(kind, "application/octet-stream"), headers=headers
    )


# Never cached, never sniffed as another type, no referrer, and nothing in it may run.
_PRIVATE_FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'",
}


async def download_export(request: Request) -> Response:
    found = await asyncio.to_thread(_granted_export, request.path_params["token"], _session_token(request))
    if found is None:
        return _refused(request, EXPIRED, 404)
    name, chunks = found
    return StreamingResponse(
        chunks,
        media_type=EXPORT_TYPES[Path(name).suffix],
        headers={
            "Content-Disposition": f'attachment; filename="laporan-wbs{Path(name).suffix}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


async def download_statistics_csv(request: Request) -> Response:
    """The numbers of one chart of the Statistik page, computed now for this staff member (services/statistics_csv)."""
    lang = language.from_cookies(request.headers.get("cookie", ""))  # the requester's language: headers, names
    found = await asyncio.to_thread(
        _granted_statistics_csv, request.path_params["token"], _session_token(request), lang
    )
    if found is None:
        return PlainTextResponse(i18n.translate(statistics_csv.EXPIRED, lang), status_code=404)
    name, body = found
    return Response(
        body,
        media_type=EXPORT_TYPES[".csv"],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


def _granted_statistics_csv(token: str, cookie: str, lang: str) -> tuple[str, bytes] | None:
    with open_session() as db, language.use(lang):
        return statistics_csv.granted_csv(session=db, token=token, session_token=cookie)


def _granted_export(token: str, cookie: str):
    """The export file a link grants to this browser's login (its name, and its content to decrypt as it is sent)."""
    with open_session() as db:
        name = downloads.read_export_token(token, session_token=cookie, session=db)
        if not name or not export.export_path(name).exists():
            return None
        return name, export.read_export(session=db, name=name)


def _session_token(request: Request) -> str:
    return sessions.token_from_cookies(request.headers.get("cookie", ""))


def client_address(request: Request) -> str:
    """The visitor's address as the websocket handler sees it (reflex/app.py): the connection's peer, or behind
    WBS_TRUSTED_PROXY_HOPS=n proxies the n-th address from the right of X-Forwarded-For (the one the outermost
    trusted proxy saw connect). Anything further left the client wrote itself."""
    address = request.client.host if request.client else ""
    if hops := get_settings().trusted_proxy_hops:
        forwarded = [ip.strip() for ip in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if ip.strip()]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    return address


# Public tracking -------------------------------------------------------------------------------------------
TRACKING = "/api/lacak/"
_TRACKING_STATUS = {tracking.MALFORMED: 404, tracking.UNKNOWN: 404, tracking.REFUSED: 429}


async def track(request: Request) -> Response:
    """A report's status and the day of its last update, as JSON: exactly what /lacak shows, under the same
    per-client limit (the page's lookups and these count together). Other sites' pages may read it (see
    security_headers.CROSS_ORIGIN_READABLE).
    The fields stay as they are, in Bahasa Indonesia, whoever asks; a request that asks for English (`?lang=en`,
    the language cookie or Accept-Language) gets the English beside them: "status_label", or "message" beside
    "pesan"."""
    client = client_key(client_address(request))
    chosen = api_public.request_language(request, accept_language=True)
    with language.use(language.DEFAULT):  # "pesan": the Indonesian message id, as always
        lookup = await tracking.look_up(request.path_params["nomor"], client=client)
    headers = {"Vary": "Accept-Language, Cookie"}
    with language.use(chosen):
        if lookup.found is not None:
            found = lookup.found.as_json()
            if chosen == language.ENGLISH:
                found["status_label"] = term(lookup.found.status)
            return JSONResponse(found, headers=headers)
        if lookup.retry_after:
            headers["Retry-After"] = str(lookup.retry_after)
        answer = {"pesan": lookup.message}
        if chosen == language.ENGLISH:
            answer["message"] = _(lookup.message)
        return JSONResponse(answer, status_code=_TRACKING_STATUS[lookup.problem], headers=headers)


# Login and logout --------------------------------------------------------------------------------------------
# The login page sends the browser here with a full navigation once the password (and second factor) are right;
# the websocket reconnects afterwards and its handshake carries the new cookie (state/auth.py reads it there).
LOGIN_FAILED = routes.LOGIN + "?masuk=gagal"


async def sign_in(request: Request) -> Response:
    """Redeem a one-time ticket (services/login_tickets): set the session cookie and go on to `lanjut`, a page of
    this app. A used, expired or unknown ticket, or a navigation another site started, sets nothing."""
    target = request.query_params.get("lanjut", "")
    if not routes.is_page_path(target):
        target = routes.ACCOUNT
    if not _started_on_this_app(request):
        return _see_other(LOGIN_FAILED)
    token = await asyncio.to_thread(_redeem, request.path_params["ticket"], request.headers.get("user-agent", ""))
    if token is None:
        return _see_other(LOGIN_FAILED)
    settings = get_settings()
    response = _see_other(target)
    response.set_cookie(
        sessions.cookie_name(),
        token,
        max_age=settings.session_absolute_hours * 3600,
        path="/",
        secure=settings.secure_cookies,
        httponly=True,
        samesite="strict",
    )
    return response


def _redeem(ticket: str, user_agent: str) -> str | None:
    with open_session() as db:
        return login_tickets.redeem_ticket(session=db, ticket=ticket, user_agent=user_agent)


async def sign_out(request: Request) -> Response:
    """Clear the session cookie (the logout already ended the session over the websocket; the one the cookie
    names ends here too). A GET, since the pages send Referrer-Policy: no-referrer, with which browsers send a
    form POST as `Origin: null`; a navigation another site started changes nothing."""
    if not _started_on_this_app(request):
        return _see_other(routes.HOME)
    await asyncio.to_thread(_revoke, _session_token(request))
    response = _see_other(routes.LOGIN)
    response.delete_cookie(
        sessions.cookie_name(), path="/", secure=get_settings().secure_cookies, httponly=True, samesite="strict"
    )
    return response


def _revoke(token: str) -> None:
    with open_session() as db:
        sessions.revoke_session(session=db, token=token)


def _started_on_this_app(request: Request) -> bool:
    """Whether a page of this app started the navigation (against login CSRF: another site sending a browser
    here with the other site's own ticket, or logging a visitor out). The handoff link (components/links.py)
    sends its origin as Referer; without one, Fetch Metadata must say same-origin. A browser that sends
    neither (old ones) is let through."""
    own = origin_of(get_settings().base_url)
    if referer := request.headers.get("referer"):
        return origin_of(referer) == own
    if site := request.headers.get("sec-fetch-site"):
        return site == "same-origin"
    return True


def _see_other(path: str) -> RedirectResponse:
    """303 to a page of this app, on the public address (the pages may be served from another port than this)."""
    return RedirectResponse(get_settings().base_url + path, status_code=303)


api = Starlette(
    routes=[
        Route(login_tickets.SIGN_IN + "{ticket}", sign_in, methods=["GET"]),
        Route(login_tickets.SIGN_OUT, sign_out, methods=["GET"]),
        Route(downloads.EVIDENCE_FILE + "{token}", download_evidence, methods=["GET"]),
        Route(downloads.EXPORT_FILE + "{token}", download_export, methods=["GET"]),
        Route(statistics_csv.ROUTE + "{token}", download_statistics_csv, methods=["GET"]),
        Route(downloads.DRAFT_FILE + "{token}", download_draft_file, methods=["GET"]),
        Route(downloads.PDF_PAGES + "{token}", pdf_pages, methods=["GET"]),
        Route(TRACKING + "{nomor}", track, methods=["GET"]),
        *api_public.ROUTES,
    ]
)
