"""Registration numbers and access codes, from the operating system's secure random source, and how a Kode Akses
is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlmodel import Session

from wbs_app.security import verify_password
from wbs_app.services import vault

# Crockford base32: no I, L, O, U, so a number read aloud or copied by hand stays unambiguous.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def random_base32(length: int) -> str:
    return "".join(secrets.choice(CROCKFORD) for _ in range(length))


def new_registration_number() -> str:
    """Public and not sequential: WBS- and 10 characters (50 random bits)."""
    return "WBS-" + random_base32(10)


def new_access_code() -> str:
    """Secret: 4 groups of 5 characters (100 random bits), e.g. 7K3M9-Q2X4D-HB8TN-0RVWC."""
    return "-".join(random_base32(5) for _ in range(4))


def normalize_access_code(value: str) -> str:
    """Upper-case, groups joined by '-', Crockford look-alikes read as digits; '' when it cannot be a code."""
    cleaned = "".join(ch for ch in value.upper() if ch.isalnum()).translate(str.maketrans("OIL", "011"))
    if len(cleaned) != 20 or any(ch not in CROCKFORD for ch in cleaned):
        return ""
    return "-".join(cleaned[i : i + 5] for i in range(0, 20, 5))


# Kode Akses digests ----------------------------------------------------------------------------------

ACCESS_CODE_KEY = "access-codes"
DIGEST_PREFIX = "h1$"


def access_code_digest(*, session: Session, code: str) -> str:
    """What a report stores for its Kode Akses: HMAC-SHA256 under a server key. The code has 100 random bits, so a
    keyed hash is as safe as argon2 for it and costs microseconds, not a tenth of a second of CPU per report."""
    key = vault.system_key(session=session, name=ACCESS_CODE_KEY)
    return DIGEST_PREFIX + hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def access_code_matches(*, session: Session, code: str, stored: str | None) -> bool:
    """Whether `code` opens a report storing `stored`; argon2 hashes of older reports still work (see
    `needs_new_digest`). With nothing stored, the same keyed hash is computed, so a miss takes the same time."""
    expected = access_code_digest(session=session, code=code or "-")
    if stored and stored.startswith(DIGEST_PREFIX):
        return bool(code) and hmac.compare_digest(expected, stored)
    return bool(code and stored) and verify_password(code, stored)


def needs_new_digest(stored: str | None) -> bool:
    """An argon2 hash of an older version, to be replaced by the keyed digest once the code was given right."""
    return bool(stored) and not stored.startswith(DIGEST_PREFIX)
