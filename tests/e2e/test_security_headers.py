"""Security headers on every route of the production build, only the configured Origin let in, and every page
working under the Content-Security-Policy (no violation reported by the browser)."""

from __future__ import annotations

import os
import re
import socket
from urllib.parse import urlparse

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import expect_path, open_page
from tests.e2e.helpers import PASSWORD, create_staff, enrol_in_browser, login
from tests.e2e.wizard import PNG, fill_anonymous_reporter, fill_details, fill_location, start_wizard
from wbs_app import routes
from wbs_app.security_headers import IMMUTABLE, NO_STORE

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)

FOREIGN = "http://evil.example"
EXPECTED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "x-frame-options": "DENY",
}
# Values for the [parameters] of dynamic routes.
SAMPLE = {"token": "tidak-ada", "kanal": "pelanggaran", "nomor": "WBS-0000-0000"}


def every_page_path() -> list[str]:
    from wbs_app.wbs_app import PAGES

    return [re.sub(r"\[(\w+)\]", lambda m: SAMPLE[m.group(1)], page.route) for page in PAGES]


def backend_url(path: str) -> str:
    return os.environ["WBS_BASE_URL"] + path  # the server under test: one port for pages and the backend


def assert_protected(response: httpx.Response, cache: str = NO_STORE) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (response.url, name)
    csp = response.headers["content-security-policy"]
    if "sandbox" not in csp:
        for directive in [
            "default-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "object-src 'none'",
            "img-src 'self' data:",
        ]:
            assert directive in csp, (response.url, directive)
        script_src = re.search(r"script-src ([^;]*)", csp).group(1)
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert response.headers["cache-control"] == cache, response.url
    assert "strict-transport-security" not in response.headers  # the harness's base URL is http


def test_every_page_route_carries_the_headers(app_harness):
    base = app_harness.frontend_url.rstrip("/")
    paths = every_page_path()
    assert "/lapor/pelanggaran" in paths and routes.STAFF_ADMIN in paths
    for path in paths:
        response = httpx.get(base + path, follow_redirects=True)
        assert response.status_code in (200, 404), path
        assert_protected(response)
        assert response.headers["content-type"].startswith("text/html")
        # Every inline script of the page is allowed by its hash, and by nothing broader.
        csp = response.headers["content-security-policy"]
        assert "'sha256-" in csp
    # A page that does not exist.
    assert_protected(httpx.get(base + "/tidak-ada-halaman-ini", follow_redirects=True))


def test_assets_are_immutable_and_backend_routes_are_not_stored(app_harness):
    base = app_harness.frontend_url.rstrip("/")
    html = httpx.get(base + "/").text
    assets = re.findall(r'(?:src|href)="(/assets/[^"]+-[A-Za-z0-9_-]{8,}\.(?:js|css))"', html)
    assert assets, html[:500]
    response = httpx.get(base + assets[0])
    assert response.status_code == 200
    assert_protected(response, cache=IMMUTABLE)
    # Files of assets/ without a content hash in their name may change with the next release.
    assert_protected(httpx.get(base + "/wbs.js"))
    ping = httpx.get(backend_url("/ping"))
    assert ping.status_code == 200
    assert_protected(ping)
    # An api route (an expired evidence link): its own, stricter CSP kept.
    evidence = httpx.get(backend_url("/_wbs/bukti/tidak-ada"))
    assert evidence.status_code == 404
    assert_protected(evidence)


def _handshake(origin: str | None) -> bytes:
    address = urlparse(backend_url("/"))
    lines = [
        "GET /_event/?EIO=4&transport=websocket HTTP/1.1",
        f"Host: {address.netloc}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
    ]
    if origin:
        lines.append(f"Origin: {origin}")
    with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return conn.recv(4096).split(b"\r\n", 1)[0]


def test_a_websocket_from_a_foreign_origin_is_refused(app_harness):
    assert b" 403 " in _handshake(FOREIGN)
    assert b" 403 " in _handshake("null")
    # The app's own origin still connects.
    assert b" 101 " in _handshake(app_harness.frontend_url.rstrip("/"))


def test_an_upload_from_a_foreign_origin_is_refused(app_harness):
    response = httpx.post(
        backend_url("/_upload"),
        headers={"Origin": FOREIGN, "Reflex-Client-Token": "x", "Reflex-Event-Handler": "x"},
        files={"files": ("a.png", PNG, "image/png")},
    )
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers
    # The same request from the app's own origin reaches Reflex (which refuses the made-up token otherwise).
    own = httpx.post(
        backend_url("/_upload"),
        headers={"Origin": app_harness.frontend_url.rstrip("/")},
        files={"files": ("a.png", PNG, "image/png")},
    )
    assert own.status_code != 403
    assert own.headers.get("access-control-allow-origin") in (None, app_harness.frontend_url.rstrip("/"))


def test_a_page_request_carrying_a_foreign_origin_is_refused(app_harness):
    base = app_harness.frontend_url.rstrip("/")
    response = httpx.get(base + "/", headers={"Origin": FOREIGN})
    assert response.status_code == 403


@pytest.fixture
def violations(page):
    """Every CSP violation the browser reports on this page, from the DOM event and the console."""
    found: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP-VIOLATION ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.on(
        "console",
        lambda msg: (
            found.append(msg.text) if ("CSP-VIOLATION" in msg.text or "Content Security Policy" in msg.text) else None
        ),
    )
    return found


def test_public_pages_and_the_report_wizard_work_under_the_policy(page, violations, tmp_path):
    for path in ["/", "/tentang", "/lapor", "/lacak", "/faq", "/kontak", "/masuk", "/daftar", "/aktivasi"]:
        open_page(page, path)
    start_wizard(page)
    fill_anonymous_reporter(page)
    fill_details(page)
    fill_location(page, tmp_path)  # two files uploaded
    expect(page.get_by_role("heading", name="Ringkasan Laporan")).to_be_visible()
    expect(page.locator("main")).to_contain_text("kontrak.pdf")
    page.wait_for_timeout(500)
    assert violations == []


def test_login_with_the_2fa_qr_code_and_staff_pages_work_under_the_policy(page, violations):
    staff = create_staff("admin", enrolled=False)
    login(page, staff["username"], staff.get("password", PASSWORD))
    expect(page.locator("img.totp-qr[src^='data:image/svg+xml']")).to_be_visible()
    enrol_in_browser(page)
    page.get_by_role("button", name="Lanjutkan").click()
    expect_path(page, routes.STAFF_HOME)  # the session cookie is set by the login route on the way
    for path in [routes.STAFF_HOME, routes.STAFF_STATS, routes.STAFF_ADMIN, routes.ACCOUNT]:
        open_page(page, path)
    page.wait_for_timeout(500)
    assert violations == []
