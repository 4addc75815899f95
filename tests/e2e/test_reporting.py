"""The report wizard end to end: anonymous and logged in, evidence, access code, tracking, history, messages."""

from __future__ import annotations

import hashlib
import re
import time

import pytest
from playwright.sync_api import expect
from sqlmodel import func, select

from tests.e2e.conftest import app_db, expect_path, open_page
from tests.e2e.helpers import create_report, login, new_person, register_and_activate
from tests.unit import sample_evidence
from wbs_app import messages
from wbs_app.models import Evidence, Report, User
from wbs_app.services import codes, sealed, users

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)

# Real files (they are parsed in full and cleaned of metadata on upload), with metadata to remove.
PNG = sample_evidence.png_with_text()
PDF = sample_evidence.pdf_document()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
DESCRIPTION = (
    "Kepala bidang meminta uang pelicin sebesar lima juta rupiah kepada rekanan pengadaan server "
    "di kantor dinas pada bulan November, disaksikan dua staf."
)


def report_count() -> int:
    with app_db() as db:
        return db.exec(select(func.count()).select_from(Report)).one()


def evidence_files() -> set[str]:
    from wbs_app.settings import get_settings

    folder = get_settings().evidence_dir
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def files(tmp_path, *specs: tuple[str, bytes]) -> list[str]:
    paths = []
    for name, data in specs:
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def start_wizard(page, channel_label: str = "Lapor Pelanggaran (WBS)") -> None:
    open_page(page, "/lapor")
    page.get_by_role("link", name=channel_label).click()
    expect_path(page, "/lapor/", prefix=True)
    page.wait_for_selector('main[data-ready="true"]')
    expect(page.get_by_role("heading", name="Form Pelaporan")).to_be_visible()


def next_step(page) -> None:
    page.get_by_role("button", name="Selanjutnya").click()


def fill_anonymous_reporter(page) -> None:
    page.get_by_role("textbox", name="Nama").fill("Robert")
    page.get_by_label("Cantumkan Email").click()
    page.get_by_role("textbox", name="Email").fill("robert@mail.co.id")
    next_step(page)


def fill_details(page) -> None:
    expect(page.get_by_role("heading", name="Detail Kejadian")).to_be_visible()
    page.get_by_label("Judul").fill("Pungutan pada pengadaan server")
    page.get_by_label("Jenis Pelanggaran").select_option(label="Korupsi")
    rows = page.locator(".accused-row")
    rows.nth(0).get_by_label("Nama Terlapor").fill("Tensu")
    rows.nth(0).get_by_label("Jabatan").fill("Kepala Bidang")
    page.get_by_role("button", name="Tambah Terlapor").click()
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_label("Nama Terlapor").fill("Dihapus Nanti")
    page.get_by_role("button", name="Tambah Terlapor").click()
    expect(rows).to_have_count(3)
    rows.nth(2).get_by_label("Nama Terlapor").fill("Bambang")
    rows.nth(2).get_by_label("Klasifikasi").select_option("Pihak Ketiga/Swasta")
    rows.nth(1).get_by_role("button", name="Hapus").click()
    expect(rows).to_have_count(2)
    # The rows that stay keep what was typed in them.
    expect(rows.nth(0).get_by_label("Nama Terlapor")).to_have_value("Tensu")
    expect(rows.nth(1).get_by_label("Nama Terlapor")).to_have_value("Bambang")
    page.get_by_label("Unit Kejadian").select_option(label="Dinas Komunikasi, Informatika, dan Statistik")
    page.get_by_label("Deskripsi Pelanggaran").fill(DESCRIPTION)
    next_step(page)


