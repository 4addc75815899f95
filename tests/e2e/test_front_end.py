"""The production build as it is served on one port: every page answers at its own path with 200 (no redirect),
the public pages' HTML holds their content before any script runs, hashed assets are cached for a year, and
GET /api/lacak/<nomor> can be read by another site's page in a real browser."""

from __future__ import annotations

import datetime as dt
import html
import http.server
import re
import secrets
import threading

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, app_db, free_port, open_page
from wbs_app.security_headers import IMMUTABLE, NO_STORE

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)

BUILD = ROOT / ".web" / "build" / "client"
# Each public page: its heading, and text of its own (not of the frame) that only pre-rendering puts in the HTML.
PUBLIC = {
    "/": ("Whistleblowing System", "Kriteria Pengaduan"),
    "/tentang": ("Tentang WBS", "Saluran Pelaporan"),
    "/lapor": ("Lapor Sekarang", "Periksa laporan Anda"),
    "/lapor/pelanggaran": ("Form Pelaporan", "Pelanggaran (WBS)"),
    "/lapor/benturan-kepentingan": ("Form Pelaporan", "Benturan Kepentingan"),
    "/lapor/gratifikasi": ("Form Pelaporan", "Gratifikasi"),
    "/lacak": ("Lacak Laporan", "Masukkan Nomor Registrasi"),
    "/faq": ("Pertanyaan yang Sering Diajukan", "Bukti apa yang dapat saya lampirkan?"),
    "/kontak": ("Kontak", "Hubungi pengelola"),
    "/masuk": ("Masuk", "Username atau Email"),
    "/daftar": ("Daftar Akun Baru", "Detail Akun"),
    "/aktivasi": ("Aktivasi Akun", "Email yang didaftarkan"),
    "/lupa-password": ("Lupa Password", "Kami akan mengirim tautan"),
    "/akses": ("Buka Laporan", "Kode Akses"),
}
# Dynamic routes: no file of their own; the app's shell answers with 200 and routes in the browser.
DYNAMIC = ["/laporan/WBS-7K3M9Q2X4D", "/verifikator/laporan/WBS-7K3M9Q2X4D", "/aktivasi/abc", "/atur-password/abc"]


