"""One-time login tickets: how a login finished over the websocket becomes an HttpOnly cookie.

The websocket cannot set an HttpOnly cookie, and a cookie page scripts can read is a session id any injected
script could take. So when the password (and the second factor) are right, the login page gets a ticket
instead, and the browser is sent at once, with a full navigation, to `SIGN_IN` + ticket on the server
(wbs_app/api.py). That route redeems the ticket, opens the login session and sets its id in the cookie.

A ticket is 256 random bits; only its SHA-256 is stored. It works once, for `TICKET_SECONDS`, and only for the
browser it was made for (the same User-Agent as the websocket that finished the login); the route also
refuses a navigation that another site started (api.py). Nothing is opened before it is redeemed: a ticket
never fetched leaves no session behind.
"""

from __future__ import annotations

import datetime as dt
import hmac

from sqlmodel import Session, col, delete, select, update

from wbs_app import language
from wbs_app.models import LoginTicket, User, as_utc, utcnow
from wbs_app.security import new_token, token_digest
from wbs_app.services import devices, sessions

TICKET_SECONDS = 60
SIGN_IN = "/_wbs/masuk/"  # + ticket, ?lanjut=<path of this app>
SIGN_OUT = "/_wbs/keluar"


def issue_ticket(*, session: Session, user: User, user_agent: str, now: dt.datetime | None = None) -> str:
    """A ticket for the user's browser (identified by its User-Agent), once every step of the login is done;
    expired tickets are cleared on the way. The account's emails are in this browser's language from now on
    (language.current(): that of the login page's event)."""
    now = now or utcnow()
    # One column, not the row: `user` may be a copy whose personal columns are opened (services/sealed).
    session.exec(update(User).where(col(User.id) == user.id).values(language=language.current()))
    expired = delete(LoginTicket).where(col(LoginTicket.expires_at) <= now)
    session.exec(expired.execution_options(synchronize_session=False))
    ticket = new_token()
    session.add(
        LoginTicket(
            ticket_hash=token_digest(ticket),
            user_id=user.id,
            agent_hash=token_digest(user_agent or ""),
            device=devices.device_label(user_agent),
            created_at=now,
            expires_at=now + dt.timedelta(seconds=TICKET_SECONDS),
        )
    )
    session.commit()
    return ticket


def redeem_ticket(*, session: Session, ticket: str, user_agent: str, now: dt.datetime | None = None) -> str | None:
    """The id of the login session the ticket opens, or None: unknown, used, expired, another browser, or an
    account no longer active. Any attempt uses the ticket up."""
    if not ticket or len(ticket) > 100:
        return None
    now = now or utcnow()
    found = session.exec(select(LoginTicket).where(LoginTicket.ticket_hash == token_digest(ticket))).first()
    if found is None:
        return None
    user_id, device, expires_at, agent_hash = found.user_id, found.device, as_utc(found.expires_at), found.agent_hash
    # Deleting by id, counted: of two requests racing with one ticket, only one deletes the row.
    claim = delete(LoginTicket).where(col(LoginTicket.id) == found.id).execution_options(synchronize_session=False)
    won = session.exec(claim).rowcount == 1
    session.commit()
    if not won or now >= expires_at or not hmac.compare_digest(agent_hash, token_digest(user_agent or "")):
        return None
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    return sessions.create_session(session=session, user=user, device=device, now=now)
