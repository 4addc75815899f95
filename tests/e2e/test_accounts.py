"""Registration of each account type, email activation, login, logout, password reset by email, temporary
passwords, and every refused input."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import activation_link, app_db, expect_path, open_page, password_reset_link
from tests.e2e.helpers import (
    create_report,
    create_staff,
    fill_registration,
    login,
    new_person,
    next_email,
    register_and_activate,
    request_password_reset,
    user_count,
)
from wbs_app import messages
from wbs_app.services import users

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)

NEW_PASSWORD = "Baru-2026-sekali"


@pytest.mark.parametrize("account_type", ["Umum", "PNS", "Pramubakti"])
def test_register_activate_login_reload_logout(page, mailbox, account_type):
    person = new_person(account_type)
    if account_type == "PNS":
        person.update(birth_place="Bontang", birth_date="1985-01-15", other_phone="0211234567")
    register_and_activate(page, mailbox, person)

    login(page, person["email"].upper())
    expect_path(page, "/akun")
    expect(page.get_by_role("heading", name="Akun Saya")).to_be_visible()
    profile = page.locator("main")
    expect(profile).to_contain_text(person["full_name"])
    expect(profile).to_contain_text(account_type)
    if account_type == "PNS":
        expect(profile).to_contain_text("198501152010011001")
        expect(profile).to_contain_text("Penata Muda (III/a)")
        expect(profile).to_contain_text("Bontang")
        expect(profile).to_contain_text("15-01-1985")
        expect(profile).to_contain_text("(021) 1234567")
    if account_type != "Umum":
        expect(profile).to_contain_text("Dinas Kesehatan")
    nav = page.get_by_role("navigation", name="Navigasi utama", exact=True)
    expect(nav.get_by_role("link", name=person["full_name"])).to_be_visible()

    # The login survives a reload.
    page.reload()
    page.wait_for_selector('main[data-ready="true"]')
    expect(page.locator("main")).to_contain_text(person["full_name"])

    old_cookies = page.context.cookies()
    nav.get_by_role("button", name="Keluar").click()
    expect_path(page, "/masuk")
    expect(nav.get_by_role("link", name="Masuk", exact=True)).to_be_visible()

    # The old session id no longer opens the account page.
    page.context.add_cookies([c for c in old_cookies if c["name"] == "wbs_sesi"])
    open_page(page, "/akun")
    expect_path(page, "/masuk")
    expect(page.locator("main")).not_to_contain_text(person["address"])


def test_a_taken_username_is_refused_and_a_taken_email_looks_like_a_new_registration(page, mailbox):
    person = new_person()
    register_and_activate(page, mailbox, person)
    before = user_count()

    again = new_person()
    again["username"] = person["username"].upper()
    open_page(page, "/daftar")
    fill_registration(page, again)
    page.get_by_role("button", name="Buat Akun").click()
    expect(page.locator("#username-error")).to_have_text(messages.USERNAME_TAKEN)

    # Someone registers the first person's address: the same screen as a new account, no account made,
    # and the address's owner is told by email, with a link to set a new password.
    third = new_person()
    third["email"] = person["email"].upper()
    notices_before = mailbox.count_to(person["email"])
    open_page(page, "/daftar")
    fill_registration(page, third)
    page.get_by_role("button", name="Buat Akun").click()
    expect(page.get_by_role("heading", name="Periksa email Anda")).to_be_visible()
    expect(page.locator("#email-error")).to_have_count(0)
    assert user_count() == before
    notice = next_email(page, mailbox, person["email"], notices_before)
    assert "tidak ada akun baru yang dibuat" in notice.get_body(preferencelist=("plain",)).get_content()
    assert password_reset_link(notice)


BAD_INPUTS = [
    ("email", "bukan-email", "email", messages.EMAIL_INVALID),
    ("password_short", "Pendek1", "password", messages.PASSWORD_TOO_SHORT),
    ("password_weak", "aaaaaaaaaaaa", "password", messages.PASSWORD_WEAK),
    ("password_mismatch", "Lain-sekali-2026", "password_confirmation", messages.PASSWORD_MISMATCH),
    ("nik_length", "12345", "identity_number", messages.IDENTITY_INVALID),
    ("nik_invalid", "9999999999999999", "identity_number", messages.NIK_INVALID),
    ("nip", "12345", "nip", messages.NIP_INVALID),
    ("phone", "080989999", "phone", messages.PHONE_INVALID),
    ("terms", "", "accept_terms", messages.TERMS_REQUIRED),
    ("unit", "", "unit_id", messages.UNIT_REQUIRED),
    ("rank", "", "rank_id", messages.RANK_REQUIRED),
    ("full_name", "", "full_name", messages.REQUIRED),
]


@pytest.mark.parametrize(("case", "value", "field", "message"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_registration_input_shows_its_message_and_creates_nothing(page, case, value, field, message):
    person = new_person("PNS")
    key = {
        "password_short": "password",
        "password_weak": "password",
        "password_mismatch": "password_confirmation",
        "nik_length": "identity_number",
        "nik_invalid": "identity_number",
        "terms": "accept_terms",
    }.get(case, case)
    person[key] = value
    if case in ("password_short", "password_weak"):
        person["password_confirmation"] = value
    before = user_count()

    open_page(page, "/daftar")
    fill_registration(page, person)
    page.get_by_role("button", name="Buat Akun").click()

    expect(page.locator(f"#{field}-error")).to_have_text(message)
    expect(page.get_by_role("alert").filter(has_text=messages.FORM_HAS_ERRORS)).to_be_visible()
    # The message sits next to its field, and the field says it is invalid.
    expect(page.locator(f"#{field}-error")).to_be_visible()
    assert user_count() == before
    # What was typed is still there to correct.
    expect(page.get_by_label("Nama Lengkap")).to_have_value(person["full_name"])


def test_unknown_user_and_wrong_password_get_the_same_message(page, mailbox):
    person = new_person()
    register_and_activate(page, mailbox, person)

    login(page, "tidak-ada-orangnya")
    unknown = page.get_by_role("alert")
    expect(unknown).to_have_text(messages.LOGIN_FAILED)

    login(page, person["username"], "Salah-password-123")
    expect(page.get_by_role("alert")).to_have_text(messages.LOGIN_FAILED)
    expect(page).to_have_url(re.compile(r"/masuk/?$"))


def test_used_activation_link_says_so_and_offers_a_new_one(page, mailbox):
    person = new_person()
    open_page(page, "/daftar")
    fill_registration(page, person)
    page.get_by_role("button", name="Buat Akun").click()
    expect(page.get_by_role("heading", name="Periksa email Anda")).to_be_visible()
    first_link = activation_link(mailbox.wait_for(person["email"]))

    # Ask for a new link: the first one stops working.
    open_page(page, "/aktivasi")
    page.get_by_label("Email yang didaftarkan").fill(person["email"])
    page.get_by_role("button", name="Kirim Tautan").click()
    expect(
        page.get_by_role("alert").or_(page.get_by_role("status")).filter(has_text="tautan aktivasi baru")
    ).to_be_visible()

    def second_link() -> str:
        for _ in range(100):
            if mailbox.count_to(person["email"]) >= 2:
                return activation_link(mailbox.wait_for(person["email"]))
            page.wait_for_timeout(100)
        raise AssertionError("the new activation email did not arrive")

    new_link = second_link()
    assert new_link != first_link

    open_page(page, first_link)
    expect(page.get_by_role("alert").filter(has_text="Tautan aktivasi tidak berlaku")).to_be_visible()
    expect(page.get_by_label("Email yang didaftarkan")).to_be_visible()

    open_page(page, new_link)
    expect(page.get_by_role("status").filter(has_text=messages.ACTIVATION_OK)).to_be_visible()
    open_page(page, new_link)
    expect(page.get_by_role("alert").filter(has_text="Tautan aktivasi tidak berlaku")).to_be_visible()


def test_repeated_login_failures_lock_the_account_for_a_while(page, mailbox):
    person = new_person()
    register_and_activate(page, mailbox, person)
    for _ in range(5):
        login(page, person["username"], "Salah-password-123")
        expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Terlalu banyak percobaan")
    # Even the right password waits until the lock ends.
    login(page, person["username"])
    expect(page.get_by_role("alert")).to_contain_text("Terlalu banyak percobaan")


# Lupa password ---------------------------------------------------------------------------------------


def test_forgotten_password_is_reset_through_the_emailed_link(page, browser, app_harness, mailbox):
    person = new_person()
    register_and_activate(page, mailbox, person)
    # A login elsewhere, which the reset must end.
    elsewhere = browser.new_context(base_url=app_harness.frontend_url.rstrip("/"))
    other_page = elsewhere.new_page()
    login(other_page, person["username"])
    expect_path(other_page, "/akun")

    before = mailbox.count_to(person["email"])
    request_password_reset(page, person["email"].upper())
    message = next_email(page, mailbox, person["email"], before)
    assert message["Subject"] == "Atur Ulang Password WBS"
    link = password_reset_link(message)
    assert "/atur-password/" in link

    open_page(page, link)
    expect(page.get_by_role("heading", name="Atur Password Baru")).to_be_visible()
    # The registration rules, with the message at the field; the link survives a refused password.
    page.get_by_label("Password baru").fill("Pendek1")
    page.get_by_label("Konfirmasi Password").fill("Pendek1")
    page.get_by_role("button", name="Simpan Password").click()
    expect(page.locator("#password-error")).to_have_text(messages.PASSWORD_TOO_SHORT)
    page.get_by_label("Password baru").fill(NEW_PASSWORD)
    page.get_by_label("Konfirmasi Password").fill("Lain-2026-sekali")
    page.get_by_role("button", name="Simpan Password").click()
    expect(page.locator("#password_confirmation-error")).to_have_text(messages.PASSWORD_MISMATCH)

    page.get_by_label("Password baru").fill(NEW_PASSWORD)
    page.get_by_label("Konfirmasi Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Simpan Password").click()
    expect(page.get_by_role("status")).to_have_text(messages.PASSWORD_RESET_DONE)
    page.locator("main").get_by_role("link", name="Masuk").click()
    expect_path(page, "/masuk")

    # The old password no longer works, the new one does, and the other login has ended.
    login(page, person["username"])
    expect(page.get_by_role("alert")).to_have_text(messages.LOGIN_FAILED)
    login(page, person["username"], NEW_PASSWORD)
    expect_path(page, "/akun")
    open_page(other_page, "/akun")
    expect_path(other_page, "/masuk")
    elsewhere.close()


def test_unknown_account_gets_the_same_answer_and_no_email(page, mailbox):
    person = new_person()
    register_and_activate(page, mailbox, person)
    unknown = "tidak-terdaftar@mail.co.id"

    request_password_reset(page, unknown)
    unknown_answer = page.locator("main").inner_text()
    expect(page.get_by_role("alert")).to_have_count(0)

    before = mailbox.count_to(person["email"])
    request_password_reset(page, person["username"])
    assert page.locator("main").inner_text() == unknown_answer
    # The registered account's email arrives; by then the unknown one would have too.
    next_email(page, mailbox, person["email"], before)
    assert mailbox.count_to(unknown) == 0


def test_a_used_reset_link_says_so_and_offers_a_new_one(page, mailbox):
    person = new_person()
    register_and_activate(page, mailbox, person)
    before = mailbox.count_to(person["email"])
    request_password_reset(page, person["username"])
    link = password_reset_link(next_email(page, mailbox, person["email"], before))

    open_page(page, link)
    page.get_by_label("Password baru").fill(NEW_PASSWORD)
    page.get_by_label("Konfirmasi Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Simpan Password").click()
    expect(page.get_by_role("status")).to_have_text(messages.PASSWORD_RESET_DONE)

    open_page(page, link)
    expect(page.get_by_role("alert")).to_have_text(messages.PASSWORD_RESET_INVALID)
    expect(page.get_by_label("Password baru")).to_have_count(0)
    page.get_by_role("link", name="Minta Tautan Baru").click()
    expect_path(page, "/lupa-password")
    expect(page.get_by_label("Username atau Email")).to_be_visible()


def test_a_reporter_with_a_temporary_password_must_replace_it_first(page, mailbox):
    from sqlmodel import select

    from wbs_app.models import User
    from wbs_app.services import admin

    person = new_person()
    register_and_activate(page, mailbox, person)
    administrator = create_staff("admin")
    with app_db() as db:
        reporter = db.exec(select(User).where(User.username == person["username"])).one()
        db.expunge(reporter)
    number, _ = create_report(accused="Terlapor Sementara", user=reporter)
    with app_db() as db:
        actor = db.exec(select(User).where(User.username == administrator["username"])).one()
        _, temporary = admin.reset_password(session=db, actor=actor, user_id=reporter.id)

    login(page, person["username"], temporary)
    expect_path(page, "/akun")
    expect(page.get_by_role("alert").filter(has_text=messages.PASSWORD_CHANGE_REQUIRED)).to_be_visible()
    # Every private page sends the reporter back until the temporary password is replaced.
    for path in ("/riwayat", f"/laporan/{number}", "/lapor/pelanggaran"):
        open_page(page, path)
        expect_path(page, "/akun")
    expect(page.locator("main")).not_to_contain_text(number)

    page.get_by_label("Password saat ini").fill(temporary)
    page.get_by_label("Password baru", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Konfirmasi password baru").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Simpan Password").click()
    expect(page.get_by_role("status").filter(has_text=messages.PASSWORD_CHANGED)).to_be_visible()
    open_page(page, "/riwayat")
    expect_path(page, "/riwayat")
    expect(page.locator("main")).to_contain_text(number)


def test_a_reporter_keeps_contact_details_up_to_date(page, mailbox):
    from sqlmodel import select

    from wbs_app.models import User

    person = new_person()
    register_and_activate(page, mailbox, person)
    login(page, person["username"])
    expect_path(page, "/akun")
    phone = page.get_by_label("Nomor Telepon", exact=True)
    expect(phone).to_have_value(re.compile(r"\d"))
    phone.fill("12345")
    page.get_by_role("button", name="Simpan Data Kontak").click()
    expect(page.locator("#phone-error")).to_have_text(messages.PHONE_INVALID)

    phone.fill("0812 3333 4444")
    page.get_by_label("Kota", exact=True).fill("Denpasar")
    page.get_by_role("button", name="Simpan Data Kontak").click()
    expect(page.get_by_role("status").filter(has_text=messages.CONTACT_SAVED)).to_be_visible()
    page.reload()
    page.wait_for_selector('main[data-ready="true"]')
    expect(page.get_by_label("Nomor Telepon", exact=True)).to_have_value("0812-3333-4444")
    expect(page.locator("main")).to_contain_text("Denpasar")
    with app_db() as db:
        stored = users.opened(session=db, user=db.exec(select(User).where(User.username == person["username"])).one())
        assert (stored.phone, stored.city) == ("0812-3333-4444", "Denpasar")
