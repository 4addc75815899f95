"""Backup and restore: the database, the evidence, the link-signing key and the master key, in one encrypted file.

`create_backup` takes a consistent snapshot — SQLite through its online backup API into memory, PostgreSQL
through `pg_dump -Fc` in an exported snapshot — and the evidence files that snapshot names, and streams them
through backup_archive (encrypted with a key derived from the passphrase) into a new 0600 file. No plaintext
copy is written anywhere. The master key travels inside: a backup and its passphrase restore everything, so
the two must be kept apart.

`restore_backup` writes only into an empty data folder and an empty database. It decrypts into a staging
folder inside the data folder, checks every file against the manifest, and only then puts the database, the
files and the keys in place; a wrong passphrase or one altered byte leaves the target as empty as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlmodel import Session

from wbs_app.models import utcnow
from wbs_app.services import audit, keys
from wbs_app.services.backup_archive import (
    ArchiveDamaged,
    ArchiveError,
    ArchiveWriter,
    DecryptedReader,
    EncryptedWriter,
    read_records,
)
from wbs_app.settings import get_settings

FORMAT = 1
PASSPHRASE_MIN = 12
SQLITE_NAME = "database.sqlite"
POSTGRES_NAME = "database.pgdump"
LINK_KEY_NAME = "data/secret.key"
MASTER_KEY_NAME = "keys/master.key"
EVIDENCE_PREFIX = "data/evidence/"
_STORED_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")

__all__ = ["ArchiveError", "BackupError", "create_backup", "restore_backup"]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Indonesian."""


@dataclasses.dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    evidence_files: int


@dataclasses.dataclass(frozen=True)
class RestoreResult:
    database: str  # "sqlite" or "postgresql"
    created_at: str
    evidence_files: int
    schema_revision: str


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < PASSPHRASE_MIN:
        raise BackupError(f"Passphrase cadangan minimal {PASSPHRASE_MIN} karakter.")


def _private_file(path: Path):
    """A new file only its owner can read and write."""
    path.unlink(missing_ok=True)
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


# Backup ----------------------------------------------------------------------------------------------


def create_backup(*, session: Session, out: Path, passphrase: str, scrypt_log_n: int | None = None) -> BackupResult:
    """Back up the database behind `session` and the data folder's evidence and keys into `out`; audited.

    Written to `out.part` first and renamed when complete, so `out` is never a half-written backup.
    `scrypt_log_n` lowers the passphrase's work factor (tests only; the default is backup_archive.SCRYPT_LOG_N).
    """
    check_passphrase(passphrase)
    settings = get_settings()
    url = session.get_bind().url
    partial = out.with_name(out.name + ".part")
    kdf = {"log_n": scrypt_log_n} if scrypt_log_n else {}
    try:
        with _private_file(partial) as raw:
            archive = ArchiveWriter(EncryptedWriter(raw, passphrase, **kdf))
            if url.get_backend_name() == "sqlite":
                names, revision = _add_sqlite(archive, Path(url.database))
            elif url.get_backend_name() == "postgresql":
                names, revision = _add_postgres(archive, session.get_bind(), url)
            else:
                raise BackupError(f"Basis data {url.get_backend_name()} tidak didukung untuk pencadangan.")
            for name in names:
                try:
                    source = (settings.evidence_dir / name).open("rb")
                except FileNotFoundError as missing:
                    raise BackupError(f"Berkas bukti {name} hilang dari {settings.evidence_dir}.") from missing
                with source:
                    archive.add(EVIDENCE_PREFIX + name, source)
            for name, path in ((LINK_KEY_NAME, settings.secret_key_file), (MASTER_KEY_NAME, settings.master_key_file)):
                if path.exists():
                    with path.open("rb") as source:
                        archive.add(name, source)
            archive.close(
                {
                    "format": FORMAT,
                    "created_at": utcnow().isoformat(timespec="seconds"),
                    "database": url.get_backend_name(),
                    "schema_revision": revision,
                }
            )
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    size = out.stat().st_size
    audit.record(session=session, action="cadangan", detail=f"{out.name}: {size} byte, {len(names)} berkas bukti")
    session.commit()
    return BackupResult(path=out, size=size, evidence_files=len(names))


