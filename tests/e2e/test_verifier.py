"""The verifier's work end to end, and what the reporter sees of it."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import time

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import app_db, expect_path, open_page
from tests.e2e.helpers import (
    audit_details,
    create_report,
    create_staff,
    enrol_in_browser,
    login,
    next_code,
    wait_for_refusal,
)
from wbs_app import messages
from wbs_app.models import AppSetting, AuditLog, Report, SecondFactor
from wbs_app.services import audit, two_factor

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)

# A real 1x1 image, so the test can tell that the browser displayed it.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def open_with_code(page, number: str, code: str) -> None:
    open_page(page, "/akses")
    page.get_by_label("Nomor Registrasi").fill(number)
    page.get_by_label("Kode Akses").fill(code)
    page.get_by_role("button", name="Buka Laporan").click()
    expect_path(page, f"/laporan/{number}")


def test_verifier_handles_a_case_and_the_reporter_sees_the_public_side(page, browser, mailbox):
    number, code = create_report(accused="Sutejo Wirawan", email="pelapor.kasus@mail.co.id")
    create_report(accused="Orang Lain")
    verifier = create_staff()

    login(page, verifier["username"])
    expect_path(page, "/verifikator")
    expect(page.get_by_role("heading", name="Daftar Laporan")).to_be_visible()

    # Clicking a column header sorts the list by it; a second click reverses the order.
    header = page.get_by_role("columnheader", name="Nomor Registrasi")
    numbers_shown = page.locator(".case-table tbody tr th")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    ascending = numbers_shown.all_inner_texts()
    assert len(ascending) >= 2 and ascending == sorted(ascending)
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(numbers_shown.first).not_to_have_text(ascending[0])
    descending = numbers_shown.all_inner_texts()
    assert descending == sorted(descending, reverse=True)

    # Find it by searching an accused name and filtering on status.
    page.get_by_label("Cari (judul, uraian, terlapor, nomor)").fill("sutejo")
    page.get_by_label("Status").select_option("Proses Verifikasi")
    page.get_by_role("button", name="Terapkan").click()
    table = page.locator(".case-table")
    expect(table).to_contain_text(number)
    expect(table).not_to_contain_text("Orang Lain")
    expect(table).to_contain_text("Tanggapan awal")
    page.get_by_role("link", name=number).click()
    expect_path(page, f"/verifikator/laporan/{number}")
    expect(page.locator("main")).to_contain_text("Sutejo Wirawan")
    # The reporter's identity stays hidden until a reason is given.
    expect(page.locator("main")).not_to_contain_text("pelapor.kasus@mail.co.id")

    page.get_by_label("Tugaskan kepada").select_option(label=verifier["full_name"])
    page.get_by_role("button", name="Tugaskan").click()
    expect(page.locator("#assignee")).to_have_text(verifier["full_name"])

    page.get_by_label("Status baru").select_option("Proses Pemeriksaan")
    page.get_by_label("Catatan Verifikator (dilihat pelapor)").fill("Laporan diterima dan sedang diperiksa.")
    page.get_by_label("Catatan internal (tidak dilihat pelapor)").fill("RAHASIA: cek kontrak nomor 17.")
    page.get_by_role("button", name="Simpan Status").click()
    expect(page.locator("#case-status")).to_have_text("Proses Pemeriksaan")

    # A status change needs its public note.
    page.get_by_label("Status baru").select_option("Selesai: Terbukti")
    page.get_by_role("button", name="Simpan Status").click()
    expect(page.locator("#public_note-error")).to_have_text(messages.NOTE_REQUIRED)
    page.get_by_label("Catatan Verifikator (dilihat pelapor)").fill("Terbukti; sanksi diproses sesuai ketentuan.")
    page.get_by_role("button", name="Simpan Status").click()
    expect(page.locator("#case-status")).to_have_text("Selesai: Terbukti")

    page.get_by_label("Pesan untuk pelapor").fill("Terima kasih atas laporan Anda.")
    page.get_by_role("button", name="Kirim Pesan").click()
    expect(page.locator(".message.mine")).to_contain_text("Terima kasih atas laporan Anda.")

    # The reporter's side: status, public notes, the message; never the internal note.
    reporter_context = browser.new_context(base_url=page.url.split("/verifikator")[0])
    reporter = reporter_context.new_page()
    open_with_code(reporter, number, code)
    main = reporter.locator("main")
    expect(main).to_contain_text("Selesai: Terbukti")
    expect(main).to_contain_text("Laporan diterima dan sedang diperiksa.")
    expect(main).to_contain_text("Terbukti; sanksi diproses sesuai ketentuan.")
    expect(main).to_contain_text("Terima kasih atas laporan Anda.")
    expect(main).not_to_contain_text("RAHASIA")
    reporter.get_by_label("Pesan untuk verifikator").fill("Baik, terima kasih kembali.")
    reporter.get_by_role("button", name="Kirim Pesan").click()
    expect(reporter.locator(".message.mine")).to_contain_text("Baik, terima kasih kembali.")
    reporter_context.close()

    # The notification email says there is news, and nothing of the report.
    email = mailbox.wait_for("pelapor.kasus@mail.co.id")
    body = email.get_body(preferencelist=("plain",)).get_content()
    assert number in body and "Sutejo" not in body and "sanksi" not in body

    page.reload()
    page.wait_for_selector('main[data-ready="true"]')
    expect(page.locator(".message.theirs")).to_contain_text("Baik, terima kasih kembali.")
    history = page.locator(".case-history")
    for action in ["Penugasan", "Ubah status", "Pesan ke pelapor", "Pesan dari pelapor"]:
        expect(history).to_contain_text(action)


def test_case_page_previews_image_evidence_through_links_bound_to_the_login(page, browser, tmp_path):
    from tests.unit import sample_evidence
    from tests.unit.drafts import draft_file
    from wbs_app.services import reference, submission

    pdf = sample_evidence.pdf_document()
    with app_db() as db:
        from wbs_app.models import ViolationType

        item = draft_file(db, PNG, name="foto-kuitansi.png", folder=tmp_path / "bukti")
        pdf_item = draft_file(db, pdf, name="kontrak.pdf", kind="pdf", folder=tmp_path / "bukti")

        fields = submission.ReportFields(
            reporter_name="R", title="Dengan foto", violation_type_id=str(db.exec(select(ViolationType.id)).first()),
            unit_id=str(reference.active_units(session=db)[0].id),
            description="Uraian kejadian yang cukup panjang untuk memenuhi batas minimal lima puluh karakter.",
            accused=[submission.AccusedInput(uid="a", name="Foto")], incident_address="Kantor", province_code="51",
            regency_code=reference.regencies("51")[0][0], incident_at="2024-11-11T12:00",
        )
        draft = submission.ReportDraft(fields=fields, evidence=[item, pdf_item])
        number = submission.submit_report(session=db, draft=draft, user=None).registration_number
    verifier = create_staff()
    login(page, verifier["username"])
    expect_path(page, "/verifikator")
    open_page(page, f"/verifikator/laporan/{number}")
    preview = page.locator("img.evidence-preview").first
    expect(preview).to_have_attribute("alt", "foto-kuitansi.png")
    # Chain of custody: each file's SHA-256 as recorded when it was received.
    expect(page.locator(".evidence-hash").first).to_contain_text(hashlib.sha256(PNG).hexdigest())
    # A PDF is never opened by the browser here: its first pages come as an image drawn on the server.
    expect(page.locator("iframe")).to_have_count(0)
    pages = page.locator("img.evidence-preview.pdf")
    expect(pages).to_have_attribute("alt", "Halaman awal kontrak.pdf")
    drawn = page.request.get(pages.get_attribute("src"))
    assert drawn.status == 200 and drawn.headers["content-type"] == "image/png" and b"%PDF" not in drawn.body()
    page.wait_for_function("document.querySelector('img.evidence-preview').complete")
    assert page.evaluate("document.querySelector('img.evidence-preview').naturalWidth") > 0
    source = preview.get_attribute("src")
    response = page.request.get(source)
    assert response.status == 200 and response.body() == PNG and response.headers["content-type"] == "image/png"

    # The link works only with the login that received it: not in another browser, not after logout.
    stranger = browser.new_context()
    assert stranger.request.get(source).status == 404
    stranger.close()
    page.get_by_role("navigation", name="Navigasi utama", exact=True).get_by_role("button", name="Keluar").click()
    expect_path(page, "/masuk")
    assert page.request.get(source).status == 404


def test_identity_reveal_needs_a_reason_and_is_audited(page):
    number, _ = create_report(accused="Budi Santoso", email="pelapor.identitas@mail.co.id")
    verifier = create_staff()
    login(page, verifier["username"])
    expect_path(page, "/verifikator")
    open_page(page, f"/verifikator/laporan/{number}")
    expect(page.locator("main")).not_to_contain_text("pelapor.identitas@mail.co.id")
    page.get_by_label("Alasan membuka identitas").fill("perlu")
    page.get_by_role("button", name="Tampilkan Identitas Pelapor").click()
    expect(page.locator("#reason-error")).to_contain_text("minimal 10 karakter")
    page.get_by_label("Alasan membuka identitas").fill("Pemanggilan saksi untuk pemeriksaan lanjutan")
    page.get_by_label("Kode autentikator").fill(next_code(verifier["totp_secret"]))
    page.get_by_role("button", name="Tampilkan Identitas Pelapor").click()
    expect(page.locator(".identity")).to_contain_text("pelapor.identitas@mail.co.id")
    with app_db() as db:
        report = db.exec(select(Report).where(Report.registration_number == number)).one()
    entries = audit_details(AuditLog.report_id == report.id, AuditLog.action == "buka_identitas")
    assert len(entries) == 1 and "Pemanggilan saksi" in entries[0]


def test_a_staff_tab_token_taken_from_a_log_receives_no_case_data(page, browser):
    """Reflex hands a tab's state to whatever connects with its token: a revealed identity must not travel."""
    number, _ = create_report(accused="Sari Terlapor", email="pelapor.bocor@mail.co.id")
    verifier = create_staff()
    login(page, verifier["username"])
    expect_path(page, "/verifikator")
    open_page(page, f"/verifikator/laporan/{number}")
    page.get_by_label("Alasan membuka identitas").fill("Pemanggilan saksi untuk pemeriksaan lanjutan")
    page.get_by_label("Kode autentikator").fill(next_code(verifier["totp_secret"]))
    page.get_by_role("button", name="Tampilkan Identitas Pelapor").click()
    expect(page.locator(".identity")).to_contain_text("pelapor.bocor@mail.co.id")
    stolen = page.evaluate("window.sessionStorage.getItem('token')")
    base_url = page.url.split("/verifikator")[0]
    page.context.close()  # the verifier closes the tab; the state stays on the server
    time.sleep(1)

    attacker = browser.new_context(base_url=base_url)
    try:
        attacker.add_init_script(f"window.sessionStorage.setItem('token', {json.dumps(stolen)})")
        intruder = attacker.new_page()
        received: list[str] = []
        intruder.on("websocket", lambda socket: socket.on("framereceived", lambda frame: received.append(str(frame))))
        open_page(intruder, f"/verifikator/laporan/{number}")
        expect_path(intruder, "/masuk")  # no login cookie: sent to log in
        assert intruder.evaluate("window.sessionStorage.getItem('token')") == stolen  # the same state was used
        leaked = [frame for frame in received if "pelapor.bocor" in frame or "Sari Terlapor" in frame]
        assert received and not leaked
    finally:
        attacker.close()


