"""Files encrypted on disk as they are written: evidence (drafts and the store), exports, the email outbox.

Format: `WBSF1\\n`, the plaintext chunk size (4 bytes), then chunks of `nonce (12) | AES-256-GCM(chunk) | tag (16)`.
Every chunk but the last holds exactly the chunk size; the associated data of each names the file, the
chunk's index and whether it is the last, so a chunk moved, swapped, dropped or cut off is an IntegrityError:
the plaintext is only ever handed out chunk by chunk after its tag checked. No plaintext is written anywhere.
"""

from __future__ import annotations

import os
import secrets
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wbs_app.services.keys import KEY_BYTES, NONCE_BYTES, IntegrityError

MAGIC = b"WBSF1\n"
CHUNK_BYTES = 64 * 1024
TAG_BYTES = 16
HEADER = struct.Struct(">I")


def new_file_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _aad(file_id: str, index: int, last: bool) -> bytes:
    return f"{file_id}:{index}:{int(last)}".encode()


class SealedWriter:
    """Writes a file's plaintext encrypted, a chunk at a time (nothing is held beyond one chunk)."""

    def __init__(self, path: Path, *, key: bytes, file_id: str, exclusive: bool = True):
        self.path = Path(path)
        self._cipher = AESGCM(key)
        self._file_id = file_id
        self._handle = self.path.open("xb" if exclusive else "wb")
        self._handle.write(MAGIC + HEADER.pack(CHUNK_BYTES))
        self._buffer = bytearray()
        self._index = 0
        self.size = 0

    def write(self, data: bytes) -> None:
        self._buffer += data
        self.size += len(data)
        while len(self._buffer) > CHUNK_BYTES:  # keep at least one byte back: the last chunk is written by close()
            self._write_chunk(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]

    def _write_chunk(self, chunk: bytes, *, last: bool) -> None:
        nonce = secrets.token_bytes(NONCE_BYTES)
        self._handle.write(nonce + self._cipher.encrypt(nonce, chunk, _aad(self._file_id, self._index, last)))
        self._index += 1

    def close(self) -> None:
        """Write the last chunk (possibly empty) and make the file durable."""
        if self._handle.closed:
            return
        self._write_chunk(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()

    def abort(self) -> None:
        """Stop and remove the file (a refused or interrupted upload)."""
        if not self._handle.closed:
            self._handle.close()
        self.path.unlink(missing_ok=True)


def write_file(path: Path, data: bytes | Iterable[bytes], *, key: bytes, file_id: str) -> int:
    """Write `data` encrypted to `path` (replacing it atomically); returns the plaintext size."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    writer = SealedWriter(partial, key=key, file_id=file_id, exclusive=False)
    try:
        for block in [data] if isinstance(data, bytes | bytearray) else data:
            writer.write(block)
        writer.close()
        os.replace(partial, path)
    except BaseException:
        writer.abort()
        raise
    return writer.size


def read_chunks(path: Path, *, key: bytes, file_id: str) -> Iterator[bytes]:
    """The plaintext of an encrypted file, chunk by chunk, each checked before it is yielded."""
    cipher = AESGCM(key)
    with Path(path).open("rb") as handle:
        head = handle.read(len(MAGIC) + HEADER.size)
        if not head.startswith(MAGIC) or len(head) != len(MAGIC) + HEADER.size:
            raise IntegrityError("not an encrypted WBS file")
        (chunk_bytes,) = HEADER.unpack(head[len(MAGIC) :])
        record = chunk_bytes + NONCE_BYTES + TAG_BYTES
        block = handle.read(record)
        index = 0
        while True:
            following = handle.read(record) if len(block) == record else b""
            last = not following
            if len(block) < NONCE_BYTES + TAG_BYTES:
                raise IntegrityError("encrypted file cut short")
            try:
                yield cipher.decrypt(block[:NONCE_BYTES], block[NONCE_BYTES:], _aad(file_id, index, last))
            except InvalidTag as failure:
                raise IntegrityError("encrypted file altered, reordered or cut short") from failure
            if last:
                return
            block, index = following, index + 1


def read_file(path: Path, *, key: bytes, file_id: str) -> bytes:
    return b"".join(read_chunks(path, key=key, file_id=file_id))


def encrypted_size(size: int) -> int:
    """What a file of `size` plaintext bytes takes on disk."""
    chunks = max(1, -(-size // CHUNK_BYTES))
    return len(MAGIC) + HEADER.size + size + chunks * (NONCE_BYTES + TAG_BYTES)


def is_encrypted(path: Path) -> bool:
    with Path(path).open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC
