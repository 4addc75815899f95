"""Short-lived signed links for evidence files and exports.

A page that has already checked who may see a report hands out one link per file. A link handed to a
logged-in user is bound to that login session: the download route checks the session cookie again and
that the user may still see the report, so logging out, deactivation or a conflict of interest ends it.
A link handed to a Kode Akses holder (who has no login) is checked by signature and expiry only, so it
lives no longer than that holder's grant may stay idle (WBS_ACCESS_GRANT_IDLE_MINUTES, services/grants).
Other links expire after WBS_DOWNLOAD_LINK_MINUTES.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import logging
import time
from pathlib import Path

from sqlmodel import Session

from wbs_app.models import Evidence, Report
from wbs_app.security import server_key, token_digest
from wbs_app.services import audit, evidence, keys, policy, sealed, sessions
from wbs_app.settings import get_settings

logger = logging.getLogger("wbs.evidence")

# The backend routes (wbs_app.api) that serve files; each is followed by a signed token.
EVIDENCE_FILE = "/_wbs/bukti/"
DRAFT_FILE = "/_wbs/draf/"
PDF_PAGES = "/_wbs/halaman-pdf/"  # the same signed token as EVIDENCE_FILE: a PDF's first pages as one PNG
EXPORT_FILE = "/_wbs/ekspor/"


def _sign(payload: str) -> str:
    digest = hmac.new(server_key(), payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def make_token(kind: str, value: str, *, now: float | None = None, minutes: int | None = None) -> str:
    """A signed link part naming one thing of one kind (`value` holds no dots), valid for a while
    (WBS_DOWNLOAD_LINK_MINUTES unless `minutes` says less)."""
    lifetime = get_settings().download_link_minutes if minutes is None else minutes
    expires = int((now or time.time()) + lifetime * 60)
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


@dataclasses.dataclass(frozen=True)
class DownloadGrant:
    evidence_id: int
    session_digest: str = ""  # empty for a Kode Akses holder's link


def _session_digest(session_token: str) -> str:
    return token_digest(session_token)[:32]


def session_digest(session_token: str) -> str:
    """What a link bound to a login session carries of it (services/statistics_csv too)."""
    return _session_digest(session_token)


def make_download_token(evidence_id: int, *, session_token: str = "", now: float | None = None) -> str:
    if session_token:
        return make_token("bukti", f"{evidence_id}-{_session_digest(session_token)}", now=now)
    # Unbound (a Kode Akses holder): nothing but the expiry ends it, so it must not outlive an idle grant.
    settings = get_settings()
    minutes = min(settings.download_link_minutes, settings.access_grant_idle_minutes)
    return make_token("bukti", str(evidence_id), now=now, minutes=minutes)


def read_download_token(token: str, *, now: float | None = None) -> DownloadGrant | None:
    evidence_id, _, digest = (read_token("bukti", token, now=now) or "").partition("-")
    return DownloadGrant(int(evidence_id), digest) if evidence_id.isdigit() else None


def may_download(*, session: Session, grant: DownloadGrant, session_token: str) -> Evidence | None:
    """The evidence a link grants, if the browser presenting it may still have it."""
    record = session.get(Evidence, grant.evidence_id)
    if record is None or not grant.session_digest:
        return record
    if not session_token or not hmac.compare_digest(_session_digest(session_token), grant.session_digest):
        return None
    user = sessions.resolve_session(session=session, token=session_token)
    report = session.get(Report, record.report_id)
    if report is None or not policy.may_download_evidence(session=session, user=user, report=report):
        return None
    return record


@dataclasses.dataclass(frozen=True)
class StoredFile:
    """A stored evidence file, with what it takes to decrypt and name it."""

    path: Path
    file_id: str
    key: bytes
    kind: str
    name: str
    size: int


def stored_file(*, session: Session, record: Evidence) -> StoredFile:
    """The evidence row's file: its name and key opened with the report's key."""
    opened = sealed.open_row(session=session, row=record)
    key = sealed.open_bytes(
        sealed.report_key_by_id(session=session, report_id=record.report_id), record.file_key, aad="evidence.file_key"
    )
    return StoredFile(
        path=evidence.stored_path(record.stored_name),
        file_id=record.stored_name,
        key=key,
        kind=record.kind,
        name=opened.original_name,
        size=record.size,
    )


def stored_evidence_intact(
    *, session: Session, record: Evidence, stored: StoredFile, session_token: str = "", client_ip: str = ""
) -> bool:
    """Whether the stored file still decrypts (every chunk's tag) to the SHA-256 recorded when it was received.

    Checked on every download, before a byte is sent: an altered or damaged file is never handed out.
    A mismatch is written to the audit log (with the downloader, if logged in) and to the server log.
    """
    try:
        _, found = evidence.stored_size_and_sha256(stored.path, key=stored.key, file_id=stored.file_id)
    except keys.IntegrityError:
        found = "(tidak dapat didekripsi: berkas terenkripsi berubah)"
    if hmac.compare_digest(found, record.sha256):
        return True
    user = sessions.resolve_session(session=session, token=session_token) if session_token else None
    detail = (
        f"Bukti #{record.id} ({stored.name}) tidak dikirim: SHA-256 berkas tersimpan {found} "
        f"berbeda dari yang dicatat saat diterima {record.sha256}."
    )
    audit.record(
        session=session,
        action="integritas",
        actor_id=user.id if user else None,
        report_id=record.report_id,
        detail=detail,
        client_ip=client_ip,
    )
    session.commit()
    logger.error("evidence %s of report %s altered or unreadable", record.id, record.report_id)
    return False


def make_draft_token(temp_path: str, kind: str, *, now: float | None = None) -> str:
    """A link to a file of a draft not yet submitted, so its sender can check it ("lihat bukti")."""
    path = Path(temp_path)
    return make_token("draf", f"{path.parent.name}-{path.name}-{kind}", now=now)


def read_draft_token(token: str, *, now: float | None = None) -> tuple[Path, str] | None:
    """The draft file and its checked kind that a valid token names; only inside the draft area."""
    parts = (read_token("draf", token, now=now) or "").split("-")
    if len(parts) != 3 or not all(_is_hex32(part) for part in parts[:2]) or not parts[2].isalnum():
        return None
    return get_settings().upload_temp_dir / parts[0] / parts[1], parts[2]


def _is_hex32(value: str) -> bool:
    return len(value) == 32 and all(ch in "0123456789abcdef" for ch in value)


EXPORT_FORMATS = ("csv", "xlsx")


def make_export_token(file_name: str, *, session_token: str, now: float | None = None) -> str:
    return make_token("ekspor", f"{file_name.replace('.', '_')}-{_session_digest(session_token)}", now=now)


def read_export_token(token: str, *, session_token: str, session: Session, now: float | None = None) -> str | None:
    """The export file a valid token names (32 hex digits and a known format, never a path), for the staff
    member whose login session made it."""
    value, _, digest = (read_token("ekspor", token, now=now) or "").partition("-")
    stem, _, suffix = value.partition("_")
    if not _is_hex32(stem) or suffix not in EXPORT_FORMATS:
        return None
    if not session_token or not hmac.compare_digest(_session_digest(session_token), digest):
        return None
    if not policy.is_staff(sessions.resolve_session(session=session, token=session_token)):
        return None
    return f"{stem}.{suffix}"
