"""Institution and public pages in the browser: the profile set in Administrasi → Instansi on Kontak, the footer and
emails; the referral to SP4N-LAPOR! on /lapor; public statistics with small counts hidden; the Bukti Pelaporan
downloaded, verified, and refused when tampered with; the retaliation check-in and its protection case.

With WBS_SCREENSHOT_DIR set, each test also saves full-page screenshots of the pages it changed, at 1366 and 375 px.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import time
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import app_db, expect_path, is_local, open_page
from tests.e2e.helpers import (
    add_statistics_month,
    create_reporter,
    create_staff,
    login,
    next_email,
    request_password_reset,
)
from tests.e2e.wizard import fill_anonymous_reporter, fill_details, fill_location, start_wizard, submit
from wbs_app.models import InstitutionLogo, InstitutionProfile, ReportStatus
from wbs_app.services import institution

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)

PROFILE = {
    "Nama instansi": "Inspektorat Kabupaten Mojokerto",
    "Nama singkat": "Inspektorat Mojokerto",
    "Alamat kantor": "Jl. Kyai H. Hasyim Asy'ari No. 12, Mojokerto",
    "Email": "inspektorat.kab.mojokerto@gmail.com",
    "Telepon": "(0321) 391 001",
    "Alamat surat": "Kotak Pos 10, Mojokerto 61311",
    "Layanan tatap muka": "Meja Pengaduan, lantai 1 kantor Inspektorat",
}


def shoot(page, name: str) -> None:
    """Full-page screenshots at 1366 and 375 px wide, when WBS_SCREENSHOT_DIR names a folder."""
    folder = os.environ.get("WBS_SCREENSHOT_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for width in (1366, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(400)
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size(size)


def reset_profile() -> None:
    """Back to the defaults (other tests expect them); every worker sees the change within seconds."""
    with app_db() as db:
        for row in db.exec(select(InstitutionProfile)).all() + db.exec(select(InstitutionLogo)).all():
            db.delete(row)
        db.commit()
    institution.forget_cached()  # when the app runs in this process
    time.sleep(institution.CHECK_SECONDS)  # app workers in other processes see the change within this time


def logo_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 300), (30, 60, 120)).save(out, "PNG")
    return out.getvalue()


def test_institution_settings_reach_kontak_the_footer_and_emails(page, mailbox, tmp_path):
    admin = create_staff("admin")
    reporter = create_reporter()
    try:
        login(page, admin["username"])
        expect_path(page, "/verifikator")
        open_page(page, "/verifikator/admin")
        page.get_by_role("tab", name="Instansi").click()
        form = page.locator("form").filter(has=page.get_by_role("button", name="Simpan Profil Instansi"))
        for label, value in PROFILE.items():
            # From the start of the label: a label's text holds its hidden English too (components/text.py).
            form.get_by_label(re.compile("^" + re.escape(label))).fill(value)
        # A refused form says why beside the field and keeps everything typed.
        form.get_by_label("Situs web").fill("javascript:alert(1)")
        form.get_by_role("button", name="Simpan Profil Instansi").click()
        expect(page.locator("#inst_website-error")).to_contain_text("https://")
        expect(form.get_by_label("Alamat surat")).to_have_value(PROFILE["Alamat surat"])
        form.get_by_label("Situs web").fill("https://www.inspektorat.mojokab.go.id")
        form.get_by_role("button", name="Simpan Profil Instansi").click()
        expect(page.get_by_role("status").filter(has_text="Tersimpan.")).to_be_visible()
        logo = tmp_path / "logo.png"
        logo.write_bytes(logo_png())
        page.locator("#logo_instansi input[type=file]").set_input_files(str(logo))
        expect(page.get_by_alt_text("Logo instansi saat ini")).to_be_visible()
        shoot(page, "admin-instansi")
        time.sleep(institution.CHECK_SECONDS)  # with several workers, the others see a change within this time

        open_page(page, "/kontak")
        main = page.locator("main")
        for value in (PROFILE["Nama instansi"], PROFILE["Alamat kantor"], PROFILE["Telepon"], PROFILE["Email"]):
            expect(main).to_contain_text(value)
        expect(main.locator(".offline-channels")).to_contain_text(PROFILE["Alamat surat"])
        expect(main.locator(".offline-channels")).to_contain_text(PROFILE["Layanan tatap muka"])
        expect(main).not_to_contain_text("belum diatur")
        website = main.get_by_role("link", name="https://www.inspektorat.mojokab.go.id")
        expect(website).to_have_attribute("rel", "noopener noreferrer")
        expect(website).to_have_attribute("target", "_blank")
        footer = page.locator("footer")
        expect(footer).to_contain_text("WBS — " + PROFILE["Nama instansi"])
        expect(footer).to_contain_text(PROFILE["Telepon"])
        # The logo: served by this app under its content hash, cached for a year, drawn (not a broken image).
        image = page.locator("footer img.footer-logo")
        expect(image).to_be_visible()
        src = image.get_attribute("src")
        assert re.search(r"/_wbs/logo/[0-9a-f]{64}\.png$", src)
        assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) == 512
        answer = page.request.get(src)
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert answer.headers["content-type"] == "image/png"
        assert all(is_local(url) for url in page.requested_urls)
        shoot(page, "kontak")
        open_page(page, "/faq")
        page.get_by_text("Dapatkah saya melapor tanpa internet?").click()
        expect(page.locator("main")).to_contain_text(PROFILE["Layanan tatap muka"])
        shoot(page, "faq")
        open_page(page, "/")
        expect(page.locator("#hero-institution")).to_have_text(PROFILE["Nama instansi"])
        shoot(page, "beranda")

        # Emails go out under the institution's name, with its signature.
        page.context.clear_cookies()
        before = mailbox.count_to(reporter["email"])
        request_password_reset(page, reporter["username"])
        message = next_email(page, mailbox, reporter["email"], before)
        assert message["From"].addresses[0].display_name == "WBS Inspektorat Mojokerto"
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert "Whistleblowing System Inspektorat Kabupaten Mojokerto" in body and PROFILE["Alamat kantor"] in body
    finally:
        reset_profile()


def test_lapor_explains_what_belongs_in_wbs_and_refers_service_complaints_to_lapor(page):
    open_page(page, "/lapor")
    section = page.locator("#bukan-wbs")
    expect(section.get_by_role("heading", name="Apa yang dilaporkan ke WBS?")).to_be_visible()
    expect(section).to_contain_text("benturan kepentingan")
    expect(section).to_contain_text("gratifikasi")
    expect(section.locator(".scope-not-wbs")).to_contain_text("pelayanan yang lambat")
    link = section.get_by_role("link", name="Sampaikan keluhan pelayanan di SP4N-LAPOR!")
    expect(link).to_have_attribute("href", "https://www.lapor.go.id")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    page.wait_for_load_state("networkidle")
    hrefs = page.locator("a[href]").evaluate_all("(links) => links.map((a) => a.href)")
    assert [href for href in hrefs if not is_local(href)] == ["https://www.lapor.go.id/"]
    assert all(is_local(url) for url in page.requested_urls)
    shoot(page, "lapor")


@pytest.mark.embedded_only  # empties the app's statistics cache in this process
def test_public_statistics_hide_small_counts(page):
    from wbs_app import localtime
    from wbs_app.services import public_statistics

    start, end = public_statistics.window(localtime.local_today())
    month = dt.datetime.combine(start + dt.timedelta(days=40), dt.time(3), tzinfo=dt.UTC)
    label = f"{public_statistics.MONTH_NAMES[month.month - 1]} {month.year}"
    add_statistics_month(prefix="Z", month=month)  # 9 through the violation channel, 2 gratifications
    public_statistics.forget_cached()  # the app runs in this process

    open_page(page, "/")
    page.locator("footer").get_by_role("link", name="Statistik").click()
    expect_path(page, "/statistik")
    expect(page.locator("#stat-period")).to_be_visible()
    channels = page.locator("#stat-channel")
    expect(channels.get_by_role("row", name=re.compile("Gratifikasi"))).to_contain_text("< 5")
    # The 9 (or more) of the violation channel would give the 2 away by subtraction from the total: hidden too.
    expect(channels.get_by_role("row", name=re.compile(r"Pelanggaran \(WBS\)"))).to_contain_text("disamarkan")
    month_row = page.locator("#stat-months").get_by_role("row", name=re.compile(label))
    expect(month_row).to_be_visible()
    expect(page.locator("#stat-months")).not_to_contain_text(
        f"{public_statistics.MONTH_NAMES[end.month - 1]} {end.year}"
    )
    expect(page.locator("main")).not_to_contain_text("WBS-Z")
    shoot(page, "statistik")
    open_page(page, "/")
    page.get_by_role("link", name="Lihat statistik").click()
    expect_path(page, "/statistik")


def _tampered(pdf: bytes) -> bytes:
    """The receipt with its time of receipt moved by a day, as a PDF editor would."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        content = document.pages[0].Contents.read_bytes()
        day = re.search(rb"Diterima: (\d\d)", content).group(1)
        other = b"01" if day != b"01" else b"02"
        document.pages[0].Contents.write(content.replace(b"Diterima: " + day, b"Diterima: " + other))
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def test_receipt_download_verification_and_a_tampered_receipt_refused(page, tmp_path):
    start_wizard(page)
    fill_anonymous_reporter(page)
    fill_details(page)
    fill_location(page, tmp_path)
    submit(page)
    expect(page.get_by_role("heading", name="Laporan berhasil dikirim")).to_be_visible()
    number = page.locator("#registration-number").inner_text()
    code = page.locator("#access-code").inner_text()
    shoot(page, "konfirmasi")

    def download() -> bytes:
        with page.expect_download() as started:
            page.locator("#receipt-download").click()
        return Path(started.value.path()).read_bytes()

    first = download()
    page.reload()
    page.wait_for_selector('main[data-ready="true"]')
    expect(page.locator("#registration-number")).to_have_text(number)
    pdf = download()  # after a reload, with a fresh link
    assert pdf.startswith(b"%PDF") and first.startswith(b"%PDF")
    from wbs_app.services import filing_receipt

    text = filing_receipt.printed_text(pdf)
    assert f"Nomor Registrasi: {number}" in text and f"/lacak/{number}" in text and "WIB" in text
    assert code not in text and "Robert" not in text and "robert@mail.co.id" not in text
    receipt_code = re.search(r"Kode Bukti: (\S+)", text).group(1)

    genuine, forged = tmp_path / "bukti.pdf", tmp_path / "bukti-diubah.pdf"
    genuine.write_bytes(pdf)
    forged.write_bytes(_tampered(pdf))
    open_page(page, "/verifikasi-bukti")
    upload = page.locator("#bukti_pelaporan_pdf input[type=file]")
    upload.set_input_files(str(genuine))
    verdict = page.locator("#receipt-verdict")
    expect(verdict).to_contain_text("SAH")
    expect(verdict).to_contain_text(number)
    shoot(page, "verifikasi-bukti")
    upload.set_input_files(str(forged))
    expect(verdict).to_contain_text("TIDAK SAH")
    expect(verdict).not_to_contain_text(number)
    page.get_by_label("Nomor Registrasi").fill(number)
    page.get_by_label("Kode Bukti").fill(receipt_code.lower())
    page.get_by_role("button", name="Periksa").click()
    expect(verdict).to_contain_text("Bukti pelaporan SAH")
    page.get_by_label("Kode Bukti").fill("AAAA-AAAA-AAAA-AAAA-AAAA")
    page.get_by_role("button", name="Periksa").click()
    expect(verdict).to_contain_text("TIDAK SAH")

    # The QR code's address shows the report's status.
    open_page(page, f"/lacak/{number}")
    expect(page.locator(".tracking-result")).to_contain_text("Proses Verifikasi")
    shoot(page, "lacak-nomor")


