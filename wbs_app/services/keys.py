"""Encryption at rest: one master key outside the database wraps one random data key per report and per user.

- The master key is 32 random bytes in `WBS_MASTER_KEY_FILE` (default `data/keys/master.key`, mode 0600).
  Losing it loses every report: keep a copy on another volume or in a secret store (README).
- A data key is 32 random bytes, stored only wrapped: `k1.<key id>.<base64url(nonce | AES-256-GCM)>`, where the
  key id names the master key that wrapped it (the first 8 hex digits of its SHA-256), so a rotation can tell
  which rows it still has to re-wrap and an unwrap under the wrong master key fails with a clear message.
- A field is sealed with its record's data key: `e1.<base64url(nonce | AES-256-GCM)>`, the associated data
  naming what the field is ("report.title"), so a value moved to another column does not open there.
  A flipped byte anywhere gives `IntegrityError`, never altered text.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from wbs_app.datadir import create_secret_file
from wbs_app.settings import get_settings

KEY_BYTES = 32
NONCE_BYTES = 12
WRAPPED_PREFIX = "k1."
SEALED_PREFIX = "e1."


class IntegrityError(Exception):
    """Encrypted data that does not open: altered, truncated, or wrapped under another master key."""


class MasterKeyMissing(Exception):
    """The master key file is absent while the database holds wrapped keys."""


class ContentPurged(Exception):
    """The report's content was deleted at the end of its retention term: its data key is gone for good."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    """Strict: a text that is not the one canonical encoding of its bytes (e.g. a changed last character whose
    unused bits base64 would ignore) is refused, so every changed character is noticed."""
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as failure:
        raise IntegrityError("not base64") from failure
    if _b64(data) != text:
        raise IntegrityError("not canonical base64")
    return data


def key_id(master: bytes) -> str:
    return hashlib.sha256(master).hexdigest()[:8]


def master_key_path() -> Path:
    return get_settings().master_key_file


def create_master_key(path: Path | None = None) -> bytes:
    """Make the master key file (0600) if it does not exist yet; return the key it holds."""
    path = path or master_key_path()
    if not path.exists():
        create_secret_file(path, (_b64(secrets.token_bytes(KEY_BYTES)) + "\n").encode())
    return read_master_key(path)


def read_master_key(path: Path) -> bytes:
    try:
        key = _unb64(path.read_text().strip())
    except FileNotFoundError as missing:
        raise MasterKeyMissing(f"master key file {path} is missing") from missing
    if len(key) != KEY_BYTES:
        raise IntegrityError(f"master key file {path} does not hold a 32-byte key")
    return key


def next_master_key_path() -> Path:
    """Where a rotation (`cli rotate-master-key`) keeps the new master key until every data key is re-wrapped."""
    path = master_key_path()
    return path.with_name(path.name + ".baru")


def _modified(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


@functools.lru_cache(maxsize=8)
def _keyring_at(master_path: str, next_path: str, _stamps: tuple) -> tuple[bytes, dict[str, bytes]]:
    current = create_master_key(Path(master_path))
    ring = {key_id(current): current}
    if Path(next_path).exists():  # a rotation is under way: new data keys are wrapped with the new key already
        upcoming = read_master_key(Path(next_path))
        ring[key_id(upcoming)] = upcoming
        return upcoming, ring
    return current, ring


def _keyring() -> tuple[bytes, dict[str, bytes]]:
    """(the key new data keys are wrapped with, every master key by id). Read again whenever either file changes,
    so a running app follows a rotation: during it both keys open, and new keys get the new one at once."""
    master_path, next_path = master_key_path(), next_master_key_path()
    return _keyring_at(str(master_path), str(next_path), (_modified(master_path), _modified(next_path)))


def master_key() -> bytes:
    """The master key new data keys are wrapped with (made on first use: setup makes it; tests too)."""
    return _keyring()[0]


def forget_cached_keys() -> None:
    """In tests that change the key files, and after a restore."""
    _keyring_at.cache_clear()
    unwrap_key.cache_clear()


def derived_key(purpose: str) -> bytes:
    """A key for files that need no database to find their key (the email outbox): HKDF of the master key."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=f"wbs {purpose}".encode()).derive(
        master_key()
    )


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def wrap_key(data_key: bytes, *, master: bytes | None = None) -> str:
    master = master if master is not None else master_key()
    kid = key_id(master)
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(master).encrypt(nonce, data_key, f"wbs data key {kid}".encode())
    return f"{WRAPPED_PREFIX}{kid}.{_b64(nonce + sealed)}"


def wrapped_key_id(wrapped: str) -> str:
    """The id of the master key that wrapped this data key."""
    parts = wrapped.split(".")
    if len(parts) != 3 or parts[0] + "." != WRAPPED_PREFIX:
        raise IntegrityError("not a wrapped data key")
    return parts[1]


@functools.lru_cache(maxsize=4096)
def unwrap_key(wrapped: str, master: bytes | None = None) -> bytes:
    """The data key inside `wrapped`, opened with the master key that wrapped it (`master`, or the one of that id on
    disk). Cached: a page of the case list unwraps the same keys again and again."""
    kid = wrapped_key_id(wrapped)
    if master is None:
        master = _keyring()[1].get(kid)
        if master is None:
            raise IntegrityError(f"data key wrapped under master key {kid}, which is not the master key in force")
    elif kid != key_id(master):
        raise IntegrityError(f"data key wrapped under master key {kid}, but the master key given is {key_id(master)}")
    blob = _unb64(wrapped.split(".")[2])
    try:
        return AESGCM(master).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], f"wbs data key {kid}".encode())
    except InvalidTag as failure:
        raise IntegrityError("wrapped data key altered") from failure


def new_wrapped_key() -> str:
    return wrap_key(new_data_key())


def seal(data_key: bytes, text: str, *, aad: str) -> str:
    """`text` encrypted under `data_key`; "" stays "" (an empty field reveals only that it is empty)."""
    if text == "":
        return ""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return SEALED_PREFIX + _b64(nonce + AESGCM(data_key).encrypt(nonce, text.encode("utf-8"), aad.encode()))


def unseal(data_key: bytes, sealed: str, *, aad: str) -> str:
    if sealed == "":
        return ""
    if not sealed.startswith(SEALED_PREFIX):
        raise IntegrityError(f"{aad} is not encrypted")
    blob = _unb64(sealed[len(SEALED_PREFIX) :])
    try:
        return AESGCM(data_key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad.encode()).decode("utf-8")
    except InvalidTag as failure:
        raise IntegrityError(f"{aad} altered") from failure


def is_sealed(value: str | None) -> bool:
    return bool(value) and value.startswith(SEALED_PREFIX)


def keyed_digest(key: bytes, text: str) -> str:
    """HMAC-SHA256 of `text` under `key`, hex: for blind indexes (search tokens, lookups by value)."""
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()
