"""Evidence content checks and metadata removal, run on every upload before anything is kept.

Each format is parsed in full by its own module (images, PDF, Office, audio/video, archives): a file that
does not parse, or that carries active content (scripts, macros, executables), is refused with a message
naming it. What parses is rewritten without the metadata that could identify the reporter (GPS position,
device model, author names), and the reporter is told, per file, what was removed. Archives cannot be
cleaned: their listing is checked and the reporter is warned instead.

This is CPU work (re-encoding, PDF rewriting): callers run it off the event loop (asyncio.to_thread).
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from wbs_app.services import evidence
from wbs_app.services.sanitize import archives, images, media, office, pdf
from wbs_app.services.sanitize.common import CleanReport

__all__ = ["CleanReport", "clean_received", "inspect_and_clean", "removed_label"]

logger = logging.getLogger("wbs.evidence")

_CLEANERS = {
    "jpeg": images.clean_image,
    "png": images.clean_image,
    "pdf": pdf.clean_pdf,
    "docx": office.clean_office,
    "xlsx": office.clean_office,
    "mp3": media.clean_mp3,
    "mp4": media.clean_mp4,
    "zip": archives.check_zip,
    "rar": archives.check_rar,
}


def inspect_and_clean(path: Path, kind: str, name: str) -> CleanReport:
    """Parse the file at `path` as `kind` and rewrite it in place without metadata.

    Raises evidence.EvidenceRejected (message starting with `name`) for a malformed or hostile file.
    """
    cleaner = _CLEANERS.get(kind)
    if cleaner is None:
        raise evidence.EvidenceRejected(f"{name}: jenis berkas tidak diizinkan.")
    return cleaner(Path(path), kind, name)


def removed_label(removed: list[str]) -> str:
    """The line the reporter sees under a file: "lokasi GPS, model perangkat dihapus" (or nothing)."""
    return f"{', '.join(removed)} dihapus" if removed else ""


def clean_received(received: evidence.ReceivedFile) -> evidence.ReceivedFile:
    """The received file after its content check and cleaning, with the size and SHA-256 of what is kept.

    A refused file is deleted before EvidenceRejected propagates: nothing uncleaned stays in the draft area.
    """
    try:
        report = inspect_and_clean(received.temp_path, received.kind, received.name)
        size, digest = evidence.size_and_sha256(received.temp_path)
    except evidence.EvidenceRejected:
        received.temp_path.unlink(missing_ok=True)
        raise
    except Exception as failure:  # a parser bug must not keep an unchecked file
        logger.warning("content check of a %s upload failed unexpectedly", received.kind, exc_info=True)
        received.temp_path.unlink(missing_ok=True)
        raise evidence.EvidenceRejected(
            f"{received.name}: isi berkas tidak dapat diperiksa (berkas rusak atau tidak didukung)."
        ) from failure
    return dataclasses.replace(received, size=size, sha256=digest, removed=report.removed, warning=report.warning)
