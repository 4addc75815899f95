"""Server-side login sessions: the browser keeps a random id, the database decides who it is."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from wbs_app.models import LoginSession, User, as_utc, utcnow
from wbs_app.security import new_token, token_digest
from wbs_app.settings import get_settings


def create_session(*, session: Session, user: User, now: dt.datetime | None = None) -> str:
    """Open a login session and return the token for the browser (never stored in clear)."""
    now = now or utcnow()
    token = new_token()
    session.add(
        LoginSession(
            token_hash=token_digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(hours=get_settings().session_absolute_hours),
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
    if login is None or login.revoked_at is not None:
        return None
    idle_limit = dt.timedelta(minutes=get_settings().session_idle_minutes)
    if now >= as_utc(login.expires_at) or now - as_utc(login.last_seen_at) > idle_limit:
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
