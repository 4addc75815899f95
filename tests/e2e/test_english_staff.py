"""The verifiers' pages in English: the case list (filters, sorting, counters), a case page with a refused status
change, Perlindungan Pelapor and Statistik; the staff notice email in the account's language, and the update email a
reporter receives in the language of their report."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import app_db, expect_path, open_page
from tests.e2e.english import assert_english, choose_english
from tests.e2e.helpers import create_report, create_staff, login, text_of, wait_for_emails
from wbs_app import language, messages
from wbs_app.models import User

TITLE = "Kickbacks in the server procurement"


def english_text(name: str) -> str:
    """A text of wbs_app.messages as an English page shows it."""
    with language.use(language.ENGLISH):
        return getattr(messages, name)


def test_verifier_pages_and_emails_in_english(page, mailbox):
    verifier = create_staff()
    with app_db() as db:  # the account's language: that of its emails
        account = db.exec(select(User).where(User.username == verifier["username"])).one()
        account.language = language.ENGLISH
        db.add(account)
        db.commit()

    # A new report: the staff notice goes out in the verifier's language.
    with language.use(language.ENGLISH):  # sent from an English page: report.language is "en"
        number, _ = create_report(
            accused="Harold Whitfield",
            email="reporter.english@mail.example",
            title=TITLE,
            description="The head of section asked a supplier for a bribe to win the server procurement in November.",
            institution="Health Office",
            incident_address="Main office",
        )
    [notice] = wait_for_emails(mailbox, verifier["email"], 1)
    body = text_of(notice)
    assert notice["Subject"].startswith("WBS: ") and notice["Subject"].endswith(" to look at")
    assert "new report" in body and f"/verifikator/laporan/{number}" in body
    ours = body.split("\n-- ")[0]  # above the mailer's signature (wbs_app/services/mailer.py)
    assert "Log in to WBS to read them." in ours and "laporan" not in ours.replace("/laporan/", "")

    login(page, verifier["username"])
    expect_path(page, "/verifikator")

    # The case list: counters, filters, sorting and the table, all in English.
    choose_english(page, "/verifikator")
    expect(page.get_by_role("heading", name="Case List")).to_be_visible()
    expect(page.get_by_text("New (not assigned)")).to_be_visible()
    row = page.locator(".case-table tbody tr", has=page.get_by_role("link", name=number, exact=True))
    expect(row.locator(".unread")).to_have_text("New")
    assert_english(page, "case list")
    page.get_by_label("Search (title, description, reported person, number)").fill(number)
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".case-table tbody tr")).to_have_count(1)
    expect(page.locator(".pager")).to_contain_text("Page 1 of 1")
    page.get_by_role("button", name="Date", exact=True).click()  # sorted oldest first
    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("Date")
    expect(page.get_by_role("button", name="Date", exact=True)).to_have_attribute("title", "Sort by Date")
    page.get_by_role("button", name="Export", exact=True).click()
    expect(page.locator("#export-link")).to_have_text("Download the CSV file")
    assert_english(page, "case list, filtered and sorted")

    # The case page: a status change without the Verifier's Note is refused, in English.
    row.get_by_role("link", name=number).click()
    expect_path(page, f"/verifikator/laporan/{number}")
    expect(page.get_by_role("heading", name="Change Status")).to_be_visible()
    expect(page.locator("#case-deadline")).to_contain_text("First response deadline:")
    assert_english(page, "case page")
    page.get_by_label("New status").select_option("Proses Pemeriksaan")
    page.get_by_role("button", name="Save Status").click()
    expect(page.locator("#public_note-error")).to_have_text(english_text("NOTE_REQUIRED"))
    assert_english(page, "case page with a refused status change")

    # Done with a note: the reporter hears of it in the language their report was sent in.
    page.get_by_label("Verifier's Note (seen by the reporter)").fill("We are examining your report.")
    page.get_by_role("button", name="Save Status").click()
    expect(page.get_by_text(english_text("ACTION_DONE"))).to_be_visible()
    [update] = wait_for_emails(mailbox, "reporter.english@mail.example", 1)
    assert update["Subject"] == f"Update on WBS report {number}"
    assert "Open your report in the WBS app" in text_of(update)

    # Reporter Protection and Statistics.
    open_page(page, "/verifikator/perlindungan")
    expect(page.get_by_role("heading", name="Reporter Protection", level=1)).to_be_visible()
    assert_english(page, "reporter protection")
    open_page(page, "/verifikator/statistik")
    expect(page.get_by_role("heading", name="Statistics", level=1)).to_be_visible()
    expect(page.get_by_text("Median time to first response")).to_be_visible()
    assert_english(page, "statistics")
    # A chart's numbers as CSV, headed in the language of the browser that asks.
    link = page.locator("#csv-bulan")
    expect(link).to_have_text("Download CSV", use_inner_text=True)
    expect(link).to_have_attribute("aria-label", "Download CSV: Reports per month")
    answer = page.request.get(link.get_attribute("href"))
    assert answer.ok and answer.text().lstrip("\ufeff").startswith("Month,Number of reports")
