"""Administrasi in English, as an administrator meets it: every tab, a refused staff account (its error in English,
what was typed kept), a refused retention term, the audit log's labels and the chain's summary read back in English.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import expect_path
from tests.e2e.english import assert_english, choose_english
from tests.e2e.helpers import create_staff, login, next_code
from wbs_app import language, messages
from wbs_app.services import retention


def message(name: str, **values) -> str:
    """A shared message (wbs_app/messages.py) as the English page shows it."""
    with language.use(language.ENGLISH):
        text = getattr(messages, name)
    return text.format(**values) if values else text


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    expect(page.get_by_role("tab", name=name, exact=True)).to_have_attribute("aria-selected", "true")


def test_every_administration_tab_in_english(page):
    admin = create_staff("admin")
    login(page, admin["username"])
    expect_path(page, "/verifikator")
    choose_english(page, "/verifikator/admin")
    expect(page.get_by_role("heading", name="Administration", exact=True)).to_be_visible()
    expect(page).to_have_title("Administration — WBS")

    # Users: a refused staff account says why in English and keeps what was typed.
    expect(page.locator(".user-row", has_text=admin["username"])).to_contain_text("Administrator")
    expect(page.locator(".user-row", has_text=admin["username"])).to_contain_text("Active")  # the account, not "On"
    assert_english(page, "Users tab")
    typed = {
        "Username": "clerkmorgan",
        "Email": "not-an-address",
        "Full Name": "Morgan Clerk",
        "Initial password": "Initial-2026-secret",
    }
    # Not exact: a label's text holds its hidden Indonesian too (components/text.py).
    for label, value in typed.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("Role").select_option("admin")
    page.get_by_label("Your authenticator code").fill(next_code(admin["totp_secret"]))
    page.get_by_role("button", name="Create Staff Account").click()
    expect(page.get_by_label("Email", exact=True)).to_have_accessible_description(message("EMAIL_INVALID"))
    for label, value in typed.items():
        expect(page.get_by_label(label)).to_have_value(value)
    expect(page.get_by_label("Role")).to_have_value("admin")
    assert_english(page, "Users tab, refused account")

    # Audit log: the chain checked, its summary and the action labels in English.
    open_tab(page, "Audit Log")
    page.get_by_role("button", name="Check the chain").click()
    expect(page.locator("#chain-summary")).to_contain_text("intact:")
    expect(page.locator(".chain-state")).to_contain_text(f"by {admin['username']}")
    expect(page.locator(".audit-table")).to_contain_text("Audit log chain check")
    expect(page.get_by_label("Action")).to_contain_text("User management")
    assert_english(page, "Audit log tab")

    # Deadlines: a preset's note, and the day fields of a rule of one's own.
    open_tab(page, "Deadline")
    page.locator("#admin_preset").select_option("lapor-14")
    expect(page.locator(".deadline-note").first).to_contain_text("first response in 3 working days")
    page.locator("#admin_preset").select_option("kustom")
    expect(page.get_by_label("First response (days)").first).to_be_visible()
    assert_english(page, "Deadlines tab")

    # Institution: the profile as typed stays as it is; the rest is English.
    open_tab(page, "Institution")
    expect(page.get_by_role("heading", name="Institution Profile")).to_be_visible()
    assert_english(page, "Institution tab")

    # Reference data: the names stay as stored (data); a name that exists is refused in English.
    open_tab(page, "Violation Types & Units")
    units = page.get_by_label("New unit")
    units.fill(page.get_by_label("Name", exact=True).last.input_value())
    units.press("Enter")
    expect(page.locator("#unit_name-error")).to_have_text(message("REFERENCE_EXISTS"))
    assert_english(page, "Reference data tab")

    # Retention: a term out of range is refused in English and stays typed.
    open_tab(page, "Retention")
    term = page.get_by_label("Violation (WBS) (days after closure)")
    term.fill("10")
    page.get_by_role("button", name="Save Retention").click()
    expect(term).to_have_accessible_description(
        message("RETENTION_DAYS_INVALID", min=retention.MIN_DAYS, max=retention.MAX_DAYS)
    )
    expect(term).to_have_value("10")
    assert_english(page, "Retention tab")
