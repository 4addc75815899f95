"""Test helper: a file received into a draft's temporary folder, encrypted as an upload leaves it."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from wbs_app.services import evidence, vault
from wbs_app.services.evidence_store import EvidenceInput
from wbs_app.settings import get_settings


def drafts_key(db) -> bytes:
    return vault.system_key(session=db, name=evidence.DRAFT_KEY_NAME)


def draft_file(db, data: bytes, *, name: str = "foto.png", kind: str = "png", folder: Path | None = None) -> EvidenceInput:
    folder = folder or get_settings().upload_temp_dir / secrets.token_hex(16)
    folder.mkdir(parents=True, exist_ok=True)
    file_id = secrets.token_hex(16)
    evidence.write_draft_file(folder / file_id, data, drafts_key=drafts_key(db))
    return EvidenceInput(
        file_id=file_id,
        name=name,
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        temp_path=str(folder / file_id),
    )


def read_draft(db, item: EvidenceInput) -> bytes:
    return evidence.read_draft_file(Path(item.temp_path), drafts_key=drafts_key(db))
