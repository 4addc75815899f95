"""Password hashing, random secrets, and how the database stores tokens.

Passwords are argon2 (slow on purpose), computed only in PASSWORD_POOL: at most as many at once as the machine has
cores, in threads of their own, so a flood of logins neither starves the threads the app reads the database with
nor takes more CPU than there is. Random tokens (sessions, email links, login tickets, recovery codes, draft keys)
have 80 to 256 random bits: the database keeps HMAC-SHA256 of them under the server key (`data/secret.key`, 0600,
outside the database), which costs microseconds; a copy of the database alone can neither use nor test them.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import functools
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from passlib.context import CryptContext

from wbs_app.datadir import create_secret_file
from wbs_app.settings import get_settings

password_context = CryptContext(schemes=["argon2"], deprecated="auto")

# Verified when the account does not exist, so a miss costs the same time as a wrong password.
_DUMMY_HASH = password_context.hash(secrets.token_urlsafe(16))

# Per process: each app worker has its own cores' worth of threads; the workers together are bounded by the number
# of workers set for the deployment (README, "Scale-out deployment").
PASSWORD_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="wbs-argon2")


async def in_password_pool(work: Callable, *args):
    """Run blocking work that hashes or checks a password (login, registration, password change) in PASSWORD_POOL,
    in the caller's context (as asyncio.to_thread does): its messages are in the language of the event's browser."""
    context = contextvars.copy_context()
    return await asyncio.get_running_loop().run_in_executor(PASSWORD_POOL, context.run, functools.partial(work, *args))


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


@functools.lru_cache(maxsize=4)
def _server_key_at(path: str) -> bytes:
    file = Path(path)
    if not file.exists():
        create_secret_file(file, secrets.token_bytes(32))
    return file.read_bytes()


def server_key() -> bytes:
    """The server's own random key (data/secret.key), made on first use: signs links, keys token digests."""
    return _server_key_at(str(get_settings().secret_key_file))


def token_digest(token: str) -> str:
    """What the database stores for a token: HMAC-SHA256 under the server key (hex)."""
    return hmac.new(server_key(), token.encode("utf-8"), hashlib.sha256).hexdigest()


def token_digests(token: str) -> list[str]:
    """The digests a stored token may have: the keyed one, and the plain SHA-256 that earlier versions stored (so
    links, recovery codes and drafts made before the upgrade keep working; new ones are keyed)."""
    return [token_digest(token), hashlib.sha256(token.encode("utf-8")).hexdigest()]
