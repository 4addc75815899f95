"""Receiving evidence from Reflex's streaming upload into a draft's temporary folder."""

from __future__ import annotations

import asyncio
from pathlib import Path

import reflex as rx

from wbs_app import messages
from wbs_app.services import evidence
from wbs_app.settings import get_settings

MAX_FILES = 20


async def receive_files(
    chunks: rx.UploadChunkIterator, *, folder: Path, already_bytes: int, already_files: int
) -> tuple[list[evidence.ReceivedFile], list[str]]:
    """Write every uploaded file to `folder`, checking type and size as the bytes arrive.

    Returns the accepted files and one message per refused file. A refused file leaves nothing on disk.
    """
    settings = get_settings()
    per_file = settings.max_file_mb * evidence.MB
    per_report = settings.max_report_mb * evidence.MB
    accepted: list[evidence.ReceivedFile] = []
    refused: list[str] = []
    current: evidence.IncomingFile | None = None
    current_key: tuple[str, int] | None = None
    skipping: str | None = None
    total = already_bytes

    def close_current() -> None:
        nonlocal current, total
        if current is None:
            return
        try:
            received = current.finish()
        except evidence.EvidenceRejected as rejected:
            refused.append(str(rejected))
        else:
            if total + received.size > per_report:
                current.discard()
                refused.append(
                    f"{received.name}: " + messages.EVIDENCE_TOTAL_TOO_LARGE.format(max=settings.max_report_mb)
                )
            else:
                total += received.size
                accepted.append(received)
        current = None

    try:
        async for chunk in chunks:
            starts_new = current is None or chunk.offset == 0 or current_key[0] != chunk.filename
            if starts_new and skipping is not None and chunk.filename == skipping and chunk.offset != 0:
                continue  # the rest of a file already refused
            if starts_new:
                close_current()
                skipping = None
                if already_files + len(accepted) + 1 > MAX_FILES:
                    refused.append(
                        f"{evidence.display_name(chunk.filename)}: " + messages.EVIDENCE_TOO_MANY.format(max=MAX_FILES)
                    )
                    skipping = chunk.filename
                    continue
                current = evidence.IncomingFile(folder=folder, filename=chunk.filename, max_bytes=per_file)
                current_key = (chunk.filename, chunk.offset)
            if skipping is not None:
                continue
            try:
                await asyncio.to_thread(current.write, chunk.data)
            except evidence.EvidenceRejected as rejected:
                refused.append(str(rejected))
                skipping = chunk.filename
                current = None
        close_current()
    except BaseException:
        # The browser went away mid-file: keep nothing half-written.
        if current is not None:
            current.discard()
        raise
    return accepted, refused
