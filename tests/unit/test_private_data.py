"""What a reporter sends must not leak through the server's own files and logs (Whistleblower safety, point 4)."""

from __future__ import annotations

import logging
import os
import stat
import uuid

import pytest

from wbs_app import datadir, logs
from wbs_app.services import mailer
from wbs_app.settings import get_settings


@pytest.fixture
def private_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("WBS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("WBS_SMTP_HOST", raising=False)
    get_settings.cache_clear()
    umask = os.umask(0o022)
    os.umask(umask)
    yield tmp_path / "data"
    os.umask(umask)
    get_settings.cache_clear()


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_data_folder_and_everything_written_there_is_private(private_data_dir):
    # A data folder left by an older version, with world-readable files.
    old_folder = private_data_dir / "evidence"
    old_folder.mkdir(parents=True, mode=0o755)
    old_file = old_folder / "0123"
    old_file.write_bytes(b"bukti")
    old_file.chmod(0o644)
    private_data_dir.chmod(0o755)

    datadir.prepare_data_dir()
    assert (mode(private_data_dir), mode(old_folder), mode(old_file)) == (0o700, 0o700, 0o600)

    # What WBS writes from then on: an email in the outbox, a new folder and file, a SQLite database.
    mailer.send_email(to="pelapor@mail.co.id", subject="Pembaruan", text="isi")
    import sqlite3

    database = sqlite3.connect(private_data_dir / "wbs.db")
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("CREATE TABLE t (x)")
    database.commit()
    written = [p for p in private_data_dir.rglob("*")]
    assert any(p.suffix == ".eml" for p in written) and any(p.name == "wbs.db-wal" for p in written)
    assert {str(p): mode(p) for p in written if p.is_file() and mode(p) != 0o600} == {}
    assert {str(p): mode(p) for p in written if p.is_dir() and mode(p) != 0o700} == {}
    database.close()


class Captured(logging.Handler):
    """The lines one logger writes, whatever logging configuration other tests (or Reflex) installed."""

    def __init__(self, logger_name: str, monkeypatch):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        logger = logging.getLogger(logger_name)
        monkeypatch.setattr(logger, "disabled", False)
        monkeypatch.setattr(logger, "level", logging.DEBUG)
        logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def test_no_log_line_carries_a_tab_token_an_email_address_or_a_kode_akses(monkeypatch):
    logs.install_redaction()
    captured = Captured("wbs.test.redaction", monkeypatch)
    logger = logging.getLogger("wbs.test.redaction")
    token = str(uuid.uuid4())
    # Reflex's own warning, as it words it, and what an exception message might quote.
    logger.warning(f"Attempting to send delta to disconnected client {token!r}")
    logger.warning("gagal untuk %s dengan kode %s", "Budi.S@mail.co.id", "7K3QZ-9XW2M-A4B8C-D5E6F")
    logging.getLogger("wbs.test.redaction").removeHandler(captured)
    assert token not in captured.text and "Budi.S@mail.co.id" not in captured.text and "7K3QZ" not in captured.text
    assert "[token]" in captured.text and "[email]" in captured.text and "[kode-akses]" in captured.text


def test_the_outbox_fallback_does_not_log_the_recipient(private_data_dir, monkeypatch):
    captured = Captured("wbs.mail", monkeypatch)
    mailer.send_email(to="pelapor.rahasia@mail.co.id", subject="Pembaruan laporan WBS-AB12CD34EF", text="isi")
    logging.getLogger("wbs.mail").removeHandler(captured)
    # Not even scrubbed: the line never had the address (the redaction would have left "[email]").
    assert "disimpan" in captured.text and "pelapor.rahasia" not in captured.text and "[email]" not in captured.text
