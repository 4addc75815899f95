"""Server-side login sessions: the browser keeps a random id, the database decides who it is.

The id travels only in an HttpOnly cookie set by an HTTP response (wbs_app/api.py, after a one-time ticket of
services/login_tickets): page scripts never see it. Event handlers read it from the cookies of their
websocket's own handshake (state/auth.py), the file routes from their request's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlmodel import Session, col, select

from wbs_app.models import LoginSession, User, as_utc, utcnow
from wbs_app.security import new_token, token_digest
from wbs_app.services import devices
from wbs_app.settings import get_settings

COOKIE_NAME = "wbs_sesi"
# Over https the cookie carries the __Host- prefix: the browser then takes it only from this host, Secure, for
# Path=/, so no sibling subdomain can plant its own session id (cookie tossing).
SECURE_COOKIE_NAME = "__Host-wbs_sesi"


def cookie_name() -> str:
    return SECURE_COOKIE_NAME if get_settings().secure_cookies else COOKIE_NAME


def token_from_cookies(cookie_header: str) -> str:
    """The session id in a Cookie header, or "" (none, or several: one planted beside ours is not chosen)."""
    name = cookie_name()
    values = [
        value.strip()
        for pair in (cookie_header or "").split(";")
        for key, sep, value in [pair.partition("=")]
        if sep and key.strip() == name
    ]
    return values[0] if len(values) == 1 else ""


def create_session(*, session: Session, user: User, device: str = "", now: dt.datetime | None = None) -> str:
    """Open a login session and return the token for the browser (never stored in clear).

    `device` is the browser in words (services/devices), shown on Akun Saya. Commits.
    """
    now = now or utcnow()
    token = new_token()
    session.add(
        LoginSession(
            token_hash=token_digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(hours=get_settings().session_absolute_hours),
            device=device or None,
        )
    )
    session.commit()
    return token


def resolve_session(
    *, session: Session, token: str, now: dt.datetime | None = None, allow_pending_password: bool = False
) -> User | None:
    """The active user behind a session token, or None. Touches the idle timer.

    A user who must still replace a temporary password (set by an administrator or at setup) counts as
    nobody, unless `allow_pending_password`: only the account page, where the password is replaced, the
    navbar and the checks that send such a user there ask for that.
    """
    if not token or len(token) > 100:
        return None
    now = now or utcnow()
    login = session.exec(select(LoginSession).where(LoginSession.token_hash == token_digest(token))).first()
    if login is None or not _still_open(login, now):
        return None
    user = session.get(User, login.user_id)
    if user is None or not user.is_active or (user.must_change_password and not allow_pending_password):
        return None
    # Write the idle timer at most once a minute: most events only read.
    if now - as_utc(login.last_seen_at) > dt.timedelta(minutes=1):
        login.last_seen_at = now
        session.add(login)
        session.commit()
        session.refresh(user)
    return user


def _still_open(login: LoginSession, now: dt.datetime) -> bool:
    """Not ended, not past its absolute expiry, not idle longer than WBS_SESSION_IDLE_MINUTES."""
    idle_limit = dt.timedelta(minutes=get_settings().session_idle_minutes)
    return (
        login.revoked_at is None and now < as_utc(login.expires_at) and now - as_utc(login.last_seen_at) <= idle_limit
    )


def revoke_session(*, session: Session, token: str) -> None:
    if not token:
        return
    login = session.exec(select(LoginSession).where(LoginSession.token_hash == token_digest(token))).first()
    if login is not None and login.revoked_at is None:
        login.revoked_at = utcnow()
        session.add(login)
        session.commit()


def revoke_all_sessions(*, session: Session, user_id: int, keep_token: str = "") -> None:
    """End every login of the user, except the one whose token is `keep_token` (the browser asking).

    Commits, together with whatever the caller changed in the same session (e.g. the new password).
    """
    now = utcnow()
    conditions = [LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None)]
    if keep_token:
        conditions.append(LoginSession.token_hash != token_digest(keep_token))
    for login in session.exec(select(LoginSession).where(*conditions)):
        login.revoked_at = now
        session.add(login)
    session.commit()


@dataclasses.dataclass(frozen=True)
class ActiveLogin:
    """One login of a user, as Akun Saya lists it."""

    id: int
    device: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    current: bool  # the login of the browser asking


def active_logins(
    *, session: Session, user_id: int, current_token: str, now: dt.datetime | None = None
) -> list[ActiveLogin]:
    """The user's logins that still work (not ended, not expired, not idle too long), the latest used first."""
    now = now or utcnow()
    current_hash = token_digest(current_token) if current_token else ""
    rows = session.exec(
        select(LoginSession)
        .where(LoginSession.user_id == user_id, col(LoginSession.revoked_at).is_(None))
        .order_by(col(LoginSession.last_seen_at).desc(), col(LoginSession.id).desc())
    ).all()
    return [
        ActiveLogin(
            id=row.id,
            device=row.device or devices.UNKNOWN_DEVICE,  # stored in Bahasa Indonesia: devices.shown
            created_at=as_utc(row.created_at),
            last_seen_at=as_utc(row.last_seen_at),
            current=row.token_hash == current_hash,
        )
        for row in rows
        if _still_open(row, now)
    ]


def revoke_own_login(*, session: Session, user_id: int, login_id: int, current_token: str) -> bool | None:
    """End one login of the user ("Keluar dari perangkat ini"): None when no such login of theirs is open (another
    user's id is not theirs), else whether it was the browser asking (which is then logged out too)."""
    login = session.get(LoginSession, login_id) if isinstance(login_id, int) else None
    if login is None or login.user_id != user_id or login.revoked_at is not None:
        return None
    login.revoked_at = utcnow()
    session.add(login)
    session.commit()
    return bool(current_token) and login.token_hash == token_digest(current_token)
