"""The report wizard end to end: anonymous and logged in, evidence, access code, tracking, history, messages."""

from __future__ import annotations

import hashlib
import re
import time

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import app_db, expect_path, open_page
from tests.e2e.helpers import login, new_person, register_and_activate
from tests.e2e.wizard import (
    DESCRIPTION,
    PDF,
    PNG,
    files,
    fill_anonymous_reporter,
    fill_details,
    fill_location,
    next_step,
    report_count,
    start_wizard,
    submit,
)
from tests.unit import sample_evidence
from wbs_app import messages
from wbs_app.models import Evidence, Report, User
from wbs_app.services import codes, sealed, users

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)


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