def test_a_verifier_named_among_the_accused_cannot_be_assigned_nor_open_the_case(page, browser):
    verifier = create_staff(full_name="Dewi Lestari")
    number, _ = create_report(accused="Dewi Lestari", title="Kasus Dewi rahasia")
    admin = create_staff("admin")
    login(page, admin["username"])
    expect_path(page, "/verifikator")
    open_page(page, f"/verifikator/laporan/{number}")
    page.get_by_label("Tugaskan kepada").select_option(label=verifier["full_name"])
    page.get_by_role("button", name="Tugaskan").click()
    expect(page.locator("#verifier_id-error")).to_contain_text("benturan kepentingan")
    expect(page.locator("#assignee")).to_have_text("-")

    # The accused verifier does not find the case in the list, and its page refuses them (audited).
    accused_context = browser.new_context(base_url=page.url.split("/verifikator")[0])
    accused = accused_context.new_page()
    login(accused, verifier["username"])
    expect_path(accused, "/verifikator")
    accused.get_by_label("Cari (judul, uraian, terlapor, nomor)").fill(number)
    accused.get_by_role("button", name="Terapkan").click()
    expect(accused.locator("main")).to_contain_text("(0 laporan)")
    open_page(accused, f"/verifikator/laporan/{number}")
    expect(accused.get_by_role("heading", name=messages.REPORT_NOT_FOUND)).to_be_visible()
    expect(accused.locator("main")).not_to_contain_text("Kasus Dewi rahasia")
    accused_context.close()
    with app_db() as db:
        report = db.exec(select(Report).where(Report.registration_number == number)).one()
        assert db.exec(select(AuditLog).where(AuditLog.report_id == report.id, AuditLog.action == "akses_ditolak")).one()


