"""The account pages in English: Masuk, Daftar, Aktivasi, Lupa/Atur Password and Akun Saya, their refusals and
the account emails, which are written in the account holder's language (the browser's at registration, then at
each login); an Indonesian browser's registration still gets its email in Bahasa Indonesia."""

from __future__ import annotations

import itertools
import re
import secrets

from playwright.sync_api import expect

from tests.e2e.conftest import app_db, expect_path, open_page
from tests.e2e.english import assert_english, choose_english
from tests.e2e.helpers import PASSWORD, fill_registration, new_person, next_email, valid_nik
from wbs_app import language, messages
from wbs_app.models import User
from wbs_app.services import users

_serial = itertools.count(1)
_RUN = secrets.token_hex(3)


def english(name: str) -> str:
    """A shared message (wbs_app/messages.py) as an English page shows it."""
    with language.use(language.ENGLISH):
        return getattr(messages, name)


def person_in_english() -> dict[str, str]:
    """Test data without Indonesian words (the English pages are searched for them)."""
    n = next(_serial)
    return {
        "username": f"reader{_RUN}{n}",
        "email": f"reader{_RUN}{n}@example.org",
        "password": PASSWORD,
        "password_confirmation": PASSWORD,
        "account_type": "Umum",
        "identity_number": valid_nik(9000 + n),
        "full_name": f"Alex Morgan {n}",
        "phone": "081234567890",
        "address": "12 Harbour Street, Bontang",
        "accept_terms": "on",
    }


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_after(label: str, message) -> str:
    match = re.search(rf"{label}: (\S+)", body(message))
    assert match, body(message)
    return match.group(1)


def account_language(username: str) -> str:
    with app_db() as db:
        return users.find_by_identifier(session=db, identifier=username).language


