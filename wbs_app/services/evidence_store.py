"""The permanent evidence store: files written encrypted under a key of their own when their report (or
message) is stored, and files no committed row names swept away."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from sqlmodel import Session, col, select

from wbs_app.models import Evidence, Report
from wbs_app.services import evidence, filecrypt, sealed, vault
from wbs_app.settings import get_settings


@dataclasses.dataclass
class EvidenceInput:
    """A file already received (encrypted) into a draft's temporary folder, waiting to be stored."""

    file_id: str
    name: str
    kind: str
    size: int
    sha256: str
    temp_path: str
    description: str = ""


def store_files(
    *,
    session: Session,
    report: Report,
    items: list[EvidenceInput],
    now: dt.datetime,
    written: list[Path],
    message_id: int | None = None,
) -> None:
    """Add an Evidence row per file and write the file into the store under a new key of its own (sealed in the
    row with the report's key), recording each file in `written` so that a failed commit removes it
    (`remove_written`). The draft's file stays until the draft is discarded."""
    store = get_settings().evidence_dir
    store.mkdir(parents=True, exist_ok=True)
    report_key = vault.report_key(session=session, report=report)
    drafts_key = vault.system_key(session=session, name=evidence.DRAFT_KEY_NAME)
    for item in items:
        file_key = filecrypt.new_file_key()
        final = store / item.file_id
        written.append(final)
        source = Path(item.temp_path)
        draft_chunks = filecrypt.read_chunks(
            source, key=evidence.draft_file_key(drafts_key, source.name), file_id=source.name
        )
        filecrypt.write_file(final, draft_chunks, key=file_key, file_id=item.file_id)
        record = Evidence(
            report_id=report.id,
            message_id=message_id,
            stored_name=item.file_id,
            original_name=item.name,
            description=item.description.strip()[:300],
            file_key=sealed.seal_bytes(report_key, file_key, aad="evidence.file_key"),
            kind=item.kind,
            size=item.size,
            sha256=item.sha256,
            created_at=now,
        )
        session.add(record)


def remove_written(written: list[Path]) -> None:
    for path in written:
        path.unlink(missing_ok=True)


def sweep_orphan_evidence(*, session: Session, min_age_hours: float = 1) -> int:
    """Remove evidence files that no committed row names.

    Files move into the store just before the commit; if the process dies in between, the report was never
    stored and its files are orphans. Young files are left alone: their commit may still be running.
    """
    folder = get_settings().evidence_dir
    if not folder.exists():
        return 0
    cutoff = dt.datetime.now().timestamp() - min_age_hours * 3600
    candidates = [path for path in folder.iterdir() if path.is_file() and path.stat().st_mtime < cutoff]
    removed = 0
    for start in range(0, len(candidates), 500):
        batch = candidates[start : start + 500]
        known = set(
            session.exec(select(Evidence.stored_name).where(col(Evidence.stored_name).in_([p.name for p in batch])))
        )
        for path in batch:
            if path.name not in known:
                path.unlink(missing_ok=True)
                removed += 1
    return removed
