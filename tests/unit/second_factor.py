"""Test helpers: staff with an authenticator, and the codes it would show."""

from __future__ import annotations

import time

import pyotp
from sqlmodel import select

from wbs_app.models import SecondFactor, User, utcnow
from wbs_app.services import sealed


def enrol(db, user: User) -> str:
    """Give the user a confirmed authenticator (as after enrolment, without using a code); its secret."""
    secret = pyotp.random_base32()
    db.add(SecondFactor(user_id=user.id, secret=secret, enabled_at=utcnow()))
    db.commit()
    return secret


def next_code(db, user: User) -> str:
    """A code the server accepts now: of the step after the last one used, within one step of the clock."""
    factor = db.exec(select(SecondFactor).where(SecondFactor.user_id == user.id)).one()
    last = factor.last_used_step
    totp = pyotp.TOTP(sealed.open_row(session=db, row=factor).secret)
    current = totp.timecode(time.time())
    step = max(current - 1, (last or 0) + 1)
    if step > current + 1:  # three codes used within one step: wait for the clock
        time.sleep((step - 1) * totp.interval - time.time() + 0.1)
    return totp.generate_otp(step)