def _add_sqlite(archive: ArchiveWriter, path: Path) -> tuple[list[str], str]:
    """The online backup API copies a consistent snapshot into memory; the evidence names come from it."""
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    snapshot = sqlite3.connect(":memory:")
    try:
        source.backup(snapshot)
        names = [row[0] for row in snapshot.execute("SELECT stored_name FROM evidence ORDER BY id")]
        revision = snapshot.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        archive.add(SQLITE_NAME, io.BytesIO(snapshot.serialize()))
    finally:
        snapshot.close()
        source.close()
    return names, revision


def libpq_environment(url: URL) -> tuple[str, dict[str, str]]:
    """pg_dump's --dbname without the password (a command line is visible to every local user), and the
    environment that carries the password."""
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), environment


def _add_postgres(archive: ArchiveWriter, engine: sa.Engine, url: URL) -> tuple[list[str], str]:
    """pg_dump reads the snapshot this transaction exports, so the evidence names read here match the dump."""
    dbname, environment = libpq_environment(url)
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
            names = list(connection.execute(sa.text("SELECT stored_name FROM evidence ORDER BY id")).scalars())
            revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
            command = ["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--dbname", dbname]
            with _process(command, environment) as (process, errors):
                archive.add(POSTGRES_NAME, process.stdout)
                if process.wait() != 0:
                    raise BackupError("pg_dump gagal: " + errors.text())
    return names, revision


class _Collected:
    """The end of a process's stderr, read by a thread of its own so that the process never blocks on it."""

    def __init__(self, stream):
        self._tail = b""
        self._thread = threading.Thread(target=self._drain, args=(stream,), daemon=True)
        self._thread.start()

    def _drain(self, stream) -> None:
        while data := stream.read(4096):
            self._tail = (self._tail + data)[-4000:]

    def text(self) -> str:
        self._thread.join(timeout=10)
        return self._tail.decode("utf-8", "replace").strip()


@contextlib.contextmanager
def _process(command: list[str], environment: dict[str, str]):
    process = subprocess.Popen(  # noqa: S603 - pg_dump or pg_restore, never a shell
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment
    )
    errors = _Collected(process.stderr)
    try:
        yield process, errors
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()


# Restore ---------------------------------------------------------------------------------------------


def _target_problems(database_url: str) -> list[str]:
    """Why this data folder and database may not receive a restore; [] when both are empty."""
    settings = get_settings()
    problems = []
    if settings.data_dir.exists() and any(settings.data_dir.iterdir()):
        problems.append(f"Folder data {settings.data_dir} tidak kosong.")
    if settings.master_key_file.exists():
        problems.append(f"Berkas kunci utama {settings.master_key_file} sudah ada.")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or ":memory:")
        if url.database in (None, "", ":memory:"):
            problems.append("WBS_DATABASE_URL tidak menunjuk ke berkas SQLite.")
        elif path.exists() or path.with_name(path.name + "-wal").exists():
            problems.append(f"Basis data {path} sudah ada.")
    elif url.get_backend_name() == "postgresql":
        engine = sa.create_engine(database_url)
        try:
            if sa.inspect(engine).get_table_names():
                problems.append(f"Basis data PostgreSQL {url.database} sudah berisi tabel.")
        except sa.exc.OperationalError as failure:
            problems.append(f"Basis data PostgreSQL {url.database} tidak dapat dibuka: {failure.orig}")
        finally:
            engine.dispose()
    else:
        problems.append(f"Basis data {url.get_backend_name()} tidak didukung untuk pemulihan.")
    return problems


def check_restore_target(database_url: str | None = None) -> None:
    """BackupError unless the data folder, the master key file and the database of the settings are empty."""
    problems = _target_problems(database_url or get_settings().database_url)
    if problems:
        raise BackupError(
            " ".join(problems) + " Pemulihan hanya ke folder data dan basis data yang kosong; tidak ada yang diubah."
        )


