"""Backup and restore: a backup restored into a fresh data folder and database gives back every row and every
file byte for byte; a wrong passphrase, an altered or cut file and a non-empty target restore nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from tests.conftest import migrate
from tests.unit.installation import populate
from wbs_app import cli
from wbs_app.models import AuditLog, Report
from wbs_app.services import audit_chain, backup, backup_archive, keys, reference
from wbs_app.settings import get_settings

PASSPHRASE = "kuda-laut-biru-2026"
FAST = 12  # scrypt work factor for the tests that only need some backup: 2^12 instead of 2^17
CLOSED = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
BOOKKEEPING = {"cadangan", "pemulihan"}  # the audit entries the backup and the restore add


@pytest.fixture
def place(tmp_path, monkeypatch):
    """use(name[, database_url]): the settings point at the installation tmp_path/name (data folder, database)."""

    def use(name: str, database_url: str | None = None):
        root = tmp_path / name
        monkeypatch.setenv("WBS_DATA_DIR", str(root / "data"))
        monkeypatch.setenv("WBS_DATABASE_URL", database_url or f"sqlite:///{root / 'wbs.db'}")
        monkeypatch.setenv("WBS_MASTER_KEY_FILE", str(root / "data" / "keys" / "master.key"))  # the default place
        get_settings.cache_clear()
        keys.forget_cached_keys()
        return get_settings()

    yield use
    monkeypatch.undo()
    get_settings.cache_clear()
    keys.forget_cached_keys()


@pytest.fixture
def source(place, migrated_template):
    """A populated installation on SQLite (settings pointing at it), its session open."""
    run_master_key = get_settings().master_key_file  # the key the template's system keys are wrapped with
    settings = place("quelle")
    settings.master_key_file.parent.mkdir(parents=True)
    shutil.copy(run_master_key, settings.master_key_file)
    shutil.copy(migrated_template, settings.data_dir.parent / "wbs.db")
    engine = sa.create_engine(settings.database_url)
    with Session(engine) as db:
        reference.seed_reference_data(session=db)
        populate(db, closed_at=CLOSED, big_file=os.urandom(3 * backup_archive.CHUNK_BYTES // 2))
        yield db
    engine.dispose()


def rows(url: str) -> dict[str, list[dict]]:
    """Every row of every table, in primary-key order; without the backup's and the restore's own audit entries."""
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        found = {
            table.name: [
                dict(row)
                for row in connection.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings()
                if table.name != "audit_log" or row["action"] not in BOOKKEEPING
            ]
            # The chain's head moves with the backup's and the restore's own entries (checked by verify instead).
            for table in metadata.sorted_tables
            if table.name != "audit_head"
        }
    engine.dispose()
    return found


def kept_files(data_dir: Path) -> dict[str, str]:
    """SHA-256 of each file a backup keeps: the evidence, the link-signing key and the master key."""
    return {
        str(path.relative_to(data_dir)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(data_dir.rglob("*"))
        if path.is_file() and path.relative_to(data_dir).parts[0] in ("evidence", "keys", "secret.key")
    }


def audit_actions(url: str) -> list[str]:
    engine = sa.create_engine(url)
    with Session(engine) as db:
        actions = list(db.exec(select(AuditLog.action).order_by(AuditLog.id)))
    engine.dispose()
    return actions


def test_a_backup_restored_by_the_commands_gives_back_every_row_and_every_file(source, place, monkeypatch, capsys):
    before = place("quelle")
    archive = before.data_dir.parent.parent / "cadangan.wbsbak"
    expected_rows, expected_files = rows(before.database_url), kept_files(before.data_dir)
    wrapped = {r.registration_number: r.data_key for r in source.exec(select(Report))}
    assert sum(name.startswith("evidence/") for name in expected_files) == 9 and "keys/master.key" in expected_files
    monkeypatch.setenv("WBS_BACKUP_PASSPHRASE", PASSPHRASE)

    class Borrowed:  # the test's session, handed to the command without closing it
        def __enter__(self):
            return source

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(cli, "_session", lambda: Borrowed())
    assert cli.main(["backup", "--out", str(archive)]) == 0
    assert "9 berkas bukti" in capsys.readouterr().out  # 3 reports x (photo, PDF, message attachment)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    content = archive.read_bytes()
    # Nothing readable leaves the process: no SQLite header, no name, no note, no file.
    for plain in (b"SQLite format 3", b"Robert", b"Pak Budi", b"IHDR", (before.data_dir / "secret.key").read_bytes()):
        assert plain not in content
    assert audit_actions(before.database_url)[-1] == "cadangan"

    after = place("ziel")
    assert cli.main(["restore", str(archive)]) == 0
    printed = capsys.readouterr().out
    assert "9 berkas bukti" in printed and "dipulihkan" in printed
    assert rows(after.database_url) == expected_rows
    assert kept_files(after.data_dir) == expected_files
    assert audit_actions(after.database_url)[-1] == "pemulihan"
    assert [p.name for p in after.data_dir.iterdir() if p.name.startswith(".")] == []  # staging folder gone
    for path in after.data_dir.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    engine = sa.create_engine(after.database_url)
    with Session(engine) as restored:
        assert audit_chain.verify(session=restored).intact  # the chain goes on through the restore's entry
    engine.dispose()
    # The restored master key opens the restored data keys.
    master = keys.read_master_key(after.master_key_file)
    for number, wrapped_key in wrapped.items():
        assert keys.unwrap_key(wrapped_key, master) == keys.unwrap_key(wrapped_key, keys.read_master_key(
            before.master_key_file)), number  # fmt: skip


def test_the_passphrase_is_asked_twice_and_must_be_long(source, place, monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("WBS_BACKUP_PASSPHRASE", raising=False)
    answers = iter(["pendek", "pendek"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: next(answers))
    assert cli.main(["backup", "--out", str(tmp_path / "a.wbsbak")]) == 1
    assert "minimal 12 karakter" in capsys.readouterr().err
    answers = iter([PASSPHRASE, PASSPHRASE + "x"])
    assert cli.main(["backup", "--out", str(tmp_path / "a.wbsbak")]) == 1
    assert "tidak sama" in capsys.readouterr().err
    assert not (tmp_path / "a.wbsbak").exists() and not (tmp_path / "a.wbsbak.part").exists()


@pytest.fixture
def archive(source, tmp_path) -> Path:
    return backup.create_backup(
        session=source, out=tmp_path / "cadangan.wbsbak", passphrase=PASSPHRASE, scrypt_log_n=FAST
    ).path


def restore_refused(archive: Path, passphrase: str, error: type[Exception], match: str) -> None:
    """The restore fails with `match`, and the target data folder and database are still empty."""
    target = get_settings()
    with pytest.raises(error, match=match):
        backup.restore_backup(archive=archive, passphrase=passphrase)
    assert not target.data_dir.exists() or list(target.data_dir.iterdir()) == []
    assert not Path(sa.make_url(target.database_url).database).exists()


def test_a_wrong_passphrase_restores_nothing(archive, place):
    place("ziel")
    restore_refused(archive, "bukan-passphrase-nya", backup_archive.WrongPassphrase, "Passphrase salah")


@pytest.mark.parametrize("where", [0.3, 0.6, 0.999])
def test_one_flipped_byte_anywhere_in_the_content_restores_nothing(archive, place, tmp_path, where):
    data = bytearray(archive.read_bytes())
    position = backup_archive.HEADER_BYTES + int((len(data) - backup_archive.HEADER_BYTES) * where)
    data[position] ^= 0x01
    altered = tmp_path / "diubah.wbsbak"
    altered.write_bytes(bytes(data))
    place("ziel")
    restore_refused(altered, PASSPHRASE, backup_archive.ArchiveDamaged, "rusak, terpotong atau diubah")


def test_a_cut_or_extended_backup_restores_nothing(archive, place, tmp_path):
    data = archive.read_bytes()
    place("ziel")
    chunk = backup_archive.CHUNK_BYTES + backup_archive.TAG_BYTES
    for name, content in {
        "cut-mid-chunk": data[:-100],
        "cut-at-a-chunk-boundary": data[: backup_archive.HEADER_BYTES + chunk],
        "a-chunk-added": data + data[backup_archive.HEADER_BYTES : backup_archive.HEADER_BYTES + chunk],
        "two-chunks-swapped": data[: backup_archive.HEADER_BYTES]
        + data[backup_archive.HEADER_BYTES + chunk : backup_archive.HEADER_BYTES + 2 * chunk]
        + data[backup_archive.HEADER_BYTES : backup_archive.HEADER_BYTES + chunk]
        + data[backup_archive.HEADER_BYTES + 2 * chunk :],
    }.items():
        altered = tmp_path / f"{name}.wbsbak"
        altered.write_bytes(content)
        restore_refused(altered, PASSPHRASE, backup_archive.ArchiveDamaged, "rusak|terpotong|tak dikenal")
    (tmp_path / "bukan.wbsbak").write_bytes(b"PK\x03\x04" + data[4:])
    restore_refused(tmp_path / "bukan.wbsbak", PASSPHRASE, backup_archive.NotABackup, "bukan berkas cadangan WBS")


def test_a_restore_never_writes_over_a_data_folder_or_database_in_use(archive, place, monkeypatch, capsys):
    target = place("ziel")
    target.data_dir.mkdir(parents=True)
    (target.data_dir / "catatan.txt").write_text("milik orang lain")
    with pytest.raises(backup.BackupError, match="Folder data .* tidak kosong"):
        backup.restore_backup(archive=archive, passphrase=PASSPHRASE)
    assert [p.name for p in target.data_dir.iterdir()] == ["catatan.txt"]
    # The command says so before it asks for the passphrase.
    monkeypatch.delenv("WBS_BACKUP_PASSPHRASE", raising=False)
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: pytest.fail("asked for the passphrase"))
    assert cli.main(["restore", str(archive)]) == 1
    assert "tidak kosong" in capsys.readouterr().err

    target = place("ziel2")
    database = Path(sa.make_url(target.database_url).database)
    database.parent.mkdir(parents=True)
    database.write_bytes(b"dipakai")
    with pytest.raises(backup.BackupError, match="Basis data .* sudah ada"):
        backup.restore_backup(archive=archive, passphrase=PASSPHRASE)
    assert database.read_bytes() == b"dipakai" and not target.data_dir.exists()


def test_a_file_gone_from_the_evidence_folder_fails_the_backup_and_leaves_no_file(source, tmp_path):
    victim = next(get_settings().evidence_dir.iterdir())
    victim.unlink()
    out = tmp_path / "cadangan.wbsbak"
    with pytest.raises(backup.BackupError, match=f"Berkas bukti {victim.name} hilang"):
        backup.create_backup(session=source, out=out, passphrase=PASSPHRASE, scrypt_log_n=FAST)
    assert list(tmp_path.glob("cadangan*")) == []


# PostgreSQL -------------------------------------------------------------------------------------------


def test_a_postgresql_backup_restores_every_row_and_file_into_an_empty_database(place, postgres_database, tmp_path):
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        print("pg_dump/pg_restore not installed: PostgreSQL backup not checked")
        pytest.skip("pg_dump/pg_restore not installed")
    before = place("quelle", postgres_database())
    before.data_dir.mkdir(parents=True)
    migrate(before.database_url)
    engine = sa.create_engine(before.database_url)
    with Session(engine) as db:
        reference.seed_reference_data(session=db)
        populate(db, closed_at=CLOSED, channels=("Gratifikasi",))
        expected_rows, expected_files = rows(before.database_url), kept_files(before.data_dir)
        archive = backup.create_backup(
            session=db, out=tmp_path / "pg.wbsbak", passphrase=PASSPHRASE, scrypt_log_n=FAST
        ).path
    engine.dispose()
    assert b"PGDMP" not in archive.read_bytes()

    used = place("ziel", before.database_url)  # the source database is not empty: refused
    with pytest.raises(backup.BackupError, match="sudah berisi tabel"):
        backup.restore_backup(archive=archive, passphrase=PASSPHRASE)
    assert not used.data_dir.exists()

    after = place("ziel2", postgres_database())
    result = backup.restore_backup(archive=archive, passphrase=PASSPHRASE)
    assert (result.database, result.evidence_files) == ("postgresql", 2)
    assert rows(after.database_url) == expected_rows
    assert kept_files(after.data_dir) == expected_files
    assert audit_actions(after.database_url)[-1] == "pemulihan"
