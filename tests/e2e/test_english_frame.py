"""English as the second language: the header's switch, remembered per browser, from the first paint."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import expect_path, open_page
from tests.e2e.english import choose_english


def test_switch_is_remembered_per_browser_and_back(page, browser, app_harness):
    choose_english(page, "/kontak")
    assert page.url.endswith("/kontak") or page.url.endswith("/kontak/")
    expect(page.get_by_role("link", name="Track a Report").first).to_be_visible()
    # The server sends the page already in English (no Indonesian first, then a switch).
    answer = page.request.get("/tentang")
    assert '<html lang="en"' in answer.text()
    # Another page, then a reload: still English; the title too.
    page.get_by_role("link", name="About WBS").first.click()
    expect_path(page, "/tentang")
    expect(page).to_have_title("About WBS — WBS")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_title("About WBS — WBS")
    # Another browser is not affected.
    other = browser.new_context(base_url=app_harness.frontend_url.rstrip("/"))
    try:
        stranger = other.new_page()
        open_page(stranger, "/tentang")
        expect(stranger.locator("html")).to_have_attribute("lang", "id")
        expect(stranger.get_by_role("link", name="Lacak Laporan").first).to_be_visible()
    finally:
        other.close()
    # Back to Bahasa Indonesia.
    page.locator("header [data-language='id']").locator("visible=true").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("link", name="Lacak Laporan").first).to_be_visible()


def test_a_forged_language_cookie_shows_indonesian(page):
    open_page(page, "/")
    page.evaluate("document.cookie = 'wbs_bahasa=<script>; path=/'")
    page.reload()
    page.wait_for_selector('main[data-ready="true"]')
    expect(page.locator("html")).to_have_attribute("lang", "id")
