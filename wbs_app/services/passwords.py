"""Passwords: the login check with its per-account lock, password changes, and "Lupa password" resets."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlmodel import Session, col, func, select, update

from wbs_app import language, messages, validators
from wbs_app.i18n import _
from wbs_app.models import ActivationToken, LoginThrottle, PasswordResetToken, User, as_utc, utcnow
from wbs_app.security import hash_password, token_digests, verify_password
from wbs_app.services import policy, sessions
from wbs_app.services.errors import ValidationFailed
from wbs_app.services.users import find_by_identifier, issue_token, link_email
from wbs_app.settings import get_settings

# Login ------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class LoginResult:
    user: User | None = None
    error: str = ""


def lock_key(user: User | None, identifier: str) -> str:
    """What the per-account lock counts: the account (so its username and its email share one lock), or the
    identifier as typed when no account has it (so unknown names are slowed down the same way)."""
    return f"akun:{user.id}" if user is not None else identifier.strip().lower()[:254]


def authenticate(*, session: Session, identifier: str, password: str, now: dt.datetime | None = None) -> LoginResult:
    """Check a login. Unknown user and wrong password give the same message and take the same time."""
    settings = get_settings()
    now = now or utcnow()
    identifier = identifier.strip().lower()[:254]
    user = find_by_identifier(session=session, identifier=identifier) if identifier else None
    key = lock_key(user, identifier)
    throttle = session.exec(select(LoginThrottle).where(LoginThrottle.key == key)).first() if key else None
    if throttle and throttle.locked_until and as_utc(throttle.locked_until) > now:
        seconds = int((as_utc(throttle.locked_until) - now).total_seconds()) + 1
        return LoginResult(error=messages.LOGIN_LOCKED.format(seconds=seconds))

    if not verify_password(password[: validators.PASSWORD_MAX], user.password_hash if user else None):
        return _record_failure(session=session, key=key, throttle=throttle, now=now, settings=settings)

    # With a second factor the failures are forgotten only once its code is right too (services/two_factor),
    # or the right password alone would give a code guesser a fresh count each time.
    if throttle is not None and not policy.requires_second_factor(session=session, user=user):
        session.delete(throttle)
        session.commit()
    if not user.is_active:
        return LoginResult(error=messages.LOGIN_INACTIVE if user.activated_at is None else messages.LOGIN_DEACTIVATED)
    return LoginResult(user=user)


def account_lock_message(*, session: Session, user: User, now: dt.datetime | None = None) -> str:
    """The login lock's message while the account is locked, else ""."""
    now = now or utcnow()
    throttle = session.exec(select(LoginThrottle).where(LoginThrottle.key == lock_key(user, ""))).first()
    if throttle and throttle.locked_until and as_utc(throttle.locked_until) > now:
        seconds = int((as_utc(throttle.locked_until) - now).total_seconds()) + 1
        return messages.LOGIN_LOCKED.format(seconds=seconds)
    return ""


def record_account_failure(*, session: Session, user: User, now: dt.datetime | None = None) -> str:
    """A wrong second-factor code counts like a wrong password; the lock's message once it locks, else ""."""
    key = lock_key(user, "")
    throttle = session.exec(select(LoginThrottle).where(LoginThrottle.key == key)).first()
    result = _record_failure(session=session, key=key, throttle=throttle, now=now or utcnow(), settings=get_settings())
    return result.error if result.error != messages.LOGIN_FAILED else ""


def forget_account_failures(*, session: Session, user: User) -> None:
    """After a complete login: the account's failed attempts are forgotten."""
    for throttle in session.exec(select(LoginThrottle).where(LoginThrottle.key == lock_key(user, ""))):
        session.delete(throttle)
    session.commit()


