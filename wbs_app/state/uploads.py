"""Receiving evidence from Reflex's streaming upload into a draft's temporary folder."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

import reflex as rx

from wbs_app import language, messages
from wbs_app.db import open_session
from wbs_app.services import downloads, evidence, sanitize, submission, vault
from wbs_app.services.ratelimit import client_of, upload_limiter
from wbs_app.settings import get_settings
from wbs_app.state.off_loop import in_thread

MAX_FILES = 20


async def receive_files(
    chunks: rx.UploadChunkIterator,
    *,
    folder: Path,
    already_bytes: int,
    already_files: int,
    space: evidence.ClientDraftSpace,
    drafts_key: bytes,
) -> tuple[list[evidence.ReceivedFile], list[str]]:
    """Write every uploaded file to `folder`, encrypted as the bytes arrive, checking type, size and the client's
    draft space (`space`), then check its whole content and remove its metadata (sanitize, in memory) before the
    next file starts.

    Returns the accepted (cleaned) files and one message per refused file. A refused file leaves nothing
    on disk, and no file is left uncleaned.
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

    async def close_current() -> None:
        nonlocal current, total
        if current is None:
            return
        incoming = current
        try:
            # Parsing and re-encoding is CPU work: off the event loop, which serves every other user.
            received = await asyncio.to_thread(_finish_and_clean, incoming, drafts_key)
        except evidence.EvidenceRejected as rejected:
            refused.append(str(rejected))
        else:
            if total + received.size > per_report:
                incoming.discard()
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
                await close_current()
                skipping = None
                if already_files + len(accepted) + 1 > MAX_FILES:
                    refused.append(
                        f"{evidence.display_name(chunk.filename)}: " + messages.EVIDENCE_TOO_MANY.format(max=MAX_FILES)
                    )
                    skipping = chunk.filename
                    continue
                current = evidence.IncomingFile(
                    folder=folder, filename=chunk.filename, max_bytes=per_file, drafts_key=drafts_key
                )
                current_key = (chunk.filename, chunk.offset)
            if skipping is not None:
                continue
            try:
                await asyncio.to_thread(_write_within_space, current, space, chunk.data)
            except evidence.EvidenceRejected as rejected:
                refused.append(str(rejected))
                skipping = chunk.filename
                current = None
        await close_current()
    except BaseException:
        # The browser went away (or the upload guard cut the request) mid-way: keep nothing of this upload.
        if current is not None:
            current.discard()
        for item in accepted:
            item.temp_path.unlink(missing_ok=True)
        raise
    return accepted, refused


def _write_within_space(incoming: evidence.IncomingFile, space: evidence.ClientDraftSpace, data: bytes) -> None:
    if not space.take(len(data)):
        incoming.discard()
        raise evidence.EvidenceRejected(f"{incoming.name}: " + messages.DRAFT_QUOTA_FULL.format(max=space.limit_mb))
    incoming.write(data)


def _finish_and_clean(incoming: evidence.IncomingFile, drafts_key: bytes) -> evidence.ReceivedFile:
    return sanitize.clean_received(incoming.finish(), drafts_key=drafts_key)


def drafts_key() -> bytes:
    """The draft area's key (blocking: a database read)."""
    with open_session() as db:
        return vault.system_key(session=db, name=evidence.DRAFT_KEY_NAME)


