"""Accounts in the account holder's language: the language is kept at registration and at each login, and the
account emails (activation, password reset, a second registration with the same address) are written in it."""

from __future__ import annotations

from tests.unit.builders import active_user, registration
from wbs_app import language
from wbs_app.models import User
from wbs_app.services import devices, login_tickets, mailer, passwords, two_factor, users

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)


def test_registration_keeps_the_browser_language_and_the_activation_email_is_in_it(db):
    with language.use(language.ENGLISH):
        user, token = users.register_user(session=db, data=registration(db))
    assert user.language == "en"
    email = users.activation_email(user=users.opened(session=db, user=user), token=token)  # outside: still English
    assert email["subject"] == "Activate Your WBS Account" and email["language"] == "en"
    assert f"Activate Account: {users.activation_link(token)}" in email["text"]
    assert "Dear Budi Santoso," in email["text"] and "Yth." not in email["text"] + email["html"]
    assert "valid for 24 hours" in email["text"]


def test_an_indonesian_registration_gets_an_indonesian_email(db):
    user, token = users.register_user(session=db, data=registration(db))
    assert user.language == "id"
    with language.use(language.ENGLISH):  # whoever sends it: the recipient's language
        email = users.activation_email(user=users.opened(session=db, user=user), token=token)
    assert email["subject"] == "Aktifkan Akun WBS Anda" and "Aktifkan Akun: " in email["text"]


def test_each_login_keeps_the_language_of_its_browser(db):
    user = active_user(db)
    with language.use(language.ENGLISH):
        login_tickets.issue_ticket(session=db, user=user, user_agent=CHROME_WINDOWS)
    db.expire_all()
    assert db.get(User, user.id).language == "en"
    _, token = passwords.request_password_reset(session=db, identifier="budi")
    email = passwords.password_reset_email(user=users.opened(session=db, user=db.get(User, user.id)), token=token)
    assert email["subject"] == "Reset Your WBS Password"
    assert f"Set Password: {passwords.password_reset_link(token)}" in email["text"] and "valid for 1 hour." in email["text"]
    login_tickets.issue_ticket(session=db, user=user, user_agent=CHROME_WINDOWS)  # back in Bahasa Indonesia
    db.expire_all()
    assert db.get(User, user.id).language == "id"


def test_the_notice_to_a_taken_address_is_in_its_owner_language(db):
    with language.use(language.ENGLISH):
        owner, _ = users.register_user(session=db, data=registration(db))
    reset = passwords.request_password_reset(session=db, identifier="budi@mail.co.id")
    email = passwords.registration_attempt_email(user=users.opened(session=db, user=owner), token=reset[1])
    assert email["subject"] == "A registration attempt with your email"
    assert "no new account was created" in email["text"]


def test_an_email_says_its_language(db):
    assert (
        mailer.build_message(to="a@mail.co.id", subject="s", text="t", html="<p>t</p>", language="en")[
            "Content-Language"
        ]
        == "en"
    )
    assert mailer.build_message(to="a@mail.co.id", subject="s", text="t")["Content-Language"] == "id"


def test_messages_and_device_labels_in_english():
    with language.use(language.ENGLISH):
        assert devices.shown("Firefox di Android") == "Firefox on Android"
        assert devices.shown(devices.device_label("curl/8")) == "Other browser on other system"
        assert devices.shown("") == "Unknown device"
    assert devices.shown("Firefox di Android") == "Firefox di Android"


def test_two_factor_refusals_in_english(db):
    user = active_user(db)
    with language.use(language.ENGLISH):
        two_factor.start_enrolment(session=db, user=user)
        try:
            two_factor.confirm_enrolment(session=db, user=user, code="")
        except two_factor.ValidationFailed as refused:
            assert refused.errors[two_factor.CODE_FIELD].startswith("Enter the 6-digit code")
        else:
            raise AssertionError("an empty code was accepted")
