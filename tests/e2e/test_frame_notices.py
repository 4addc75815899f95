"""The frame's notices (components/notices.py), in the page's language: a lost connection (not Reflex's English
toast naming the websocket address; what was clicked meanwhile runs once the connection is back), and a request
that failed on the server (its details in the log only), a page that cannot be drawn (nor its error), and the
toaster's name."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_page
from tests.e2e.english import choose_english
from tests.e2e.wizard import next_step

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)


# Keeps the page's websockets reachable, so a test can close them as a dropped network would.
KEEP_SOCKETS = """(() => {
  window.__sockets = [];
  window.WebSocket = new Proxy(window.WebSocket, {
    construct(target, args) { const socket = new target(...args); window.__sockets.push(socket); return socket; },
  });
})();"""


class Cable:
    """The browser's network: unplugged, the open websockets close and every reconnection fails (offline)."""

    def __init__(self, page):
        self.page = page
        page.add_init_script(KEEP_SOCKETS)

    def unplug(self) -> None:
        self.page.context.set_offline(True)
        self.page.evaluate("window.__sockets.forEach((socket) => socket.close())")

    def plug_in(self) -> None:
        self.page.context.set_offline(False)


def test_a_lost_connection_is_explained_and_the_click_made_meanwhile_runs_after(page):
    cable = Cable(page)
    open_page(page, "/lapor/pelanggaran")
    page.get_by_role("textbox", name="Nama").fill("Robert")
    notice = page.get_by_role("alert").filter(has=page.get_by_text("Koneksi ke server terputus."))
    expect(notice).to_have_count(0)

    cable.unplug()
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("tunggu sampai pesan ini hilang")
    next_step(page)  # clicked while the connection is down
    expect(page.get_by_role("heading", name="Detail Kejadian")).to_have_count(0)
    # Reflex's own toast (English, with the websocket's address) and its icon are gone.
    expect(page.get_by_text(re.compile("Cannot connect to server|_event"))).to_have_count(0)
    expect(page.locator("[title^='Connection Error']")).to_have_count(0)

    cable.plug_in()
    expect(notice).to_have_count(0, timeout=30_000)
    expect(page.get_by_role("heading", name="Detail Kejadian")).to_be_visible()


def test_the_notice_speaks_english_on_an_english_page(page):
    cable = Cable(page)
    choose_english(page, "/lacak")
    cable.unplug()
    expect(page.get_by_text("The connection to the server was lost.")).to_be_visible()
    expect(page.get_by_text("Koneksi ke server terputus.")).to_be_hidden()
    cable.plug_in()
    expect(page.get_by_text("The connection to the server was lost.")).to_have_count(0, timeout=30_000)


@pytest.mark.embedded_only  # breaks a service of the app in this process
def test_a_failed_handler_is_explained_in_the_page_language_without_its_details(page, monkeypatch, caplog):
    from wbs_app.services import tracking

    async def broken_look_up(number, *, client):
        raise RuntimeError("database gone for pelapor@mail.co.id")

    monkeypatch.setattr(tracking, "look_up", broken_look_up)
    for choose, message in [
        (open_page, "Terjadi kesalahan di server. Coba lagi sebentar lagi"),
        (choose_english, "Something went wrong on the server. Try again in a moment"),
    ]:
        choose(page, "/lacak")
        page.get_by_label(re.compile("Nomor Registrasi|Registration Number")).fill("WBS-7K3M9Q2X4D")
        page.get_by_role("button", name=re.compile("^(Lacak|Track)$")).click()
        notice = page.get_by_role("alert").filter(has=page.get_by_text(message))
        expect(notice).to_be_visible()
        expect(page.get_by_text(re.compile("An error occurred|database gone|mail.co.id"))).to_have_count(0)
        notice.get_by_role("button", name=re.compile("^(Tutup|Close)$")).click()
        expect(notice).to_have_count(0)
    # A notice belongs to the page where the request failed: another page starts without it.
    page.get_by_role("button", name="Track", exact=True).click()
    expect(page.get_by_role("alert").filter(has=page.get_by_text(message))).to_be_visible()
    page.locator("header").get_by_role("link", name="FAQ").first.click()
    expect(page.get_by_role("heading", name="Frequently Asked Questions")).to_be_visible()
    expect(page.get_by_role("alert").filter(has=page.get_by_text(message))).to_have_count(0)
    # The details are in the log, scrubbed like every log line.
    logged = [r.getMessage() for r in caplog.records if r.name == "wbs.errors"]
    assert logged and "database gone for [email]" in logged[-1] and "pelapor@" not in logged[-1]


def test_the_toaster_is_named_in_the_page_language(page):
    open_page(page, "/lapor/pelanggaran")
    expect(page.get_by_role("region", name="Notifikasi", exact=True)).to_have_count(1)
    expect(page.get_by_role("region", name=re.compile("Notifications"))).to_have_count(0)
    choose_english(page, "/lapor/pelanggaran")
    expect(page.get_by_role("region", name="Notifications", exact=True)).to_have_count(1)


@pytest.mark.embedded_only  # breaks a service of the app in this process
def test_a_page_that_cannot_be_drawn_says_what_to_do_without_the_error(page, monkeypatch):
    from wbs_app.services import tracking

    async def unreadable(number, *, client):
        # An object where the page expects text: React cannot draw it and the page's code fails while rendering.
        found = SimpleNamespace(registration_number=number, status={"x": 1}, updated_on=dt.date(2026, 12, 6), zone="")
        return SimpleNamespace(found=found, message="")

    monkeypatch.setattr(tracking, "look_up", unreadable)
    open_page(page, "/lacak")
    page.get_by_label("Nomor Registrasi").fill("WBS-7K3M9Q2X4D")
    page.get_by_role("button", name="Lacak", exact=True).click()
    shown = page.get_by_role("alert").filter(has=page.get_by_text("Halaman ini tidak dapat ditampilkan"))
    expect(shown).to_be_visible()
    expect(shown).to_contain_text("Nomor Registrasi dan Kode Akses Anda tetap berlaku")
    expect(shown.get_by_role("button", name="Muat Ulang")).to_be_visible()
    expect(shown.get_by_role("link", name="Kembali ke Beranda")).to_have_attribute("href", "/")
    # Reflex's fallback showed the error and its stack, and linked to reflex.dev: nothing of that.
    expect(page.get_by_text(re.compile("An error occurred|Objects are not valid|Built with"))).to_have_count(0)
    expect(page.locator("a[href*='reflex.dev'], pre")).to_have_count(0)