def test_export_csv_and_xlsx_have_the_filtered_cases_and_identity_only_for_admins(page):
    number, _ = create_report(accused="Ekspor Satu", email="ekspor@mail.co.id", title="Kasus ekspor khusus")
    admin = create_staff("admin")
    login(page, admin["username"])
    expect_path(page, "/verifikator")
    page.get_by_label("Cari (judul, uraian, terlapor, nomor)").fill("Kasus ekspor khusus")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.locator(".case-table tbody tr")).to_have_count(1)

    page.get_by_role("button", name="Ekspor", exact=True).click()
    link = page.locator("#export-link")
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    rows = list(csv.reader(io.StringIO(response.body().decode("utf-8-sig"))))
    assert rows[0][:3] == ["Nomor Registrasi", "Tanggal", "Kanal"] and "Email Pelapor" not in rows[0]
    assert [row[0] for row in rows[1:]] == [number]
    assert "Ekspor Satu" in rows[1]

    first_href = link.get_attribute("href")
    page.get_by_label("Format ekspor").select_option("xlsx")
    page.get_by_role("button", name="Ekspor", exact=True).click()
    expect(link).not_to_have_attribute("href", first_href)
    expect(link).to_have_text("Unduh berkas XLSX")
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.body()), read_only=True)["Laporan"]
    cells = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0][0] == "Nomor Registrasi" and [row[0] for row in cells[1:]] == [number]
    assert "Ekspor Satu" in cells[1] and "ekspor@mail.co.id" not in cells[1]

    first_href = link.get_attribute("href")
    page.get_by_label("Format ekspor").select_option("csv")
    page.get_by_label("Sertakan identitas pelapor (tercatat di log audit)").check()
    page.get_by_role("button", name="Ekspor", exact=True).click()
    expect(page.locator("#export-error")).to_contain_text("Tuliskan alasan membuka identitas")
    expect(link).to_have_count(0)
    page.get_by_label("Alasan membuka identitas").fill("Permintaan penyidik nomor 7")
    page.get_by_role("button", name="Ekspor", exact=True).click()
    expect(page.locator("#export-error")).to_contain_text(two_factor.CODE_REQUIRED)
    page.get_by_label("Kode autentikator").fill(next_code(admin["totp_secret"]))
    page.get_by_role("button", name="Ekspor", exact=True).click()
    expect(link).not_to_have_attribute("href", first_href)
    rows = list(csv.reader(io.StringIO(page.request.get(link.get_attribute("href")).body().decode("utf-8-sig"))))
    assert rows[0][-3:] == ["Nama Pelapor", "Email Pelapor", "Telepon Pelapor"]
    assert rows[1][-2] == "ekspor@mail.co.id"
    assert any("identitas" in detail for detail in audit_details(AuditLog.action == "ekspor"))


