"""Two-factor login (services/two_factor): enrolment, codes used once, recovery codes, the login lock, the fresh
code of sensitive actions, turning it off, and the administrator's reset."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import select

from tests.conftest import run_alembic
from tests.unit.second_factor import enrol, next_code
from wbs_app import messages
from wbs_app.models import AuditLog, LoginThrottle, RecoveryCode, Role, SecondFactor, User
from wbs_app.security import token_digest
from wbs_app.services import admin, passwords, sealed, sessions, two_factor, users
from wbs_app.services.errors import Refused, ValidationFailed

PASSWORD = "Rahasia-2026-aman"
BEFORE_0009 = "9487ec53edd1"  # the revision before 0009 (two-factor login)
T0 = dt.datetime(2026, 6, 1, 8, 0, 0, tzinfo=dt.UTC)


def at(steps: int) -> dt.datetime:
    """A moment `steps` TOTP intervals (30 s) after T0."""
    return T0 + dt.timedelta(seconds=30 * steps)


def code_at(secret: str, moment: dt.datetime) -> str:
    return pyotp.TOTP(secret).at(moment)


def staff(db, role: Role = Role.VERIFIER, username: str = "siti") -> User:
    return users.create_staff_user(
        session=db,
        username=username,
        email=f"{username}@inspektorat.go.id",
        full_name=username.title(),
        role=role,
        password=PASSWORD,
    )


def reporter(db, username: str = "andi") -> User:
    user = staff(db, username=username)
    user.role = Role.REPORTER.value
    db.add(user)
    db.commit()
    return user


def enrolled(db, user: User) -> tuple[str, list[str]]:
    """Enrol through the service at T0; the secret and the recovery codes."""
    secret = two_factor.start_enrolment(session=db, user=user).secret
    return secret, two_factor.confirm_enrolment(session=db, user=user, code=code_at(secret, T0), now=T0)


# Enrolment --------------------------------------------------------------------------------------------


def test_enrolment_shows_a_local_qr_code_and_turns_on_only_with_a_right_code(db):
    user = staff(db)
    assert two_factor.needs_enrolment(session=db, user=user)
    enrolment = two_factor.start_enrolment(session=db, user=user)
    assert enrolment.uri.startswith("otpauth://totp/") and enrolment.secret in enrolment.uri
    # Drawn by this server: an SVG data URI, nothing to fetch from another host.
    assert enrolment.qr_data_uri.startswith("data:image/svg+xml")
    assert "http" not in enrolment.qr_data_uri.replace("http%3A%2F%2Fwww.w3.org", "")

    with pytest.raises(ValidationFailed) as wrong:
        two_factor.confirm_enrolment(
            session=db, user=user, code="123456" if code_at(enrolment.secret, T0) != "123456" else "654321", now=T0
        )
    assert wrong.value.errors == {two_factor.CODE_FIELD: two_factor.CODE_WRONG}
    assert not two_factor.is_enabled(session=db, user_id=user.id)

    codes = two_factor.confirm_enrolment(session=db, user=user, code=code_at(enrolment.secret, T0), now=T0)
    assert two_factor.is_enabled(session=db, user_id=user.id) and not two_factor.needs_enrolment(session=db, user=user)
    assert len(codes) == 10 and len(set(codes)) == 10
    # Only their SHA-256 is stored.
    stored = set(db.exec(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)))
    assert stored == {token_digest(code.replace("-", "")) for code in codes}
    assert not any(code in str(stored) for code in codes)
    assert db.exec(select(AuditLog).where(AuditLog.action == "dua_langkah", AuditLog.actor_id == user.id)).one()
    # The code that confirmed the enrolment cannot log in too.
    assert (
        two_factor.verify(session=db, user=user, code=code_at(enrolment.secret, T0), now=T0) == two_factor.CODE_REPLAYED
    )


def test_starting_again_replaces_an_unconfirmed_secret_and_an_enabled_one_stays(db):
    user = staff(db)
    first = two_factor.start_enrolment(session=db, user=user).secret
    second = two_factor.start_enrolment(session=db, user=user).secret
    assert first != second
    with pytest.raises(ValidationFailed):
        two_factor.confirm_enrolment(session=db, user=user, code=code_at(first, T0), now=T0)
    two_factor.confirm_enrolment(session=db, user=user, code=code_at(second, T0), now=T0)
    with pytest.raises(Refused, match="sudah aktif"):
        two_factor.start_enrolment(session=db, user=user)
    factor = db.exec(select(SecondFactor).where(SecondFactor.user_id == user.id)).one()
    assert factor.secret != second and sealed.open_row(session=db, row=factor).secret == second  # sealed


# Codes ------------------------------------------------------------------------------------------------


def test_a_code_works_once_and_an_older_one_never_after_a_newer(db):
    user = staff(db)
    secret, _ = enrolled(db, user)
    assert two_factor.verify(session=db, user=user, code=code_at(secret, at(2)), now=at(2)) == ""
    assert two_factor.verify(session=db, user=user, code=code_at(secret, at(2)), now=at(2)) == two_factor.CODE_REPLAYED
    # The previous step's code is still inside the window, but older than the one used.
    assert two_factor.verify(session=db, user=user, code=code_at(secret, at(1)), now=at(2)) == two_factor.CODE_REPLAYED
    # One step of clock difference either way is accepted; further is not.
    assert two_factor.verify(session=db, user=user, code=code_at(secret, at(4)), now=at(3)) == ""
    assert two_factor.verify(session=db, user=user, code=code_at(secret, at(9)), now=at(6)) == two_factor.CODE_WRONG
    assert two_factor.verify(session=db, user=user, code=" 12 ", now=at(6)) == two_factor.CODE_WRONG
    assert two_factor.verify(session=db, user=user, code="", now=at(6)) == two_factor.CODE_REQUIRED


def test_a_recovery_code_works_once_however_it_is_typed(db):
    user = staff(db)
    _, codes = enrolled(db, user)
    typed = " " + codes[3].upper().replace("-", " ") + " "
    assert two_factor.verify(session=db, user=user, code=typed, now=at(1)) == ""
    assert two_factor.verify(session=db, user=user, code=codes[3], now=at(1)) == two_factor.CODE_WRONG
    assert two_factor.remaining_recovery_codes(session=db, user_id=user.id) == 9
    assert two_factor.verify(session=db, user=user, code="aaaa-bbbb-cccc-dddd", now=at(1)) == two_factor.CODE_WRONG
    # Another account's recovery code opens nothing here.
    other = staff(db, username="budi")
    _, other_codes = enrolled(db, other)
    assert two_factor.verify(session=db, user=user, code=other_codes[0], now=at(1)) == two_factor.CODE_WRONG


def test_an_account_without_a_second_factor_accepts_no_code(db):
    user = reporter(db)
    assert two_factor.verify(session=db, user=user, code="123456") == two_factor.NOT_ENABLED
    with pytest.raises(Refused):
        two_factor.require_fresh_code(session=db, user=user, code="123456")


# Login ------------------------------------------------------------------------------------------------


def test_who_needs_a_second_factor(db):
    verifier, administrator, person = staff(db), staff(db, Role.ADMIN, "kepala"), reporter(db)
    assert two_factor.is_required(session=db, user=verifier) and two_factor.is_required(session=db, user=administrator)
    assert not two_factor.is_required(session=db, user=person)
    enrolled(db, person)
    assert two_factor.is_required(session=db, user=person) and not two_factor.needs_enrolment(session=db, user=person)


def test_wrong_codes_count_towards_the_account_lock_and_a_right_code_forgets_them(db, monkeypatch):
    monkeypatch.setenv("WBS_LOGIN_MAX_FAILURES", "3")
    from wbs_app.settings import get_settings

    get_settings.cache_clear()
    try:
        user = staff(db)
        secret, _ = enrolled(db, user)
        wrong = "000000" if code_at(secret, at(1)) != "000000" else "111111"
        for _ in range(2):
            assert two_factor.complete_login(session=db, user_id=user.id, code=wrong, now=at(1)) == (
                None,
                two_factor.CODE_WRONG,
            )
        # The right password does not wipe the count of a second-factor account.
        assert passwords.authenticate(session=db, identifier="siti", password=PASSWORD, now=at(1)).user is not None
        found, error = two_factor.complete_login(session=db, user_id=user.id, code=wrong, now=at(1))
        assert found is None and error.startswith("Terlalu banyak percobaan masuk")
        # While locked even the right code is not tried, and the password step is locked too.
        found, error = two_factor.complete_login(session=db, user_id=user.id, code=code_at(secret, at(1)), now=at(1))
        assert found is None and error.startswith("Terlalu banyak percobaan masuk")
        assert passwords.authenticate(session=db, identifier="siti", password=PASSWORD, now=at(1)).user is None
        later = at(1) + dt.timedelta(hours=2)
        found, error = two_factor.complete_login(session=db, user_id=user.id, code=code_at(secret, later), now=later)
        assert (found.id, error) == (user.id, "")
        assert db.exec(select(LoginThrottle)).all() == []
    finally:
        get_settings.cache_clear()


def test_a_deactivated_account_cannot_finish_its_login(db):
    user = staff(db)
    secret, _ = enrolled(db, user)
    user.is_active = False
    db.add(user)
    db.commit()
    assert two_factor.complete_login(session=db, user_id=user.id, code=code_at(secret, at(1)), now=at(1)) == (
        None,
        messages.LOGIN_DEACTIVATED,
    )


# Step-up ----------------------------------------------------------------------------------------------


def test_creating_a_staff_account_asks_the_administrator_for_a_fresh_code(db):
    administrator = staff(db, Role.ADMIN, "kepala")
    enrol(db, administrator)
    details = {"username": "petugas2", "email": "petugas2@inspektorat.go.id", "full_name": "Petugas Dua"}
    with pytest.raises(ValidationFailed) as refused:
        admin.create_staff(
            session=db, actor=administrator, role=Role.VERIFIER, password=PASSWORD, second_factor_code="", **details
        )
    assert refused.value.errors == {two_factor.CODE_FIELD: two_factor.CODE_REQUIRED}
    assert db.exec(select(User).where(User.username_key == "petugas2")).first() is None
    created = admin.create_staff(
        session=db,
        actor=administrator,
        role=Role.VERIFIER,
        password=PASSWORD,
        second_factor_code=next_code(db, administrator),
        **details,
    )
    assert two_factor.needs_enrolment(session=db, user=created)


# Off and reset ----------------------------------------------------------------------------------------


def test_a_reporter_turns_it_off_with_a_code_and_staff_cannot(db):
    person, verifier = reporter(db), staff(db)
    secret, _ = enrolled(db, person)
    with pytest.raises(ValidationFailed):
        two_factor.disable(session=db, user=person, code="")
    two_factor.disable(session=db, user=person, code=next_code(db, person))
    assert not two_factor.is_required(session=db, user=person)
    assert db.exec(select(RecoveryCode).where(RecoveryCode.user_id == person.id)).all() == []
    enrolled(db, verifier)
    with pytest.raises(Refused, match="wajib"):
        two_factor.disable(session=db, user=verifier, code=next_code(db, verifier))
    assert two_factor.is_enabled(session=db, user_id=verifier.id)


def test_an_administrator_resets_another_users_second_factor_audited(db):
    administrator, verifier = staff(db, Role.ADMIN, "kepala"), staff(db)
    enrolled(db, administrator)
    enrolled(db, verifier)
    login = sessions.create_session(session=db, user=verifier)
    with pytest.raises(Refused):  # a verifier is no administrator
        two_factor.reset(session=db, actor=verifier, user_id=administrator.id)
    with pytest.raises(Refused, match="sendiri"):
        two_factor.reset(session=db, actor=administrator, user_id=administrator.id)
    assert two_factor.is_enabled(session=db, user_id=administrator.id)

    two_factor.reset(session=db, actor=administrator, user_id=verifier.id, client_ip="10.0.0.7")
    assert two_factor.needs_enrolment(session=db, user=verifier)
    assert db.exec(select(RecoveryCode).where(RecoveryCode.user_id == verifier.id)).all() == []
    assert sessions.resolve_session(session=db, token=login) is None
    [entry] = [
        row
        for row in db.exec(select(AuditLog).where(AuditLog.action == "pengguna"))
        if sealed.open_row(session=db, row=row).detail == "Reset verifikasi dua langkah siti"
    ]
    assert (entry.actor_id, entry.client_ip) == (administrator.id, "10.0.0.7")


def test_the_upgrade_ends_staff_logins_made_with_a_password_alone(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'sessions.db'}")
    run_alembic(engine, command.upgrade, BEFORE_0009)
    with engine.begin() as connection:
        for user_id, role in ((1, "verifier"), (2, "admin"), (3, "reporter")):
            connection.execute(
                sa.text(
                    "insert into user_account (id, username, username_key, email, email_key, password_hash, role,"
                    " account_type, identity_number, nip, position, full_name, phone, address, birth_place, institution,"
                    " city, other_phone, is_active, must_change_password, created_at) values (:id, :name, :name, :mail,"
                    " :mail, 'x', :role, 'Umum', '', '', '', 'N', '', '', '', '', '', '', 1, 0, '2026-01-01')"
                ),
                {"id": user_id, "name": f"u{user_id}", "mail": f"u{user_id}@mail.co.id", "role": role},
            )
            connection.execute(
                sa.text(
                    "insert into login_session (token_hash, user_id, created_at, last_seen_at, expires_at)"
                    " values (:hash, :id, '2026-01-01', '2026-01-01', '2099-01-01')"
                ),
                {"hash": f"{user_id:064d}", "id": user_id},
            )
    run_alembic(engine, command.upgrade, "d1000e7824b4")  # 0009 itself (0011 later ends every login opened before it)
    with engine.connect() as connection:
        open_logins = connection.execute(sa.text("select user_id from login_session where revoked_at is null")).all()
    assert open_logins == [(3,)]
