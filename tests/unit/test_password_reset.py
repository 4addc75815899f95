"""Password reset by email, ending sessions on a password change, and temporary passwords for reporters."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import func, select

from tests.unit.builders import PASSWORD, active_user, registration
from wbs_app import messages
from wbs_app.models import LoginSession, LoginThrottle, PasswordResetToken, Role, User, as_utc
from wbs_app.security import token_digest, verify_password
from wbs_app.services import admin, passwords, sessions, users
from wbs_app.services.errors import ValidationFailed
from wbs_app.settings import get_settings

NEW_PASSWORD = "Baru-2026-sekali"


def reset_rows(db, user_id: int | None = None) -> list[PasswordResetToken]:
    query = select(PasswordResetToken)
    if user_id is not None:
        query = query.where(PasswordResetToken.user_id == user_id)
    return list(db.exec(query.order_by(PasswordResetToken.id)))


def can_log_in(db, password: str, identifier: str = "budi") -> bool:
    return passwords.authenticate(session=db, identifier=identifier, password=password).user is not None


# Requesting a link ------------------------------------------------------------------------------------


def test_a_reset_link_is_random_stored_only_as_its_digest_and_valid_one_hour(db):
    user = active_user(db)
    now = dt.datetime.now(dt.UTC)
    found, token = passwords.request_password_reset(session=db, identifier="BUDI@mail.co.id", now=now)
    assert found.id == user.id and len(token) >= 43
    (row,) = reset_rows(db)
    assert row.token_hash == token_digest(token)
    assert token not in {row.token_hash, str(row.id)} and row.used_at is None
    minutes = get_settings().password_reset_minutes
    assert minutes == 60
    assert as_utc(row.expires_at) - now == dt.timedelta(minutes=minutes)
    # Found by username too; a second request gives another token.
    _, other = passwords.request_password_reset(session=db, identifier=" budi ", now=now)
    assert other != token


def test_the_email_carries_the_link_to_the_account_address(db):
    user = active_user(db)
    _, token = passwords.request_password_reset(session=db, identifier="budi")
    email = passwords.password_reset_email(user=users.opened(session=db, user=user), token=token)
    assert email["to"] == "budi@mail.co.id"
    assert f"Atur Password: {get_settings().base_url}/atur-password/{token}" in email["text"]
    assert "1 jam" in email["text"] and token_digest(token) not in email["text"] + email["html"]


@pytest.mark.parametrize("identifier", ["tidak-ada", "tidak-ada@mail.co.id", "", " ", "x" * 5000])
def test_unknown_accounts_get_no_link_and_nothing_is_stored(db, identifier):
    active_user(db)
    assert passwords.request_password_reset(session=db, identifier=identifier) is None
    assert reset_rows(db) == []


def test_a_deactivated_account_gets_no_link_and_its_earlier_link_stops_working(db):
    user = active_user(db)
    _, token = passwords.request_password_reset(session=db, identifier="budi")
    user.is_active = False
    db.add(user)
    db.commit()
    assert passwords.request_password_reset(session=db, identifier="budi") is None
    assert len(reset_rows(db)) == 1
    assert not passwords.password_reset_is_valid(session=db, token=token)
    assert passwords.reset_password(session=db, token=token, new_password=NEW_PASSWORD, confirmation=NEW_PASSWORD) is None
    db.refresh(user)
    assert verify_password(PASSWORD, user.password_hash) and not user.is_active


def test_a_new_request_retires_the_earlier_unused_link(db):
    active_user(db)
    _, first = passwords.request_password_reset(session=db, identifier="budi")
    _, second = passwords.request_password_reset(session=db, identifier="budi")
    assert not passwords.password_reset_is_valid(session=db, token=first)
    assert passwords.reset_password(session=db, token=first, new_password=NEW_PASSWORD, confirmation=NEW_PASSWORD) is None
    assert can_log_in(db, PASSWORD)
    assert passwords.reset_password(session=db, token=second, new_password=NEW_PASSWORD, confirmation=NEW_PASSWORD)
    assert can_log_in(db, NEW_PASSWORD)


def test_requests_per_account_are_limited_per_hour(db):
    user = active_user(db)
    now = dt.datetime.now(dt.UTC)
    per_account = get_settings().password_reset_emails_per_account
    for _ in range(per_account):
        assert passwords.request_password_reset(session=db, identifier="budi", now=now) is not None
    # By email or by username: the same account, the same limit; the last link sent stays valid.
    assert passwords.request_password_reset(session=db, identifier="budi@mail.co.id", now=now) is None
    assert len(reset_rows(db, user.id)) == per_account
    later = now + dt.timedelta(hours=1, seconds=1)
    assert passwords.request_password_reset(session=db, identifier="budi", now=later) is not None


# Using a link -----------------------------------------------------------------------------------------


def test_a_link_sets_the_password_once(db):
    user = active_user(db)
    _, token = passwords.request_password_reset(session=db, identifier="budi")
    assert passwords.password_reset_is_valid(session=db, token=token)
    assert passwords.password_reset_is_valid(session=db, token=token)  # looking uses nothing up
    done = passwords.reset_password(session=db, token=token, new_password=NEW_PASSWORD, confirmation=NEW_PASSWORD)
    assert done.id == user.id
    assert NEW_PASSWORD not in done.password_hash and done.password_hash.startswith("$argon2id$")
    assert can_log_in(db, NEW_PASSWORD) and not can_log_in(db, PASSWORD)
    assert reset_rows(db)[0].used_at is not None
    # Used: it neither opens the form nor sets a password again.
    assert not passwords.password_reset_is_valid(session=db, token=token)
    again = "Lagi-2026-baru"
    assert passwords.reset_password(session=db, token=token, new_password=again, confirmation=again) is None
    assert can_log_in(db, NEW_PASSWORD)


def test_two_requests_racing_with_one_link_set_the_password_once(db, monkeypatch):
    active_user(db)
    _, token = passwords.request_password_reset(session=db, identifier="budi")
    # What a second request read before the first one wrote: the link still unused.
    seen_before = passwords._valid_reset(session=db, token=token, now=dt.datetime.now(dt.UTC))
    assert passwords.reset_password(session=db, token=token, new_password=NEW_PASSWORD, confirmation=NEW_PASSWORD)
    monkeypatch.setattr(passwords, "_valid_reset", lambda **kwargs: seen_before)
    again = "Lagi-2026-baru"
    assert passwords.reset_password(session=db, token=token, new_password=again, confirmation=again) is None
    assert can_log_in(db, NEW_PASSWORD)


def test_a_link_expires_after_an_hour(db):
    active_user(db)
    now = dt.datetime.now(dt.UTC)
    _, token = passwords.request_password_reset(session=db, identifier="budi", now=now)
    almost = now + dt.timedelta(minutes=59)
    late = now + dt.timedelta(minutes=60)
    assert passwords.password_reset_is_valid(session=db, token=token, now=almost)
    assert not passwords.password_reset_is_valid(session=db, token=token, now=late)
    result = passwords.reset_password(
        session=db, token=token, new_password=NEW_PASSWORD, confirmation=NEW_PASSWORD, now=late
    )
    assert result is None and can_log_in(db, PASSWORD)


@pytest.mark.parametrize("token", ["", "x" * 43, "x" * 5000])
def test_unknown_links_do_nothing(db, token):
    active_user(db)
    assert not passwords.password_reset_is_valid(session=db, token=token)
    assert passwords.reset_password(session=db, token=token, new_password=NEW_PASSWORD, confirmation=NEW_PASSWORD) is None
    assert can_log_in(db, PASSWORD)


@pytest.mark.parametrize(
    ("password", "confirmation", "field", "message"),
    [
        ("Pendek1", "Pendek1", "password", messages.PASSWORD_TOO_SHORT),
        ("aaaaaaaaaaaa", "aaaaaaaaaaaa", "password", messages.PASSWORD_WEAK),
        ("budi-2026-rahasia", "budi-2026-rahasia", "password", messages.PASSWORD_WEAK),  # contains the username
        ("", "", "password", messages.REQUIRED),
        (NEW_PASSWORD, "Lain-2026-sekali", "password_confirmation", messages.PASSWORD_MISMATCH),
        (NEW_PASSWORD, "", "password_confirmation", messages.REQUIRED),
    ],
)
def test_a_refused_password_changes_nothing_and_keeps_the_link(db, password, confirmation, field, message):
    active_user(db)
    _, token = passwords.request_password_reset(session=db, identifier="budi")
    with pytest.raises(ValidationFailed) as failure:
        passwords.reset_password(session=db, token=token, new_password=password, confirmation=confirmation)
    assert failure.value.errors == {field: message}
    assert can_log_in(db, PASSWORD)
    assert passwords.password_reset_is_valid(session=db, token=token)


def test_a_reset_ends_every_session_clears_a_temporary_password_and_lifts_the_login_lock(db):
    user = active_user(db)
    first = sessions.create_session(session=db, user=user)
    second = sessions.create_session(session=db, user=user)
    user.must_change_password = True
    db.add(user)
    db.commit()
    for _ in range(get_settings().login_max_failures):
        passwords.authenticate(session=db, identifier="budi", password="salah-sekali-1")
    assert db.exec(select(LoginThrottle)).first() is not None

    _, token = passwords.request_password_reset(session=db, identifier="budi")
    done = passwords.reset_password(session=db, token=token, new_password=NEW_PASSWORD, confirmation=NEW_PASSWORD)
    assert not done.must_change_password
    for old in (first, second):
        assert sessions.resolve_session(session=db, token=old, allow_pending_password=True) is None
    assert db.exec(select(func.count()).select_from(LoginSession).where(LoginSession.revoked_at.is_(None))).one() == 0
    assert can_log_in(db, NEW_PASSWORD)  # not locked any more: the mailbox owner chose this password


def test_a_reset_activates_a_never_activated_account_and_retires_its_activation_link(db):
    user, activation = users.register_user(session=db, data=registration(db))
    assert not user.is_active
    _, token = passwords.request_password_reset(session=db, identifier="budi")
    done = passwords.reset_password(session=db, token=token, new_password=NEW_PASSWORD, confirmation=NEW_PASSWORD)
    assert done.is_active and done.activated_at is not None
    assert users.activate_account(session=db, token=activation) is None
    assert can_log_in(db, NEW_PASSWORD)


def test_activation_and_reset_links_are_not_interchangeable(db):
    user, activation = users.register_user(session=db, data=registration(db))
    assert (
        passwords.reset_password(session=db, token=activation, new_password=NEW_PASSWORD, confirmation=NEW_PASSWORD) is None
    )
    _, token = passwords.request_password_reset(session=db, identifier="budi")
    assert users.activate_account(session=db, token=token) is None
    db.refresh(user)
    assert not user.is_active


# Password change and temporary passwords --------------------------------------------------------------


def test_changing_the_password_ends_the_other_sessions_only(db):
    user = active_user(db)
    current = sessions.create_session(session=db, user=user)
    elsewhere = sessions.create_session(session=db, user=user)
    other_user, other_token = users.register_user(
        session=db, data=registration(db, username="siti", email="siti@mail.co.id")
    )
    users.activate_account(session=db, token=other_token)
    unrelated = sessions.create_session(session=db, user=other_user)

    passwords.change_password(
        session=db,
        user_id=user.id,
        current_password=PASSWORD,
        new_password=NEW_PASSWORD,
        confirmation=NEW_PASSWORD,
        keep_session_token=current,
    )
    assert sessions.resolve_session(session=db, token=current).id == user.id
    assert sessions.resolve_session(session=db, token=elsewhere) is None
    assert sessions.resolve_session(session=db, token=unrelated).id == other_user.id


def test_a_refused_password_change_ends_no_session(db):
    user = active_user(db)
    elsewhere = sessions.create_session(session=db, user=user)
    with pytest.raises(ValidationFailed):
        passwords.change_password(
            session=db,
            user_id=user.id,
            current_password="salah-sekali-1",
            new_password=NEW_PASSWORD,
            confirmation=NEW_PASSWORD,
        )
    assert sessions.resolve_session(session=db, token=elsewhere).id == user.id


def test_a_reporter_with_a_temporary_password_is_nobody_until_it_is_replaced(db):
    reporter = active_user(db)
    administrator = users.create_staff_user(
        session=db, username="admin1", email="admin1@wbs.id", full_name="Admin", role=Role.ADMIN, password=PASSWORD
    )
    _, temporary = admin.reset_password(session=db, actor=administrator, user_id=reporter.id)
    login = passwords.authenticate(session=db, identifier="budi", password=temporary)
    assert login.user is not None and login.user.must_change_password
    token = sessions.create_session(session=db, user=login.user)

    # Private pages and their handlers ask without allow_pending_password, and get nobody.
    assert sessions.resolve_session(session=db, token=token) is None
    # The account page (where the password is replaced) and the navbar still know who it is.
    assert sessions.resolve_session(session=db, token=token, allow_pending_password=True).id == reporter.id

    passwords.change_password(
        session=db,
        user_id=reporter.id,
        current_password=temporary,
        new_password=NEW_PASSWORD,
        confirmation=NEW_PASSWORD,
        keep_session_token=token,
    )
    assert sessions.resolve_session(session=db, token=token).id == reporter.id
    assert not db.get(User, reporter.id).must_change_password
