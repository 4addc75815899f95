"""Two-factor login: a TOTP authenticator app (RFC 6238) and ten single-use recovery codes.

Verifiers and administrators must have one (policy.requires_second_factor); reporters may turn it on. A code
is accepted once: the time step of the last accepted TOTP code is stored, and a recovery code is marked used.
Wrong codes count towards the account's login lock (services/passwords). Revealing a reporter's identity,
exporting with identities and creating staff accounts ask for a fresh code (`require_fresh_code`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import secrets

import pyotp
import segno
from pyotp.exceptions import OTPVerificationError
from sqlmodel import Session, col, delete, select, update

from wbs_app import messages
from wbs_app.i18n import N_, _
from wbs_app.models import RecoveryCode, SecondFactor, User, utcnow
from wbs_app.security import token_digest, token_digests
from wbs_app.services import audit, passwords, policy, sealed, sessions
from wbs_app.services.errors import NotFound, Refused, ValidationFailed
from wbs_app.settings import get_settings

RECOVERY_CODE_COUNT = 10
# 16 characters of a 32-letter alphabet: 80 random bits, enough for an unsalted SHA-256 in the database.
RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
RECOVERY_GROUPS, RECOVERY_GROUP_LENGTH = 4, 4
# One step (30 s) before and after the server's clock, for a phone whose clock is a little off.
VALID_WINDOW = 1
# The form field of a fresh code, on every form that asks for one.
CODE_FIELD = "second_factor_code"


def code_from(form: dict) -> str:
    """The code a form sent in its CODE_FIELD, as typed (bounded)."""
    return str(form.get(CODE_FIELD, ""))[:64]


# Message ids (wbs_app/i18n): what a form shows is `_()` of one of them, in the language of the browser.
CODE_REQUIRED = N_("Masukkan kode 6 digit dari aplikasi autentikator (atau kode pemulihan).")
CODE_WRONG = N_("Kode salah atau sudah tidak berlaku.")
CODE_REPLAYED = N_("Kode ini sudah dipakai. Tunggu kode berikutnya di aplikasi autentikator.")
NOT_ENABLED = N_("Verifikasi dua langkah belum aktif untuk akun ini.")
ALREADY_ENABLED = N_("Verifikasi dua langkah sudah aktif.")
NO_ENROLMENT = N_("Mulai lagi pengaturan verifikasi dua langkah.")
STAFF_MUST_KEEP = N_("Verifikasi dua langkah wajib bagi verifikator dan administrator: tidak dapat dimatikan.")
CANNOT_RESET_SELF = N_("Anda tidak dapat mereset verifikasi dua langkah akun Anda sendiri; minta administrator lain.")


@dataclasses.dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the secret as text, and the same as a QR code drawn on this server."""

    secret: str
    uri: str
    qr_data_uri: str


def _factor(*, session: Session, user_id: int) -> SecondFactor | None:
    return session.exec(select(SecondFactor).where(SecondFactor.user_id == user_id)).first()


def is_enabled(*, session: Session, user_id: int) -> bool:
    factor = _factor(session=session, user_id=user_id)
    return factor is not None and factor.enabled_at is not None


def is_required(*, session: Session, user: User) -> bool:
    """Whether logging in asks for a code (staff always, a reporter who turned it on)."""
    return policy.requires_second_factor(session=session, user=user)


def is_mandatory(user: User) -> bool:
    """Verifiers and administrators cannot turn it off; reporters choose."""
    return user.role in policy.STAFF_ROLES


def needs_enrolment(*, session: Session, user: User) -> bool:
    """A verifier or administrator without a confirmed authenticator: enrolment comes before anything else."""
    return is_required(session=session, user=user) and not is_enabled(session=session, user_id=user.id)


def enabled_among(*, session: Session, user_ids: list[int]) -> set[int]:
    """Which of these users have a confirmed second factor (for the administrator's list of users)."""
    if not user_ids:
        return set()
    rows = session.exec(
        select(SecondFactor.user_id).where(SecondFactor.user_id.in_(user_ids), SecondFactor.enabled_at.is_not(None))
    )
    return set(rows)