class DraftUploads(rx.State, mixin=True):
    """Files a page collects before it stores them (a report's evidence, a message's attachments).

    A page state mixes this in, sets UPLOAD_ID, and overrides `_may_upload` with its own access check,
    which every handler below calls first.
    """

    UPLOAD_ID: ClassVar[str] = ""

    uploaded: list[dict[str, str]] = []
    uploading: bool = False
    upload_progress: int = 0
    upload_refused: list[str] = []
    # Server-only: the draft's private folder and what the server knows about each received file.
    _draft_folder: str = ""
    _received: dict[str, dict] = {}

    def _may_upload(self, handler: str) -> bool:
        raise NotImplementedError

    @rx.var
    def upload_room_bytes(self) -> int:
        """What this draft may still receive, for the browser's check before it sends anything.
        It follows `uploaded`, which changes with every change to `_received`."""
        used = 0
        for item in self.uploaded:
            meta = self._received.get(item["file_id"])
            if meta is not None:
                used += int(meta["size"])
        return max(get_settings().max_report_mb * evidence.MB - used, 0)

    @rx.event
    @in_thread
    def upload_progress_changed(self, progress: dict):
        if not self._may_upload("upload_progress_changed"):
            return
        self.upload_progress = int(float(progress.get("progress", 0) or 0) * 100)

    @rx.event(background=True)
    async def receive_uploads(self, chunks: rx.UploadChunkIterator):
        # An upload arrives over HTTP, not the websocket: its refusals are in the language of the tab's socket.
        async with self:
            lang = language.from_cookies(self.router.headers.cookie)
        with language.use(lang):
            async with self:
                if self.uploading or not await asyncio.to_thread(self._may_upload, "receive_uploads"):
                    return
                client = client_of(self.router)
                verdict = upload_limiter.check(client)
                if not verdict.allowed:
                    self.upload_refused = [messages.UPLOADS_TOO_FREQUENT]
                    return
                if not self._draft_folder:
                    self._draft_folder = str(evidence.new_draft_folder())
                folder = Path(self._draft_folder)
                already_bytes = sum(int(meta["size"]) for meta in self._received.values())
                already_files = len(self._received)
                self.uploading = True
                self.upload_progress = 0
                self.upload_refused = []
            try:
                # Outside the state lock: both read folders on disk.
                space = await asyncio.to_thread(evidence.ClientDraftSpace, client, folder)
                if space.full:
                    accepted, refused = [], [messages.DRAFT_QUOTA_FULL.format(max=space.limit_mb)]
                elif await asyncio.to_thread(evidence.draft_area_full):
                    accepted, refused = [], [messages.DRAFT_AREA_FULL]
                else:
                    await asyncio.sleep(verdict.delay)  # many uploads from everybody together: slower, not refused
                    accepted, refused = await receive_files(
                        chunks,
                        folder=folder,
                        already_bytes=already_bytes,
                        already_files=already_files,
                        space=space,
                        drafts_key=await asyncio.to_thread(drafts_key),
                    )
            except asyncio.CancelledError:
                # Reflex cancels this handler when the request stops mid-way (upload_guard cuts one over the limit).
                async with self:
                    self.upload_refused = [messages.UPLOAD_CUT_OFF.format(max=get_settings().max_report_mb)]
                raise
            finally:
                async with self:
                    self.uploading = False
            async with self:
                for item in accepted:
                    self._received[item.file_id] = {
                        "name": item.name,
                        "kind": item.kind,
                        "size": item.size,
                        "sha256": item.sha256,
                        "temp_path": str(item.temp_path),
                    }
                    entry = {"file_id": item.file_id, "name": item.name, "size": evidence.format_size(item.size)}
                    # "removed": what metadata was taken out, for the reporter; "warning": for archives.
                    cleaning = {
                        "removed": sanitize.removed_label(item.removed),
                        "warning": sanitize.archive_warning(item.warning),
                    }
                    self.uploaded = [
                        *self.uploaded,
                        {**entry, "kind": item.kind, "description": "", "view": "", **cleaning},
                    ]
                self._refresh_preview_links()
                self.upload_refused = refused
            # No rx.clear_selected_files: it reaches the browser as a script string to eval(), which the CSP
            # forbids. Nothing needs it: each drop replaces the upload's selected files.

    @rx.event
    @in_thread
    def set_upload_description(self, file_id: str, value: str):
        if not self._may_upload("set_upload_description"):
            return
        self.uploaded = [
            {**item, "description": str(value)[:300]} if item["file_id"] == file_id else item for item in self.uploaded
        ]

    @rx.event
    @in_thread
    def remove_upload(self, file_id: str):
        if not self._may_upload("remove_upload"):
            return
        meta = self._received.pop(file_id, None)
        if meta is not None:
            Path(meta["temp_path"]).unlink(missing_ok=True)
        self.uploaded = [item for item in self.uploaded if item["file_id"] != file_id]

    def _refresh_preview_links(self) -> None:
        """Fresh "lihat bukti" links (they expire) for the files received so far."""
        self.uploaded = [
            {**item, "view": downloads.DRAFT_FILE + downloads.make_draft_token(meta["temp_path"], meta["kind"])}
            if (meta := self._received.get(item["file_id"]))
            else item
            for item in self.uploaded
        ]

    def _pending_uploads(self) -> list[submission.EvidenceInput]:
        return [
            submission.EvidenceInput(
                file_id=item["file_id"],
                description=item["description"],
                **{
                    key: self._received[item["file_id"]][key] for key in ("name", "kind", "size", "sha256", "temp_path")
                },
            )
            for item in self.uploaded
            if item["file_id"] in self._received
        ]

    def _forget_uploads(self) -> None:
        """After the files were stored (or the draft was abandoned): drop the temporary folder."""
        evidence.discard_draft_folder(Path(self._draft_folder) if self._draft_folder else None)
        self._draft_folder = ""
        self._received = {}
        self.uploaded = []
