"""The security-headers middleware: every header on every kind of response, caching, HSTS, foreign Origins."""

from __future__ import annotations

import asyncio
import base64
import hashlib

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient

from wbs_app.security_headers import (
    HSTS,
    IMMUTABLE,
    NO_STORE,
    SecurityHeaders,
    built_backend_urls,
    inline_script_hashes,
    origin_of,
)

BASE = "http://wbs.example:8080"
HASHES = ("'sha256-abc='",)
EVIDENCE_CSP = "sandbox; default-src 'none'; img-src 'self'"


async def page(request):
    return Response("<html><script>1</script></html>", media_type="text/html", headers={"Cache-Control": "max-age=60"})


async def asset(request):
    return Response("x", media_type="text/javascript", headers={"ETag": '"1"'})


async def evidence(request):
    return PlainTextResponse("berkas", headers={"Content-Security-Policy": EVIDENCE_CSP})


async def upload(request):
    await request.body()
    return PlainTextResponse("ok")


async def event(websocket):
    await websocket.accept()
    await websocket.send_text("halo")
    await websocket.close()


def client(base_url: str = BASE) -> TestClient:
    inner = Starlette(
        routes=[
            Route("/", page),
            Route("/assets/entry.client-BLyNL83x.js", asset),
            Route("/assets/entry.client-BLyNL83x.js.gz", asset),
            Route("/assets/fonts/inter-Ab12Cd34.woff2", asset),
            Route("/assets/entry.client.js.gz", asset),
            Route("/wbs.js", asset),
            Route("/_wbs/bukti/{token}", evidence),
            Route("/_upload", upload, methods=["POST"]),
            WebSocketRoute("/_event", event),
        ]
    )
    app = SecurityHeaders(
        inner,
        base_url=lambda: base_url,
        backend_urls=lambda: ("ws://127.0.0.1:9000/_event", "http://127.0.0.1:9000/_upload"),
        script_hashes=lambda: HASHES,
    )
    return TestClient(app, base_url=base_url)


FIXED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "x-frame-options": "DENY",
}


@pytest.mark.parametrize("path", ["/", "/assets/entry.client-BLyNL83x.js", "/wbs.js", "/tidak-ada", "/_wbs/bukti/x"])
def test_every_response_carries_the_fixed_headers(path):
    response = client().get(path)
    for name, value in FIXED.items():
        assert response.headers[name] == value, (path, name)
    assert "strict-transport-security" not in response.headers


def test_the_policy_allows_scripts_from_self_and_by_hash_only():
    csp = client().get("/").headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self' 'sha256-abc='"
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["connect-src"].split() == [
        "'self'",
        "http://wbs.example:8080",
        "ws://wbs.example:8080",
        "http://127.0.0.1:9000",
        "ws://127.0.0.1:9000",
    ]


def test_the_built_pages_are_read_for_html_answers_only():
    """Reading every built page's inline scripts costs a directory walk: only a page needs them."""
    reads = []
    inner = Starlette(routes=[Route("/", page), Route("/assets/entry.client-BLyNL83x.js", asset)])
    app = SecurityHeaders(
        inner, base_url=lambda: BASE, backend_urls=lambda: (), script_hashes=lambda: reads.append(1) or HASHES
    )
    c = TestClient(app, base_url=BASE)
    script = c.get("/assets/entry.client-BLyNL83x.js").headers["content-security-policy"]
    assert reads == [] and "'sha256-" not in script and "script-src 'self';" in script
    assert "'sha256-abc='" in c.get("/").headers["content-security-policy"] and reads == [1]


def test_a_route_with_its_own_stricter_policy_keeps_it():
    assert client().get("/_wbs/bukti/x").headers["content-security-policy"] == EVIDENCE_CSP


def test_hashed_assets_are_immutable_and_everything_else_is_not_stored():
    c = client()
    for path in [
        "/assets/entry.client-BLyNL83x.js",
        "/assets/entry.client-BLyNL83x.js.gz",
        "/assets/fonts/inter-Ab12Cd34.woff2",
    ]:
        assert c.get(path).headers["cache-control"] == IMMUTABLE, path
    for path in ["/", "/wbs.js", "/tidak-ada", "/_wbs/bukti/x", "/assets/entry.client.js.gz"]:
        response = c.get(path)
        assert response.headers["cache-control"] == NO_STORE, path
        assert "etag" not in response.headers
    assert c.post("/_upload", content=b"x", headers={"Origin": BASE}).headers["cache-control"] == NO_STORE


def test_hsts_only_for_an_https_base_url():
    assert "strict-transport-security" not in client().get("/").headers
    secure = client("https://wbs.example")
    response = secure.get("/")
    assert response.headers["strict-transport-security"] == HSTS
    assert "wss://wbs.example" in response.headers["content-security-policy"]


