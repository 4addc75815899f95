"""Staff hear of new work by email (batched, no content) and see it marked in the case list; a refused staff form
keeps what was typed; a revealed identity is the one truth of the case page."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import app_db, expect_path, open_page
from tests.e2e.helpers import create_report, create_staff, emails_to, login, next_code, text_of, wait_for_emails
from wbs_app import messages
from wbs_app.services import reports

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)

TITLE = "Pungutan pada pengadaan server"


def reporter_writes(number: str, body: str) -> None:
    """The reporter's message, as the report page sends it (opened with its Kode Akses)."""
    with app_db() as db:
        report = reports.find_report(session=db, registration_number=number)
        reports.post_reporter_message(
            session=db, report=report, user_id=None, granted={number}, body=body, attachments=[]
        )


def row_of(page, number: str):
    return page.locator(".case-table tbody tr", has=page.get_by_role("link", name=number, exact=True))


def test_staff_are_emailed_without_content_and_see_what_is_new(page, mailbox):
    verifier = create_staff()
    login(page, verifier["username"])
    expect_path(page, "/verifikator")

    # A new report: one email to every active verifier (nobody is assigned), its number and link only.
    first, _ = create_report(accused="Hartono Wijaya", email="pelapor.kabar@mail.co.id")
    [email] = wait_for_emails(mailbox, verifier["email"], 1)
    body = text_of(email)
    assert f"/verifikator/laporan/{first}" in body and "laporan baru" in body
    for content in (TITLE, "Hartono", "pelicin", "Robert", "pelapor.kabar", "Kantor Dinas", "Dinas Kesehatan"):
        assert content not in str(email)

    # The case list marks it for this verifier until they open it, and counts it.
    open_page(page, "/verifikator")
    expect(row_of(page, first).locator(".unread")).to_have_text("Baru")
    expect(page.locator(".counter-belum_dibaca")).to_have_text("1")
    row_of(page, first).get_by_role("link", name=first).click()
    expect_path(page, f"/verifikator/laporan/{first}")
    expect(page.locator("#case-status")).to_be_visible()
    open_page(page, "/verifikator")
    expect(row_of(page, first)).to_be_visible()
    expect(row_of(page, first).locator(".unread")).to_have_count(0)
    expect(page.locator(".counter-belum_dibaca")).to_have_text("0")

    # Three reports in a burst: one email listing the three.
    burst = [create_report(accused=f"Terlapor Beruntun {n}")[0] for n in range(3)]
    time.sleep(4)  # past the window: nothing more is coming for this burst
    emails = wait_for_emails(mailbox, verifier["email"], 2)
    assert len(emails) == 2, [m["Subject"] for m in emails]
    body = text_of(emails[-1])
    assert all(f"/verifikator/laporan/{number}" in body for number in burst) and "3 laporan" in emails[-1]["Subject"]

    # The reporter writes (twice, quickly) on the case already read: one email, and the case is new again.
    reporter_writes(first, "Saya punya bukti rekaman rahasia.")
    reporter_writes(first, "Satu hal lagi.")
    emails = wait_for_emails(mailbox, verifier["email"], 3)
    time.sleep(4)
    assert len(emails_to(mailbox, verifier["email"])) == 3
    body = text_of(emails[-1])
    assert f"{first} (pesan baru dari pelapor)" in body and "rekaman" not in body and "Satu hal" not in body
    open_page(page, "/verifikator")
    expect(row_of(page, first).locator(".unread")).to_have_text("Pesan baru")
    expect(page.locator(".counter-belum_dibaca")).to_have_text("4")

    # "Tandai semua sudah dibaca" clears this verifier's markers.
    page.get_by_role("button", name="Tandai semua sudah dibaca").click()
    expect(page.locator(".counter-belum_dibaca")).to_have_text("0")
    expect(page.locator(".case-table .unread")).to_have_count(0)