def test_login_page_and_a_failed_login_in_english(page):
    choose_english(page, "/masuk")
    expect(page.get_by_role("heading", name="Log in", exact=True)).to_be_visible()
    assert_english(page, "/masuk")
    page.get_by_label("Username or Email").fill("nobody-here")
    page.get_by_label("Password", exact=True).fill("wrong-password-2026")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(english("LOGIN_FAILED"))
    assert_english(page, "/masuk with a refused login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect_path(page, "/lupa-password")
    assert_english(page, "/lupa-password")


def test_registration_in_english_refusals_and_the_activation_email(page, mailbox):
    choose_english(page, "/daftar")
    expect(page.get_by_role("heading", name="Register a New Account")).to_be_visible()
    assert_english(page, "/daftar")

    # Refused: every message in English, next to its field.
    person = person_in_english()
    page.get_by_label("Email").fill("not-an-address")
    page.get_by_role("button", name="Create Account").click()
    expect(page.locator("#email-error")).to_have_text(english("EMAIL_INVALID"))
    expect(page.locator("#username-error")).to_have_text(english("REQUIRED"))
    expect(page.locator("#accept_terms-error")).to_have_text(english("TERMS_REQUIRED"))
    expect(page.get_by_role("alert").filter(has_text=english("FORM_HAS_ERRORS"))).to_be_visible()
    assert_english(page, "/daftar with refused fields")

    for field in ("username", "email", "password", "password_confirmation", "identity_number"):
        page.locator(f"#{field}").fill(person[field])
    page.locator("#full_name").fill(person["full_name"])
    page.locator("#phone").fill(person["phone"])
    page.locator("#address").fill(person["address"])
    page.locator("#accept_terms").check()
    page.get_by_role("button", name="Create Account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.locator("main")).to_contain_text(person["email"])
    assert_english(page, "/daftar, registration received")
    assert account_language(person["username"]) == "en"

    message = mailbox.wait_for(person["email"])
    assert message["Subject"] == "Activate Your WBS Account"
    assert message["Content-Language"] == "en"
    text = body(message)
    assert f"Dear {person['full_name']}," in text and "Yth." not in text
    link = link_after("Activate Account", message)
    assert "/aktivasi/" in link

    # The link, in the English browser: activated, in English.
    open_page(page, link)
    expect(page.get_by_role("status").filter(has_text=english("ACTIVATION_OK"))).to_be_visible()
    assert_english(page, "/aktivasi/<token>")
    # Used again: refused, with the form for a new link.
    open_page(page, link)
    expect(page.get_by_role("alert").filter(has_text=english("ACTIVATION_INVALID"))).to_be_visible()
    assert_english(page, "/aktivasi/<used token>")

    open_page(page, "/aktivasi")
    expect(page.get_by_role("heading", name="Account Activation")).to_be_visible()
    assert_english(page, "/aktivasi")
    page.get_by_label("Registered email").fill(person["email"])
    page.get_by_role("button", name="Send Link").click()
    expect(page.get_by_role("status").filter(has_text=english("ACTIVATION_RESENT"))).to_be_visible()
    assert_english(page, "/aktivasi, link asked for")


def test_an_indonesian_browser_still_registers_in_indonesian(page, mailbox):
    person = new_person()
    open_page(page, "/daftar")
    fill_registration(page, person)
    page.get_by_role("button", name="Buat Akun").click()
    expect(page.get_by_role("heading", name="Periksa email Anda")).to_be_visible()
    message = mailbox.wait_for(person["email"])
    assert message["Subject"] == "Aktifkan Akun WBS Anda" and message["Content-Language"] == "id"
    assert "Aktifkan Akun: " in body(message) and "Dear" not in body(message)
    assert account_language(person["username"]) == "id"


def test_account_page_in_english_and_the_reset_email_follows_the_login(page, mailbox):
    # Registered in Bahasa Indonesia; logging in from an English browser makes its emails English.
    person = person_in_english()
    with app_db() as db:
        _, token = users.register_user(session=db, data=users.Registration.from_form(person))
        users.activate_account(session=db, token=token)
    assert account_language(person["username"]) == "id"

    choose_english(page, "/masuk")
    page.get_by_label("Username or Email").fill(person["username"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect_path(page, "/akun")
    expect(page.get_by_role("heading", name="My Account")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text(person["full_name"])
    expect(page.get_by_text("Full Name", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Logged-in Devices")).to_be_visible()
    expect(page.locator(".device-entry").first).to_contain_text("Chrome on Linux")
    assert_english(page, "/akun")
    assert account_language(person["username"]) == "en"

    # A refused password change, in English.
    page.get_by_label("Current password").fill("not-my-password-1")
    page.get_by_label("New password", exact=True).fill("Another-2026-secret")
    page.get_by_label("Confirm the new password").fill("Another-2026-secret")
    page.get_by_role("button", name="Save Password").click()
    expect(page.locator("#current_password-error")).to_have_text(english("CURRENT_PASSWORD_WRONG"))

    # Two-step verification: the enrolment panel, and a refused first code.
    expect(page.locator("#two-factor-status")).to_contain_text("Not active")
    page.get_by_role("button", name="Turn On Two-Step Verification").click()
    expect(page.locator("#totp-secret")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for the authenticator app")).to_be_visible()
    assert_english(page, "/akun, two-step verification being set up")
    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Activate", exact=True).click()
    expect(page.locator("#second_factor_code-error")).to_have_text("The code is wrong or no longer valid.")
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("#totp-secret")).to_have_count(0)
    assert_english(page, "/akun with refusals")

    # The reset email goes out in the language of the last login.
    before = mailbox.count_to(person["email"])
    open_page(page, "/lupa-password")
    assert_english(page, "/lupa-password")
    page.get_by_label("Username or Email").fill(person["username"])
    page.get_by_role("button", name="Send Link").click()
    expect(page.get_by_role("status")).to_have_text(english("PASSWORD_RESET_REQUESTED"))
    message = next_email(page, mailbox, person["email"], before)
    assert message["Subject"] == "Reset Your WBS Password"
    assert "We received a request to reset the password" in body(message)
    link = link_after("Set Password", message)

    open_page(page, link)
    expect(page.get_by_role("heading", name="Set a New Password")).to_be_visible()
    assert_english(page, "/atur-password/<token>")
    page.get_by_label("New password", exact=True).fill("Another-2026-secret")
    page.get_by_label("Confirm Password").fill("Different-2026-secret")
    page.get_by_role("button", name="Save Password").click()
    expect(page.locator("#password_confirmation-error")).to_have_text(english("PASSWORD_MISMATCH"))
    assert_english(page, "/atur-password/<token> with a refusal")
    page.get_by_label("New password", exact=True).fill("Another-2026-secret")
    page.get_by_label("Confirm Password").fill("Another-2026-secret")
    page.get_by_role("button", name="Save Password").click()
    expect(page.get_by_role("status").filter(has_text=english("PASSWORD_RESET_DONE"))).to_be_visible()
    assert_english(page, "/atur-password/<token>, done")
    with app_db() as db:
        assert db.get(User, users.find_by_identifier(session=db, identifier=person["username"]).id).language == "en"