def test_a_foreign_origin_is_refused_on_every_http_route():
    c = client()
    for origin in ["http://evil.example", "null", "http://wbs.example:8081", "https://wbs.example:8080"]:
        response = c.post("/_upload", content=b"x", headers={"Origin": origin})
        assert response.status_code == 403, origin
        assert "access-control-allow-origin" not in response.headers
        assert c.get("/", headers={"Origin": origin}).status_code == 403
    assert c.post("/_upload", content=b"x", headers={"Origin": BASE}).status_code == 200
    assert c.post("/_upload", content=b"x", headers={"Origin": "HTTP://WBS.example:8080"}).status_code == 200
    assert c.get("/").status_code == 200  # a plain navigation sends no Origin


def test_a_websocket_from_a_foreign_origin_is_refused():
    from starlette.websockets import WebSocketDisconnect

    c = client()
    with pytest.raises(WebSocketDisconnect):
        with c.websocket_connect("/_event", headers={"Origin": "http://evil.example"}) as ws:
            ws.receive_text()
    with c.websocket_connect("/_event", headers={"Origin": BASE}) as ws:
        assert ws.receive_text() == "halo"


def test_a_refused_websocket_handshake_never_reaches_the_app():
    reached = []

    async def app(scope, receive, send):
        reached.append(scope["path"])

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "websocket.connect"}

    scope = {"type": "websocket", "path": "/_event/", "headers": [(b"origin", b"http://evil.example")]}
    asyncio.run(SecurityHeaders(app, base_url=lambda: BASE)(scope, receive, send))
    assert reached == []
    assert sent == [{"type": "websocket.close", "code": 1008}]


def test_inline_script_hashes_come_from_the_built_pages(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<script src="/x.js"></script><script>window.a=1</script>')
    (tmp_path / "a" / "b.html").write_text('<script type="module" async="">import("/y.js")</script>')
    expected = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in (b"window.a=1", b'import("/y.js")')
    }
    assert set(inline_script_hashes(tmp_path)) == expected


def test_backend_urls_come_from_the_built_env_json(tmp_path):
    (tmp_path / "env.json").write_text('{"EVENT": "wss://wbs.example/_event", "UPLOAD": "https://wbs.example/_upload"}')
    assert built_backend_urls(tmp_path) == ("wss://wbs.example/_event", "https://wbs.example/_upload")
    assert built_backend_urls(tmp_path / "tidak-ada") == ()


def test_origin_of_normalises_default_ports_and_case():
    assert origin_of("HTTPS://WBS.example:443/x") == "https://wbs.example"
    assert origin_of("http://127.0.0.1:3000/") == "http://127.0.0.1:3000"


async def localized_page(request):
    """A built page, plain or (as the build's .gz copy is served) compressed when the browser accepts gzip."""
    body = '<!DOCTYPE html><html lang="id"><head></head><body>Beranda</body></html>'
    if "gzip" in request.headers.get("accept-encoding", ""):
        import gzip

        return Response(gzip.compress(body.encode()), media_type="text/html", headers={"Content-Encoding": "gzip"})
    return Response(body, media_type="text/html")


def localized_client() -> TestClient:
    inner = Starlette(routes=[Route("/kontak/", localized_page), Route("/data.json", localized_page)])
    return TestClient(SecurityHeaders(inner, base_url=lambda: BASE, backend_urls=lambda: (), script_hashes=lambda: ()))


def test_a_page_says_the_language_the_browser_chose():
    english = localized_client().get("/kontak/", headers={"Cookie": "wbs_bahasa=en", "Accept-Encoding": "gzip"})
    # The plain page (a precompressed one cannot be relabelled), its length unchanged.
    assert english.headers.get("content-encoding") is None
    assert english.text.startswith('<!DOCTYPE html><html lang="en">')
    assert int(english.headers["content-length"]) == len(english.content)
    default = localized_client().get("/kontak/", headers={"Accept-Encoding": "gzip"})
    assert default.headers["content-encoding"] == "gzip" and '<html lang="id">' in default.text


@pytest.mark.parametrize("cookie", ["wbs_bahasa=xx", 'wbs_bahasa=en"><script>', "wbs_bahasa=", ""])
def test_a_forged_language_cookie_changes_nothing(cookie):
    answer = localized_client().get("/kontak/", headers={"Cookie": cookie, "Accept-Encoding": "identity"})
    assert '<html lang="id">' in answer.text and "script" not in answer.text


def test_only_pages_are_relabelled():
    answer = localized_client().get("/data.json", headers={"Cookie": "wbs_bahasa=en", "Accept-Encoding": "gzip"})
    assert answer.headers["content-encoding"] == "gzip"  # not a page path: left as the app answered