def fill_location(page, tmp_path) -> None:
    expect(page.get_by_role("heading", name="Lokasi & Waktu Kejadian")).to_be_visible()
    page.get_by_role("textbox", name="Alamat").fill("Kantor Dinas, Jl. Udayana 1")
    page.get_by_label("Provinsi").select_option(label="Bali")
    regency = page.get_by_label("Kabupaten/Kota")
    expect(regency.locator("option", has_text="Kabupaten Jembrana")).to_have_count(1)
    regency.select_option(label="Kabupaten Jembrana")
    page.get_by_label("Perkiraan Waktu Kejadian").fill("2024-11-11T12:00")
    upload(page, files(tmp_path, ("kuitansi.png", PNG), ("kontrak.pdf", PDF)))
    items = page.locator(".evidence-item")
    expect(items).to_have_count(2)
    # The reporter is told what was taken out of each file before sending it.
    expect(items.filter(has_text="kontrak.pdf").locator(".cleaned-note")).to_contain_text("nama penulis")
    items.nth(0).get_by_label("Keterangan").fill("Foto kuitansi")
    items.nth(1).get_by_label("Keterangan").fill("Salinan kontrak")
    next_step(page)


def upload(page, paths: list[str]) -> None:
    page.locator(".upload-box input[type=file]").first.set_input_files(paths)


def submit(page) -> None:
    page.get_by_label(re.compile("benar sepanjang pengetahuan saya")).check()
    page.get_by_role("button", name="Kirim Laporan").click()


def test_anonymous_report_from_wizard_to_tracking_and_access_code(page, mailbox, tmp_path):
    before = report_count()
    start_wizard(page)
    fill_anonymous_reporter(page)
    fill_details(page)
    fill_location(page, tmp_path)

    summary = page.locator("main")
    expect(page.get_by_role("heading", name="Ringkasan Laporan")).to_be_visible()
    for text in [
        "Robert",
        "robert@mail.co.id",
        "Korupsi",
        "Pungutan pada pengadaan server",
        "Tensu",
        "Kepala Bidang",
        "Bambang",
        "Pihak Ketiga/Swasta",
        "Dinas Komunikasi, Informatika, dan Statistik",
        DESCRIPTION,
        "Kantor Dinas, Jl. Udayana 1",
        "Kabupaten Jembrana",
        "Bali",
        "11-11-2024 (12:00 WIB)",
        "kuitansi.png",
        "Foto kuitansi",
        "kontrak.pdf",
        "Salinan kontrak",
    ]:
        expect(summary).to_contain_text(text)
    expect(summary).not_to_contain_text("Dihapus Nanti")
    expect(page.locator(".accused-summary tbody tr")).to_have_count(2)
    # "lihat bukti" serves the received file as it will be stored: cleaned of its author before submission.
    pdf_link = page.get_by_role("link", name="Lihat bukti kontrak.pdf")
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    assert sample_evidence.AUTHOR.encode() in PDF and sample_evidence.AUTHOR.encode() not in response.body()
    assert response.headers["content-type"] == "application/pdf"

    # "Ubah" goes back to a step with everything still filled in.
    page.get_by_role("link", name="Ubah Detail Laporan").click()
    expect(page.get_by_label("Judul")).to_have_value("Pungutan pada pengadaan server")
    next_step(page)
    next_step(page)
    expect(page.get_by_role("heading", name="Ringkasan Laporan")).to_be_visible()

    submit(page)
    expect(page.get_by_role("heading", name="Laporan berhasil dikirim")).to_be_visible()
    number = page.locator("#registration-number").inner_text()
    code = page.locator("#access-code").inner_text()
    assert re.fullmatch(r"WBS-[0-9A-HJKMNP-TV-Z]{10}", number)
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{5}-){3}[0-9A-HJKMNP-TV-Z]{5}", code)
    assert report_count() == before + 1
    with app_db() as db:
        stored = db.exec(select(Report).where(Report.registration_number == number)).one()
        assert stored.access_code_hash and code not in stored.access_code_hash
        # A keyed digest (HMAC-SHA256 under a server key), not the code: services/codes.access_code_digest.
        assert stored.access_code_hash.startswith("h1$")
        assert codes.access_code_matches(session=db, code=code, stored=stored.access_code_hash)

    # F5 on the confirmation shows the same number and code again.
    page.reload()
    page.wait_for_selector('main[data-ready="true"]')
    expect(page.locator("#registration-number")).to_have_text(number)
    expect(page.locator("#access-code")).to_have_text(code)
    assert report_count() == before + 1

    # The confirmation email carries the number and nothing of the report.
    email = mailbox.wait_for("robert@mail.co.id")
    body = email.get_body(preferencelist=("plain",)).get_content()
    assert number in body and "Tensu" not in body and "server" not in body

    # Anyone can track the number: status and date only.
    open_page(page, "/lacak")
    page.get_by_label("Nomor Registrasi").fill(number)
    page.get_by_role("button", name="Lacak").click()
    expect(page.locator(".tracking-result")).to_contain_text("Proses Verifikasi")
    expect(page.locator("main")).not_to_contain_text("Tensu")

    # A wrong code opens nothing; the right one opens the report.
    open_page(page, "/akses")
    page.get_by_label("Nomor Registrasi").fill(number)
    page.get_by_label("Kode Akses").fill("AAAAA-BBBBB-CCCCC-DDDDD")
    page.get_by_role("button", name="Buka Laporan").click()
    expect(page.get_by_role("alert")).to_have_text(messages.ACCESS_FAILED)
    page.get_by_label("Kode Akses").fill(code.lower())
    page.get_by_role("button", name="Buka Laporan").click()
    expect_path(page, f"/laporan/{number}")
    main = page.locator("main")
    expect(main.get_by_role("heading", name=f"Laporan {number}")).to_be_visible()
    for text in [
        "Pungutan pada pengadaan server",
        "Tensu",
        "Bambang",
        "Kabupaten Jembrana",
        "Proses Verifikasi",
        "kuitansi.png",
        "Salinan kontrak",
    ]:
        expect(main).to_contain_text(text)

    # Evidence comes through the signed link with the exact bytes stored (cleaned of metadata on upload, and
    # checked against their SHA-256), never from the public upload folder.
    link = main.get_by_role("link", name="unduh").first
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    with app_db() as db:
        stored_hashes = set(db.exec(select(Evidence.sha256)).all())
    assert hashlib.sha256(response.body()).hexdigest() in stored_hashes
    assert response.body()[:4] in (PNG[:4], PDF[:4])
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["x-content-type-options"] == "nosniff"

    # A message to the verifiers, with an attachment.
    page.get_by_label("Pesan untuk verifikator").fill("Saya punya bukti tambahan.")
    page.locator(".upload-box input[type=file]").first.set_input_files(files(tmp_path, ("tambahan.png", PNG)))
    expect(main).to_contain_text("tambahan.png")
    page.get_by_role("button", name="Kirim Pesan").click()
    expect(page.locator(".message.mine")).to_contain_text("Saya punya bukti tambahan.")
    expect(page.locator(".message.mine")).to_contain_text("tambahan.png")


