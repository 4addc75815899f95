"""The session id out of JavaScript's reach: an HttpOnly cookie set by the server, never in `document.cookie` nor
in anything sent over the websocket; forged cookies, logout, and the list of devices on Akun Saya."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import app_db, expect_path, open_page
from tests.e2e.helpers import create_report, create_reporter, create_staff, login, session_cookie
from tests.e2e.test_security_headers import every_page_path
from wbs_app import routes
from wbs_app.models import LoginSession, User
from wbs_app.security import new_token
from wbs_app.services import sessions

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


def record_frames(page) -> list[str]:
    """Every websocket frame the page receives from now on."""
    frames: list[str] = []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda frame: frames.append(str(frame))))
    return frames


def nav(page):
    return page.get_by_role("navigation", name="Navigasi utama", exact=True)


def log_in_as(page, who: str) -> dict:
    if who == "pelapor":
        person = create_reporter()
        login(page, person["username"])
        expect_path(page, routes.ACCOUNT)
    else:
        person = create_staff(who)
        login(page, person["username"])
        expect_path(page, routes.STAFF_HOME)
    expect(nav(page).get_by_role("link", name=person["full_name"])).to_be_visible()
    return person


@pytest.mark.parametrize("who", ["pelapor", "admin"])
def test_after_login_no_page_script_can_read_the_session_id(page, who):
    person = log_in_as(page, who)
    cookie = session_cookie(page.context)
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert not cookie["secure"]  # the harness serves plain http; over https it is Secure (and __Host-)
    with app_db() as db:
        assert sessions.resolve_session(session=db, token=cookie["value"]).username == person["username"]

    frames = record_frames(page)
    for path in [*every_page_path(), routes.ACCOUNT, routes.HISTORY, routes.STAFF_HOME]:
        open_page(page, path)
        document_cookie = page.evaluate("document.cookie")
        assert "wbs_sesi" not in document_cookie and cookie["value"] not in document_cookie, path
    # Nor does the id travel in the state Reflex sends (the handshake's Cookie header is kept on the server).
    assert frames and not [frame for frame in frames if cookie["value"] in frame]
    # Still logged in after all of them.
    open_page(page, routes.ACCOUNT)
    expect(page.locator("main")).to_contain_text(person["email"])


def test_a_cookie_forged_by_a_script_logs_nobody_in(page):
    # A made-up id.
    open_page(page, routes.HOME)
    page.evaluate(f"document.cookie = 'wbs_sesi={new_token()}; path=/'")
    open_page(page, routes.ACCOUNT)
    expect_path(page, routes.LOGIN)
    expect(nav(page).get_by_role("link", name="Masuk", exact=True)).to_be_visible()

    # A script cannot replace the HttpOnly cookie of a logged-in browser ...
    person = log_in_as(page, "pelapor")
    real = session_cookie(page.context)
    page.evaluate(f"document.cookie = 'wbs_sesi={new_token()}; path=/'")
    assert session_cookie(page.context) == real
    open_page(page, routes.ACCOUNT)
    expect(page.locator("main")).to_contain_text(person["email"])

    # ... and planting a second one (here another account's real id, for the websocket's path) logs it into
    # neither account: with two ids the server takes none.
    other = create_reporter()
    with app_db() as db:
        other_user = db.exec(select(User).where(User.username == other["username"])).one()
        other_id = sessions.create_session(session=db, user=other_user)
    page.evaluate(f"document.cookie = 'wbs_sesi={other_id}; path=/_event'")
    open_page(page, routes.ACCOUNT)
    expect_path(page, routes.LOGIN)
    expect(page.locator("body")).not_to_contain_text(other["full_name"])
    assert real in page.context.cookies()  # the HttpOnly one is still there, unchanged


def test_logout_ends_the_session_and_clears_the_cookie(page):
    log_in_as(page, "pelapor")
    token = session_cookie(page.context)["value"]
    nav(page).get_by_role("button", name="Keluar").click()
    expect_path(page, routes.LOGIN)
    assert session_cookie(page.context) is None
    with app_db() as db:
        assert sessions.resolve_session(session=db, token=token) is None
    open_page(page, routes.HISTORY)
    expect_path(page, routes.LOGIN)


def device_rows(page):
    return page.locator(".device-list .device-entry")


def test_akun_saya_lists_each_browser_and_signs_one_or_all_of_them_out(page, browser, app_harness):
    person = log_in_as(page, "pelapor")
    firefox = browser.new_context(base_url=app_harness.frontend_url.rstrip("/"), user_agent=FIREFOX_WINDOWS)
    try:
        other = firefox.new_page()
        login(other, person["username"])
        expect_path(other, routes.ACCOUNT)

        open_page(page, routes.ACCOUNT)
        rows = device_rows(page)
        expect(rows).to_have_count(2)
        here = rows.filter(has=page.locator(".current-device"))
        expect(here).to_have_count(1)
        expect(here).to_contain_text("Chrome di Linux")
        expect(here).to_contain_text("WIB")
        there = rows.filter(has_text="Firefox di Windows")
        expect(there.locator(".current-device")).to_have_count(0)
        with app_db() as db:
            stored = {row.device for row in db.exec(select(LoginSession).where(LoginSession.revoked_at.is_(None)))}
        assert {"Chrome di Linux", "Firefox di Windows"} <= stored and FIREFOX_WINDOWS not in stored

        there.get_by_role("button", name="Keluar dari perangkat ini").click()
        expect(page.get_by_role("status").filter(has_text="sudah dikeluarkan")).to_be_visible()
        expect(rows).to_have_count(1)
        # The other browser is logged out: its next private page goes to the login page.
        open_page(other, routes.HISTORY)
        expect_path(other, routes.LOGIN)
        open_page(page, routes.HISTORY)
        expect_path(page, routes.HISTORY)

        # Both again, then "Keluar dari semua perangkat" ends both, this browser's included.
        login(other, person["username"])
        expect_path(other, routes.ACCOUNT)
        open_page(page, routes.ACCOUNT)
        expect(rows).to_have_count(2)
        page.get_by_role("button", name="Keluar dari semua perangkat").click()
        expect_path(page, routes.LOGIN)
        assert session_cookie(page.context) is None
        open_page(page, routes.ACCOUNT)
        expect_path(page, routes.LOGIN)
        open_page(other, routes.ACCOUNT)
        expect_path(other, routes.LOGIN)
    finally:
        firefox.close()


def test_a_tab_token_without_the_login_cookie_receives_no_account_data(page, browser, app_harness):
    """Reflex hands a tab's state to whatever connects with its token (which leaks through logs and the websocket
    URL): without the login's cookie, nothing loaded for that login is sent."""
    person = log_in_as(page, "pelapor")
    with app_db() as db:
        user = db.exec(select(User).where(User.username == person["username"])).one()
    number, _ = create_report(accused="Terlapor Riwayat", user=user, title="Honor fiktif kegiatan")
    open_page(page, routes.HISTORY)
    expect(page.locator("main")).to_contain_text(number)
    open_page(page, routes.ACCOUNT)
    expect(page.locator("main")).to_contain_text(person["address"])
    stolen = page.evaluate("window.sessionStorage.getItem('token')")
    page.context.close()  # the reporter closes the tab; the state stays on the server
    time.sleep(1)

    attacker = browser.new_context(base_url=app_harness.frontend_url.rstrip("/"))
    try:
        attacker.add_init_script(f"window.sessionStorage.setItem('token', {json.dumps(stolen)})")
        intruder = attacker.new_page()
        frames = record_frames(intruder)
        open_page(intruder, routes.ACCOUNT)
        expect_path(intruder, routes.LOGIN)
        open_page(intruder, routes.HISTORY)
        expect_path(intruder, routes.LOGIN)
        assert intruder.evaluate("window.sessionStorage.getItem('token')") == stolen  # the same state was used
        secrets = [person["full_name"], person["address"], person["email"], person["identity_number"], number]
        assert frames and not [frame for frame in frames if any(secret in frame for secret in secrets)]
    finally:
        attacker.close()


def test_the_login_ticket_works_once(page, app_harness):
    """Followed again (from the history, or by whoever read it off the screen), it sets nothing."""
    followed: list[str] = []
    page.on("request", lambda request: followed.append(request.url) if "/_wbs/masuk/" in request.url else None)
    log_in_as(page, "pelapor")
    (ticket_url,) = followed
    page.context.clear_cookies()
    page.goto(ticket_url, referer=app_harness.frontend_url)  # as if from a page of the app
    expect(page).to_have_url(re.compile(r"/masuk/?\?masuk=gagal$"))
    expect(page.get_by_role("alert")).to_contain_text("tidak selesai")
    assert session_cookie(page.context) is None
