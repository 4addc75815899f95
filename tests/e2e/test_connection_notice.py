"""A lost connection is explained in the page's language (components/connection_notice.py), not with Reflex's
English toast that names the websocket address; what was clicked meanwhile runs once the connection is back."""

from __future__ import annotations

import re

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
