"""Short-lived signed links for evidence files.

A page that has already checked who may see a report hands out one link per file; the download route
checks only the signature and the expiry. Links expire after WBS_DOWNLOAD_LINK_MINUTES.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time

from wbs_app.settings import get_settings

_key_cache: dict[str, bytes] = {}


def _secret_key() -> bytes:
    """A random key kept in the data folder (mode 0600), made on first use."""
    path = get_settings().secret_key_file
    cached = _key_cache.get(str(path))
    if cached:
        return cached
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(32))
    key = path.read_bytes()
    _key_cache[str(path)] = key
    return key


def _sign(payload: str) -> str:
    digest = hmac.new(_secret_key(), payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def make_token(kind: str, value: str, *, now: float | None = None) -> str:
    """A signed link part naming one thing of one kind (`value` holds no dots), valid for a while."""
    expires = int((now or time.time()) + get_settings().download_link_minutes * 60)
    payload = f"{kind}.{value}.{expires}"
    return f"{payload}.{_sign(payload)}"


def read_token(kind: str, token: str, *, now: float | None = None) -> str | None:
    """The value a valid, unexpired token of this kind names; None for anything else."""
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != kind or not parts[2].isdigit():
        return None
    payload = ".".join(parts[:3])
    if not hmac.compare_digest(_sign(payload), parts[3]):
        return None
    if int(parts[2]) < (now or time.time()):
        return None
    return parts[1]


def make_download_token(evidence_id: int, *, now: float | None = None) -> str:
    return make_token("bukti", str(evidence_id), now=now)


def read_download_token(token: str, *, now: float | None = None) -> int | None:
    value = read_token("bukti", token, now=now)
    return int(value) if value and value.isdigit() else None


EXPORT_FORMATS = ("csv", "xlsx")


def make_export_token(file_name: str, *, now: float | None = None) -> str:
    return make_token("ekspor", file_name.replace(".", "_"), now=now)


def read_export_token(token: str, *, now: float | None = None) -> str | None:
    """The export file a valid token names: 32 hex digits and a known format, never a path."""
    value = read_token("ekspor", token, now=now) or ""
    stem, _, suffix = value.partition("_")
    if len(stem) == 32 and all(ch in "0123456789abcdef" for ch in stem) and suffix in EXPORT_FORMATS:
        return f"{stem}.{suffix}"
    return None
