"""Administrasi → Retensi in the browser: terms per channel, the due list, a legal hold; and a purged report as
its reporter and the verifiers see it."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import app_db, expect_path, open_page
from tests.e2e.helpers import create_report, create_staff, login
from wbs_app import messages
from wbs_app.models import AppSetting, Report, ReportStatus, utcnow
from wbs_app.services import retention

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)

TERM_LABEL = "Pelanggaran (WBS) (hari setelah selesai)"


def close_long_ago(number: str, days: int) -> None:
    with app_db() as db:
        report = db.exec(select(Report).where(Report.registration_number == number)).one()
        report.status = ReportStatus.NOT_PROVEN.value
        report.closed_at = utcnow() - dt.timedelta(days=days)
        db.add(report)
        db.commit()


def test_an_administrator_sets_terms_holds_a_case_and_its_content_is_purged_after_the_hold_ends(page, browser):
    number, code = create_report(accused="Sutrisno Retensi", title="Pungutan retensi uji")
    close_long_ago(number, 400)
    admin = create_staff("admin")
    login(page, admin["username"])
    expect_path(page, "/verifikator")
    open_page(page, "/verifikator/admin")
    page.get_by_role("tab", name="Retensi").click()

    # A term under 30 days is refused beside its field and stays typed; 365 is stored.
    page.get_by_label(TERM_LABEL).fill("10")
    page.get_by_role("button", name="Simpan Retensi").click()
    invalid = messages.RETENTION_DAYS_INVALID.format(min=retention.MIN_DAYS, max=retention.MAX_DAYS)
    expect(page.get_by_label(TERM_LABEL)).to_have_accessible_description(invalid)
    expect(page.get_by_label(TERM_LABEL)).to_have_value("10")
    page.get_by_label(TERM_LABEL).fill("365")
    page.get_by_role("button", name="Simpan Retensi").click()
    expect(page.get_by_role("status").filter(has_text=messages.ACTION_DONE)).to_be_visible()
    with app_db() as db:
        assert db.get(AppSetting, retention.SETTING_KEYS["Pelanggaran (WBS)"]).value == "365"

    # The report closed 400 days ago is due; the administrator puts it on hold, with a reason.
    row = page.locator(".due-row", has_text=number)
    expect(row).to_contain_text("Jatuh tempo")
    row.get_by_role("button", name="Pilih").click()
    expect(page.get_by_label("Nomor Registrasi")).to_have_value(number)
    page.get_by_role("button", name="Simpan Penahanan").click()
    expect(page.get_by_label("Alasan")).to_have_accessible_description(messages.HOLD_REASON_REQUIRED.format(min=10))
    page.get_by_label("Alasan").fill("Perkara masih di pengadilan")
    page.get_by_role("button", name="Simpan Penahanan").click()
    expect(row).to_contain_text("Ditahan")
    with app_db() as db:
        assert retention.purge_due(session=db) == 0  # what the daily job does: a held report stays
        assert db.exec(select(Report).where(Report.registration_number == number)).one().title

    # Lifted: the next run purges it.
    row.get_by_role("button", name="Pilih").click()
    expect(page.get_by_label("Tindakan")).to_have_value("lepas")
    page.get_by_label("Alasan").fill("Putusan sudah berkekuatan tetap")
    page.get_by_role("button", name="Simpan Penahanan").click()
    expect(row).to_contain_text("Jatuh tempo")
    with app_db() as db:
        assert retention.purge_due(session=db) == 1
    notice = messages.REPORT_PURGED_NOTICE.split(" (")[0]

    # The case page shows the notice and no content; the report leaves the due list.
    open_page(page, f"/verifikator/laporan/{number}")
    expect(page.locator(".purged-notice")).to_contain_text(notice)
    expect(page.get_by_text("Pungutan retensi uji")).to_have_count(0)
    expect(page.get_by_text("Sutrisno Retensi")).to_have_count(0)
    expect(page.get_by_role("button", name="Simpan Status")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(ReportStatus.NOT_PROVEN.value)

    # So does the reporter's page opened with the Kode Akses.
    reporter = browser.new_context(base_url=page.url.split("/verifikator")[0])
    reporter_page = reporter.new_page()
    open_page(reporter_page, "/akses")
    reporter_page.get_by_label("Nomor Registrasi").fill(number)
    reporter_page.get_by_label("Kode Akses").fill(code)
    reporter_page.get_by_role("button", name="Buka Laporan").click()
    expect_path(reporter_page, f"/laporan/{number}")
    expect(reporter_page.locator(".purged-notice")).to_contain_text(notice)
    expect(reporter_page.get_by_text("Pungutan retensi uji")).to_have_count(0)
    expect(reporter_page.get_by_role("button", name="Kirim Pesan")).to_have_count(0)
    reporter.close()
