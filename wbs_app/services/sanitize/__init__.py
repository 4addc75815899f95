"""Evidence content checks and metadata removal, run on every upload before anything is kept.

Each format is parsed in full by its own module (images, PDF, Office, audio/video, archives): a file that
does not parse, or that carries active content (scripts, macros, executables), is refused with a message
naming it. What parses is rewritten without the metadata that could identify the reporter (GPS position,
device model, author names), and the reporter is told, per file, what was removed. Archives cannot be
cleaned: their listing is checked and the reporter is warned instead.

Everything works on the file's bytes in memory and returns the cleaned bytes: no cleaner reads or writes a
file, so a plaintext copy of the evidence never reaches the disk, not even a temporary one.

This is CPU work (re-encoding, PDF rewriting): callers run it off the event loop (asyncio.to_thread).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging

from wbs_app.i18n import _
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


def inspect_and_clean(data: bytes, kind: str, name: str) -> tuple[bytes, CleanReport]:
    """The file's bytes parsed as `kind`, and the same content without metadata, with what was removed.

    Archives are only checked: their bytes come back unchanged (the same object). Raises
    evidence.EvidenceRejected (message starting with `name`) for a malformed or hostile file, and for one
    whose check failed unexpectedly: a parser bug must not let an unchecked file through.
    """
    cleaner = _CLEANERS.get(kind)
    if cleaner is None:
        raise evidence.EvidenceRejected(_("{name}: jenis berkas tidak diizinkan.").format(name=name))
    try:
        return cleaner(data, kind, name)
    except evidence.EvidenceRejected:
        raise
    except Exception as failure:
        logger.warning("content check of a %s upload failed unexpectedly", kind, exc_info=True)
        raise evidence.EvidenceRejected(
            _("{name}: isi berkas tidak dapat diperiksa (berkas rusak atau tidak didukung).").format(name=name)
        ) from failure


def removed_label(removed: list[str]) -> str:
    """The line the reporter sees under a file: "lokasi GPS, model perangkat dihapus" (or nothing), in the
    current language (`removed`: common's phrases, catalogue ids)."""
    return _("{items} dihapus").format(items=", ".join(_(phrase) for phrase in removed)) if removed else ""


def archive_warning(warning: str) -> str:
    """A CleanReport's warning (common.ARCHIVE_WARNING, a catalogue id) in the current language."""
    return _(warning) if warning else ""


def clean_received(received: evidence.ReceivedFile, *, drafts_key: bytes) -> evidence.ReceivedFile:
    """The received file after its content check and cleaning, with the size and SHA-256 of what is kept.

    The draft file is decrypted into memory, checked and cleaned there, and written back encrypted (never in
    clear). A refused file is deleted before EvidenceRejected propagates: nothing uncleaned stays in the draft area.
    """
    path = received.temp_path
    try:
        data = evidence.read_draft_file(path, drafts_key=drafts_key)
        cleaned, report = inspect_and_clean(data, received.kind, received.name)
        if cleaned is not data:  # replaced whole: never a half-written evidence file
            evidence.write_draft_file(path, cleaned, drafts_key=drafts_key)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    digest = hashlib.sha256(cleaned).hexdigest()
    return dataclasses.replace(
        received, size=len(cleaned), sha256=digest, removed=report.removed, warning=report.warning
    )