def test_logged_in_report_appears_in_history(page, mailbox, tmp_path):
    person = new_person()
    register_and_activate(page, mailbox, person)
    login(page, person["username"])
    expect_path(page, "/akun")

    start_wizard(page, "Lapor Gratifikasi")
    expect(page.locator("main")).to_contain_text(f"Anda melapor sebagai {person['full_name']}")
    # The default: linked to the account, the identity hidden from verifiers.
    expect(page.get_by_label("Identitas dirahasiakan")).to_be_checked()
    next_step(page)
    fill_details(page)
    fill_location(page, tmp_path)
    expect(page.locator("main")).to_contain_text(f"{person['full_name']} (identitas dirahasiakan dari verifikator)")
    submit(page)
    expect(page.get_by_role("heading", name="Laporan berhasil dikirim")).to_be_visible()
    number = page.locator("#registration-number").inner_text()
    expect(page.locator("#access-code")).to_have_count(0)
    with app_db() as db:
        stored = db.exec(select(Report).where(Report.registration_number == number)).one()
        owner = db.exec(select(User).where(User.username == person["username"])).one()
        assert not stored.hide_identity and stored.reporter_id == owner.id
        assert sealed.open_row(session=db, row=stored).reporter_name == users.opened(session=db, user=owner).full_name
        assert stored.reporter_name.startswith("e1.")  # sealed
        assert stored.access_code_hash is None and stored.channel == "Gratifikasi"

    page.get_by_role("link", name="Lihat Riwayat Laporan").click()
    expect_path(page, "/riwayat")
    table = page.locator(".history-table")
    expect(table).to_contain_text(number)
    expect(table).to_contain_text("Korupsi")
    expect(table).to_contain_text("Tensu, Bambang")
    expect(table).to_contain_text("Proses Verifikasi")
    dated = page.get_by_role("columnheader", name="Tanggal", exact=True)
    expect(dated).to_have_attribute("aria-sort", "descending")
    dated.get_by_role("button").click()
    expect(dated).to_have_attribute("aria-sort", "ascending")
    expect(table).to_contain_text(number)
    page.get_by_label("Status (Hasil Pemeriksaan)").select_option("Selesai: Terbukti")
    expect(page.locator("main")).to_contain_text("Belum ada laporan dengan status ini.")
    page.get_by_label("Status (Hasil Pemeriksaan)").select_option("Proses Verifikasi")
    page.get_by_role("link", name=number).click()
    expect_path(page, f"/laporan/{number}")
    expect(page.locator("main")).to_contain_text("Pungutan pada pengadaan server")


