"""Evidence files: checked by their real content, counted while received, stored under random names, encrypted.

Files arrive in a per-draft temporary folder, encrypted as they stream in (services/filecrypt) with a key derived
from the system key "draft-files" and the file's random id; the permanent store holds each file under a random
key of its own, sealed in its evidence row with the report's key (services/submission.store_files). No plaintext
is ever written to disk, and neither folder is published by the web server.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import io
import os
import re
import secrets
import shutil
import threading
import time
import zipfile
from pathlib import Path

from wbs_app.i18n import _
from wbs_app.services import filecrypt, shared_store
from wbs_app.settings import get_settings

MB = 1024 * 1024

# What each extension must really be, judged from its first bytes.
KIND_OF_EXTENSION = {
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "png": "png",
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "zip": "zip",
    "rar": "rar",
    "mp3": "mp3",
    "mp4": "mp4",
}

CONTENT_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "rar": "application/vnd.rar",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
}

# Shown inline in the browser; everything else is downloaded.
PREVIEWABLE = {"jpeg", "png", "pdf"}
# Opened by the browser itself (inline); a PDF is not: its viewer is outside any sandbox, so it is downloaded,
# and staff see its pages as an image drawn on the server (services/previews.py).
INLINE_KINDS = {"jpeg", "png"}

HEAD_BYTES = 16


class EvidenceRejected(Exception):
    """A file was refused; the message names the file and the reason, in the current language."""


def allowed_extensions_label() -> str:
    return ", ".join(get_settings().allowed_extensions)


def display_name(filename: str) -> str:
    """The client's file name, reduced to a harmless label (it is never used as a path)."""
    base = re.split(r"[\\/]", filename or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip() or "berkas"
    return base[-120:]


def extension_of(filename: str) -> str:
    name = display_name(filename)
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def sniff_kind(head: bytes) -> str | None:
    """The file type its first bytes show (docx/xlsx/zip all start as zip)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith((b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00")):
        return "rar"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if len(head) >= 8 and head[4:8] == b"ftyp":
        return "mp4"
    return None


def check_head(filename: str, head: bytes) -> str:
    """The kind of a file whose first bytes are `head`, or EvidenceRejected."""
    name = display_name(filename)
    extension = extension_of(name)
    settings = get_settings()
    if extension not in settings.allowed_extensions or extension not in KIND_OF_EXTENSION:
        raise EvidenceRejected(
            _("{name}: jenis berkas tidak diizinkan. Gunakan {allowed}.").format(
                name=name, allowed=allowed_extensions_label()
            )
        )
    expected = KIND_OF_EXTENSION[extension]
    found = sniff_kind(head)
    container = "zip" if expected in ("docx", "xlsx") else expected
    if found != container:
        raise EvidenceRejected(not_valid(name, extension))
    return expected


# The part a Word document or an Excel workbook cannot be without.
OFFICE_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def check_office_container(data: bytes, kind: str, name: str) -> None:
    """A .docx must be a Word document and a .xlsx an Excel workbook, not any zip renamed."""
    marker = OFFICE_MARKERS.get(kind)
    if marker is None:
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if marker in archive.namelist():
                return
    except zipfile.BadZipFile:
        pass
    raise EvidenceRejected(not_valid(name, kind))


def not_valid(name: str, kind: str) -> str:
    """The refusal of a file whose content is not what its name says, in the current language."""
    return _("{name}: isi berkas bukan {kind} yang sah (berkas rusak atau diganti namanya).").format(
        name=name, kind=kind.upper()
    )


@dataclasses.dataclass
class ReceivedFile:
    """A file fully received into the temporary area."""

    file_id: str
    name: str
    kind: str
    size: int
    sha256: str
    temp_path: Path
    # What the content check removed ("lokasi GPS", ...) and a warning for what it could not clean.
    removed: list[str] = dataclasses.field(default_factory=list)
    warning: str = ""


DRAFT_KEY_NAME = "draft-files"


def draft_file_key(drafts_key: bytes, file_id: str) -> bytes:
    """The key of one draft file: derived from the draft area's system key and the file's random id."""
    return hmac.new(drafts_key, f"draft file {file_id}".encode(), hashlib.sha256).digest()


def read_draft_file(path: Path, *, drafts_key: bytes) -> bytes:
    """A draft file's content (up to WBS_MAX_FILE_MB), decrypted and checked."""
    return filecrypt.read_file(path, key=draft_file_key(drafts_key, Path(path).name), file_id=Path(path).name)


def write_draft_file(path: Path, data: bytes, *, drafts_key: bytes) -> None:
    filecrypt.write_file(path, data, key=draft_file_key(drafts_key, Path(path).name), file_id=Path(path).name)


class IncomingFile:
    """Writes one upload, encrypted, to the temporary area while counting bytes; refuses as soon as a limit is
    passed."""

    def __init__(self, *, folder: Path, filename: str, max_bytes: int, drafts_key: bytes):
        self.name = display_name(filename)
        self.file_id = secrets.token_hex(16)
        self.max_bytes = max_bytes
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / self.file_id
        self._drafts_key = drafts_key
        self._writer = filecrypt.SealedWriter(
            self.path, key=draft_file_key(drafts_key, self.file_id), file_id=self.file_id
        )
        self._head = b""
        self._kind: str | None = None
        self._size = 0
        self._digest = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self.max_bytes:
            self.discard()
            raise EvidenceRejected(
                _("{name}: berkas terlalu besar (maksimal {max} MB).").format(name=self.name, max=self.max_bytes // MB)
            )
        if self._kind is None and len(self._head) < HEAD_BYTES:
            self._head += data[: HEAD_BYTES - len(self._head)]
            if len(self._head) >= HEAD_BYTES:
                self._check_head()
        self._writer.write(data)
        self._digest.update(data)

    def _check_head(self) -> None:
        try:
            self._kind = check_head(self.name, self._head)
        except EvidenceRejected:
            self.discard()
            raise

    def finish(self) -> ReceivedFile:
        if self._kind is None:
            if self._size == 0:
                self.discard()
                raise EvidenceRejected(_("{name}: berkas kosong.").format(name=self.name))
            self._check_head()
        self._writer.close()
        if self._kind in OFFICE_MARKERS:
            try:
                check_office_container(read_draft_file(self.path, drafts_key=self._drafts_key), self._kind, self.name)
            except EvidenceRejected:
                self.discard()
                raise
        return ReceivedFile(
            file_id=self.file_id,
            name=self.name,
            kind=self._kind,
            size=self._size,
            sha256=self._digest.hexdigest(),
            temp_path=self.path,
        )

    def discard(self) -> None:
        self._writer.abort()


def new_draft_folder() -> Path:
    return get_settings().upload_temp_dir / secrets.token_hex(16)


def draft_area_full(incoming_bytes: int = 0) -> bool:
    """Whether files of unsent drafts already fill the space set aside for them (WBS_MAX_DRAFT_AREA_MB).

    A disk-safety net, far above what one client may hold (ClientDraftSpace): only many clients together
    can reach it.
    """
    settings = get_settings()
    used = 0
    for folder, _dirs, names in os.walk(settings.upload_temp_dir):
        for name in names:
            try:
                used += os.stat(os.path.join(folder, name)).st_size
            except FileNotFoundError:  # removed meanwhile (sent, deleted or swept)
                continue
    return used + incoming_bytes > settings.max_draft_area_mb * MB


# The draft folders each client (services.ratelimit.client_key) uploaded into. Without Redis (one app worker) in
# memory only, so a visitor's address is never written to disk. With REDIS_URL (several workers) in Redis, one set
# per client under a key made with the server key (no address in clear), expiring with the drafts: a client's tabs
# on different workers share one quota. What a folder holds is always read from the disk (which every worker
# shares), so files removed, sent or swept stop counting at once.
_client_folders: dict[str, set[str]] = {}
_client_folders_lock = threading.Lock()


def _remember_draft_folder(client: str, folder: Path) -> None:
    if (redis_client := shared_store.client()) is not None:
        key = shared_store.name("draft-folders", client)
        redis_client.pipeline().sadd(key, str(folder)).expire(key, get_settings().draft_hours * 3600).execute()
        return
    with _client_folders_lock:
        _client_folders.setdefault(client, set()).add(str(folder))


def _draft_folders(client: str) -> list[str]:
    if (redis_client := shared_store.client()) is not None:
        key = shared_store.name("draft-folders", client)
        folders = [member.decode() for member in redis_client.smembers(key)]
        gone = [folder for folder in folders if not os.path.isdir(folder)]  # sent, discarded or swept
        if gone:
            redis_client.srem(key, *gone)
        return [folder for folder in folders if folder not in gone]
    with _client_folders_lock:
        return list(_client_folders.get(client, ()))


def draft_folder_bytes(folder: Path) -> int:
    """What one draft folder holds on disk now (0 once it was sent, discarded or swept)."""
    used = 0
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return 0
    for entry in entries:
        try:
            used += entry.stat().st_size
        except FileNotFoundError:  # removed meanwhile
            continue
    return used


def client_draft_bytes(client: str) -> int:
    """What the unsent drafts of one client hold on disk now."""
    return sum(draft_folder_bytes(Path(folder)) for folder in _draft_folders(client))


def _forget_missing_draft_folders() -> None:
    """After a sweep: folders sent, discarded or swept hold nothing; their clients need not be kept."""
    with _client_folders_lock:
        for client, folders in list(_client_folders.items()):
            remaining = {folder for folder in folders if os.path.isdir(folder)}
            if remaining:
                _client_folders[client] = remaining
            else:
                del _client_folders[client]


class ClientDraftSpace:
    """The draft space one client may still fill during an upload batch (WBS_MAX_DRAFT_MB_PER_CLIENT).

    The batch's bytes are counted as they arrive, and the client's folders are read again from the disk
    every RECHECK_BYTES (and before any refusal): uploads from the client's other tabs at the same time
    count too, and files removed meanwhile free their space. Reads the disk: call it off the event loop.
    """

    RECHECK_BYTES = MB

    def __init__(self, client: str, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        _remember_draft_folder(client, folder)
        self.client = client
        self.limit_mb = get_settings().max_draft_mb_per_client
        self._used = client_draft_bytes(client)
        self._unchecked = 0

    @property
    def full(self) -> bool:
        return self._used >= self.limit_mb * MB

    def take(self, size: int) -> bool:
        """Count `size` more bytes of the batch; False, counting nothing, when they do not fit."""
        limit = self.limit_mb * MB
        if self._unchecked + size >= self.RECHECK_BYTES or self._used + size > limit:
            self._used = client_draft_bytes(self.client)
            self._unchecked = 0
        if self._used + size > limit:
            return False
        self._used += size
        self._unchecked += size
        return True


def discard_draft_folder(folder: Path | None) -> None:
    root = get_settings().upload_temp_dir.resolve()
    if folder is not None and folder.resolve().parent == root:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_abandoned_drafts(max_age_hours: float | None = None) -> int:
    """Remove temporary folders of drafts nobody submitted (idle longer than a draft is kept)."""
    settings = get_settings()
    root = settings.upload_temp_dir
    if not root.exists():
        return 0
    cutoff = time.time() - (max_age_hours or settings.draft_hours) * 3600
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    _forget_missing_draft_folders()
    return removed


def stored_path(stored_name: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}", stored_name):
        raise ValueError("not a stored evidence name")
    return get_settings().evidence_dir / stored_name


def stored_size_and_sha256(path: Path, *, key: bytes, file_id: str) -> tuple[int, str]:
    """The size and SHA-256 of a stored file's plaintext, decrypted chunk by chunk (files are up to tens of MB).
    Raises keys.IntegrityError when the ciphertext was altered."""
    digest = hashlib.sha256()
    size = 0
    for block in filecrypt.read_chunks(path, key=key, file_id=file_id):
        size += len(block)
        digest.update(block)
    return size, digest.hexdigest()


def format_size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f} MB"
    return f"{max(1, size // 1024)} KB"