def test_a_refused_status_change_keeps_both_notes_and_a_reveal_shows_one_truth(page):
    number, _ = create_report(accused="Sulastri Dewi", email="pelapor.satu@mail.co.id")
    verifier = create_staff()
    login(page, verifier["username"])
    expect_path(page, "/verifikator")
    open_page(page, f"/verifikator/laporan/{number}")

    public = page.get_by_label("Catatan Verifikator (dilihat pelapor)")
    internal = page.get_by_label("Catatan internal (tidak dilihat pelapor)")
    page.get_by_label("Status baru").select_option("Proses Pemeriksaan")
    internal.fill("Cek kontrak nomor 17 sebelum memanggil saksi.")
    page.get_by_role("button", name="Simpan Status").click()
    expect(page.locator("#public_note-error")).to_have_text(messages.NOTE_REQUIRED)
    expect(internal).to_have_value("Cek kontrak nomor 17 sebelum memanggil saksi.")
    expect(page.get_by_label("Status baru")).to_have_value("Proses Pemeriksaan")
    public.fill("Laporan sedang diperiksa.")
    page.get_by_role("button", name="Simpan Status").click()
    expect(page.locator("#case-status")).to_have_text("Proses Pemeriksaan")
    expect(internal).to_have_value("")  # emptied once saved
    expect(public).to_have_value("")

    # A refused internal note (empty) and a refused reveal keep what was typed elsewhere on the page.
    message = page.get_by_label("Pesan untuk pelapor")
    message.fill("Mohon kirim salinan kontrak.")
    page.get_by_label("Alasan membuka identitas").fill("Pemanggilan saksi untuk pemeriksaan lanjutan")
    page.get_by_label("Kode autentikator").fill("000000")
    page.get_by_role("button", name="Tampilkan Identitas Pelapor").click()
    expect(page.locator("#second_factor_code-error, [role=alert]").first).to_be_visible()
    expect(page.get_by_label("Alasan membuka identitas")).to_have_value("Pemanggilan saksi untuk pemeriksaan lanjutan")
    expect(message).to_have_value("Mohon kirim salinan kontrak.")

    # Before the reveal the details say "Dirahasiakan"; after it, the revealed name, once.
    details = page.locator(".rt-DataListRoot").first
    expect(details).to_contain_text("Dirahasiakan")
    page.get_by_label("Kode autentikator").fill(next_code(verifier["totp_secret"]))
    page.get_by_role("button", name="Tampilkan Identitas Pelapor").click()
    expect(page.locator(".identity")).to_contain_text("pelapor.satu@mail.co.id")
    expect(page.locator("main")).not_to_contain_text("Dirahasiakan")
    expect(details).to_contain_text("Robert (identitas dibuka)")
    # Another action reloads the case: still one truth.
    page.get_by_label("Catatan internal baru").fill("Identitas dicatat untuk pemanggilan.")
    page.get_by_role("button", name="Simpan Catatan").click()
    expect(page.get_by_label("Catatan internal baru")).to_have_value("")
    expect(page.locator("main")).not_to_contain_text("Dirahasiakan")
    expect(message).to_have_value("Mohon kirim salinan kontrak.")


def test_a_refused_staff_account_keeps_every_field_and_a_refused_password_change_too(page):
    admin = create_staff("admin")
    login(page, admin["username"])
    expect_path(page, "/verifikator")
    open_page(page, "/verifikator/admin")
    typed = {
        "Username": "petugasteliti",
        "Email": "bukan-email",
        "Nama Lengkap": "Petugas Teliti",
        "Password awal": "Awal-2026-rahasia",
    }
    # From the start of the label: a label's text holds its hidden English too (components/text.py).
    for label, value in typed.items():
        page.get_by_label(re.compile("^" + re.escape(label))).fill(value)
    page.get_by_label("Peran").select_option("admin")
    page.get_by_label("Kode autentikator Anda").fill(next_code(admin["totp_secret"]))
    page.get_by_role("button", name="Buat Akun Petugas").click()
    expect(page.get_by_label("Email", exact=True)).to_have_accessible_description(messages.EMAIL_INVALID)
    for label, value in typed.items():
        expect(page.get_by_label(re.compile("^" + re.escape(label)))).to_have_value(value)
    expect(page.get_by_label("Peran")).to_have_value("admin")
    expect(page.get_by_label("Kode autentikator Anda")).not_to_have_value("")

    # Akun Saya: a wrong current password keeps the three fields.
    open_page(page, "/akun")
    page.get_by_label("Password saat ini").fill("salah-sekali-2026")
    page.get_by_label("Password baru", exact=True).fill("Baru-2026-rahasia-x")
    page.get_by_label("Konfirmasi password baru").fill("Baru-2026-rahasia-x")
    page.get_by_role("button", name="Simpan Password").click()
    expect(page.locator("#current_password-error")).to_be_visible()
    expect(page.get_by_label("Password saat ini")).to_have_value("salah-sekali-2026")
    expect(page.get_by_label("Password baru", exact=True)).to_have_value("Baru-2026-rahasia-x")
    expect(page.get_by_label("Konfirmasi password baru")).to_have_value("Baru-2026-rahasia-x")