def _record_failure(*, session, key, throttle, now, settings) -> LoginResult:
    if not key:
        return LoginResult(error=messages.LOGIN_FAILED)
    if throttle is None:
        throttle = LoginThrottle(key=key)
    # Failures are forgotten only after a quiet period counted from the end of the last lock, so waiting
    # out a lock never starts the count again: each further failure doubles the wait, up to the cap.
    quiet = dt.timedelta(minutes=settings.login_failure_window_minutes)
    if throttle.last_failure_at:
        quiet_since = max(as_utc(throttle.last_failure_at), as_utc(throttle.locked_until or throttle.last_failure_at))
        if now - quiet_since > quiet:
            throttle.failures = 0
    throttle.failures += 1
    throttle.last_failure_at = now
    over = throttle.failures - settings.login_max_failures
    if over >= 0:
        max_lock = dt.timedelta(minutes=settings.login_max_lock_minutes)
        lock = min(dt.timedelta(seconds=settings.login_lock_seconds * 2**over), max_lock)
        throttle.locked_until = now + lock
        session.add(throttle)
        session.commit()
        return LoginResult(error=messages.LOGIN_LOCKED.format(seconds=int(lock.total_seconds())))
    session.add(throttle)
    session.commit()
    return LoginResult(error=messages.LOGIN_FAILED)


def change_password(
    *,
    session: Session,
    user_id: int,
    current_password: str,
    new_password: str,
    confirmation: str,
    keep_session_token: str = "",
) -> None:
    """Replace the password after checking the current one; every other login of the user ends.

    `keep_session_token` is the session of the browser that asked: it stays logged in.
    """
    user = session.get(User, user_id)
    if user is None:
        raise ValidationFailed({"current_password": messages.SESSION_REQUIRED})
    errors: dict[str, str] = {}
    if not verify_password(current_password[: validators.PASSWORD_MAX], user.password_hash):
        errors["current_password"] = messages.CURRENT_PASSWORD_WRONG
    if message := validators.check_password(new_password, user.username):
        errors["new_password"] = message
    elif message := validators.check_password_confirmation(new_password, confirmation):
        errors["confirmation"] = message
    if errors:
        raise ValidationFailed(errors)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    session.add(user)
    sessions.revoke_all_sessions(session=session, user_id=user.id, keep_token=keep_session_token)  # commits both


# Password reset ("Lupa password") ---------------------------------------------------------------------


def _may_reset(user: User | None) -> bool:
    """Active accounts and accounts never activated; not one an administrator deactivated."""
    return user is not None and (user.is_active or user.activated_at is None)


def request_password_reset(
    *, session: Session, identifier: str, now: dt.datetime | None = None
) -> tuple[User, str] | None:
    """A reset token (returned in clear, for the email) for the account with this username or email.

    None, and nothing stored, for an unknown or deactivated account or one that already had
    WBS_PASSWORD_RESET_EMAILS_PER_ACCOUNT links in the last WBS_PASSWORD_RESET_EMAILS_WINDOW_MINUTES.
    The caller gives the same answer in every case.
    A new link retires the user's earlier unused ones.
    """
    now = now or utcnow()
    user = find_by_identifier(session=session, identifier=identifier[:254])
    if not _may_reset(user):
        return None
    settings = get_settings()
    window = dt.timedelta(minutes=settings.password_reset_emails_window_minutes)
    recent = session.exec(
        select(func.count())
        .select_from(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.created_at > now - window)
    ).one()
    if recent >= settings.password_reset_emails_per_account:
        return None
    lifetime = dt.timedelta(minutes=settings.password_reset_minutes)
    token = issue_token(session=session, model=PasswordResetToken, user=user, lifetime=lifetime, now=now)
    session.commit()
    session.refresh(user)
    return user, token


def _valid_reset(*, session: Session, token: str, now: dt.datetime) -> tuple[PasswordResetToken, User] | None:
    if not token or len(token) > 100:
        return None
    record = session.exec(
        select(PasswordResetToken).where(col(PasswordResetToken.token_hash).in_(token_digests(token)))
    ).first()
    if record is None or record.used_at is not None or now >= as_utc(record.expires_at):
        return None
    user = session.get(User, record.user_id)
    # Deactivated after the link was sent: only an administrator brings the account back.
    return (record, user) if _may_reset(user) else None


def password_reset_is_valid(*, session: Session, token: str, now: dt.datetime | None = None) -> bool:
    """Whether the link can still set a password (checked when the page opens; nothing is used up)."""
    return _valid_reset(session=session, token=token, now=now or utcnow()) is not None