def restore_backup(*, archive: Path, passphrase: str, database_url: str | None = None) -> RestoreResult:
    """Restore `archive` into the empty data folder and empty database of the settings; audited there."""
    settings = get_settings()
    database_url = database_url or settings.database_url
    check_restore_target(database_url)
    with archive.open("rb") as raw:
        reader = DecryptedReader(raw, passphrase)  # a wrong passphrase stops here, before anything is written
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        staging = settings.data_dir / f".pemulihan-{secrets.token_hex(8)}"
        staging.mkdir(mode=0o700)
        try:
            manifest = _unpack(reader, staging)
            result = _install(staging, manifest, database_url)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    keys.forget_cached_keys()
    engine = sa.create_engine(database_url)
    try:
        with Session(engine) as session:
            audit.record(
                session=session,
                action="pemulihan",
                detail=f"Dari {archive.name} (dibuat {result.created_at}), {result.evidence_files} berkas bukti",
            )
            session.commit()
    finally:
        engine.dispose()
    return result


def _staged_path(staging: Path, name: str) -> Path:
    """Where a file of the archive waits: only the names a backup writes are accepted."""
    if name in (SQLITE_NAME, POSTGRES_NAME, LINK_KEY_NAME, MASTER_KEY_NAME):
        return staging / name
    if name.startswith(EVIDENCE_PREFIX) and _STORED_NAME.fullmatch(name[len(EVIDENCE_PREFIX) :]):
        return staging / name
    raise ArchiveDamaged(f"Berkas cadangan memuat nama yang tidak dikenal: {name[:80]!r}.")


def _unpack(reader: DecryptedReader, staging: Path) -> dict:
    """Every file into the staging folder, then the manifest; each file's size and SHA-256 must match it."""
    written: dict[str, dict] = {}
    for record in read_records(reader):
        if isinstance(record, dict):
            manifest = record
            break
        name, segments = record
        path = _staged_path(staging, name)
        if name in written:
            raise ArchiveDamaged(f"Berkas {name} ada dua kali di dalam cadangan.")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        digest, size = hashlib.sha256(), 0
        with _private_file(path) as target:
            for data in segments:
                target.write(data)
                digest.update(data)
                size += len(data)
            target.flush()
            os.fsync(target.fileno())
        written[name] = {"size": size, "sha256": digest.hexdigest()}
    if manifest.get("format") != FORMAT:
        raise ArchiveDamaged(f"Format cadangan {manifest.get('format')!r} tidak dikenal versi WBS ini.")
    if manifest.get("files") != written:
        raise ArchiveDamaged("Isi berkas cadangan tidak cocok dengan daftar isinya.")
    return manifest


def _install(staging: Path, manifest: dict, database_url: str) -> RestoreResult:
    """Everything verified: the database first (PostgreSQL in one transaction), then files and keys by rename."""
    settings = get_settings()
    url = make_url(database_url)
    kind = manifest.get("database")
    if kind != url.get_backend_name():
        raise BackupError(f"Cadangan ini dari basis data {kind}, tujuan pemulihan {url.get_backend_name()}.")
    if kind == "sqlite":
        target = Path(url.database)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.move(staging / SQLITE_NAME, target)
    else:
        dbname, environment = libpq_environment(url)
        command = [
            "pg_restore",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            "--dbname",
            dbname,
            str(staging / POSTGRES_NAME),
        ]
        with _process(command, environment) as (process, errors):
            process.stdout.read()
            if process.wait() != 0:
                raise BackupError("pg_restore gagal (basis data tujuan tidak diubah): " + errors.text())
    evidence = staging / EVIDENCE_PREFIX
    settings.evidence_dir.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if evidence.exists():
        os.replace(evidence, settings.evidence_dir)
    else:
        settings.evidence_dir.mkdir(mode=0o700)
    if (staging / LINK_KEY_NAME).exists():
        os.replace(staging / LINK_KEY_NAME, settings.secret_key_file)
    if (staging / MASTER_KEY_NAME).exists():
        settings.master_key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.move(staging / MASTER_KEY_NAME, settings.master_key_file)
    return RestoreResult(
        database=kind,
        created_at=str(manifest.get("created_at", "")),
        evidence_files=sum(1 for name in manifest["files"] if name.startswith(EVIDENCE_PREFIX)),
        schema_revision=str(manifest.get("schema_revision", "")),
    )
