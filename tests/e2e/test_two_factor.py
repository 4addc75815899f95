"""Two-factor login in the browser: enrolment at the first staff login, login with a code, a replayed code,
recovery codes, the fresh code before an identity reveal, and a reporter turning it on."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import app_db, expect_path, is_local, open_page
from tests.e2e.helpers import (
    CODE_LABEL,
    PASSWORD,
    create_report,
    create_staff,
    login,
    new_person,
    next_code,
    register_and_activate,
)
from wbs_app.models import AuditLog, Report, SecondFactor, User
from wbs_app.services import two_factor

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)


def log_out(page) -> None:
    page.get_by_role("navigation", name="Navigasi utama", exact=True).get_by_role("button", name="Keluar").click()
    expect_path(page, "/masuk")


def user_id(username: str) -> int:
    with app_db() as db:
        return db.exec(select(User.id).where(User.username == username)).one()


def test_staff_enrol_at_first_login_then_log_in_with_a_code_used_once(page, browser):
    verifier = create_staff(enrolled=False)
    login(page, verifier["username"])
    # Before anything else: the QR code (drawn by the server) and the same secret as text.
    expect(page.get_by_role("heading", name="Aktifkan Verifikasi Dua Langkah")).to_be_visible()
    assert page.locator("img.totp-qr").get_attribute("src").startswith("data:image/svg+xml")
    secret = page.locator("#totp-secret").inner_text().strip()
    assert len(secret) == 32
    open_page(page, "/verifikator")  # no session yet: the staff pages send the browser to log in
    expect_path(page, "/masuk")

    login(page, verifier["username"])
    secret = page.locator("#totp-secret").inner_text().strip()  # a new one: the first was never confirmed
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    page.get_by_label("Kode autentikator").fill(wrong)
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.get_by_role("alert")).to_contain_text(two_factor.CODE_WRONG)
    page.get_by_label("Kode autentikator").fill(next_code(secret))
    page.get_by_role("button", name="Aktifkan").click()
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    expect(page.get_by_role("button", name="Unduh")).to_be_visible()
    expect(page.get_by_role("button", name="Cetak")).to_be_visible()
    page.get_by_role("button", name="Lanjutkan").click()
    expect_path(page, "/verifikator")
    assert all(is_local(url) for url in page.requested_urls), [u for u in page.requested_urls if not is_local(u)]
    log_out(page)

    # The next login asks for a code; it opens one login only.
    code = next_code(secret, latest=True)
    login(page, verifier["username"], second_factor=False)
    page.get_by_label(CODE_LABEL).fill(code)
    page.get_by_role("button", name="Verifikasi").click()
    expect_path(page, "/verifikator")

    other = browser.new_context(base_url=page.url.split("/verifikator")[0])
    thief = other.new_page()
    login(thief, verifier["username"], second_factor=False)
    thief.get_by_label(CODE_LABEL).fill(code)
    thief.get_by_role("button", name="Verifikasi").click()
    expect(thief.get_by_role("alert")).to_contain_text(two_factor.CODE_REPLAYED)
    open_page(thief, "/verifikator")
    expect_path(thief, "/masuk")
    other.close()


def test_a_recovery_code_logs_in_once(page):
    verifier = create_staff()
    recovery = verifier["recovery_codes"][0]
    login(page, verifier["username"], second_factor=False)
    page.get_by_label(CODE_LABEL).fill(recovery)
    page.get_by_role("button", name="Verifikasi").click()
    expect_path(page, "/verifikator")
    open_page(page, "/akun")
    expect(page.locator("#two-factor-status")).to_contain_text("Sisa kode pemulihan: 9")
    log_out(page)

    login(page, verifier["username"], second_factor=False)
    page.get_by_label(CODE_LABEL).fill(recovery)
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.get_by_role("alert")).to_contain_text(two_factor.CODE_WRONG)
    # The step stays open for another code.
    page.get_by_label(CODE_LABEL).fill(verifier["recovery_codes"][1])
    page.get_by_role("button", name="Verifikasi").click()
    expect_path(page, "/verifikator")


def test_revealing_an_identity_asks_for_a_fresh_code(page):
    number, _ = create_report(accused="Budi Santoso", email="pelapor.2fa@mail.co.id")
    verifier = create_staff()
    login(page, verifier["username"])
    expect_path(page, "/verifikator")
    open_page(page, f"/verifikator/laporan/{number}")
    page.get_by_label("Alasan membuka identitas").fill("Pemanggilan saksi untuk pemeriksaan lanjutan")
    page.get_by_role("button", name="Tampilkan Identitas Pelapor").click()
    expect(page.locator("#second_factor_code-error")).to_have_text(two_factor.CODE_REQUIRED)
    page.get_by_label("Kode autentikator").fill("12345x")
    page.get_by_role("button", name="Tampilkan Identitas Pelapor").click()
    expect(page.locator("#second_factor_code-error")).to_have_text(two_factor.CODE_WRONG)
    expect(page.locator("main")).not_to_contain_text("pelapor.2fa@mail.co.id")

    page.get_by_label("Kode autentikator").fill(next_code(verifier["totp_secret"]))
    page.get_by_role("button", name="Tampilkan Identitas Pelapor").click()
    expect(page.locator(".identity")).to_contain_text("pelapor.2fa@mail.co.id")
    with app_db() as db:
        report = db.exec(select(Report).where(Report.registration_number == number)).one()
        reveals = db.exec(
            select(AuditLog).where(AuditLog.report_id == report.id, AuditLog.action == "buka_identitas")
        ).all()
    assert len(reveals) == 1


def test_a_reporter_turns_two_factor_on_and_off(page, mailbox):
    person = new_person()
    register_and_activate(page, mailbox, person)
    login(page, person["username"])
    expect_path(page, "/akun")
    expect(page.locator("#two-factor-status")).to_contain_text("Tidak aktif")
    page.get_by_role("button", name="Aktifkan Verifikasi Dua Langkah").click()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Kode autentikator").fill(next_code(secret))
    page.get_by_role("button", name="Aktifkan", exact=True).click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("button", name="Tutup").click()
    expect(page.locator("#two-factor-status")).to_contain_text("Aktif")
    log_out(page)

    login(page, person["username"], PASSWORD)  # types the next code
    expect_path(page, "/akun")
    page.get_by_label("Kode autentikator").fill(next_code(secret))
    page.get_by_role("button", name="Matikan Verifikasi Dua Langkah").click()
    expect(page.get_by_role("status").filter(has_text="dimatikan")).to_be_visible()
    with app_db() as db:
        assert db.exec(select(SecondFactor).where(SecondFactor.user_id == user_id(person["username"]))).first() is None
