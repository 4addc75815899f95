"""Security headers on every response, and only the configured origin let in.

One port serves the compiled pages, their assets, the websocket (`/_event`), uploads (`/_upload`) and the
routes of wbs_app/api.py; Reflex's `api_transformer` wraps all of them in this middleware (outermost).

- Every HTTP response gets a Content-Security-Policy (scripts from this origin only, plus, in HTML answers,
  the SHA-256 of each inline script the compiled pages hold, computed from the built HTML files: no
  'unsafe-inline', no eval),
  frame and sniffing protection, no referrer, no camera/microphone/geolocation, same-origin opener and
  resource policies, and HSTS when the base URL is https. A route that sends its own, stricter CSP (the
  evidence files' `sandbox`) keeps it.
- `Cache-Control: no-store` on everything except the content-hashed files under /assets/ (and their .gz/.br
  copies) and the institution's logo (named by its SHA-256), which never change and are cached for a year as
  immutable.
- A request (HTTP or websocket handshake) whose Origin header names any other origin than WBS_BASE_URL is
  answered 403 before the app sees it. Requests without Origin (plain navigations, images) pass.
- One exception: a GET (or HEAD) of public tracking (CROSS_ORIGIN_READABLE) from any origin passes, and its
  answer says `Access-Control-Allow-Origin: *`, so an institution portal's page can show a report's status.
  No credentials: a browser refuses `*` to a request sent with cookies, and the route reads none anyway.
- A page (HTML) asked for by a browser that chose English (wbs_app/language.py's cookie) says so in
  `<html lang>`: the stylesheet then shows the English texts from the first paint (components/text.py).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from wbs_app import language
from wbs_app.settings import get_settings

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Message, Receive, Send], Awaitable[None]]

NO_STORE = "no-store"
IMMUTABLE = "public, max-age=31536000, immutable"
HSTS = "max-age=31536000; includeSubDomains"
# Vite names every built asset `name-<hash>.ext` (the hash is 8 url-safe base64 characters); the build's
# precompressed copies add .gz (or .br, .zst) to that name.
_HASHED_ASSET = re.compile(r"^/assets/(?:[^/]+/)*[^/]+-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+(?:\.(?:gz|br|zst))?$")
# The institution's logo (services/institution): its name is the SHA-256 of its bytes.
_HASHED_LOGO = re.compile(r"^/_wbs/logo/[0-9a-f]{64}\.(?:png|jpg)$")
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)

# GET under these paths: readable by any site's page (see the module docstring); only public tracking, whose
# answer anybody who knows a report number may see, under a limit per visitor's address (wbs_app/api.py).
CROSS_ORIGIN_READABLE = ("/api/lacak/",)

_FIXED_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "x-frame-options": "DENY",
}


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, lower-case, default ports left out."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is None or (scheme, port) in (("http", 80), ("https", 443), ("ws", 80), ("wss", 443)):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def _websocket_origin(origin: str) -> str:
    return "wss" + origin[len("https") :] if origin.startswith("https") else "ws" + origin[len("http") :]


def built_pages_dir() -> Path:
    """Where `reflex run --env prod` (and reflex export) puts the compiled pages, as Reflex serves them."""
    from reflex import constants
    from reflex.utils import prerequisites

    return prerequisites.get_web_dir() / constants.Dirs.STATIC


def inline_script_hashes(directory: Path | None = None) -> tuple[str, ...]:
    """CSP sources ('sha256-…') of every inline script in the compiled pages. Re-read when a file changes."""
    directory = directory or built_pages_dir()
    try:
        files = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in directory.rglob("*.html")))
    except OSError:
        files = ()
    return _hashes_of(files)


@functools.lru_cache(maxsize=4)
def _hashes_of(files: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    found: set[str] = set()
    for name, _mtime in files:
        try:
            html = Path(name).read_bytes()
        except OSError:
            continue
        for match in _INLINE_SCRIPT.finditer(html):
            found.add(script_hash(match.group(1)))
    return tuple(sorted(found))


def script_hash(body: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"


def connect_sources(base_url: str, backend_urls: tuple[str, ...]) -> list[str]:
    """'self', the websocket origin of the base URL, and the backend's origins if the pages talk to another."""
    sources = ["'self'"]
    for url in (base_url, *backend_urls):
        origin = origin_of(url.replace("wss://", "https://", 1).replace("ws://", "http://", 1))
        for source in (origin, _websocket_origin(origin)):
            if source not in sources:
                sources.append(source)
    return sources


@functools.lru_cache(maxsize=8)
def content_security_policy(base_url: str, backend_urls: tuple[str, ...], script_hashes: tuple[str, ...]) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src " + " ".join(["'self'", *script_hashes]),
            # Radix Themes and emotion set style attributes and insert <style> elements at run time.
            "style-src 'self' 'unsafe-inline'",
            # The 2FA QR code is an SVG data: URI.
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src " + " ".join(connect_sources(base_url, backend_urls)),
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "object-src 'none'",
        ]
    )


def built_backend_urls(web_dir: Path | None = None) -> tuple[str, ...]:
    """The websocket and upload URLs the compiled pages were built to talk to (.web/env.json)."""
    if web_dir is None:
        from reflex.utils import prerequisites

        web_dir = prerequisites.get_web_dir()
    path = web_dir / "env.json"
    try:
        return _backend_urls_of(str(path), path.stat().st_mtime_ns)
    except OSError:
        return ()


