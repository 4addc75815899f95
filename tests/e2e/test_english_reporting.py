"""Reporting in English: /lapor, the whole wizard (its refusals too), the success page, the Filing Receipt PDF and
the confirmation email, /akses, the report page and My Reports, each checked for Indonesian left on the page."""

from __future__ import annotations

import re

import pypdfium2
from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import app_db, expect_path, open_page
from tests.e2e.english import assert_english, choose_english
from tests.e2e.helpers import create_report, login, new_person
from tests.e2e.wizard import PNG, files, upload
from wbs_app import i18n, language, messages
from wbs_app.models import Report, User
from wbs_app.services import filing_receipt

DESCRIPTION = (
    "The head of procurement asked a supplier for five million rupiah before signing the server contract, "
    "in the office in November, in front of two members of staff."
)


def english(text: str) -> str:
    """A message of the catalogues (its Indonesian id, as this process reads it) in English."""
    return i18n.translate(text, language.ENGLISH)


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        text = page.get_textpage().get_text_range()
    finally:
        document.close()
    return text.replace("\r\n", "\n")


def test_the_wizard_in_english_from_lapor_to_the_receipt_and_the_report(page, mailbox, tmp_path):
    choose_english(page, "/lapor")
    assert_english(page, "/lapor")
    page.get_by_role("link", name="Report a Violation (WBS)").click()
    expect_path(page, "/lapor/", prefix=True)
    page.wait_for_selector('main[data-ready="true"]')
    expect(page.get_by_role("heading", name="Report Form")).to_be_visible()
    expect(page).to_have_title("Report Form: Violation (WBS) — WBS")

    # Step 1, refused first: its errors in English.
    expect(page.get_by_role("heading", name="Reporter", exact=True)).to_be_visible()
    assert_english(page, "step 1")
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#reporter_name-error")).to_have_text(english(messages.REQUIRED))
    expect(page.get_by_role("alert").filter(has_text=english(messages.FORM_HAS_ERRORS))).to_be_visible()
    assert_english(page, "step 1 refused")
    page.get_by_role("textbox", name="Name").fill("Robert")
    page.get_by_label("Include Email").click()
    page.get_by_role("textbox", name="Email").fill("robert.en@mail.example")
    page.get_by_role("button", name="Next").click()

    # Step 2.
    expect(page.get_by_role("heading", name="Incident Details")).to_be_visible()
    assert_english(page, "step 2")
    page.get_by_label("Title").fill("Bribe asked in a server purchase")
    page.get_by_label("Violation Type").select_option(label="Corruption")
    row = page.locator(".accused-row").first
    row.get_by_label("Name of the reported person").fill("John Smith")
    row.get_by_label("Classification").select_option("Pejabat")
    expect(row.get_by_label("Classification").locator("option:checked")).to_have_text("Official")
    page.get_by_label("Unit Concerned").select_option(index=1)
    page.get_by_label("Description of the Violation").fill(DESCRIPTION)
    page.get_by_role("button", name="Next").click()

    # Step 3: the browser's refusal of a program and the server's of a file that is not what its name says.
    expect(page.get_by_role("heading", name="Location & Time of the Incident")).to_be_visible()
    assert_english(page, "step 3")
    page.get_by_role("textbox", name="Address").fill("Head office, 1 Main Street")
    page.get_by_label("Province").select_option(label="Bali")
    regency = page.get_by_label("Regency/City")
    expect(regency.locator("option")).not_to_have_count(1)
    regency.select_option(index=1)
    page.get_by_label("Approximate Time of the Incident").fill("2024-11-11T12:00")
    upload(page, files(tmp_path, ("tool.exe", b"MZ" + b"\x00" * 64)))
    local = page.locator(".upload-local-refusal [role=alert]")
    expect(local).to_contain_text("tool.exe: this file type is not allowed", timeout=2000)
    upload(page, files(tmp_path, ("photo.png", b"this is plain text, not an image")))
    expect(page.get_by_role("alert").filter(has_text="photo.png")).to_contain_text("not a valid PNG")
    upload(page, files(tmp_path, ("receipt.png", PNG)))
    item = page.locator(".evidence-item")
    expect(item).to_have_count(1)
    expect(item.locator(".cleaned-note")).to_contain_text("removed")
    item.get_by_label("Details").fill("Photo of the receipt")
    assert_english(page, "step 3 with refusals and a file")
    page.get_by_role("button", name="Next").click()

    # Summary and sending.
    expect(page.get_by_role("heading", name="Report Summary")).to_be_visible()
    main = page.locator("main")
    for text in ["Violation (WBS)", "Corruption", "Official", "John Smith", DESCRIPTION, "receipt.png"]:
        expect(main).to_contain_text(text)
    assert_english(page, "summary")
    page.get_by_role("button", name="Send Report").click()
    expect(page.locator("#confirm-error")).to_have_text(english(messages.CONFIRMATION_REQUIRED))
    page.get_by_label(re.compile("true to the best of my knowledge")).check()
    page.get_by_role("button", name="Send Report").click()

    # The success page: number, code, receipt.
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible(timeout=30_000)
    number = page.locator("#registration-number").inner_text()
    code = page.locator("#access-code").inner_text()
    assert re.fullmatch(r"WBS-[0-9A-Z]{10}", number)
    assert_english(page, "success page")
    with app_db() as db:
        assert db.exec(select(Report.language).where(Report.registration_number == number)).one() == "en"

    # The Filing Receipt, downloaded by this English browser: in English, and still genuine when checked.
    receipt = page.request.get(page.locator("#receipt-download").get_attribute("href"))
    assert receipt.status == 200
    assert f"filing-receipt-{number}.pdf" in receipt.headers["content-disposition"]
    text = pdf_text(receipt.body())
    for line in ["FILING RECEIPT", f"Registration Number: {number}", "Channel: Violation (WBS)", "Receipt Code:"]:
        assert line in text, text
    assert "Scan the QR code" in text and "Nomor" not in text and "Saluran" not in text
    assert filing_receipt.check_pdf(receipt.body()).valid

    # The confirmation email, in the language the report was sent in.
    email = mailbox.wait_for("robert.en@mail.example")
    assert email["Subject"] == f"WBS report received: {number}"
    assert "We have received your report." in email.get_body(preferencelist=("plain",)).get_content()

    # /akses: a wrong code refused in English, then the right one opens the report page.
    open_page(page, "/akses")
    assert_english(page, "/akses")
    page.get_by_label("Registration Number").fill(number)
    page.get_by_label("Access Code").fill("AAAAA-AAAAA-AAAAA-AAAAA")
    page.get_by_role("button", name="Open a Report").click()
    expect(page.get_by_role("alert")).to_have_text(english(messages.ACCESS_FAILED))
    assert_english(page, "/akses refused")
    page.get_by_label("Access Code").fill(code)
    page.get_by_role("button", name="Open a Report").click()
    expect_path(page, f"/laporan/{number}")
    expect(page.get_by_role("button", name="Close Report")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Under Verification")
    assert_english(page, "/laporan/<nomor> by Access Code")


def english_reporter() -> dict[str, str]:
    """An activated reporter account (as helpers.create_reporter) whose name, shown in the header, is English."""
    from wbs_app.services import users

    person = {**new_person(), "full_name": "Test Reporter", "accept_terms": "on"}
    with app_db() as db:
        _, token = users.register_user(session=db, data=users.Registration.from_form(person))
        users.activate_account(session=db, token=token)
    return person


def test_my_reports_and_a_report_page_in_english(page):
    person = english_reporter()
    login(page, person["username"])
    expect_path(page, "/akun")
    with app_db() as db:
        owner = db.exec(select(User).where(User.username == person["username"])).one()
    number, _ = create_report(accused="John Smith", user=owner, title="Bribe asked in a server purchase")
    choose_english(page, "/riwayat")
    expect(page.locator(".history-table")).to_contain_text(number)
    expect(page.locator(".history-table")).to_contain_text("Under Verification")
    assert_english(page, "/riwayat")
    page.get_by_label("Status (Examination Result)").select_option(label="Closed: Proven")
    expect(page.get_by_text("No reports with this status yet.")).to_be_visible()
    assert_english(page, "/riwayat filtered")
    open_page(page, f"/laporan/{number}")
    expect(page.get_by_role("heading", name="Messages")).to_be_visible()
    assert_english(page, "/laporan/<nomor> of its owner")