def test_retaliation_check_in_opens_a_protection_case_for_staff(page, tmp_path):
    from tests.e2e.helpers import create_report
    from wbs_app.services import cases, reports

    number, code = create_report(accused="Kepala Seksi Umum")
    verifier = create_staff()
    with app_db() as db:
        from wbs_app.services import users

        actor = users.find_by_identifier(session=db, identifier=verifier["username"])
        report = reports.find_report(session=db, registration_number=number)
        for status in (ReportStatus.EXAMINATION, ReportStatus.PROVEN):
            cases.change_status(session=db, report=report, actor=actor, new_status=status.value, public_note="Selesai.")

    def open_with_code() -> None:
        open_page(page, "/akses")
        page.get_by_label("Nomor Registrasi").fill(number)
        page.get_by_label("Kode Akses").fill(code)
        page.get_by_role("button", name="Buka Laporan").click()
        expect_path(page, f"/laporan/{number}")
        page.wait_for_selector('main[data-ready="true"]')

    open_with_code()
    card = page.locator(".retaliation-card")
    expect(card).to_contain_text("Apakah Anda mengalami pembalasan?")
    card.get_by_role("button", name="Kirim Jawaban").click()
    expect(card.get_by_role("alert")).to_contain_text("Pilih jawaban")
    card.get_by_role("radio", name="Ya", exact=True).check()
    card.get_by_label(re.compile("Ceritakan pembalasan")).fill(
        "Saya dimutasi ke kecamatan seminggu setelah laporan selesai."
    )
    card.get_by_role("button", name="Kirim Jawaban").click()
    expect(page.locator("#protection-received")).to_contain_text("paling lambat")
    expect(card.get_by_role("button", name="Kirim Jawaban")).to_have_count(0)
    shoot(page, "laporan-pembalasan")

    page.context.clear_cookies()
    login(page, verifier["username"])
    expect_path(page, "/verifikator")
    page.get_by_role("link", name="Perlindungan Pelapor").first.click()
    expect_path(page, "/verifikator/perlindungan")
    row = page.locator(".protection-table").first.get_by_role("row", name=re.compile(number))
    expect(row).to_be_visible()
    row.get_by_role("button", name="Buka").click()
    panel = page.locator("#protection-case")
    expect(panel).to_contain_text("dimutasi ke kecamatan")
    shoot(page, "perlindungan")
    panel.get_by_label("Tindak lanjut untuk pelapor").fill(
        "Mutasi ditinjau ulang oleh BKPSDM; Anda tetap di unit semula."
    )
    panel.get_by_role("button", name="Selesaikan Kasus").click()
    expect(page.get_by_role("status").filter(has_text="Kasus perlindungan diselesaikan")).to_be_visible()

    page.context.clear_cookies()
    open_with_code()
    expect(page.locator("#protection-closed")).to_contain_text("Mutasi ditinjau ulang oleh BKPSDM")
