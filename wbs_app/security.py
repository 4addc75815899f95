"""Password hashing and random secrets."""

from __future__ import annotations

import hashlib
import secrets

from passlib.context import CryptContext

password_context = CryptContext(schemes=["argon2"], deprecated="auto")

# Verified when the account does not exist, so a miss costs the same time as a wrong password.
_DUMMY_HASH = password_context.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return password_context.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if not password_hash:
        password_context.verify(password, _DUMMY_HASH)
        return False
    try:
        return password_context.verify(password, password_hash)
    except (ValueError, TypeError):
        return False


def new_token() -> str:
    """256 random bits, URL safe."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database stores for a token: a leaked table gives no usable link or session."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
