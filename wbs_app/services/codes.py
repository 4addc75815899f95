"""Registration numbers and access codes, from the operating system's secure random source."""

from __future__ import annotations

import secrets

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
