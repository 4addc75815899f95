"""Landing page, public pages, navigation, tracking widget, and no third-party requests."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import app_db, expect_path, is_local, open_page

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)

PUBLIC_PATHS = ["/", "/tentang", "/lapor", "/lacak", "/faq", "/kontak", "/statistik", "/verifikasi-bukti", "/masuk", "/daftar", "/aktivasi"]
NAV_LABELS = ["Beranda", "Tentang WBS", "Lapor Sekarang", "Lacak Laporan", "FAQ", "Kontak", "Masuk", "Daftar"]


def test_landing_page_explains_wbs_criteria_confidentiality_flow_and_types(page):
    open_page(page, "/")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Gambaran Umum")).to_be_visible()
    expect(main).to_contain_text("pelapor bukan merupakan bagian dari pelaku kejahatan")
    expect(main.get_by_role("heading", name="Kriteria Pengaduan (5W + 1H)")).to_be_visible()
    for criterion in ["Who", "What", "Where", "When", "How", "Evidence"]:
        expect(main.get_by_role("heading", name=criterion, exact=True)).to_be_visible()
    expect(main.get_by_role("heading", name="Kerahasiaan Pelapor")).to_be_visible()
    expect(main).to_contain_text("MERAHASIAKAN IDENTITAS DIRI ANDA")
    for step in ["Periksa laporan", "Isi formulir", "Simpan nomor & kode", "Pantau"]:
        expect(main.get_by_role("heading", name=step, exact=True)).to_be_visible()
    # The violation types come from the reference table.
    for name in [
        "Korupsi",
        "Gratifikasi",
        "Pungutan Liar/Percaloan/Suap",
        "Perlakuan Amoral/Perselingkuhan",
        "Lainnya",
    ]:
        expect(main.locator(".violation-types")).to_contain_text(name)
    expect(main.get_by_role("link", name="Lapor Sekarang").first).to_have_attribute("href", "/lapor")
    expect(main.get_by_label("Nomor Registrasi")).to_be_visible()


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_every_page_has_the_navigation(page, path):
    open_page(page, path)
    nav = page.get_by_role("navigation", name="Navigasi utama", exact=True)
    for label in NAV_LABELS:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()


def test_pages_load_nothing_from_another_host(page):
    for path in PUBLIC_PATHS:
        open_page(page, path)
        page.wait_for_load_state("networkidle")
    assert page.requested_urls, "the request log is empty: the listener is broken"
    foreign = [url for url in page.requested_urls if not is_local(url)]
    assert foreign == []


def test_faq_answers_the_questions_from_the_manuals(page):
    open_page(page, "/faq")
    for question in [
        "Apakah identitas saya sebagai pelapor dirahasiakan?",
        "Pelanggaran apa saja yang dapat dilaporkan?",
        "Bukti apa yang dapat saya lampirkan?",
        "Bagaimana cara memantau laporan saya?",
    ]:
        page.get_by_text(question).click()
    expect(page.locator("main")).to_contain_text("jpg, jpeg, png, pdf")


def test_tracking_widget_says_clearly_when_a_number_is_unknown(page):
    open_page(page, "/")
    page.get_by_label("Nomor Registrasi").fill("WBS-7K3M9Q2X4D")
    page.get_by_role("button", name="Lacak").click()
    expect(page.get_by_role("status")).to_contain_text("tidak ditemukan")
    expect(page.locator(".tracking-result")).to_have_count(0)


def test_tracking_widget_explains_the_number_format(page):
    open_page(page, "/lacak")
    page.get_by_label("Nomor Registrasi").fill("12345")
    page.get_by_role("button", name="Lacak").click()
    expect(page.get_by_role("status")).to_contain_text("WBS- diikuti 10 huruf/angka")


def test_tracking_shows_only_status_and_last_update_of_a_known_report(page):
    from wbs_app.models import Report, ReportStatus

    updated = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)
    with app_db() as db:
        db.add(
            Report(
                registration_number="WBS-AB12CD34EF",
                channel="Pelanggaran (WBS)",
                title="Rahasia: pengadaan server",
                description="Isi laporan yang tidak boleh tampil di pelacakan publik",
                status=ReportStatus.EXAMINATION.value,
                updated_at=updated,
            )
        )
        db.commit()
    open_page(page, "/")
    page.get_by_label("Nomor Registrasi").fill("wbs-ab12cd34ef")
    page.get_by_role("button", name="Lacak").click()
    result = page.locator(".tracking-result")
    expect(result).to_contain_text("Proses Pemeriksaan")
    expect(result).to_contain_text("14-03-2026 (WIB)")  # the configured zone, labelled
    expect(page.locator("main")).not_to_contain_text("pengadaan server")
    expect(page.locator("main")).not_to_contain_text("tidak boleh tampil")


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 800}], ids=["phone"])
def test_phone_width_menu_reaches_every_page_and_nothing_overflows(page):
    open_page(page, "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_text("Menu", exact=True).click()
    mobile_nav = page.get_by_role("navigation", name="Navigasi utama (ponsel)")
    mobile_nav.get_by_role("link", name="FAQ", exact=True).click()
    expect_path(page, "/faq")
    expect(page.get_by_role("heading", name="Pertanyaan yang Sering Diajukan")).to_be_visible()
    for path in ["/daftar", "/masuk", "/lacak"]:
        open_page(page, path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
