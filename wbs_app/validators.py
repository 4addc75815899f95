"""Input checks for forms. Each returns a message (wbs_app/messages.py, in the current language), or None when
the value is fine."""

from __future__ import annotations

import datetime as dt
import re

import lokal
from email_validator import EmailNotValidError, validate_email

from wbs_app import messages

USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]{3,50}$")
SIM_RE = re.compile(r"^\d{12,14}$")
NIP_RE = re.compile(r"^\d{18}$")
PASSWORD_MIN = 10
PASSWORD_MAX = 128


def check_required(value: str) -> str | None:
    return None if value.strip() else messages.REQUIRED


def check_max_length(value: str, max_length: int) -> str | None:
    return messages.TOO_LONG.format(max=max_length) if len(value) > max_length else None


def check_username(username: str) -> str | None:
    if not username:
        return messages.REQUIRED
    return None if USERNAME_RE.match(username) else messages.USERNAME_FORMAT


def normalize_email(email: str) -> str | None:
    """The normalized address, or None when it is not a valid email address.

    Deliverability (DNS) is not checked: the activation email is the real test, and DNS may be unreachable.
    """
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def check_email(email: str) -> str | None:
    if not email.strip():
        return messages.REQUIRED
    return None if normalize_email(email) else messages.EMAIL_INVALID


def check_password(password: str, username: str = "") -> str | None:
    if not password:
        return messages.REQUIRED
    if len(password) < PASSWORD_MIN:
        return messages.PASSWORD_TOO_SHORT
    if len(password) > PASSWORD_MAX:
        return messages.PASSWORD_TOO_LONG
    lowered = password.lower()
    only_one_kind = password.isdigit() or password.isalpha()
    if only_one_kind or len(set(password)) < 4 or (username and username.lower() in lowered):
        return messages.PASSWORD_WEAK
    return None


def check_password_confirmation(password: str, confirmation: str) -> str | None:
    if not confirmation:
        return messages.REQUIRED
    return None if password == confirmation else messages.PASSWORD_MISMATCH


def digits_only(value: str) -> str:
    return re.sub(r"[\s.-]", "", value)


def check_identity_number(value: str) -> str | None:
    """KTP (NIK, 16 digits with a valid region and birth date) or SIM (12–14 digits)."""
    number = digits_only(value)
    if not number:
        return messages.REQUIRED
    if len(number) == 16:
        return None if lokal.is_valid_nik(number) else messages.NIK_INVALID
    return None if SIM_RE.match(number) else messages.IDENTITY_INVALID


def check_nip(value: str) -> str | None:
    number = digits_only(value)
    if not number:
        return messages.REQUIRED
    return None if NIP_RE.match(number) else messages.NIP_INVALID


def normalize_phone(value: str) -> str | None:
    """The number in national form (0812-3456-7890), or None when it is not an Indonesian number."""
    info = lokal.parse_phone(value.strip())
    return info.national if info.valid else None


def check_phone(value: str, required: bool = True) -> str | None:
    if not value.strip():
        return messages.REQUIRED if required else None
    return None if normalize_phone(value) else messages.PHONE_INVALID


def check_birth_date(value: str) -> str | None:
    """A date in the past, after 1900 (the browser's date input gives YYYY-MM-DD)."""
    try:
        born = dt.date.fromisoformat(value.strip())
    except ValueError:
        return messages.DATE_INVALID
    if born >= dt.date.today() or born.year < 1900:
        return messages.DATE_INVALID
    return None


def is_checked(value: object) -> bool:
    """A checkbox's form value: the browser sends "on", Reflex may turn it into True."""
    return value in (True, "on", "true", "1")
