"""The backup file format: named files in one stream, encrypted with a key derived from a passphrase.

On disk: a header, then AES-256-GCM chunks.

    header  = MAGIC | log2(n) r p (scrypt) | chunk size (u32) | salt (16 bytes) | check (32 bytes)
    chunk i = AES-256-GCM(key, nonce = i as 12 bytes, plaintext <= chunk size,
                          associated data = header | i (u64) | 1 if it is the last chunk else 0)

scrypt(passphrase, salt) gives 64 bytes: the key, and `check`, which tells a wrong passphrase from a damaged
file before anything is decrypted. The salt is random for every backup, so a key (and each nonce with it) is
used for one file only. Every chunk but the last holds exactly `chunk size` bytes and the last is marked as
such, so a chunk altered, dropped, moved or added, and a file cut short at any byte, fails to open.

Inside (the plaintext stream), each file is a record, written as it is read (its size need not be known first):

    "F" | name length (u16) | name (UTF-8) | segments: length (u32) | bytes ... | a segment of length 0
    "M" | length (u32) | manifest (JSON): the last record

Memory stays bounded by one chunk and one segment, whatever the files weigh.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"WBS-BACKUP-1\n"
PARAMS = struct.Struct(">BBBI")  # log2(n), r, p, chunk size
SALT_BYTES = 16
CHECK_BYTES = 32
HEADER_BYTES = len(MAGIC) + PARAMS.size + SALT_BYTES + CHECK_BYTES
TAG_BYTES = 16
CHUNK_BYTES = 1 << 20
SEGMENT_BYTES = 1 << 20
# scrypt at 2^17 x 8 needs 128 MB and about half a second: slow for a guesser, fine once a day.
SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P = 17, 8, 1
# What a header may ask for when read back: a crafted file must not make the restore take all memory.
MAX_LOG_N, MAX_R, MAX_P, MAX_CHUNK = 20, 16, 4, 16 << 20
FILE_RECORD, MANIFEST_RECORD = b"F", b"M"
U16, U32 = struct.Struct(">H"), struct.Struct(">I")


class ArchiveError(Exception):
    """A backup that cannot be read; the message says why, in Indonesian."""


class NotABackup(ArchiveError):
    pass


class WrongPassphrase(ArchiveError):
    pass


class ArchiveDamaged(ArchiveError):
    pass


def _derive(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    derived = Scrypt(salt=salt, length=32 + CHECK_BYTES, n=1 << log_n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return derived[:32], derived[32:]


def _associated(header: bytes, index: int, final: bool) -> bytes:
    return header + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")


class EncryptedWriter:
    """A write-only stream: what is written goes out encrypted, one chunk at a time; close() seals the end."""

    def __init__(self, raw: BinaryIO, passphrase: str, *, log_n: int = SCRYPT_LOG_N, chunk_bytes: int = CHUNK_BYTES):
        salt = secrets.token_bytes(SALT_BYTES)
        key, check = _derive(passphrase, salt, log_n, SCRYPT_R, SCRYPT_P)
        self._header = MAGIC + PARAMS.pack(log_n, SCRYPT_R, SCRYPT_P, chunk_bytes) + salt + check
        self._aead = AESGCM(key)
        self._raw = raw
        self._chunk_bytes = chunk_bytes
        self._buffer = bytearray()
        self._index = 0
        raw.write(self._header)

    def write(self, data: bytes) -> None:
        self._buffer += data
        # Strictly more than one chunk: the last chunk always has data after it or is the final one.
        while len(self._buffer) > self._chunk_bytes:
            self._emit(bytes(self._buffer[: self._chunk_bytes]), final=False)
            del self._buffer[: self._chunk_bytes]

    def close(self) -> None:
        self._emit(bytes(self._buffer), final=True)
        self._buffer.clear()

    def _emit(self, plain: bytes, *, final: bool) -> None:
        nonce = self._index.to_bytes(12, "big")
        self._raw.write(self._aead.encrypt(nonce, plain, _associated(self._header, self._index, final)))
        self._index += 1


class DecryptedReader:
    """Reads what an EncryptedWriter wrote; raises ArchiveError on a wrong passphrase or any altered byte."""

    def __init__(self, raw: BinaryIO, passphrase: str):
        header = raw.read(HEADER_BYTES)
        if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
            raise NotABackup("Berkas ini bukan berkas cadangan WBS.")
        log_n, r, p, chunk_bytes = PARAMS.unpack_from(header, len(MAGIC))
        if not (10 <= log_n <= MAX_LOG_N and 1 <= r <= MAX_R and 1 <= p <= MAX_P and 1 <= chunk_bytes <= MAX_CHUNK):
            raise ArchiveDamaged("Kepala berkas cadangan rusak (parameter tidak wajar).")
        salt_at = len(MAGIC) + PARAMS.size
        salt, check = header[salt_at : salt_at + SALT_BYTES], header[salt_at + SALT_BYTES :]
        key, expected = _derive(passphrase, salt, log_n, r, p)
        if not hmac.compare_digest(check, expected):
            raise WrongPassphrase("Passphrase salah (atau kepala berkas cadangan rusak).")
        self._header = header
        self._aead = AESGCM(key)
        self._raw = raw
        self._sealed_bytes = chunk_bytes + TAG_BYTES
        self._pending = raw.read(self._sealed_bytes)
        self._plain = bytearray()
        self._index = 0
        self._finished = False

    def _next_chunk(self) -> None:
        sealed = self._pending
        if len(sealed) < TAG_BYTES:
            raise ArchiveDamaged("Berkas cadangan terpotong.")
        following = self._raw.read(self._sealed_bytes) if len(sealed) == self._sealed_bytes else b""
        final = following == b""
        try:
            plain = self._aead.decrypt(
                self._index.to_bytes(12, "big"), sealed, _associated(self._header, self._index, final)
            )
        except InvalidTag as failure:
            raise ArchiveDamaged(
                f"Berkas cadangan rusak, terpotong atau diubah (bagian ke-{self._index + 1})."
            ) from failure
        self._plain += plain
        self._pending = following
        self._index += 1
        self._finished = final

    def read_exact(self, size: int) -> bytes:
        while len(self._plain) < size:
            if self._finished:
                raise ArchiveDamaged("Isi berkas cadangan berakhir sebelum waktunya.")
            self._next_chunk()
        data = bytes(self._plain[:size])
        del self._plain[:size]
        return data

    def finish(self) -> None:
        """After the last record: the stream must end here, with the chunk marked as the last one."""
        if self._plain or not self._finished or self._pending:
            raise ArchiveDamaged("Ada data tak dikenal sesudah akhir isi berkas cadangan.")


class ArchiveWriter:
    """Files into an EncryptedWriter as records; each file's size and SHA-256 go into the closing manifest."""

    def __init__(self, stream: EncryptedWriter):
        self._stream = stream
        self.files: dict[str, dict] = {}

    def add(self, name: str, source: BinaryIO) -> None:
        encoded = name.encode("utf-8")
        self._stream.write(FILE_RECORD + U16.pack(len(encoded)) + encoded)
        digest, size = hashlib.sha256(), 0
        while data := source.read(SEGMENT_BYTES):
            self._stream.write(U32.pack(len(data)) + data)
            digest.update(data)
            size += len(data)
        self._stream.write(U32.pack(0))
        self.files[name] = {"size": size, "sha256": digest.hexdigest()}

    def close(self, manifest: dict) -> None:
        body = json.dumps({**manifest, "files": self.files}, sort_keys=True).encode("utf-8")
        self._stream.write(MANIFEST_RECORD + U32.pack(len(body)) + body)
        self._stream.close()


