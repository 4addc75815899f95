"""The wizard's checks: each step refuses what is missing and stores nothing, a future date and bad files are
refused, a failed commit keeps nothing, another's report is not found, a reload keeps the draft, a phone fits."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import func, select

from tests.e2e.conftest import app_db, expect_path, open_page
from tests.e2e.helpers import create_report, login, new_person, register_and_activate
from tests.e2e.wizard import (
    EXE,
    PNG,
    evidence_files,
    files,
    fill_anonymous_reporter,
    fill_details,
    fill_location,
    next_step,
    report_count,
    start_wizard,
    submit,
    upload,
)
from wbs_app import messages
from wbs_app.models import Evidence, User

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)


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