def reset_password(
    *, session: Session, token: str, new_password: str, confirmation: str, now: dt.datetime | None = None
) -> User | None:
    """Set a new password through a reset link. None for an unknown, used or expired link.

    Raises ValidationFailed (fields `password`, `password_confirmation`) for a refused password; the link
    stays usable then. On success the link is used up, every login session of the user ends, a pending
    "must change password" is cleared and the login lock of the account is lifted.

    A never-activated account is activated too: the link went to the account's email address, which is
    exactly what the activation link proves, so this grants nothing the activation email would not. Its
    remaining activation links are retired. A deactivated account gets no link (see _may_reset).
    """
    now = now or utcnow()
    found = _valid_reset(session=session, token=token, now=now)
    if found is None:
        return None
    record, user = found
    errors: dict[str, str] = {}
    if message := validators.check_password(new_password, user.username):
        errors["password"] = message
    elif message := validators.check_password_confirmation(new_password, confirmation):
        errors["password_confirmation"] = message
    if errors:
        raise ValidationFailed(errors)
    password_hash = hash_password(new_password)
    # Single use even when two requests race with the same link: only one can flip used_at.
    claimed = session.exec(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == record.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if claimed != 1:
        session.rollback()
        return None
    user.password_hash = password_hash
    user.must_change_password = False
    if not user.is_active and user.activated_at is None:
        user.is_active = True
        user.activated_at = now
        for activation in session.exec(
            select(ActivationToken).where(ActivationToken.user_id == user.id, ActivationToken.used_at.is_(None))
        ):
            activation.used_at = now
            session.add(activation)
    session.add(user)
    for throttle in session.exec(
        select(LoginThrottle).where(LoginThrottle.key.in_([lock_key(user, ""), user.username_key, user.email_key]))
    ):
        session.delete(throttle)
    sessions.revoke_all_sessions(session=session, user_id=user.id)  # commits everything above
    session.refresh(user)
    return user


def password_reset_link(token: str) -> str:
    return f"{get_settings().base_url}/atur-password/{token}"


def _duration(minutes: int) -> str:
    """How long a link works, in the current language."""
    if minutes == 60:
        return _("1 jam")
    return (
        _("{hours} jam").format(hours=minutes // 60)
        if minutes % 60 == 0
        else _("{minutes} menit").format(minutes=minutes)
    )


def password_reset_email(*, user: User, token: str) -> dict[str, str]:
    """In the account's language (User.language); `language` goes on to mailer.send_email."""
    with language.use(user.language):
        return link_email(
            user=user,
            subject=_("Atur Ulang Password WBS"),
            lines=[
                _(
                    "Kami menerima permintaan untuk mengatur ulang password akun WBS Anda (username: {username})."
                ).format(username=user.username),
                _("Buat password baru dengan membuka tautan berikut:"),
            ],
            button=_("Atur Password"),
            link=password_reset_link(token),
            notes=[
                _(
                    "Tautan ini hanya dapat dipakai satu kali dan berlaku {valid}. Setelah password diganti, semua "
                    "sesi masuk akun Anda diakhiri."
                ).format(valid=_duration(get_settings().password_reset_minutes)),
                _("Jika Anda tidak meminta ini, abaikan email ini: password Anda tidak berubah."),
            ],
        )


def registration_attempt_email(*, user: User, token: str) -> dict[str, str]:
    """To the owner of an address someone tried to register again: no account was made; a reset link in case
    it was them and they forgot they had one. In the owner's language (User.language)."""
    with language.use(user.language):
        return link_email(
            user=user,
            subject=_("Percobaan pendaftaran dengan email Anda"),
            lines=[
                _(
                    "Seseorang mencoba mendaftarkan akun WBS baru dengan alamat email ini. Alamat ini sudah terdaftar "
                    "(username: {username}), jadi tidak ada akun baru yang dibuat."
                ).format(username=user.username),
                _("Jika itu Anda dan Anda lupa password, buat password baru dengan membuka tautan berikut:"),
            ],
            button=_("Atur Password"),
            link=password_reset_link(token),
            notes=[
                _("Tautan ini hanya dapat dipakai satu kali dan berlaku {valid}.").format(
                    valid=_duration(get_settings().password_reset_minutes)
                ),
                _("Jika bukan Anda, abaikan email ini: akun dan password Anda tidak berubah."),
            ],
        )