def remaining_recovery_codes(*, session: Session, user_id: int) -> int:
    return len(
        session.exec(
            select(RecoveryCode.id).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
        ).all()
    )


# Enrolment --------------------------------------------------------------------------------------------


def _issuer() -> str:
    return f"WBS {get_settings().org_name}"[:60]


def start_enrolment(*, session: Session, user: User) -> Enrolment:
    """A new secret for the user's authenticator app; nothing changes for logins until it is confirmed.

    Starting again replaces an unconfirmed secret (e.g. a QR code shown on a screen someone else saw).
    """
    factor = _factor(session=session, user_id=user.id)
    if factor is not None and factor.enabled_at is not None:
        raise Refused(_(ALREADY_ENABLED))
    secret = pyotp.random_base32()
    if factor is None:
        factor = SecondFactor(user_id=user.id, secret=secret)
    factor.secret, factor.created_at, factor.last_used_step = secret, utcnow(), None
    session.add(factor)
    session.commit()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=_issuer())
    return Enrolment(secret=secret, uri=uri, qr_data_uri=segno.make(uri, error="m").svg_data_uri(scale=5, border=2))


def confirm_enrolment(
    *, session: Session, user: User, code: str, now: dt.datetime | None = None, client_ip: str = ""
) -> list[str]:
    """Turn the second factor on once the app shows a right code; returns the recovery codes, in clear, once."""
    now = now or utcnow()
    factor = _factor(session=session, user_id=user.id)
    if factor is None:
        raise Refused(_(NO_ENROLMENT))
    if factor.enabled_at is not None:
        raise Refused(_(ALREADY_ENABLED))
    step = _totp_step(session=session, factor=factor, code=_clean(code), now=now)
    if step is None:
        raise ValidationFailed({CODE_FIELD: _(CODE_WRONG if code.strip() else CODE_REQUIRED)})
    factor.enabled_at, factor.last_used_step = now, step
    session.add(factor)
    codes = _replace_recovery_codes(session=session, user_id=user.id, now=now)
    audit.record(session=session, action="dua_langkah", actor_id=user.id, detail="Diaktifkan", client_ip=client_ip)
    session.commit()
    return codes


def _replace_recovery_codes(*, session: Session, user_id: int, now: dt.datetime) -> list[str]:
    session.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        session.add(RecoveryCode(user_id=user_id, code_hash=token_digest(_clean(code)), created_at=now))
    return codes


def _new_recovery_code() -> str:
    groups = (
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH)) for _ in range(RECOVERY_GROUPS)
    )
    return "-".join(groups)


# Checking a code --------------------------------------------------------------------------------------


def _clean(code: str) -> str:
    """What the user typed, without spaces and dashes, in lower case."""
    return re.sub(r"[\s-]", "", str(code))[:64].lower()


def _totp_step(*, session: Session, factor: SecondFactor, code: str, now: dt.datetime) -> int | None:
    """The time step the code belongs to, or None for a wrong code. The secret is sealed with the account's key."""
    if not re.fullmatch(r"\d{6}", code):
        return None
    secret = sealed.open_row(session=session, row=factor).secret
    try:
        return pyotp.TOTP(secret).verify_and_get_timecode(code, for_time=now, valid_window=VALID_WINDOW)
    except OTPVerificationError:
        return None