def test_without_identity_a_logged_in_report_is_linked_to_nothing_and_opened_by_its_code(page, mailbox, tmp_path):
    person = new_person()
    register_and_activate(page, mailbox, person)
    login(page, person["username"])
    expect_path(page, "/akun")
    emails_before = mailbox.count_to(person["email"])

    start_wizard(page)
    # A radio pair, chosen with the keyboard like any radio group.
    page.get_by_label("Identitas dirahasiakan").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Tanpa identitas")).to_be_checked()
    expect(page.locator("main")).to_contain_text("laporan ini tidak akan muncul di Riwayat Laporan")
    next_step(page)
    fill_details(page)
    fill_location(page, tmp_path)
    expect(page.locator("main")).to_contain_text("Tanpa identitas: tidak terhubung ke akun Anda.")
    expect(page.locator("main")).not_to_contain_text(person["full_name"])
    submit(page)
    expect(page.get_by_role("heading", name="Laporan berhasil dikirim")).to_be_visible()
    number = page.locator("#registration-number").inner_text()
    code = page.locator("#access-code").inner_text()
    expect(page.locator("#without-identity-note")).to_contain_text("tidak akan muncul di Riwayat Laporan")
    with app_db() as db:
        stored = db.exec(select(Report).where(Report.registration_number == number)).one()
        assert stored.reporter_id is None and stored.hide_identity
        assert (stored.reporter_name, stored.reporter_email, stored.reporter_phone, stored.reporter_address) == (
            ("",) * 4
        )
        assert codes.access_code_matches(session=db, code=code, stored=stored.access_code_hash)

    # Not in the history, and no email to the account's address (it would link the report back).
    page.get_by_label(re.compile("Saya sudah menyimpan Nomor Registrasi dan Kode Akses")).check()
    page.get_by_role("button", name="Buat laporan baru").click()
    expect_path(page, "/lapor")
    open_page(page, "/riwayat")
    expect(page.locator("main")).not_to_contain_text(number)
    assert mailbox.count_to(person["email"]) == emails_before
    # The Kode Akses opens it, as for a visitor.
    open_page(page, "/akses")
    page.get_by_label("Nomor Registrasi").fill(number)
    page.get_by_label("Kode Akses").fill(code)
    page.get_by_role("button", name="Buka Laporan").click()
    expect_path(page, f"/laporan/{number}")
    expect(page.locator("main")).to_contain_text("Pungutan pada pengadaan server")