def test_statistics_page_counts_reports(page):
    create_report(accused="Statistik Satu")
    admin = create_staff("admin")
    login(page, admin["username"])
    expect_path(page, "/verifikator")
    open_page(page, "/verifikator/statistik")
    with app_db() as db:
        from sqlmodel import func

        total = db.exec(select(func.count()).select_from(Report)).one()
    expect(page.locator("#stat-total")).to_have_text(str(total))
    expect(page.locator(".stat-status")).to_contain_text("Proses Verifikasi")
    expect(page.locator(".recharts-surface").first).to_be_visible()


def test_administrator_manages_staff_reference_data_and_reads_the_audit_log(page, browser):
    from wbs_app.models import Unit, User

    admin = create_staff("admin")
    login(page, admin["username"])
    expect_path(page, "/verifikator")
    open_page(page, "/verifikator/admin")

    # A new verifier, who must set a new password at first login. A refused email keeps what was typed.
    page.get_by_label("Username", exact=True).fill("verifikatorbaru")
    page.get_by_label("Email", exact=True).fill("bukan-email")
    page.get_by_label("Nama Lengkap").fill("Verifikator Baru")
    page.get_by_label("Password awal").fill("Awal-2026-rahasia")
    # Creating a staff account asks for a fresh code from the administrator's authenticator.
    page.get_by_role("button", name="Buat Akun Petugas").click()
    expect(page.get_by_label("Kode autentikator Anda")).to_have_accessible_description(two_factor.CODE_REQUIRED)
    page.get_by_label("Kode autentikator Anda").fill(next_code(admin["totp_secret"]))
    page.get_by_role("button", name="Buat Akun Petugas").click()
    expect(page.get_by_label("Email", exact=True)).to_have_accessible_description(messages.EMAIL_INVALID)
    expect(page.get_by_label("Username", exact=True)).to_have_value("verifikatorbaru")
    expect(page.get_by_label("Nama Lengkap")).to_have_value("Verifikator Baru")
    page.get_by_label("Email", exact=True).fill("baru@inspektorat.go.id")
    page.get_by_label("Kode autentikator Anda").fill(next_code(admin["totp_secret"]))  # that one was used
    page.get_by_role("button", name="Buat Akun Petugas").click()
    expect(page.get_by_role("status").filter(has_text="Akun petugas dibuat")).to_be_visible()
    row = page.locator(".user-row", has_text="verifikatorbaru")
    expect(row).to_contain_text("Verifikator")

    # Reset password: a temporary one, shown once.
    row.get_by_role("button", name="Reset Password").click()
    expect(page.locator("#temporary-password")).to_contain_text("verifikatorbaru: Wbs-")
    temporary = page.locator("#temporary-password").inner_text().split(": ", 1)[1]
    with app_db() as db:
        user = db.exec(select(User).where(User.username == "verifikatorbaru")).one()
        assert user.must_change_password

    # The verifier logs in with it, enrols an authenticator and is sent to change it before anything else.
    other = browser.new_context(base_url=page.url.split("/verifikator")[0])
    verifier_page = other.new_page()
    login(verifier_page, "verifikatorbaru", temporary)
    enrol_in_browser(verifier_page)
    verifier_page.get_by_role("button", name="Lanjutkan").click()
    expect_path(verifier_page, "/akun")  # via /verifikator, which refuses a temporary password
    expect(verifier_page.get_by_role("alert").filter(has_text="wajib mengganti password")).to_be_visible()
    other.close()

    # A lost phone: the administrator resets the verifier's second factor (audited); the next login enrols again.
    page.get_by_role("button", name="Cari").click()
    row.get_by_role("button", name="Reset 2FA").click()
    expect(page.get_by_role("status").filter(has_text="Verifikasi dua langkah direset")).to_be_visible()
    expect(row.get_by_role("button", name="Reset 2FA")).to_have_count(0)
    with app_db() as db:
        user = db.exec(select(User).where(User.username == "verifikatorbaru")).one()
        assert db.exec(select(SecondFactor).where(SecondFactor.user_id == user.id)).first() is None
    assert "Reset verifikasi dua langkah verifikatorbaru" in audit_details(AuditLog.action == "pengguna")

    # Deactivate: the account can no longer log in.
    row.get_by_role("button", name="Nonaktifkan").click()
    expect(row.get_by_role("button", name="Aktifkan", exact=True)).to_be_visible()
    with app_db() as db:
        assert not db.exec(select(User).where(User.username == "verifikatorbaru")).one().is_active

    # Reference data: add a unit, then deactivate it (nothing is deleted).
    page.get_by_role("tab", name="Jenis Pelanggaran & Unit").click()
    page.get_by_label("Unit baru").fill("Dinas Pariwisata Uji")
    page.get_by_role("button", name="Tambah").nth(1).click()
    new_unit = page.locator('input[value="Dinas Pariwisata Uji"]')
    expect(new_unit).to_be_visible()
    new_unit.locator("xpath=..").locator("xpath=..").get_by_role("button", name="Nonaktifkan").click()
    with app_db() as db:
        unit = db.exec(select(Unit).where(Unit.name == "Dinas Pariwisata Uji")).one()
    expect(new_unit.locator("xpath=..").locator("xpath=..").get_by_role("button", name="Aktifkan", exact=True)).to_be_visible()
    with app_db() as db:
        assert not db.get(Unit, unit.id).is_active

    # Deadlines: a day count of 0 is refused beside its field and stays typed; a valid one is stored.
    page.get_by_role("tab", name="Tenggat").click()
    general = page.get_by_role("group", name="Aturan umum (semua kanal)")
    general.get_by_label("Aturan tenggat").select_option("kustom")  # typed days, not a preset
    page.get_by_label("Tanggapan awal (hari)").fill("0")
    page.get_by_role("button", name="Simpan Tenggat").click()
    expect(page.get_by_label("Tanggapan awal (hari)")).to_have_accessible_description(messages.DEADLINE_INVALID)
    expect(page.get_by_label("Tanggapan awal (hari)")).to_have_value("0")
    page.get_by_label("Tanggapan awal (hari)").fill("7")  # the default: later tests see the same deadlines
    page.get_by_role("button", name="Simpan Tenggat").click()
    expect(page.get_by_role("status").filter(has_text=messages.ACTION_DONE)).to_be_visible()
    with app_db() as db:
        assert db.get(AppSetting, "acknowledge_days").value == "7"

    # The audit log shows who did it, filtered by action.
    page.get_by_role("tab", name="Log Audit").click()
    page.get_by_label("Tindakan").select_option("pengguna")
    page.get_by_role("button", name="Saring").click()
    audit_table = page.locator(".audit-table")
    expect(audit_table).to_contain_text("Reset password verifikatorbaru")
    expect(audit_table).to_contain_text("Nonaktifkan verifikatorbaru")
    expect(audit_table).to_contain_text(admin["username"])
    # The rows above are there before the filter too; this waits for the filtered list (slower on a busy machine).
    expect(audit_table).not_to_contain_text("Tambah unit", timeout=15_000)

    # The hash chain: verified by the app's daily job at start (or by an earlier test's administrator), and again
    # on demand (a background event).
    chain = page.locator(".chain-state")
    expect(chain).to_contain_text("Pemeriksaan terakhir")
    page.get_by_role("button", name="Periksa rantai").click()
    expect(chain).to_contain_text(f"oleh {admin['username']}")
    with app_db() as db:
        last = audit.last_check(session=db)
    assert last.intact and last.summary.startswith("utuh: ")
    expect(page.locator("#chain-summary")).to_have_text(last.summary)
    expect(chain.get_by_text("Utuh", exact=True)).to_be_visible()


def test_a_verifier_cannot_open_the_administration(page):
    verifier = create_staff()
    login(page, verifier["username"])
    expect_path(page, "/verifikator")
    open_page(page, "/verifikator/admin")
    expect_path(page, "/")
    wait_for_refusal("AdminState.load")
