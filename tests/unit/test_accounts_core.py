"""Accounts: validators, password hashing, tokens, sessions, registration, activation, login."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import func, select

from tests.unit.builders import PASSWORD, active_user, registration
from wbs_app import messages, validators
from wbs_app.models import ActivationToken, LoginSession, Role, User
from wbs_app.security import hash_password, new_token, token_digest, verify_password
from wbs_app.services import passwords, sessions, users
from wbs_app.services.errors import ValidationFailed
from wbs_app.settings import get_settings

# Validators ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3201011501900001", None),
        ("123456789012", None),
        ("9999999999999999", messages.NIK_INVALID),
        ("12345", messages.IDENTITY_INVALID),
        ("", messages.REQUIRED),
    ],
)
def test_identity_number(value, expected):
    assert validators.check_identity_number(value) == expected


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Rahasia-2026", None),
        ("Pendek1", messages.PASSWORD_TOO_SHORT),
        ("aaaaaaaaaaaa", messages.PASSWORD_WEAK),
        ("1234567890", messages.PASSWORD_WEAK),
        ("budi12345678", messages.PASSWORD_WEAK),
    ],
)
def test_password_rules(password, expected):
    assert validators.check_password(password, "budi") == expected


def test_email_phone_and_nip():
    assert validators.check_email("bukan-email") == messages.EMAIL_INVALID
    assert validators.normalize_email("Budi@Example.COM") == "Budi@example.com"
    assert validators.check_phone("081234567890") is None
    assert validators.check_phone("080989999") == messages.PHONE_INVALID
    assert validators.check_phone("", required=False) is None
    assert validators.check_nip("198501152010011001") is None
    assert validators.check_nip("12345") == messages.NIP_INVALID
    assert validators.check_password_confirmation("a", "b") == messages.PASSWORD_MISMATCH


# Hashing and tokens ----------------------------------------------------------------------------------


def test_argon2_hash_verifies_only_the_right_password():
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert verify_password(PASSWORD, hashed)
    assert not verify_password("salah", hashed)
    assert not verify_password(PASSWORD, None)


def test_tokens_are_random_and_stored_as_digests():
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000 and all(len(t) >= 43 for t in tokens)
    token = new_token()
    assert len(token_digest(token)) == 64 and token not in token_digest(token)


# Registration and activation -------------------------------------------------------------------------


def count(db, model) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def test_registration_creates_an_inactive_reporter_with_a_hashed_token(db):
    user, token = users.register_user(session=db, data=registration(db, role="admin"))
    assert user.role == Role.REPORTER.value and not user.is_active
    assert user.password_hash != PASSWORD and verify_password(PASSWORD, user.password_hash)
    stored = db.exec(select(ActivationToken).where(ActivationToken.user_id == user.id)).one()
    assert stored.token_hash == token_digest(token)
    assert users.opened(session=db, user=user).phone == "0812-3456-7890"
    assert user.phone.startswith("e1.")  # sealed with the account's own key


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "x"}, "email"),
        ({"password": "pendek", "password_confirmation": "pendek"}, "password"),
        ({"password_confirmation": "Lain-2026-sekali"}, "password_confirmation"),
        ({"nip": "1"}, "nip"),
        ({"identity_number": "9999999999999999"}, "identity_number"),
        ({"phone": "080989999"}, "phone"),
        ({"accept_terms": ""}, "accept_terms"),
        ({"unit_id": ""}, "unit_id"),
        ({"rank_id": ""}, "rank_id"),
    ],
)
def test_bad_registration_stores_nothing(db, overrides, field):
    with pytest.raises(ValidationFailed) as failure:
        users.register_user(session=db, data=registration(db, **overrides))
    assert field in failure.value.errors
    assert count(db, User) == 0 and count(db, ActivationToken) == 0


def test_a_taken_username_is_refused_but_a_taken_email_is_not_revealed(db):
    first, _ = users.register_user(session=db, data=registration(db))
    with pytest.raises(ValidationFailed) as failure:
        users.register_user(session=db, data=registration(db, username="BUDI", email="lain@mail.co.id"))
    assert failure.value.errors == {"username": messages.USERNAME_TAKEN}
    # The same address under another name: no field error that would tell the visitor it is registered.
    with pytest.raises(users.EmailAlreadyRegistered) as taken:
        users.register_user(session=db, data=registration(db, username="orang_lain", email="BUDI@mail.co.id"))
    assert taken.value.user.id == first.id and count(db, User) == 1 and count(db, ActivationToken) == 1


def test_the_owner_of_a_taken_address_gets_a_notice_with_a_reset_link_a_few_times_an_hour(db):
    registered, _ = users.register_user(session=db, data=registration(db))
    owner = users.opened(session=db, user=registered)
    reset = passwords.request_password_reset(session=db, identifier=owner.email)
    email = passwords.registration_attempt_email(user=owner, token=reset[1])
    assert email["to"] == owner.email and "tidak ada akun baru yang dibuat" in email["text"]
    assert passwords.password_reset_link(reset[1]) in email["text"]
    for _ in range(get_settings().password_reset_emails_per_account - 1):
        assert passwords.request_password_reset(session=db, identifier=owner.email) is not None
    assert passwords.request_password_reset(session=db, identifier=owner.email) is None  # no flood of notices


def test_activation_link_works_once_and_expires(db):
    user, token = users.register_user(session=db, data=registration(db))
    assert users.activate_account(session=db, token=token) is not None
    assert users.activate_account(session=db, token=token) is None
    other, late = users.register_user(session=db, data=registration(db, username="siti", email="siti@mail.co.id"))
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=get_settings().activation_hours + 1)
    assert users.activate_account(session=db, token=late, now=later) is None


def test_a_renewed_link_replaces_the_old_one(db):
    user, first = users.register_user(session=db, data=registration(db))
    renewed = users.renew_activation(session=db, email="budi@mail.co.id")
    assert renewed is not None
    assert users.activate_account(session=db, token=first) is None
    assert users.activate_account(session=db, token=renewed[1]) is not None
    assert users.renew_activation(session=db, email="budi@mail.co.id") is None  # already active
    assert users.renew_activation(session=db, email="tidak-ada@mail.co.id") is None


# Login -----------------------------------------------------------------------------------------------


def test_login_by_username_or_email_and_the_same_error_otherwise(db):
    active_user(db)
    assert passwords.authenticate(session=db, identifier="budi", password=PASSWORD).user is not None
    assert passwords.authenticate(session=db, identifier="BUDI@mail.co.id", password=PASSWORD).user is not None
    wrong = passwords.authenticate(session=db, identifier="budi", password="salah-sekali-1")
    unknown = passwords.authenticate(session=db, identifier="siapa", password="salah-sekali-1")
    assert wrong.error == unknown.error == messages.LOGIN_FAILED


def test_inactive_account_is_told_to_activate(db):
    users.register_user(session=db, data=registration(db))
    assert passwords.authenticate(session=db, identifier="budi", password=PASSWORD).error == messages.LOGIN_INACTIVE


def test_repeated_failures_lock_the_account_for_a_while(db):
    active_user(db)
    now = dt.datetime.now(dt.UTC)
    for _ in range(get_settings().login_max_failures):
        result = passwords.authenticate(session=db, identifier="budi", password="salah-sekali-1", now=now)
    assert result.error.startswith("Terlalu banyak percobaan")
    assert passwords.authenticate(session=db, identifier="budi", password=PASSWORD, now=now).user is None
    after = now + dt.timedelta(seconds=get_settings().login_lock_seconds + 1)
    assert passwords.authenticate(session=db, identifier="budi", password=PASSWORD, now=after).user is not None


def test_the_account_lock_doubles_up_to_the_cap_and_never_resets_while_guessing_goes_on(db):
    """Waiting out each lock and guessing again must not start the count anew (it once stopped at 960 s)."""
    active_user(db)
    settings = get_settings()
    now = dt.datetime.now(dt.UTC)

    def fail(identifier: str) -> str:
        return passwords.authenticate(session=db, identifier=identifier, password="salah-sekali-1", now=now).error

    for _ in range(settings.login_max_failures - 1):
        assert fail("budi") == messages.LOGIN_FAILED
    waits = []
    for attempt in range(12):
        # The username and the email address are one account, so they share one lock.
        error = fail("budi@mail.co.id" if attempt % 2 else "BUDI")
        seconds = int(error.split("dalam ")[1].split(" detik")[0])
        waits.append(seconds)
        now += dt.timedelta(seconds=seconds + 1)  # the guesser waits for the lock to end, then guesses again
    cap = settings.login_max_lock_minutes * 60
    assert waits[:7] == [60, 120, 240, 480, 960, 1920, cap] and set(waits[7:]) == {cap}
    guesses_per_day = 24 * 3600 // cap
    assert guesses_per_day <= 24  # was ~860 a day when the count reset after 15 minutes


def test_failures_are_forgotten_after_a_quiet_day_and_at_once_after_a_good_login(db):
    active_user(db)
    now = dt.datetime.now(dt.UTC)

    def attempt(password: str, at: dt.datetime):
        return passwords.authenticate(session=db, identifier="budi", password=password, now=at)

    for _ in range(get_settings().login_max_failures - 1):
        attempt("salah-sekali-1", now)
    assert attempt(PASSWORD, now).user is not None  # a good login forgets the failures
    assert attempt("salah-sekali-1", now).error == messages.LOGIN_FAILED
    for _ in range(get_settings().login_max_failures - 2):
        attempt("salah-sekali-1", now)
    next_day = now + dt.timedelta(minutes=get_settings().login_failure_window_minutes, seconds=1)
    assert attempt("salah-sekali-1", next_day).error == messages.LOGIN_FAILED  # forgotten: no lock


# Sessions --------------------------------------------------------------------------------------------


def test_session_resolves_until_revoked_idle_or_too_old(db):
    user = active_user(db)
    now = dt.datetime.now(dt.UTC)
    token = sessions.create_session(session=db, user=user, now=now)
    stored = db.exec(select(LoginSession)).one()
    assert stored.token_hash == token_digest(token) and token != stored.token_hash
    assert sessions.resolve_session(session=db, token=token, now=now).id == user.id
    assert sessions.resolve_session(session=db, token="x" * 43, now=now) is None
    settings = get_settings()
    idle = now + dt.timedelta(minutes=settings.session_idle_minutes + 1)
    assert sessions.resolve_session(session=db, token=token, now=idle) is None
    too_old = now + dt.timedelta(hours=settings.session_absolute_hours, minutes=1)
    assert sessions.resolve_session(session=db, token=token, now=too_old) is None
    sessions.revoke_session(session=db, token=token)
    assert sessions.resolve_session(session=db, token=token, now=now) is None


def test_a_deactivated_user_loses_the_session(db):
    user = active_user(db)
    token = sessions.create_session(session=db, user=user)
    user.is_active = False
    db.add(user)
    db.commit()
    assert sessions.resolve_session(session=db, token=token) is None


def test_a_user_updates_contact_details_and_bad_input_changes_nothing(db):
    user = active_user(db)
    with pytest.raises(ValidationFailed) as refused:
        users.update_contact(session=db, user_id=user.id, form={"phone": "12345", "address": "", "city": "Denpasar"})
    assert refused.value.errors == {"phone": messages.PHONE_INVALID, "address": messages.REQUIRED}
    db.refresh(user)
    unchanged = users.opened(session=db, user=user)
    assert unchanged.city == "" and unchanged.phone != "12345"
    users.update_contact(
        session=db,
        user_id=user.id,
        form={"phone": "+62 812-1111-2222", "address": "Jl. Baru 2", "city": "Denpasar", "role": "admin"},
    )
    db.refresh(user)
    changed = users.opened(session=db, user=user)
    assert (changed.phone, changed.address, changed.city, changed.role) == (
        "0812-1111-2222",
        "Jl. Baru 2",
        "Denpasar",
        "reporter",
    )