def main_text(page_html: str) -> str:
    """The text of the page's <main> (not the frame around it) as a browser shows it without running scripts."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page_html, flags=re.DOTALL | re.IGNORECASE)
    main = re.search(r"<main\b.*?</main>", body, flags=re.DOTALL)
    assert main, page_html[:300]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main.group(0))))


def test_every_page_answers_at_its_own_path_without_a_redirect(app_harness):
    from wbs_app.wbs_app import PAGES

    base = app_harness.frontend_url.rstrip("/")
    static = [page.route for page in PAGES if "[" not in page.route]
    assert set(PUBLIC) <= set(static)
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        for path in static + DYNAMIC:
            for method in (client.get, client.head):
                response = method(path)
                assert response.status_code == 200, (method.__name__, path, response.headers.get("location"))
                assert response.headers["content-type"].startswith("text/html")
            assert client.get(path + "?a=1").status_code == 200
        for path in ["/tidak-ada", "/lapor/lainnya", "/laporan", "/masuk/lagi"]:
            assert client.get(path).status_code == 404, path


def test_an_unknown_address_answers_404_with_a_page_that_leads_on(page, app_harness):
    base = app_harness.frontend_url.rstrip("/")
    for path in ["/tidak-ada", "/lapor/lainnya", "/laporan"]:
        response = httpx.get(base + path, follow_redirects=False)
        assert response.status_code == 404, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
    # The answer is the app's shell (Reflex's build writes it as 404.html); the browser draws the page in the
    # site's frame: what to do now, and every way on works.
    open_page(page, "/lacak/lama/sekali")
    expect(page.get_by_role("heading", name="Halaman Tidak Ditemukan")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Nomor Registrasi dan Kode Akses Anda tetap berlaku")
    expect(page.get_by_role("navigation").get_by_role("link", name="Beranda")).to_be_visible()
    expect(page).to_have_title("Halaman Tidak Ditemukan — WBS")
    for name, path in [("Lacak Laporan", "/lacak"), ("Buka Laporan", "/akses"), ("Kembali ke Beranda", "/")]:
        open_page(page, "/tidak-ada")
        page.locator("main").get_by_role("link", name=name).click()
        expect(page).to_have_url(re.compile(r"^https?://[^/]+" + re.escape(path.rstrip("/")) + "/?$"))


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_are_pre_rendered_with_their_content(app_harness, path):
    heading, own_text = PUBLIC[path]
    response = httpx.get(app_harness.frontend_url.rstrip("/") + path, follow_redirects=False)
    assert response.status_code == 200
    # The heading's text, in its Indonesian span when the page carries both languages (components/text.tr).
    assert re.search(r"<h1\b[^>]*>(?:<span[^>]*>)?" + re.escape(heading) + "<", response.text), path
    assert own_text in main_text(response.text), path


def test_the_report_forms_are_pre_rendered_with_their_first_step(app_harness):
    for path, channel in [("/lapor/pelanggaran", "Pelanggaran (WBS)"), ("/lapor/gratifikasi", "Gratifikasi")]:
        text = main_text(httpx.get(app_harness.frontend_url.rstrip("/") + path).text)
        for shown in [channel, "1 Pelapor", "2 Detail Kejadian", "Cantumkan Email", "Selanjutnya"]:
            assert shown in text, (path, shown)
        assert "Benturan Kepentingan" not in text


def test_every_built_asset_is_cached_for_a_year_compressed_or_not(app_harness):
    base = app_harness.frontend_url.rstrip("/")
    files = sorted(path for path in (BUILD / "assets").iterdir() if path.is_file())
    kinds = {path.suffix for path in files}
    assert {".js", ".css", ".gz"} <= kinds, kinds
    with httpx.Client(base_url=base) as client:
        for path in files:  # scripts, styles, fonts and the .gz/.br files themselves
            response = client.get(f"/assets/{path.name}", headers={"Accept-Encoding": "identity"})
            assert response.status_code == 200, path.name
            assert response.headers["cache-control"] == IMMUTABLE, path.name
        for path in files:
            for encoding, suffix in [("gzip", ".gz"), ("br", ".br")]:
                if not path.with_name(path.name + suffix).exists():
                    continue
                response = client.get(f"/assets/{path.name}", headers={"Accept-Encoding": encoding})
                assert response.headers["content-encoding"] == encoding, path.name
                assert response.headers["cache-control"] == IMMUTABLE, path.name
                assert response.content == path.read_bytes()  # httpx decodes it
        # What may change with the next release without changing its name is never stored.
        for path in ["/", "/lapor/pelanggaran", "/wbs.js", "/wbs.css", "/logo.svg"]:
            assert client.get(path, headers={"Accept-Encoding": "gzip"}).headers["cache-control"] == NO_STORE, path


@pytest.fixture
def known_report():
    from wbs_app.models import Report, ReportStatus

    number = "WBS-" + "".join(secrets.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(10))
    with app_db() as db:
        db.add(
            Report(
                registration_number=number,
                channel="Gratifikasi",
                title="Hadiah dari rekanan",
                description="Isi yang tidak boleh tampil",
                status=ReportStatus.VERIFICATION.value,
                updated_at=dt.datetime(2026, 5, 1, 20, 0, tzinfo=dt.UTC),  # 03:00 WIB on the 2nd
            )
        )
        db.commit()
    return number


def test_the_page_and_the_route_show_the_same_status_and_day(page, app_harness, known_report):
    open_page(page, "/lacak")
    page.get_by_label("Nomor Registrasi").fill(known_report.lower())
    page.get_by_role("button", name="Lacak").click()
    result = page.locator(".tracking-result")
    expect(result).to_contain_text("02-05-2026")
    answer = httpx.get(app_harness.frontend_url.rstrip("/") + "/api/lacak/" + known_report).json()
    assert answer == {
        "nomor_registrasi": known_report,
        "status": "Proses Verifikasi",
        "terakhir_diperbarui": "2026-05-02",
        "zona": "WIB",
    }
    for shown in [answer["nomor_registrasi"], answer["status"]]:
        expect(result).to_contain_text(shown)


@pytest.fixture
def portal():
    """Another site (another origin): a page that reads the tracking route with fetch()."""

    class Portal(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            body = b"<!doctype html><title>Portal</title><p>Portal instansi</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Portal)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


READ = """async ([url, credentials]) => {
    try {
        const response = await fetch(url, {credentials});
        return {status: response.status, body: await response.text()};
    } catch (error) {
        return {error: String(error)};
    }
}"""


def test_another_site_s_page_can_read_a_status_but_nothing_else(page, app_harness, portal, known_report):
    base = app_harness.frontend_url.rstrip("/")
    page.goto(portal + "/")
    read = page.evaluate(READ, [f"{base}/api/lacak/{known_report}", "omit"])
    assert read["status"] == 200 and '"status":"Proses Verifikasi"' in read["body"]
    assert "tidak boleh tampil" not in read["body"]
    unknown = page.evaluate(READ, [f"{base}/api/lacak/WBS-7K3M9Q2X4D", "omit"])
    assert unknown["status"] == 404 and "tidak ditemukan" in unknown["body"]
    # Not with the visitor's cookies, and no other route of the app.
    assert "error" in page.evaluate(READ, [f"{base}/api/lacak/{known_report}", "include"])
    for path in ["/", "/lacak", "/_wbs/bukti/tidak-ada", "/ping"]:
        assert "error" in page.evaluate(READ, [base + path, "omit"]), path