def verify(*, session: Session, user: User, code: str, now: dt.datetime | None = None) -> str:
    """Check a TOTP code or a recovery code and use it up. "" when accepted, else the message's id (above).

    A TOTP code is refused when a code of the same or a later time step was accepted before (so one code, even
    seen over someone's shoulder, opens one login or one action); a recovery code works once. Both claims are
    single UPDATEs, so two requests racing with one code cannot both win. Commits.
    """
    now = now or utcnow()
    factor = _factor(session=session, user_id=user.id)
    if factor is None or factor.enabled_at is None:
        return NOT_ENABLED
    cleaned = _clean(code)
    if not cleaned:
        return CODE_REQUIRED
    step = _totp_step(session=session, factor=factor, code=cleaned, now=now)
    if step is not None:
        claimed = session.exec(
            update(SecondFactor)
            .where(
                SecondFactor.id == factor.id,
                (SecondFactor.last_used_step.is_(None)) | (SecondFactor.last_used_step < step),
            )
            .values(last_used_step=step)
        ).rowcount
        session.commit()
        return "" if claimed == 1 else CODE_REPLAYED
    if len(cleaned) != RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH:
        return CODE_WRONG
    claimed = session.exec(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            col(RecoveryCode.code_hash).in_(token_digests(cleaned)),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
    ).rowcount
    if claimed == 1:
        audit.record(session=session, action="dua_langkah", actor_id=user.id, detail="Kode pemulihan dipakai")
    session.commit()
    return "" if claimed == 1 else CODE_WRONG


def check_code(*, session: Session, user: User, code: str, now: dt.datetime | None = None) -> str:
    """`verify` behind the account's login lock: "" when accepted, else the message to show.

    While the account is locked no code is tried; each wrong or replayed code counts as a failed login.
    """
    now = now or utcnow()
    if locked := passwords.account_lock_message(session=session, user=user, now=now):
        return locked
    error = verify(session=session, user=user, code=code, now=now)
    if error and error not in (CODE_REQUIRED, NOT_ENABLED):
        return passwords.record_account_failure(session=session, user=user, now=now) or _(error)
    return _(error) if error else ""


def complete_login(
    *, session: Session, user_id: int, code: str, now: dt.datetime | None = None
) -> tuple[User | None, str]:
    """The second step of a login whose password was right: the user and "" once the code is accepted (the
    account's failed attempts are then forgotten), else None and the message to show."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None, messages.LOGIN_FAILED if user is None else messages.LOGIN_DEACTIVATED
    if error := check_code(session=session, user=user, code=code, now=now):
        return None, error
    passwords.forget_account_failures(session=session, user=user)
    session.refresh(user)
    return user, ""


def require_fresh_code(*, session: Session, user: User, code: str, now: dt.datetime | None = None) -> None:
    """Step-up for sensitive actions: a code typed in the same form, used up here. Raises ValidationFailed on
    the form's code field; wrong codes count towards the login lock like at login."""
    if not is_enabled(session=session, user_id=user.id):
        raise Refused(_(NOT_ENABLED))
    if error := check_code(session=session, user=user, code=code, now=now):
        raise ValidationFailed({CODE_FIELD: error})


# Turning it off ---------------------------------------------------------------------------------------


def disable(*, session: Session, user: User, code: str, client_ip: str = "") -> None:
    """A reporter turns their second factor off, with a current code; staff cannot."""
    if is_mandatory(user):
        raise Refused(_(STAFF_MUST_KEEP))
    require_fresh_code(session=session, user=user, code=code)
    _remove(session=session, user_id=user.id)
    audit.record(session=session, action="dua_langkah", actor_id=user.id, detail="Dimatikan", client_ip=client_ip)
    session.commit()


def reset(*, session: Session, actor: User, user_id: int, client_ip: str = "") -> User:
    """An administrator removes another user's authenticator and recovery codes (lost phone): every login of the
    user ends, and a verifier or administrator enrols again at the next login. Audited."""
    policy.require_admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(messages.USER_NOT_FOUND)
    if user.id == actor.id:
        raise Refused(_(CANNOT_RESET_SELF))
    _remove(session=session, user_id=user.id)
    detail = f"Reset verifikasi dua langkah {user.username}"
    audit.record(session=session, action="pengguna", actor_id=actor.id, detail=detail, client_ip=client_ip)
    sessions.revoke_all_sessions(session=session, user_id=user.id)  # commits everything above
    session.refresh(user)
    return user


def _remove(*, session: Session, user_id: int) -> None:
    session.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    session.exec(delete(SecondFactor).where(SecondFactor.user_id == user_id))
