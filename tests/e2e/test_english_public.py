"""The public pages in English: chosen from the header, every page of the public area checked for Indonesian left
over, and the server's answers (a tracking result, an unknown number, a refused receipt, statistics with hidden
counts) in English too. The institution's profile is data and stays as typed (translate="no")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import app_db, open_page
from tests.e2e.english import assert_english, choose_english
from tests.e2e.helpers import add_statistics_month, create_report

# Test data in English words, so the English-page check never trips over what the test itself stored.
ACCUSED = "Head of Section"


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Overview"),
        ("/tentang", "Definition"),
        ("/kontak", "Reporting Channels"),
        ("/lacak", "Track a Report"),
        ("/verifikasi-bukti", "Verify a Filing Receipt"),
        ("/tidak-ada", "Page Not Found"),
    ],
)
def test_public_page_in_english(page, path, heading):
    choose_english(page, path)
    expect(page.locator("main").get_by_role("heading", name=heading).first).to_be_visible()
    assert_english(page, path)


def test_home_page_content_in_english(page):
    choose_english(page, "/")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Complaint Criteria (5W + 1H)")).to_be_visible()
    for step in ["Check your report", "Fill in the form", "Keep your number & code", "Follow up"]:
        expect(main.get_by_role("heading", name=step, exact=True)).to_be_visible()
    expect(main.get_by_text("Step 1", exact=True)).to_be_visible()
    expect(main.locator(".violation-types")).to_contain_text("Corruption")  # a seeded type, by its English name
    expect(main.get_by_role("link", name="Report Now").first).to_have_attribute("href", "/lapor")
    expect(page).to_have_title("Home — WBS")
    assert_english(page, "/ (content)")


def test_faq_answers_in_english(page):
    choose_english(page, "/faq")
    expect(page.get_by_role("heading", name="Frequently Asked Questions")).to_be_visible()
    for summary in page.locator("summary.faq-question").all():
        summary.click()
    main = page.locator("main")
    expect(main.get_by_text("What evidence can I attach?")).to_be_visible()
    expect(main).to_contain_text("jpg, jpeg, png, pdf")  # the settings' values fill the English sentence too
    expect(main.get_by_text(re.compile("Under Verification: the report is being checked"))).to_be_visible()
    assert_english(page, "/faq (every answer open)")


def test_contact_shows_the_profile_as_typed_and_the_labels_in_english(page):
    choose_english(page, "/kontak")
    contact = page.locator(".institution-contact")
    expect(contact.get_by_text("Institution", exact=True)).to_be_visible()
    expect(contact.get_by_text("Service hours", exact=True)).to_be_visible()
    # The institution's name is data: marked so that translators (and the check) leave it as typed.
    expect(page.locator("#institution-name")).to_have_attribute("translate", "no")
    expect(page.locator("footer [translate='no']").first).to_be_visible()
    assert_english(page, "/kontak")


def test_tracking_a_report_and_an_unknown_number_in_english(page):
    number, _code = create_report(accused=ACCUSED, title="Fees for a server purchase")
    choose_english(page, "/lacak")
    page.get_by_label("Registration Number").fill(number.lower())
    page.get_by_role("button", name="Track", exact=True).click()
    result = page.locator(".tracking-result")
    expect(result).to_contain_text("Under Verification")
    expect(result.get_by_text("Last updated")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("server purchase")  # the content is never shown
    assert_english(page, "/lacak with a result")

    page.get_by_label("Registration Number").fill("WBS-7K3M9Q2X4D")
    page.get_by_role("button", name="Track", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="No report has that Registration Number")).to_be_visible()
    expect(page.locator(".tracking-result")).to_have_count(0)
    assert_english(page, "/lacak with an unknown number")

    page.get_by_label("Registration Number").fill("12345")
    page.get_by_role("button", name="Track", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="followed by 10")).to_be_visible()
    assert_english(page, "/lacak with a malformed number")


def test_tracking_from_the_receipt_s_address_in_english(page):
    number, _code = create_report(accused=ACCUSED, title="Fees for a server purchase")
    choose_english(page, "/")
    open_page(page, f"/lacak/{number}")
    expect(page.locator(".tracking-result")).to_contain_text("Under Verification")
    expect(page.locator(".tracking-result")).to_contain_text(number)
    expect(page).to_have_title("Track a Report — WBS")
    assert_english(page, f"/lacak/{number}")


def test_receipt_check_refusal_and_genuine_receipt_in_english(page):
    from wbs_app.services import filing_receipt

    number, _code = create_report(accused=ACCUSED, title="Fees for a server purchase")
    with app_db() as db:
        receipt_code = filing_receipt.find_receipt(session=db, registration_number=number).code
    choose_english(page, "/verifikasi-bukti")
    verdict = page.locator("#receipt-verdict")
    page.get_by_label("Registration Number").fill(number)
    page.get_by_label("Receipt Code").fill("AAAA-AAAA-AAAA-AAAA-AAAA")
    page.get_by_role("button", name="Check", exact=True).click()
    expect(verdict).to_contain_text("NOT VALID")
    expect(verdict).not_to_contain_text(number)
    assert_english(page, "/verifikasi-bukti refused")

    page.get_by_label("Receipt Code").fill(receipt_code)
    page.get_by_role("button", name="Check", exact=True).click()
    expect(verdict).to_contain_text("is VALID: it was issued")
    expect(verdict).to_contain_text(number)
    expect(verdict).to_contain_text("Violation (WBS)")  # the stored channel, by its English name
    assert_english(page, "/verifikasi-bukti genuine")


@pytest.mark.embedded_only  # empties the app's statistics cache in this process
def test_public_statistics_in_english_with_hidden_counts(page):
    from wbs_app import localtime
    from wbs_app.services import public_statistics

    start, _end = public_statistics.window(localtime.local_today())
    month = dt.datetime.combine(start + dt.timedelta(days=70), dt.time(3), tzinfo=dt.UTC)
    add_statistics_month(prefix="Y", month=month)  # 9 through the violation channel, 2 gratifications
    public_statistics.forget_cached()  # the app runs in this process

    choose_english(page, "/statistik")
    expect(page.get_by_role("heading", name="Report Statistics")).to_be_visible()
    english_month = month.strftime("%B %Y")  # "March 2026": the C locale's English month names
    expect(page.locator("#stat-months").get_by_role("row", name=re.compile(english_month))).to_be_visible()
    channels = page.locator("#stat-channel")
    expect(channels.get_by_role("row", name=re.compile("Gratuity"))).to_contain_text("< 5")
    expect(channels.get_by_role("row", name=re.compile(r"Violation \(WBS\)"))).to_contain_text("withheld")
    expect(page.locator("#stat-outcome").get_by_role("row", name=re.compile("Closed: Proven"))).to_be_visible()
    expect(page.locator("#stat-period")).to_contain_text(re.compile(r"^[A-Z][a-z]+ \d{4} – [A-Z][a-z]+ \d{4}$"))
    assert_english(page, "/statistik")
    public_statistics.forget_cached()
