"""A report opened with its Kode Akses: "Tutup Laporan", a reload, idle time and a stolen tab token end access."""

from __future__ import annotations

import json
import time
import types

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import app_db, expect_path, open_page
from tests.e2e.helpers import create_report
from wbs_app import messages
from wbs_app.models import Report
from wbs_app.pages.access import GRANT_END_NOTICES
from wbs_app.services import grants, reports

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)

MINUTE = 60


def open_with_code(page, number: str, code: str) -> None:
    open_page(page, "/akses")
    page.get_by_label("Nomor Registrasi").fill(number)
    page.get_by_label("Kode Akses").fill(code)
    page.get_by_role("button", name="Buka Laporan").click()
    expect_path(page, f"/laporan/{number}")
    expect(page.get_by_role("heading", name=f"Laporan {number}")).to_be_visible()


def expect_asked_for_the_code_again(page) -> None:
    expect_path(page, f"/akses?sesi={grants.GrantEnd.EXPIRED}")
    expect(page.get_by_role("status")).to_have_text(GRANT_END_NOTICES[grants.GrantEnd.EXPIRED])


def test_tutup_laporan_and_a_reload_end_the_grant(page):
    number, code = create_report(accused="Terlapor Tutup", title="Laporan yang ditutup")
    open_with_code(page, number, code)
    page.get_by_role("button", name="Tutup Laporan").click()
    expect_path(page, f"/akses?sesi={grants.GrantEnd.CLOSED}")
    expect(page.get_by_role("status")).to_have_text(GRANT_END_NOTICES[grants.GrantEnd.CLOSED])
    # The grant is gone, not merely unusable on a new connection: the page says "not found", as to anyone.
    open_page(page, f"/laporan/{number}")
    expect(page.get_by_role("heading", name=messages.REPORT_NOT_FOUND)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Terlapor Tutup")

    # A reload is a new connection: the code is asked for again, with a notice instead of "not found".
    open_with_code(page, number, code)
    page.reload()
    expect_asked_for_the_code_again(page)
    expect(page.locator("main")).not_to_contain_text("Terlapor Tutup")


def test_a_tab_token_taken_from_a_log_opens_nothing(page, browser, app_harness):
    number, code = create_report(accused="Terlapor Rahasia", title="Hibah fiktif dinas")
    open_with_code(page, number, code)
    expect(page.locator("main")).to_contain_text("Terlapor Rahasia")
    stolen = page.evaluate("window.sessionStorage.getItem('token')")
    assert stolen
    page.context.close()  # the reporter closes the tab; the state and its grant stay on the server
    time.sleep(1)

    attacker = browser.new_context(base_url=app_harness.frontend_url.rstrip("/"))
    try:
        attacker.add_init_script(f"window.sessionStorage.setItem('token', {json.dumps(stolen)})")
        intruder = attacker.new_page()
        received: list[str] = []
        intruder.on("websocket", lambda socket: socket.on("framereceived", lambda frame: received.append(str(frame))))
        open_page(intruder, f"/laporan/{number}")
        # Reflex gave this browser the reporter's state (it did not hand out a fresh token) ...
        assert intruder.evaluate("window.sessionStorage.getItem('token')") == stolen
        # ... yet the report is neither shown nor sent over the websocket.
        expect_asked_for_the_code_again(intruder)
        expect(intruder.locator("main")).not_to_contain_text("Terlapor Rahasia")
        assert received and not [frame for frame in received if "Terlapor Rahasia" in frame or "Hibah fiktif" in frame]
    finally:
        attacker.close()


@pytest.mark.embedded_only  # moves the app's clock in this process
def test_activity_keeps_the_grant_and_idle_time_ends_it(page, monkeypatch):
    """The app runs in this process: the grants' clock is moved forward instead of waiting 15 minutes."""
    number, code = create_report(accused="Terlapor Aktif")
    offset = {"seconds": 0}
    real_time = time.time
    monkeypatch.setattr(grants, "time", types.SimpleNamespace(time=lambda: real_time() + offset["seconds"]))

    def send(text: str) -> None:
        page.get_by_label("Pesan untuk verifikator").fill(text)
        page.get_by_role("button", name="Kirim Pesan").click()

    def stored_messages() -> list[str]:
        with app_db() as db:
            report = db.exec(select(Report).where(Report.registration_number == number)).one()
            return [message.body for message in reports.messages_of(session=db, report_id=report.id)]  # opened

    open_with_code(page, number, code)
    for minutes, text in ((10, "Pesan menit kesepuluh"), (20, "Pesan menit kedua puluh")):
        # 20 minutes after the code was entered, but 10 after the last message: still open.
        offset["seconds"] = minutes * MINUTE
        send(text)
        expect(page.locator(".message.mine").last).to_contain_text(text)

    offset["seconds"] = 36 * MINUTE  # 16 minutes without activity
    send("Pesan setelah diam")
    expect_asked_for_the_code_again(page)
    assert stored_messages() == ["Pesan menit kesepuluh", "Pesan menit kedua puluh"]
