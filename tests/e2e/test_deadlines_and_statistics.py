"""An administrator picks the SP4N-LAPOR! preset for one channel and the case page shows the due date by it; a
verifier downloads the numbers of a statistics chart as CSV."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect
from sqlmodel import func, select

from tests.e2e.conftest import app_db, expect_path, open_page
from tests.e2e.helpers import create_report, create_staff, login
from wbs_app import localtime, messages
from wbs_app.models import Channel, Report, ReportStatus
from wbs_app.services import deadlines

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)


def test_a_preset_per_channel_sets_the_due_date_on_the_case_page(page):
    number, _ = create_report(accused="Tenggat Kanal")
    with app_db() as db:
        report = db.exec(select(Report).where(Report.registration_number == number)).one()
        report.channel = Channel.GRATIFICATION.value
        db.add(report)
        db.commit()
        created = localtime.local_date(report.created_at)
    admin = create_staff("admin")
    login(page, admin["username"])
    expect_path(page, "/verifikator")
    try:
        open_page(page, "/verifikator/admin")
        page.get_by_role("tab", name="Tenggat").click()
        gratification = page.get_by_role("group", name=f"Kanal {Channel.GRATIFICATION.value}")
        choice = gratification.get_by_label("Aturan tenggat")
        choice.select_option(label=deadlines.PRESETS["lapor-14"][0])
        # A preset hides the typed days; "Atur sendiri" shows them.
        expect(gratification.get_by_label("Tanggapan awal (hari)")).to_have_count(0)
        page.get_by_role("button", name="Simpan Tenggat").click()
        expect(page.get_by_role("status").filter(has_text=messages.ACTION_DONE)).to_be_visible()
        with app_db() as db:
            config = deadlines.load_config(session=db)
        assert config.rule_for(Channel.GRATIFICATION.value) == deadlines.PRESETS["lapor-14"][1]
        assert config.rule_for(Channel.VIOLATION.value) == deadlines.DeadlineConfig().general

        open_page(page, f"/verifikator/laporan/{number}")
        due = deadlines.add_days(created, 3, working=True)
        expect(page.locator("#case-deadline")).to_have_text(
            f"Tenggat tanggapan awal: {due:%d-%m-%Y} (3 hari kerja, aturan kanal {Channel.GRATIFICATION.value})"
        )
        # The case list shows the same date.
        open_page(page, "/verifikator")
        expect(page.get_by_role("row").filter(has_text=number)).to_contain_text(f"{due:%d-%m-%Y}")
    finally:
        with app_db() as db:  # later tests expect the default deadlines
            deadlines.save_config(session=db, config=deadlines.DeadlineConfig())
            db.commit()


def test_a_chart_downloads_its_numbers_as_csv(page):
    create_report(accused="Statistik CSV")
    verifier = create_staff("verifier")
    login(page, verifier["username"])
    expect_path(page, "/verifikator")
    open_page(page, "/verifikator/statistik")
    with app_db() as db:
        counts = dict(db.exec(select(Report.status, func.count()).group_by(Report.status)).all())
    expect(page.locator("#stat-total")).to_have_text(str(sum(counts.values())))
    link = page.locator("#csv-status")
    expect(link).to_have_attribute("href", re.compile(r"^http://[^/]+/_wbs/statistik-csv/"))
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "statistik-menurut-status.csv"
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert rows[0] == ["Status", "Jumlah laporan"]
    assert dict(rows[1:])[ReportStatus.VERIFICATION.value] == str(counts[ReportStatus.VERIFICATION.value])
    # The link is bound to this login: another browser (no login) gets nothing.
    other = page.context.browser.new_context()
    try:
        answer = other.request.get(link.get_attribute("href"))
        assert answer.status == 404 and "Statistik" in answer.text()
    finally:
        other.close()