def test_a_connection_lost_right_after_sending_loses_neither_the_number_nor_the_code(page, tmp_path):
    """The send reaches the server, the answer never reaches the browser; after a reload (and another) the
    confirmation shows the stored report's number and a code that opens it, and only one report exists."""
    network = {"down": False}

    def relay(socket):
        if network["down"]:
            socket.close()  # reconnecting fails while the network is down
            return
        server = socket.connect_to_server()

        def to_server(message):
            server.send(message)
            if isinstance(message, str) and "report_wizard_state.submit" in message:
                network["down"] = True
                socket.close()
                server.close()

        socket.on_message(to_server)

    page.route_web_socket(re.compile(r"/_event"), relay)
    before = report_count()
    start_wizard(page)
    fill_anonymous_reporter(page)
    fill_details(page)
    fill_location(page, tmp_path)
    submit(page)
    deadline = time.monotonic() + 30
    while report_count() == before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert report_count() == before + 1 and network["down"]
    page.wait_for_timeout(1000)
    expect(page.get_by_role("heading", name="Laporan berhasil dikirim")).to_have_count(0)  # the answer was lost

    network["down"] = False
    page.reload()
    page.wait_for_selector('main[data-ready="true"]')
    expect(page.get_by_role("heading", name="Laporan berhasil dikirim")).to_be_visible()
    number = page.locator("#registration-number").inner_text()
    code = page.locator("#access-code").inner_text()
    with app_db() as db:
        stored = db.exec(select(Report).order_by(Report.id.desc())).first()
        assert stored.registration_number == number
        assert codes.access_code_matches(session=db, code=code, stored=stored.access_code_hash)
    page.reload()
    page.wait_for_selector('main[data-ready="true"]')
    expect(page.locator("#registration-number")).to_have_text(number)
    expect(page.locator("#access-code")).to_have_text(code)
    assert report_count() == before + 1

    # Printing shows the number and code, nothing else.
    expect(page.get_by_role("button", name="Cetak")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("#access-code")).to_be_visible()
    expect(page.get_by_role("heading", name="Laporan berhasil dikirim")).not_to_be_visible()
    expect(page.get_by_role("button", name="Cetak")).not_to_be_visible()
    page.emulate_media(media="screen")

    # A new report starts only once the reporter says the number and code are saved.
    page.get_by_role("button", name="Buat laporan baru").click()
    expect(page.locator("#saved-error")).to_have_text(messages.SAVED_CONFIRMATION_REQUIRED)
    expect(page.locator("#access-code")).to_have_text(code)
    page.get_by_label(re.compile("Saya sudah menyimpan Nomor Registrasi dan Kode Akses")).check()
    page.get_by_role("button", name="Buat laporan baru").click()
    expect_path(page, "/lapor")
    start_wizard(page)
    expect(page.get_by_role("textbox", name="Nama")).to_have_value("")
    expect(page.locator("#registration-number")).to_have_count(0)


def test_each_step_refuses_missing_input_and_stores_nothing(page, tmp_path):
    before_reports, before_files = report_count(), evidence_files()
    start_wizard(page)
    next_step(page)
    expect(page.locator("#reporter_name-error")).to_have_text(messages.REQUIRED)
    page.get_by_role("textbox", name="Nama").fill("Samaran")
    next_step(page)

    next_step(page)
    for field, message in [
        ("title", messages.REQUIRED),
        ("violation_type_id", messages.VIOLATION_TYPE_REQUIRED),
        ("unit_id", messages.INCIDENT_UNIT_REQUIRED),
        ("description", messages.REQUIRED),
    ]:
        expect(page.locator(f"#{field}-error")).to_have_text(message)
    expect(page.get_by_role("alert").filter(has_text=messages.REQUIRED).first).to_be_visible()
    page.get_by_label("Deskripsi Pelanggaran").fill("terlalu pendek")
    next_step(page)
    expect(page.locator("#description-error")).to_contain_text("minimal 50 karakter")

    # At most 20 accused.
    for _ in range(19):
        page.get_by_role("button", name="Tambah Terlapor").click()
    expect(page.locator(".accused-row")).to_have_count(20)
    page.get_by_role("button", name="Tambah Terlapor").click()
    expect(page.locator("#accused-error")).to_have_text(messages.ACCUSED_TOO_MANY.format(max=20))
    expect(page.locator(".accused-row")).to_have_count(20)
    assert report_count() == before_reports and evidence_files() == before_files