@functools.lru_cache(maxsize=4)
def _backend_urls_of(path: str, _mtime: int) -> tuple[str, ...]:
    try:
        env = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return ()
    return tuple(env[name] for name in ("EVENT", "UPLOAD") if isinstance(env.get(name), str))


def _kept_for(seconds: float, read: Callable[[], tuple[str, ...]]) -> Callable[[], tuple[str, ...]]:
    """`read`, asked again at most every `seconds`: its files change only when the pages are built anew, and
    looking at them (a stat of env.json, a walk over every built page) cost each response more than the answer."""
    kept: list = [float("-inf"), ()]

    def current() -> tuple[str, ...]:
        now = time.monotonic()
        if now - kept[0] > seconds:
            kept[:] = [now, read()]
        return kept[1]

    return current


class SecurityHeaders:
    """ASGI middleware; Reflex's `api_transformer` wraps the whole app in it (last in the list = outermost)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        base_url: Callable[[], str] = lambda: get_settings().base_url,
        backend_urls: Callable[[], tuple[str, ...]] = built_backend_urls,
        script_hashes: Callable[[], tuple[str, ...]] = inline_script_hashes,
    ):
        self.app = app
        self.base_url = base_url
        self.backend_urls = _kept_for(2.0, backend_urls)
        self.script_hashes = _kept_for(2.0, script_hashes)

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        base_url = self.base_url()
        path = scope.get("path", "")
        readable = (
            scope["type"] == "http"
            and scope.get("method") in ("GET", "HEAD")
            and path.startswith(CROSS_ORIGIN_READABLE)
        )
        origin = _header(scope, b"origin")
        if origin is not None and origin_of(origin) != origin_of(base_url) and not readable:
            await _refuse(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return

        chosen = language.from_cookies(_header(scope, b"cookie"))
        relabel = False
        if chosen != language.DEFAULT and _is_page_path(path):
            # The build's precompressed pages cannot be relabelled: this browser gets the plain one.
            scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]}

        async def send_with_headers(message: Message) -> None:
            nonlocal relabel
            if message["type"] == "http.response.start":
                raw = message.get("headers", [])
                relabel = chosen != language.DEFAULT and _is_plain_html(raw)
                message["headers"] = self._headers(raw, path, message["status"], base_url)
                if readable:
                    message["headers"].append((b"access-control-allow-origin", b"*"))
            elif relabel and message["type"] == "http.response.body":
                # The tag opens the document: only the first part of the body is looked at.
                message["body"], relabel = _relabelled(message.get("body", b""), chosen), False
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _headers(self, raw: list, path: str, status: int, base_url: str) -> list:
        present = {name.lower(): value for name, value in raw}
        added: list[tuple[bytes, bytes]] = []
        if b"content-security-policy" not in present:
            # Inline scripts run only in pages: other answers (scripts, styles, JSON) need no hashes, and
            # reading them from the built pages for each of those would cost every request.
            html = present.get(b"content-type", b"").startswith(b"text/html")
            csp = content_security_policy(base_url, self.backend_urls(), self.script_hashes() if html else ())
            added.append((b"content-security-policy", csp.encode()))
        for name, value in _FIXED_HEADERS.items():
            if name.encode() not in present:
                added.append((name.encode(), value.encode()))
        if base_url.startswith("https://"):
            added.append((b"strict-transport-security", HSTS.encode()))
        cache = IMMUTABLE if status == 200 and (_HASHED_ASSET.match(path) or _HASHED_LOGO.match(path)) else NO_STORE
        kept = [
            (name, value)
            for name, value in raw
            if name.lower()
            not in (b"cache-control", b"strict-transport-security", b"expires", b"etag", b"last-modified")
            or (cache == IMMUTABLE and name.lower() in (b"etag", b"last-modified"))
        ]
        return [*kept, *added, (b"cache-control", cache.encode())]


_HTML_LANG = f'<html lang="{language.DEFAULT}"'.encode()


def _is_page_path(path: str) -> bool:
    """A path that names a page, not a file (script, style, image) nor an app route."""
    last = path.rsplit("/", 1)[-1]
    return not path.startswith(("/_", "/api/", "/assets/")) and ("." not in last or last.endswith(".html"))


def _is_plain_html(raw: list) -> bool:
    present = {name.lower(): value for name, value in raw}
    return present.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in present


def _relabelled(body: bytes, chosen: str) -> bytes:
    """The page's `<html lang>` set to `chosen`: a code as long as the default's, so Content-Length holds."""
    return body.replace(_HTML_LANG, f'<html lang="{chosen}"'.encode(), 1)


def _header(scope: Message, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name.lower() == wanted:
            return value.decode("latin-1")
    return None


async def _refuse(scope: Message, receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        # Closing before accepting makes the server answer the handshake with 403.
        await send({"type": "websocket.close", "code": 1008})
        return
    body = b"Asal permintaan tidak diizinkan."
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", NO_STORE.encode()),
                (b"x-content-type-options", b"nosniff"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