def read_records(reader: DecryptedReader) -> Iterator[tuple[str, Iterator[bytes]] | dict]:
    """Yield (name, its segments) per file, to be consumed in order, then the manifest as the last item."""
    while True:
        kind = reader.read_exact(1)
        if kind == FILE_RECORD:
            (length,) = U16.unpack(reader.read_exact(U16.size))
            try:
                name = reader.read_exact(length).decode("utf-8")
            except UnicodeDecodeError as failure:
                raise ArchiveDamaged("Nama berkas di dalam cadangan tidak sah.") from failure
            yield name, _segments(reader)
        elif kind == MANIFEST_RECORD:
            (length,) = U32.unpack(reader.read_exact(U32.size))
            try:
                manifest = json.loads(reader.read_exact(length))
            except ValueError as failure:
                raise ArchiveDamaged("Daftar isi berkas cadangan tidak terbaca.") from failure
            reader.finish()
            yield manifest
            return
        else:
            raise ArchiveDamaged("Susunan isi berkas cadangan tidak dikenal.")


def _segments(reader: DecryptedReader) -> Iterator[bytes]:
    while True:
        (length,) = U32.unpack(reader.read_exact(U32.size))
        if length == 0:
            return
        if length > SEGMENT_BYTES:
            raise ArchiveDamaged("Susunan isi berkas cadangan tidak dikenal.")
        yield reader.read_exact(length)