def test_future_date_and_bad_files_are_refused(page, tmp_path):
    before_reports, before_files = report_count(), evidence_files()
    start_wizard(page)
    page.get_by_role("textbox", name="Nama").fill("Samaran")
    next_step(page)
    fill_details(page)
    page.get_by_role("textbox", name="Alamat").fill("Kantor")
    page.get_by_label("Provinsi").select_option(label="Bali")
    page.get_by_label("Kabupaten/Kota").select_option(label="Kota Denpasar")
    page.get_by_label("Perkiraan Waktu Kejadian").fill("2099-01-01T10:00")
    upload(page, files(tmp_path, ("program.pdf", EXE), ("besar.png", PNG + b"\x00" * (3 * 1024 * 1024))))
    refused = page.get_by_role("alert")
    expect(refused.filter(has_text="program.pdf")).to_contain_text("bukan PDF yang sah")
    expect(refused.filter(has_text="besar.png")).to_contain_text("terlalu besar (maksimal 2 MB)")
    expect(page.locator(".evidence-item")).to_have_count(0)
    next_step(page)
    expect(page.locator("#incident_at-error")).to_have_text(messages.DATETIME_IN_FUTURE)
    expect(page.get_by_role("heading", name="Lokasi & Waktu Kejadian")).to_be_visible()
    assert report_count() == before_reports and evidence_files() == before_files


@pytest.mark.embedded_only  # breaks the app's commit in this process
def test_a_failure_during_commit_keeps_nothing(page, tmp_path, monkeypatch):
    from wbs_app.services import submission

    def broken_commit(*, session):
        raise OSError("disk full")

    monkeypatch.setattr(submission, "_commit", broken_commit)
    before_reports, before_files = report_count(), evidence_files()
    with app_db() as db:
        evidence_rows_before = db.exec(select(func.count()).select_from(Evidence)).one()
    start_wizard(page)
    fill_anonymous_reporter(page)
    fill_details(page)
    fill_location(page, tmp_path)
    submit(page)
    expect(page.get_by_role("alert").filter(has_text="Laporan belum tersimpan")).to_be_visible()
    expect(page.get_by_role("heading", name="Laporan berhasil dikirim")).to_have_count(0)
    assert report_count() == before_reports
    assert evidence_files() == before_files
    with app_db() as db:
        assert db.exec(select(func.count()).select_from(Evidence)).one() == evidence_rows_before

    # Once the fault is gone the same draft goes through, files included.
    monkeypatch.undo()
    submit(page)
    expect(page.get_by_role("heading", name="Laporan berhasil dikirim")).to_be_visible()
    assert report_count() == before_reports + 1
    assert len(evidence_files() - before_files) == 2


def test_someone_elses_report_is_not_found(page, mailbox, tmp_path):
    start_wizard(page)
    fill_anonymous_reporter(page)
    fill_details(page)
    fill_location(page, tmp_path)
    submit(page)
    expect(page.get_by_role("heading", name="Laporan berhasil dikirim")).to_be_visible()
    number = page.locator("#registration-number").inner_text()

    # A different visitor, logged in as another reporter, tries the number directly.
    other = page.context.browser.new_context(base_url=page.url.split("/lapor")[0])
    intruder = other.new_page()
    person = new_person()
    register_and_activate(intruder, mailbox, person)
    login(intruder, person["username"])
    expect_path(intruder, "/akun")
    open_page(intruder, f"/laporan/{number}")
    expect(intruder.get_by_role("heading", name=messages.REPORT_NOT_FOUND)).to_be_visible()
    expect(intruder.locator("main")).not_to_contain_text("Tensu")
    open_page(intruder, "/laporan/WBS-0000000000")
    expect(intruder.get_by_role("heading", name=messages.REPORT_NOT_FOUND)).to_be_visible()

    # Nor does a report that another reporter sent from their own account.
    from wbs_app.models import User

    with app_db() as db:
        owner = User(
            username="pemilikasli",
            username_key="pemilikasli",
            email="asli@mail.co.id",
            email_key="asli@mail.co.id",
            password_hash="x",
            full_name="Pemilik Asli",
            is_active=True,
        )
        db.add(owner)
        db.commit()
        db.refresh(owner)
    owned, _ = create_report(accused="Terlapor Milik Orang Lain", user=owner)
    open_page(intruder, f"/laporan/{owned}")
    expect(intruder.get_by_role("heading", name=messages.REPORT_NOT_FOUND)).to_be_visible()
    expect(intruder.locator("main")).not_to_contain_text("Terlapor Milik Orang Lain")
    other.close()


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 800}], ids=["phone"])
def test_wizard_fits_a_phone(page):
    start_wizard(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_reload_keeps_the_draft_and_step_three_needs_its_fields(page, tmp_path):
    start_wizard(page)
    fill_anonymous_reporter(page)
    fill_details(page)
    expect(page.get_by_role("heading", name="Lokasi & Waktu Kejadian")).to_be_visible()
    upload(page, files(tmp_path, ("foto.png", PNG)))
    expect(page.locator(".evidence-item")).to_have_count(1)

    page.reload()
    page.wait_for_selector('main[data-ready="true"]')
    expect(page.get_by_role("heading", name="Lokasi & Waktu Kejadian")).to_be_visible()
    expect(page.locator(".evidence-item")).to_contain_text("foto.png")

    next_step(page)
    for field, message in [
        ("incident_address", messages.REQUIRED),
        ("province_code", messages.PROVINCE_REQUIRED),
        ("incident_at", messages.REQUIRED),
    ]:
        expect(page.locator(f"#{field}-error")).to_have_text(message)
    page.get_by_role("button", name="Kembali").click()
    expect(page.get_by_label("Judul")).to_have_value("Pungutan pada pengadaan server")
    expect(page.locator(".accused-row").nth(1).get_by_label("Nama Terlapor")).to_have_value("Bambang")


def test_verifier_messages_are_unread_until_the_reporter_opens_the_report(page, mailbox):
    from wbs_app.models import ReportMessage, User, ViolationType
    from wbs_app.services import reference, reports, submission

    person = new_person()
    register_and_activate(page, mailbox, person)
    with app_db() as db:
        user = db.exec(select(User).where(User.username == person["username"])).one()
        fields = submission.ReportFields(
            reporter_name="x",
            title="Laporan dengan pesan",
            violation_type_id=str(db.exec(select(ViolationType.id)).first()),
            unit_id=str(reference.active_units(session=db)[0].id),
            description=DESCRIPTION,
            accused=[submission.AccusedInput(uid="a", name="Tensu")],
            incident_address="Kantor",
            province_code="51",
            regency_code=reference.regencies("51")[0][0],
            incident_at="2024-11-11T12:00",
        )
        draft = submission.ReportDraft(fields=fields)
        number = submission.submit_report(session=db, draft=draft, user=user).registration_number
        report = reports.find_report(session=db, registration_number=number)
        db.add(ReportMessage(report_id=report.id, from_reporter=False, body="Mohon kirim salinan kuitansi."))
        db.commit()

    login(page, person["username"])
    expect_path(page, "/akun")
    open_page(page, "/riwayat")
    expect(page.locator(".history-table")).to_contain_text("1 pesan baru")
    page.get_by_role("link", name=number).click()
    expect_path(page, f"/laporan/{number}")
    theirs = page.locator(".message.theirs")
    expect(theirs).to_contain_text("Mohon kirim salinan kuitansi.")
    expect(theirs).to_contain_text("Baru")
    page.reload()
    page.wait_for_selector('main[data-ready="true"]')
    expect(page.locator(".message.theirs")).to_contain_text("Mohon kirim salinan kuitansi.")
    expect(page.locator(".message.theirs")).not_to_contain_text("Baru")
    open_page(page, "/riwayat")
    expect(page.locator(".history-table")).to_contain_text(number)
    expect(page.locator(".history-table")).not_to_contain_text("pesan baru")
